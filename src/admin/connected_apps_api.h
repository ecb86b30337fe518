#pragma once
// The Connected Apps management API (Stytch's shapes), every route behind ManagementApi::Route
// (project Basic auth, JSON body, {request_id, status_code, ...} envelope):
//   POST   /v1/connected_apps/clients                          create -> {connected_app}
//   GET    /v1/connected_apps/clients/{client_id}              read   -> {connected_app}
//   PUT    /v1/connected_apps/clients/{client_id}              update -> {connected_app}
//   DELETE /v1/connected_apps/clients/{client_id}              delete -> {client_id}
//   POST   /v1/connected_apps/clients/search                   {limit, cursor} ->
//                                        {connected_apps, results_metadata{total, next_cursor}}
//   GET    /v1/connected_apps/clients?limit=&cursor=           the search's answer, unfiltered
//   POST   /v1/connected_apps/clients/{client_id}/secrets/rotate/start   -> next_client_secret
//   POST   /v1/connected_apps/clients/{client_id}/secrets/rotate         next becomes current
//   POST   /v1/connected_apps/clients/{client_id}/secrets/rotate/cancel  next discarded
// A confidential client's client_secret appears inside connected_app in the create response only;
// next_client_secret in the rotate/start response only. Reads show client_secret_last_four.
// Fields: client_type (create only), client_name, client_description, redirect_urls,
// post_logout_redirect_urls, logo_url, client_uri, full_access_allowed,
// bypass_consent_for_offline_access, access_token_expiry_minutes, access_token_custom_audience,
// access_token_template_content and id_token_template_content (claims templates rendered into the
// client's access and ID tokens: a string holding a JSON object, or the object itself; null or ""
// clears; refused with 400 bad_request when not a JSON object of at most 4 KB or naming a reserved
// claim), application_type (web | native; absent or null: native for public client types, web
// for confidential ones; only native apps match loopback redirect URIs on any port) and status
// (active | disabled).
// PUT changes only the fields it names; client_type, client_id and secrets cannot change there
// (400 naming the field). Errors: error_type from core::ErrorCode names (bad_request,
// invalid_redirect_uri, not_found, conflict, unauthorized).
//
// Stateless apart from the references it holds; thread-safe.

#include <boost/json/fwd.hpp>

#include "accounts/client_registry.h"
#include "admin/management_api.h"
#include "core/client.h"
#include "http/router.h"

namespace gatehouse::admin {

// The public view of a client (never a secret hash).
boost::json::object ConnectedAppJson(const core::Client& client);

// Reads the claims template field `name` of a request body into `target` when the body names it:
// a string holding JSON or a JSON object is stored as text (validated later, with the client or
// setting it belongs to); null or "" clears it; anything else is kBadRequest.
core::Result<void> ApplyClaimsTemplateField(const boost::json::object& body, std::string_view name,
                                            std::optional<std::string>& target);

void AddConnectedAppsRoutes(http::Router& router, const ManagementApi& api,
                            accounts::ClientRegistry& registry);

}  // namespace gatehouse::admin
