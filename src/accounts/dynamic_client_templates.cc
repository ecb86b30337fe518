#include "accounts/dynamic_client_templates.h"

#include <iostream>

#include "core/claims_template.h"

namespace gatehouse::accounts {
namespace {

// Parses one optional template; the error names the field, as ClientRegistry::Validate does.
core::Result<std::optional<boost::json::object>> ParseField(const std::optional<std::string>& text,
                                                            std::string_view field) {
  if (!text) return std::optional<boost::json::object>();
  core::Result<boost::json::object> parsed = core::ParseClaimsTemplate(*text);
  if (!parsed) {
    return core::Error(core::ErrorCode::kBadRequest,
                       std::string(field) + ": " + parsed.error().description());
  }
  return std::optional<boost::json::object>(std::move(*parsed));
}

// The snapshot of stored settings. Stored templates were validated when written; one that no
// longer parses (a stricter rule in a later version) is dropped rather than failing every token.
std::shared_ptr<const DynamicClientTemplates::Snapshot> SnapshotOf(
    store::DynamicClientSettings settings) {
  auto snapshot = std::make_shared<DynamicClientTemplates::Snapshot>();
  auto access = ParseField(settings.access_token_template_content, "access_token_template_content");
  if (access) {
    snapshot->access_token = std::move(*access);
  } else {
    std::cerr << "gatehouse: the stored dynamic client template does not parse: "
              << access.error().description() << "\n";
  }
  auto id = ParseField(settings.id_token_template_content, "id_token_template_content");
  if (id) {
    snapshot->id_token = std::move(*id);
  } else {
    std::cerr << "gatehouse: the stored dynamic client template does not parse: "
              << id.error().description() << "\n";
  }
  snapshot->settings = std::move(settings);
  return snapshot;
}

}  // namespace

DynamicClientTemplates::DynamicClientTemplates(store::Database& db, const core::Clock& clock,
                                               std::string project_id)
    : db_(db),
      clock_(clock),
      project_id_(std::move(project_id)),
      current_(std::make_shared<const Snapshot>()) {
  Reload();
}

bool DynamicClientTemplates::AppliesTo(const core::Client& client) {
  return client.creation_method == core::CreationMethod::kDynamicRegistration ||
         client.creation_method == core::CreationMethod::kClientIdMetadataDocument;
}

void DynamicClientTemplates::Reload() {
  core::MutexLock lock(write_mu_);
  std::optional<store::DynamicClientSettings> stored =
      store::DynamicClientSettingsRepository(db_).Get(project_id_);
  current_.store(SnapshotOf(stored.value_or(store::DynamicClientSettings{})));
}

core::Result<std::shared_ptr<const DynamicClientTemplates::Snapshot>>
DynamicClientTemplates::Replace(store::DynamicClientSettings settings) {
  auto access = ParseField(settings.access_token_template_content, "access_token_template_content");
  if (!access) return access.error();
  auto id = ParseField(settings.id_token_template_content, "id_token_template_content");
  if (!id) return id.error();
  core::MutexLock lock(write_mu_);
  settings.updated_at = clock_.NowSeconds();
  store::DynamicClientSettingsRepository(db_).Put(project_id_, settings);
  auto snapshot = std::make_shared<const Snapshot>(
      Snapshot{std::move(settings), std::move(*access), std::move(*id)});
  current_.store(snapshot);
  return std::shared_ptr<const Snapshot>(snapshot);
}

}  // namespace gatehouse::accounts
