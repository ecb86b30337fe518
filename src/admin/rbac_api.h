#pragma once
// The RBAC policy management API, behind ManagementApi::Route:
//   GET /v1/rbac/policy  -> {policy: {resources, roles, scopes}}
//   PUT /v1/rbac/policy  body {policy: {...}} or the policy object itself -> {policy}
// PUT replaces the whole policy after validation (core::RbacPolicy::Parse: unknown resource or
// action references, duplicates, built-in scope names -> 400 bad_request naming the entry; a
// field the policy does not define, at any depth, or {policy} beside other fields -> 400); the
// change reaches every process through the "rbac_policy" cache version.
//
// Stateless apart from the reference it holds; thread-safe.

#include "accounts/rbac_scope_policy.h"
#include "admin/management_api.h"
#include "http/router.h"

namespace gatehouse::admin {

void AddRbacRoutes(http::Router& router, const ManagementApi& api, accounts::RbacScopePolicy& rbac);

}  // namespace gatehouse::admin
