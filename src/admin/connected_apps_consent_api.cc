#include "admin/connected_apps_consent_api.h"

#include <boost/json.hpp>

#include "store/token_lifecycle_repository.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

json::object AppJson(const store::ConnectedApp& app) {
  return json::object{{"client_id", app.client_id},
                      {"client_name", app.client_name},
                      {"client_description", app.client_description},
                      {"client_type", app.client_type},
                      {"logo_url", app.logo_url},
                      {"scopes_granted", app.scopes_granted}};
}

core::Result<std::string> KnownUser(const ApiCall& call, accounts::UserSessions& users) {
  std::string user_id(call.request.PathParam("user_id"));
  if (!users.FindUser(user_id)) return Error(ErrorCode::kNotFound, "user not found");
  return user_id;
}

}  // namespace

void AddUserConnectedAppsRoutes(http::Router& router, const ManagementApi& api,
                                accounts::UserSessions& users, store::Database& db,
                                const core::Clock& clock) {
  router.Add("GET", "/v1/users/{user_id}/connected_apps",
             api.Route([&users, &db](ApiCall& call) -> core::Result<json::object> {
               core::Result<std::string> user_id = KnownUser(call, users);
               if (!user_id) return user_id.error();
               json::array apps;
               for (const store::ConnectedApp& app :
                    store::TokenLifecycleRepository(db).ListConnectedApps(*user_id)) {
                 apps.push_back(AppJson(app));
               }
               return json::object{{"user_id", *user_id}, {"connected_apps", std::move(apps)}};
             }));
  router.Add("POST", "/v1/users/{user_id}/connected_apps/{client_id}/revoke",
             api.Route([&users, &db, &clock](ApiCall& call) -> core::Result<json::object> {
               core::Result<std::string> user_id = KnownUser(call, users);
               if (!user_id) return user_id.error();
               const std::string client_id(call.request.PathParam("client_id"));
               const int64_t revoked = store::TokenLifecycleRepository(db).RevokeConnectedApp(
                   *user_id, client_id, clock.NowSeconds());
               return json::object{
                   {"user_id", *user_id}, {"client_id", client_id}, {"revoked_grants", revoked}};
             }));
}

}  // namespace gatehouse::admin
