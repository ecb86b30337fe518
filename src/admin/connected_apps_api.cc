#include "admin/connected_apps_api.h"

#include <boost/json.hpp>

#include "admin/client_routes.h"
#include "admin/list_paging.h"
#include "core/redirect_uri_policy.h"

namespace gatehouse::admin {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

// Applies every field `body` names to `client`. Fields absent from the body keep their value;
// null clears the optional ones.
core::Result<void> ApplyFields(const json::object& body, core::Client& client) {
  auto apply_string = [&](std::string_view name, std::string& target) -> core::Result<void> {
    auto v = OptionalString(body, name);
    if (!v) return v.error();
    if (body.contains(name)) target = v->value_or("");
    return {};
  };
  auto apply_list = [&](std::string_view name,
                        std::vector<std::string>& target) -> core::Result<void> {
    auto v = OptionalStringArray(body, name);
    if (!v) return v.error();
    if (body.contains(name)) target = v->value_or(std::vector<std::string>{});
    return {};
  };
  auto apply_bool = [&](std::string_view name, bool& target) -> core::Result<void> {
    auto v = OptionalBool(body, name);
    if (!v) return v.error();
    if (*v) target = **v;
    return {};
  };
  for (auto r :
       {apply_string("client_name", client.client_name),
        apply_string("client_description", client.client_description),
        apply_string("logo_url", client.logo_url), apply_string("client_uri", client.client_uri),
        apply_list("redirect_urls", client.redirect_uris),
        apply_list("post_logout_redirect_urls", client.post_logout_redirect_uris),
        apply_bool("full_access_allowed", client.full_access_allowed),
        apply_bool("bypass_consent_for_offline_access",
                   client.bypass_consent_for_offline_access)}) {
    if (!r) return r;
  }
  if (body.contains("access_token_expiry_minutes")) {
    auto v = OptionalInt(body, "access_token_expiry_minutes");
    if (!v) return v.error();
    client.access_token_expiry_minutes = *v;
  }
  if (body.contains("access_token_custom_audience")) {
    auto v = OptionalString(body, "access_token_custom_audience");
    if (!v) return v.error();
    client.access_token_custom_audience = *v;
    if (client.access_token_custom_audience && client.access_token_custom_audience->empty()) {
      client.access_token_custom_audience.reset();
    }
  }
  if (auto ok = ApplyClaimsTemplateField(body, "access_token_template_content",
                                         client.access_token_template_content);
      !ok) {
    return ok;
  }
  if (auto ok = ApplyClaimsTemplateField(body, "id_token_template_content",
                                         client.id_token_template_content);
      !ok) {
    return ok;
  }
  if (body.contains("application_type")) {
    auto v = OptionalString(body, "application_type");
    if (!v) return v.error();
    // null: the default for the client's type, as when created without one.
    const auto type =
        *v ? core::ParseApplicationType(**v) : core::DefaultApplicationType(client.client_type);
    if (!type) return Error(ErrorCode::kBadRequest, "application_type must be web or native");
    client.application_type = *type;
  }
  if (body.contains("status")) {
    auto v = OptionalString(body, "status");
    if (!v) return v.error();
    const auto status = core::ParseClientStatus(v->value_or(""));
    if (!status) return Error(ErrorCode::kBadRequest, "status must be active or disabled");
    client.status = *status;
  }
  return {};
}

// Fields no request may set: Gatehouse assigns them.
core::Result<void> RefuseAssignedFields(const json::object& body) {
  for (std::string_view name : {"client_secret", "next_client_secret", "client_secret_last_four",
                                "next_client_secret_last_four"}) {
    if (body.contains(name)) {
      return Error(ErrorCode::kBadRequest,
                   std::string(name) +
                       " cannot be set: secrets are issued by Gatehouse and changed only through "
                       "secrets/rotate");
    }
  }
  if (body.contains("creation_method")) {
    return Error(ErrorCode::kBadRequest,
                 "creation_method cannot be set: Gatehouse records how the connected app was "
                 "created (api, dynamic_registration or client_id_metadata_document)");
  }
  return {};
}

// The fields ApplyFields reads, and those RefuseAssignedFields refuses with its reasons.
const BodyFields& WritableFields() {
  static const BodyFields fields{"client_name",
                                 "client_description",
                                 "logo_url",
                                 "client_uri",
                                 "redirect_urls",
                                 "post_logout_redirect_urls",
                                 "full_access_allowed",
                                 "bypass_consent_for_offline_access",
                                 "access_token_expiry_minutes",
                                 "access_token_custom_audience",
                                 "access_token_template_content",
                                 "id_token_template_content",
                                 "application_type",
                                 "status",
                                 "client_secret",
                                 "next_client_secret",
                                 "client_secret_last_four",
                                 "next_client_secret_last_four",
                                 "creation_method"};
  return fields;
}

json::object Wrap(const core::Client& client) {
  return json::object{{"connected_app", ConnectedAppJson(client)}};
}

core::Result<json::object> Create(ApiCall& call, accounts::ClientRegistry& registry) {
  if (auto ok = RefuseAssignedFields(call.body); !ok) return ok.error();
  if (call.body.contains("client_id")) {
    return Error(ErrorCode::kBadRequest, "client_id cannot be set: Gatehouse assigns it");
  }
  auto type_name = RequiredString(call.body, "client_type");
  if (!type_name) return type_name.error();
  const auto type = core::ParseClientType(*type_name);
  if (!type) {
    return Error(ErrorCode::kBadRequest,
                 "client_type must be first_party, first_party_public, third_party or "
                 "third_party_public");
  }
  core::Client draft{.client_type = *type,
                     .creation_method = core::CreationMethod::kApi,
                     .application_type = core::DefaultApplicationType(*type)};
  if (auto ok = ApplyFields(call.body, draft); !ok) return ok.error();
  auto created = registry.Create(std::move(draft));
  if (!created) return created.error();
  json::object app = ConnectedAppJson(created->client);
  if (created->client_secret) app["client_secret"] = *created->client_secret;
  return json::object{{"connected_app", std::move(app)}};
}

core::Result<json::object> Update(ApiCall& call, accounts::ClientRegistry& registry) {
  const std::string client_id(call.request.PathParam("client_id"));
  auto current = registry.Get(client_id);
  if (!current) return current.error();
  if (auto ok = RefuseAssignedFields(call.body); !ok) return ok.error();
  if (auto ok = RefuseChangedId(call.body, "client_id", client_id); !ok) return ok.error();
  if (const auto* type = call.body.if_contains("client_type");
      type != nullptr &&
      !(type->is_string() && type->as_string() == core::ClientTypeName(current->client_type))) {
    return Error(ErrorCode::kBadRequest,
                 "client_type cannot be changed: create a new connected app instead");
  }
  core::Client changed = *current;
  if (auto ok = ApplyFields(call.body, changed); !ok) return ok.error();
  auto updated = registry.Update(changed);
  if (!updated) return updated.error();
  return Wrap(*updated);
}

// One page of connected apps in client_id order, the answer of both POST search and GET list.
core::Result<json::object> ConnectedAppsPage(const PageRequest& request,
                                             accounts::ClientRegistry& registry) {
  auto after = CursorKey(kConnectedAppsList, request.cursor);
  if (!after) return after.error();
  store::ClientPage page = registry.Search(*after, request.limit);
  json::array apps;
  for (const auto& c : page.clients) apps.emplace_back(ConnectedAppJson(c));
  return json::object{
      {"connected_apps", std::move(apps)},
      {"results_metadata",
       ResultsMetadata(page.total, NextCursor(kConnectedAppsList, page.next_cursor))}};
}

core::Result<json::object> Search(ApiCall& call, accounts::ClientRegistry& registry) {
  auto request = ReadPageRequest(call.body);
  if (!request) return request.error();
  return ConnectedAppsPage(*request, registry);
}

core::Result<json::object> List(ApiCall& call, accounts::ClientRegistry& registry) {
  auto request = ReadPageQuery(call.request.query);
  if (!request) return request.error();
  return ConnectedAppsPage(*request, registry);
}

}  // namespace

core::Result<void> ApplyClaimsTemplateField(const json::object& body, std::string_view name,
                                            std::optional<std::string>& target) {
  const json::value* t = body.if_contains(name);
  if (t == nullptr) return {};
  // Stytch sends the template as a string holding JSON; a JSON object is accepted as well.
  if (t->is_null() || (t->is_string() && t->as_string().empty())) {
    target.reset();
  } else if (t->is_string()) {
    target = std::string(t->as_string());
  } else if (t->is_object()) {
    target = json::serialize(*t);
  } else {
    return Error(ErrorCode::kBadRequest, std::string(name) + " must be a JSON object");
  }
  return {};
}

json::object ConnectedAppJson(const core::Client& c) {
  const bool confidential = !core::IsPublic(c.client_type);
  json::object o;
  o["client_id"] = c.client_id;
  o["client_type"] = core::ClientTypeName(c.client_type);
  o["client_name"] = c.client_name;
  o["client_description"] = c.client_description;
  o["redirect_urls"] = StringArrayJson(c.redirect_uris);
  o["post_logout_redirect_urls"] = StringArrayJson(c.post_logout_redirect_uris);
  o["logo_url"] = c.logo_url;
  o["client_uri"] = c.client_uri;
  o["full_access_allowed"] = c.full_access_allowed;
  o["bypass_consent_for_offline_access"] = c.bypass_consent_for_offline_access;
  o["access_token_expiry_minutes"] = NullableJson(c.access_token_expiry_minutes);
  o["access_token_custom_audience"] = NullableJson(c.access_token_custom_audience);
  o["access_token_template_content"] = NullableJson(c.access_token_template_content);
  o["id_token_template_content"] = NullableJson(c.id_token_template_content);
  o["creation_method"] = core::CreationMethodName(c.creation_method);
  o["application_type"] = core::ApplicationTypeName(c.application_type);
  o["token_endpoint_auth_method"] = core::TokenEndpointAuthMethod(c);
  o["status"] = core::ClientStatusName(c.status);
  o["client_secret_last_four"] =
      confidential ? json::value(c.secret_last_four) : json::value(nullptr);
  o["next_client_secret_last_four"] = NullableJson(c.next_secret_last_four);
  if (c.client_id_metadata_url) o["client_id_metadata_url"] = *c.client_id_metadata_url;
  o["created_at"] = Rfc3339(c.created_at);
  o["updated_at"] = Rfc3339(c.updated_at);
  return o;
}

void AddConnectedAppsRoutes(http::Router& router, const ManagementApi& api,
                            accounts::ClientRegistry& registry) {
  accounts::ClientRegistry* r = &registry;
  const std::string base = "/v1/connected_apps/clients";
  // client_id and client_type: Create refuses an id and requires the type; Update accepts both
  // when unchanged.
  const BodyFields fields = WritableFields().With({"client_id", "client_type"});
  router.Add("POST", base, api.Route(fields, [r](ApiCall& call) { return Create(call, *r); }));
  router.Add("GET", base, api.Route([r](ApiCall& call) { return List(call, *r); }));
  router.Add("POST", base + "/search",
             api.Route({"limit", "cursor"}, [r](ApiCall& call) { return Search(call, *r); }));
  router.Add("PUT", base + "/{client_id}",
             api.Route(fields, [r](ApiCall& call) { return Update(call, *r); }));
  AddClientRoutes(router, api, base, "connected_app", *r, ConnectedAppJson);
}

}  // namespace gatehouse::admin
