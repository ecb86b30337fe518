#include "admin/rbac_api.h"

#include <boost/json.hpp>

namespace gatehouse::admin {
namespace json = boost::json;

void AddRbacRoutes(http::Router& router, const ManagementApi& api,
                   accounts::RbacScopePolicy& rbac) {
  accounts::RbacScopePolicy* r = &rbac;
  router.Add("GET", "/v1/rbac/policy", api.Route([r](ApiCall&) -> core::Result<json::object> {
    return json::object{{"policy", r->Policy()->ToJson()}};
  }));
  // The policy's fields as core::RbacPolicy::Parse reads them, sent bare or as {"policy": …}.
  const BodyFields permission{"resource_id", "actions"};
  const BodyFields policy =
      BodyFields{}
          .WithObject("resources", {"resource_id", "description", "actions"})
          .WithObject("roles",
                      BodyFields{"role_id", "description"}.WithObject("permissions", permission))
          .WithObject("scopes",
                      BodyFields{"scope", "description"}.WithObject("permissions", permission));
  router.Add(
      "PUT", "/v1/rbac/policy",
      api.Route(
          policy.WithObject("policy", policy), [r](ApiCall& call) -> core::Result<json::object> {
            const json::value* wrapped = call.body.if_contains("policy");
            if (wrapped != nullptr && call.body.size() > 1) {
              return core::Error(core::ErrorCode::kBadRequest,
                                 "send the policy's fields or {\"policy\": …}, not both");
            }
            auto replaced =
                wrapped != nullptr ? r->Replace(*wrapped) : r->Replace(json::value(call.body));
            if (!replaced) return replaced.error();
            return json::object{{"policy", (*replaced)->ToJson()}};
          }));
}

}  // namespace gatehouse::admin
