#pragma once
// The management routes that every kind of client holding a secret (connected apps, M2M clients)
// answers alike, under its `base` path:
//   GET    {base}/{client_id}                        -> {<key>: view}
//   DELETE {base}/{client_id}                        -> {client_id}
//   POST   {base}/{client_id}/secrets/rotate/start   -> {<key>: view + next_client_secret}
//   POST   {base}/{client_id}/secrets/rotate         -> {<key>: view}   (next becomes current)
//   POST   {base}/{client_id}/secrets/rotate/cancel  -> {<key>: view}   (next discarded)
// `Clients` is the service (accounts::ClientRegistry, accounts::M2mClients): Get, Delete,
// StartSecretRotation, CompleteSecretRotation and CancelSecretRotation, each taking the client_id
// and returning a core::Result. `view` renders a client as a JSON object (never a secret hash).
//
// The routes hold `clients` by reference: it must outlive the router. Thread-safe when `Clients`
// is.

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "admin/management_api.h"
#include "core/result.h"
#include "http/router.h"

namespace gatehouse::admin {

template <class Clients, class View>
void AddClientRoutes(http::Router& router, const ManagementApi& api, const std::string& base,
                     std::string_view key, Clients& clients, View view) {
  namespace json = boost::json;
  Clients* c = &clients;
  const auto wrap = [key = std::string(key), view](const auto& client) {
    return json::object{{key, view(client)}};
  };
  router.Add("GET", base + "/{client_id}",
             api.Route([c, wrap](ApiCall& call) -> core::Result<json::object> {
               auto client = c->Get(call.request.PathParam("client_id"));
               if (!client) return client.error();
               return wrap(*client);
             }));
  router.Add("DELETE", base + "/{client_id}",
             api.Route([c](ApiCall& call) -> core::Result<json::object> {
               const std::string id(call.request.PathParam("client_id"));
               if (auto ok = c->Delete(id); !ok) return ok.error();
               return json::object{{"client_id", id}};
             }));
  router.Add(
      "POST", base + "/{client_id}/secrets/rotate/start",
      api.Route([c, key = std::string(key), view](ApiCall& call) -> core::Result<json::object> {
        const std::string id(call.request.PathParam("client_id"));
        auto next = c->StartSecretRotation(id);
        if (!next) return next.error();
        auto client = c->Get(id);
        if (!client) return client.error();
        json::object shown = view(*client);
        shown["next_client_secret"] = *next;
        return json::object{{key, std::move(shown)}};
      }));
  router.Add("POST", base + "/{client_id}/secrets/rotate",
             api.Route([c, wrap](ApiCall& call) -> core::Result<json::object> {
               auto client = c->CompleteSecretRotation(call.request.PathParam("client_id"));
               if (!client) return client.error();
               return wrap(*client);
             }));
  router.Add("POST", base + "/{client_id}/secrets/rotate/cancel",
             api.Route([c, wrap](ApiCall& call) -> core::Result<json::object> {
               auto client = c->CancelSecretRotation(call.request.PathParam("client_id"));
               if (!client) return client.error();
               return wrap(*client);
             }));
}

}  // namespace gatehouse::admin
