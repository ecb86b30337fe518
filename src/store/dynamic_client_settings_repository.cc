#include "store/dynamic_client_settings_repository.h"

#include "store/cache_version_repository.h"

namespace gatehouse::store {

std::optional<DynamicClientSettings> DynamicClientSettingsRepository::Get(
    std::string_view project_id) {
  std::optional<DynamicClientSettings> settings;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "SELECT access_token_template_content, id_token_template_content, updated_at "
        "FROM dynamic_client_settings WHERE project_id = ?",
        {std::string(project_id)});
    if (rows.empty()) return;
    settings = DynamicClientSettings{.access_token_template_content = rows[0].OptionalText(0),
                                     .id_token_template_content = rows[0].OptionalText(1),
                                     .updated_at = rows[0].Int(2)};
  });
  return settings;
}

void DynamicClientSettingsRepository::Put(std::string_view project_id,
                                          const DynamicClientSettings& settings) {
  db_.Transaction([&](Connection& c) {
    c.Execute(
        "INSERT INTO dynamic_client_settings (project_id, access_token_template_content, "
        "id_token_template_content, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (project_id) DO UPDATE SET "
        "access_token_template_content = excluded.access_token_template_content, "
        "id_token_template_content = excluded.id_token_template_content, "
        "updated_at = excluded.updated_at",
        {std::string(project_id), Nullable(settings.access_token_template_content),
         Nullable(settings.id_token_template_content), settings.updated_at});
    CacheVersionRepository::Bump(c, kDynamicClientSettingsCacheName);
  });
}

}  // namespace gatehouse::store
