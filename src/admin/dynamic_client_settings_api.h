#pragma once
// The project's settings for dynamically registered clients (RFC 7591 registrations and Client ID
// Metadata Document clients register themselves, so they cannot carry claims templates of their
// own), behind ManagementApi::Route:
//   GET /v1/connected_apps/dynamic_client_settings -> {dynamic_client_settings}
//   PUT /v1/connected_apps/dynamic_client_settings    body: the fields to change ->
//                                                     {dynamic_client_settings}
// dynamic_client_settings: {access_token_template_content, id_token_template_content (each a string
// holding a JSON object, or null), updated_at (RFC 3339, null before the first PUT)}.
// PUT changes only the fields it names (any other field is 400 naming it); each accepts a string
// holding JSON or the JSON object itself, and null or "" clears it. Templates follow the same
// rules as a connected app's (core/claims_template.h): not a JSON object, over 4 KB, a reserved
// claim or a bad placeholder -> 400 bad_request naming the field, and nothing is stored. The
// change reaches every process's token issuer through the "dynamic_client_settings" cache version.
//
// Stateless apart from the reference it holds; thread-safe.

#include "accounts/dynamic_client_templates.h"
#include "admin/management_api.h"
#include "http/router.h"

namespace gatehouse::admin {

void AddDynamicClientSettingsRoutes(http::Router& router, const ManagementApi& api,
                                    accounts::DynamicClientTemplates& templates);

}  // namespace gatehouse::admin
