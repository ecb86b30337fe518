#include "admin/organizations_api.h"

#include <boost/json.hpp>

#include "accounts/organization_app_policy.h"
#include "admin/connected_apps_api.h"
#include "admin/list_paging.h"
#include "core/display_text.h"
#include "core/ids.h"

namespace gatehouse::admin {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

bool IsValidSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 128) return false;
  for (char c : slug) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Applies the fields `body` names to `o` and checks the result.
core::Result<void> ApplyFields(const json::object& body, store::Organization& o) {
  for (auto [name, target] :
       {std::pair<std::string_view, std::string*>{"organization_name", &o.organization_name},
        {"organization_slug", &o.organization_slug},
        {"first_party_connected_apps_allowed_type", &o.first_party_connected_apps_allowed_type},
        {"third_party_connected_apps_allowed_type", &o.third_party_connected_apps_allowed_type}}) {
    auto v = OptionalString(body, name);
    if (!v) return v.error();
    if (*v) *target = **v;
  }
  for (auto [name, target] :
       {std::pair<std::string_view, std::vector<std::string>*>{
            "allowed_first_party_connected_apps", &o.allowed_first_party_connected_apps},
        {"allowed_third_party_connected_apps", &o.allowed_third_party_connected_apps}}) {
    auto v = OptionalStringArray(body, name);
    if (!v) return v.error();
    if (*v) *target = **v;
  }
  if (o.organization_name.empty()) {
    return Error(ErrorCode::kBadRequest, "organization_name is required");
  }
  if (auto ok = core::CheckDisplayText("organization_name", o.organization_name); !ok) return ok;
  if (!IsValidSlug(o.organization_slug)) {
    return Error(ErrorCode::kBadRequest,
                 "organization_slug must be 2 to 128 characters of a-z, 0-9, -, _ and .");
  }
  for (const std::string* type :
       {&o.first_party_connected_apps_allowed_type, &o.third_party_connected_apps_allowed_type}) {
    if (!accounts::IsConnectedAppsAllowedType(*type)) {
      return Error(ErrorCode::kBadRequest,
                   "connected apps allowed types must be ALL_ALLOWED, RESTRICTED or NOT_ALLOWED");
    }
  }
  return {};
}

Error DuplicateSlug(const store::Organization& o) {
  return Error(ErrorCode::kConflict,
               "organization_slug " + o.organization_slug + " is already in use");
}

Error NotFound(std::string_view id) {
  return Error(ErrorCode::kNotFound, "no organization has organization_id " + std::string(id));
}

json::object MemberJson(const store::OrganizationMember& m) {
  return json::object{{"user_id", m.user_id},
                      {"organization_id", m.organization_id},
                      {"roles", StringArrayJson(m.roles)},
                      {"created_at", Rfc3339(m.created_at)}};
}

// One page of organizations in organization_id order, the answer of both POST search and GET
// list.
core::Result<json::object> OrganizationsPage(const PageRequest& request, store::Database& db) {
  auto after = CursorKey(kOrganizationsList, request.cursor);
  if (!after) return after.error();
  auto page = store::OrganizationRepository(db).List(*after, request.limit);
  json::array found;
  for (const auto& o : page.organizations) found.emplace_back(OrganizationJson(o));
  return json::object{
      {"organizations", std::move(found)},
      {"results_metadata",
       ResultsMetadata(page.total, NextCursor(kOrganizationsList, page.next_cursor))}};
}

}  // namespace

json::object OrganizationJson(const store::Organization& o) {
  json::object out;
  out["organization_id"] = o.organization_id;
  out["organization_name"] = o.organization_name;
  out["organization_slug"] = o.organization_slug;
  out["first_party_connected_apps_allowed_type"] = o.first_party_connected_apps_allowed_type;
  out["third_party_connected_apps_allowed_type"] = o.third_party_connected_apps_allowed_type;
  out["allowed_first_party_connected_apps"] = StringArrayJson(o.allowed_first_party_connected_apps);
  out["allowed_third_party_connected_apps"] = StringArrayJson(o.allowed_third_party_connected_apps);
  out["created_at"] = Rfc3339(o.created_at);
  out["updated_at"] = Rfc3339(o.updated_at);
  return out;
}

void AddOrganizationRoutes(http::Router& router, const ManagementApi& api,
                           const OrganizationsApiContext& context) {
  auto ctx = std::make_shared<const OrganizationsApiContext>(context);
  const std::string base = "/v1/organizations";
  // ApplyFields' fields; organization_id is refused on create and may repeat the path's on update.
  const BodyFields fields{"organization_name",
                          "organization_slug",
                          "first_party_connected_apps_allowed_type",
                          "third_party_connected_apps_allowed_type",
                          "allowed_first_party_connected_apps",
                          "allowed_third_party_connected_apps",
                          "organization_id"};
  router.Add("POST", base, api.Route(fields, [ctx](ApiCall& call) -> core::Result<json::object> {
    if (call.body.contains("organization_id")) {
      return Error(ErrorCode::kBadRequest, "organization_id cannot be set: Gatehouse assigns it");
    }
    store::Organization o;
    if (auto ok = ApplyFields(call.body, o); !ok) return ok.error();
    o.organization_id = core::NewId(ctx->random, "organization", ctx->environment);
    o.created_at = o.updated_at = ctx->clock.NowSeconds();
    if (store::OrganizationRepository(ctx->db).Insert(o) !=
        store::OrganizationRepository::WriteOutcome::kDone) {
      return DuplicateSlug(o);
    }
    return json::object{{"organization", OrganizationJson(o)}};
  }));
  router.Add("GET", base, api.Route([ctx](ApiCall& call) -> core::Result<json::object> {
    auto request = ReadPageQuery(call.request.query);
    if (!request) return request.error();
    return OrganizationsPage(*request, ctx->db);
  }));
  router.Add("POST", base + "/search",
             api.Route({"limit", "cursor"}, [ctx](ApiCall& call) -> core::Result<json::object> {
               auto request = ReadPageRequest(call.body);
               if (!request) return request.error();
               return OrganizationsPage(*request, ctx->db);
             }));
  router.Add("GET", base + "/{organization_id}",
             api.Route([ctx](ApiCall& call) -> core::Result<json::object> {
               const std::string id(call.request.PathParam("organization_id"));
               store::OrganizationRepository repo(ctx->db);
               auto o = repo.Get(id);
               if (!o) return NotFound(id);
               json::array members;
               for (const auto& m : repo.Members(id)) members.emplace_back(MemberJson(m));
               return json::object{{"organization", OrganizationJson(*o)},
                                   {"members", std::move(members)}};
             }));
  router.Add("PUT", base + "/{organization_id}",
             api.Route(fields, [ctx](ApiCall& call) -> core::Result<json::object> {
               const std::string id(call.request.PathParam("organization_id"));
               store::OrganizationRepository repo(ctx->db);
               auto o = repo.Get(id);
               if (!o) return NotFound(id);
               if (auto ok = RefuseChangedId(call.body, "organization_id", id); !ok) {
                 return ok.error();
               }
               if (auto ok = ApplyFields(call.body, *o); !ok) return ok.error();
               o->updated_at = ctx->clock.NowSeconds();
               switch (repo.Update(*o)) {
                 case store::OrganizationRepository::WriteOutcome::kDone:
                   return json::object{{"organization", OrganizationJson(*o)}};
                 case store::OrganizationRepository::WriteOutcome::kNotFound:
                   return NotFound(id);
                 case store::OrganizationRepository::WriteOutcome::kDuplicateSlug:
                   break;
               }
               return DuplicateSlug(*o);
             }));
  router.Add("DELETE", base + "/{organization_id}",
             api.Route([ctx](ApiCall& call) -> core::Result<json::object> {
               const std::string id(call.request.PathParam("organization_id"));
               if (!store::OrganizationRepository(ctx->db).Delete(id)) return NotFound(id);
               return json::object{{"organization_id", id}};
             }));
  router.Add("POST", base + "/{organization_id}/members",
             api.Route({"user_id", "roles"}, [ctx](ApiCall& call) -> core::Result<json::object> {
               const std::string id(call.request.PathParam("organization_id"));
               auto user_id = RequiredString(call.body, "user_id");
               if (!user_id) return user_id.error();
               auto roles = OptionalStringArray(call.body, "roles");
               if (!roles) return roles.error();
               store::OrganizationMember m{.user_id = *user_id,
                                           .organization_id = id,
                                           .roles = roles->value_or(std::vector<std::string>{}),
                                           .created_at = ctx->clock.NowSeconds()};
               switch (store::OrganizationRepository(ctx->db).AddMember(m)) {
                 case store::OrganizationRepository::MemberOutcome::kDone:
                   return json::object{{"member", MemberJson(m)}};
                 case store::OrganizationRepository::MemberOutcome::kOrganizationNotFound:
                   return NotFound(id);
                 case store::OrganizationRepository::MemberOutcome::kUserNotFound:
                   break;
               }
               return Error(ErrorCode::kNotFound, "no user has user_id " + *user_id);
             }));
  router.Add("DELETE", base + "/{organization_id}/members/{user_id}",
             api.Route([ctx](ApiCall& call) -> core::Result<json::object> {
               const std::string user_id(call.request.PathParam("user_id"));
               if (!store::OrganizationRepository(ctx->db).RemoveMember(
                       call.request.PathParam("organization_id"), user_id)) {
                 return Error(ErrorCode::kNotFound,
                              "user " + user_id + " is not a member of this organization");
               }
               return json::object{{"user_id", user_id}};
             }));
  router.Add("GET", base + "/{organization_id}/connected_apps",
             api.Route([ctx](ApiCall& call) -> core::Result<json::object> {
               const std::string id(call.request.PathParam("organization_id"));
               store::OrganizationRepository repo(ctx->db);
               if (!repo.Get(id)) return NotFound(id);
               json::array apps;
               for (const auto& a : repo.ConnectedApps(id)) {
                 apps.emplace_back(json::object{{"client_id", a.client_id},
                                                {"client_name", a.client_name},
                                                {"client_type", a.client_type},
                                                {"members_with_grants", a.members_with_grants}});
               }
               return json::object{{"connected_apps", std::move(apps)}};
             }));
}

}  // namespace gatehouse::admin
