#include "admin/dynamic_client_settings_api.h"

#include <boost/json.hpp>

#include "admin/connected_apps_api.h"

namespace gatehouse::admin {
namespace json = boost::json;

namespace {

constexpr std::string_view kPath = "/v1/connected_apps/dynamic_client_settings";

json::object Wrap(const accounts::DynamicClientTemplates::Snapshot& snapshot) {
  const store::DynamicClientSettings& s = snapshot.settings;
  return json::object{
      {"dynamic_client_settings",
       json::object{
           {"access_token_template_content", NullableJson(s.access_token_template_content)},
           {"id_token_template_content", NullableJson(s.id_token_template_content)},
           // 0: never written, so no time to show.
           {"updated_at",
            s.updated_at == 0 ? json::value(nullptr) : json::value(Rfc3339(s.updated_at))}}}};
}

core::Result<json::object> Update(ApiCall& call, accounts::DynamicClientTemplates& templates) {
  // A partial update starts from the stored settings, which another process may have changed
  // since this one's snapshot (settings writes are rare; the read costs nothing that matters).
  templates.Reload();
  store::DynamicClientSettings changed = templates.Current()->settings;
  if (auto ok = ApplyClaimsTemplateField(call.body, "access_token_template_content",
                                         changed.access_token_template_content);
      !ok) {
    return ok.error();
  }
  if (auto ok = ApplyClaimsTemplateField(call.body, "id_token_template_content",
                                         changed.id_token_template_content);
      !ok) {
    return ok.error();
  }
  auto replaced = templates.Replace(std::move(changed));
  if (!replaced) return replaced.error();
  return Wrap(**replaced);
}

}  // namespace

void AddDynamicClientSettingsRoutes(http::Router& router, const ManagementApi& api,
                                    accounts::DynamicClientTemplates& templates) {
  accounts::DynamicClientTemplates* t = &templates;
  router.Add("GET", std::string(kPath), api.Route([t](ApiCall&) -> core::Result<json::object> {
    return Wrap(*t->Current());
  }));
  router.Add("PUT", std::string(kPath),
             api.Route({"access_token_template_content", "id_token_template_content"},
                       [t](ApiCall& call) { return Update(call, *t); }));
}

}  // namespace gatehouse::admin
