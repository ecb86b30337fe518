#pragma once
// The M2M management API (Stytch's shapes), every route behind ManagementApi::Route:
//   POST   /v1/m2m/clients                                  create -> {m2m_client}
//   GET    /v1/m2m/clients/{client_id}                      read   -> {m2m_client}
//   PUT    /v1/m2m/clients/{client_id}                      update -> {m2m_client}
//   DELETE /v1/m2m/clients/{client_id}                      delete -> {client_id}
//   POST   /v1/m2m/clients/search    {query?, limit, cursor} ->
//                                     {m2m_clients, results_metadata{total, next_cursor}}
//   GET    /v1/m2m/clients?limit=&cursor=                   the search's answer, unfiltered
//   POST   /v1/m2m/clients/{client_id}/secrets/rotate/start   -> next_client_secret (once)
//   POST   /v1/m2m/clients/{client_id}/secrets/rotate         next becomes current
//   POST   /v1/m2m/clients/{client_id}/secrets/rotate/cancel  next discarded
// Create takes scopes (required), client_name, client_description, trusted_metadata (a JSON
// object) and, to import a client from another provider, client_id and client_secret
// (M2mClients' import rules). client_secret appears in the create response only.
// PUT changes only the fields it names (client_name, client_description, scopes,
// trusted_metadata, status active|inactive); client_id and secrets cannot change (400).
// Search query: {operator: "AND"|"OR", operands: [{filter_name: "client_id"|"client_name"|
// "scopes", filter_value: [strings]}]}; an operand matches when the field equals (for scopes:
// holds) any of its values.
//
// Stateless apart from the references it holds; thread-safe.

#include <boost/json/fwd.hpp>

#include "accounts/m2m_clients.h"
#include "admin/management_api.h"
#include "http/router.h"

namespace gatehouse::admin {

// The public view of an M2M client (never a secret or its hash).
boost::json::object M2mClientJson(const store::M2mClient& client);

void AddM2mRoutes(http::Router& router, const ManagementApi& api, accounts::M2mClients& clients);

}  // namespace gatehouse::admin
