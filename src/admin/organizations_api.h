#pragma once
// The Organizations management API (B2B tenancy), every route behind ManagementApi::Route:
//   POST   /v1/organizations                               create -> {organization}
//   POST   /v1/organizations/search   {limit, cursor}      -> {organizations, results_metadata}
//   GET    /v1/organizations?limit=&cursor=                the search's answer
//   GET    /v1/organizations/{organization_id}             read   -> {organization, members}
//   PUT    /v1/organizations/{organization_id}             update -> {organization}
//   DELETE /v1/organizations/{organization_id}             delete -> {organization_id}
//   POST   /v1/organizations/{organization_id}/members     {user_id, roles[]} -> {member}
//   DELETE /v1/organizations/{organization_id}/members/{user_id}            -> {user_id}
//   GET    /v1/organizations/{organization_id}/connected_apps -> {connected_apps}
// Fields: organization_name (required at create), organization_slug (required at create; unique;
// 2-128 of a-z 0-9 - _ .), first_party_connected_apps_allowed_type and
// third_party_connected_apps_allowed_type (ALL_ALLOWED | RESTRICTED | NOT_ALLOWED; default
// ALL_ALLOWED), allowed_first_party_connected_apps / allowed_third_party_connected_apps (client
// ids, used when RESTRICTED). Ids: "organization-<env>-<uuid>". A duplicate slug is 409 conflict;
// an unknown organization or user 404.
//
// Stateless apart from the references it holds; thread-safe.

#include <boost/json/fwd.hpp>

#include "admin/management_api.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/router.h"
#include "store/database.h"
#include "store/organization_repository.h"

namespace gatehouse::admin {

boost::json::object OrganizationJson(const store::Organization& organization);

struct OrganizationsApiContext {
  store::Database& db;
  const core::Clock& clock;
  core::Random& random;
  std::string environment;  // "test" | "live"
};

void AddOrganizationRoutes(http::Router& router, const ManagementApi& api,
                           const OrganizationsApiContext& context);

}  // namespace gatehouse::admin
