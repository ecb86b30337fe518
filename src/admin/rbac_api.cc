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
  router.Add("PUT", "/v1/rbac/policy", api.Route([r](ApiCall& call) -> core::Result<json::object> {
    const json::value* wrapped = call.body.if_contains("policy");
    auto replaced = wrapped != nullptr ? r->Replace(*wrapped) : r->Replace(json::value(call.body));
    if (!replaced) return replaced.error();
    return json::object{{"policy", (*replaced)->ToJson()}};
  }));
}

}  // namespace gatehouse::admin
