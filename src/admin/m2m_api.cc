#include "admin/m2m_api.h"

#include <boost/json.hpp>

#include "admin/client_routes.h"
#include "admin/connected_apps_api.h"
#include "admin/list_paging.h"

namespace gatehouse::admin {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

core::Result<std::optional<std::string>> TrustedMetadata(const json::object& body) {
  const json::value* v = body.if_contains("trusted_metadata");
  if (v == nullptr) return std::optional<std::string>();
  if (v->is_null()) return std::optional<std::string>("{}");
  if (!v->is_object()) return Error(ErrorCode::kBadRequest, "trusted_metadata must be an object");
  return std::optional<std::string>(json::serialize(*v));
}

// Applies the mutable fields `body` names to `client`.
core::Result<void> ApplyFields(const json::object& body, store::M2mClient& client) {
  for (auto [name, target] :
       {std::pair<std::string_view, std::string*>{"client_name", &client.client_name},
        {"client_description", &client.client_description},
        {"status", &client.status}}) {
    auto v = OptionalString(body, name);
    if (!v) return v.error();
    if (*v) *target = **v;
  }
  auto scopes = OptionalStringArray(body, "scopes");
  if (!scopes) return scopes.error();
  if (*scopes) client.scopes = **scopes;
  auto metadata = TrustedMetadata(body);
  if (!metadata) return metadata.error();
  if (*metadata) client.trusted_metadata_json = **metadata;
  return {};
}

json::object Wrap(const store::M2mClient& client) {
  return json::object{{"m2m_client", M2mClientJson(client)}};
}

core::Result<json::object> Create(ApiCall& call, accounts::M2mClients& clients) {
  for (std::string_view name : {"next_client_secret", "client_secret_last_four"}) {
    if (call.body.contains(name)) {
      return Error(ErrorCode::kBadRequest, std::string(name) + " cannot be set");
    }
  }
  if (!call.body.contains("scopes")) return Error(ErrorCode::kBadRequest, "scopes is required");
  store::M2mClient fields;
  if (auto ok = ApplyFields(call.body, fields); !ok) return ok.error();
  auto client_id = OptionalString(call.body, "client_id");
  if (!client_id) return client_id.error();
  auto client_secret = OptionalString(call.body, "client_secret");
  if (!client_secret) return client_secret.error();
  accounts::M2mClientDraft draft{.client_id = *client_id,
                                 .client_secret = *client_secret,
                                 .client_name = fields.client_name,
                                 .client_description = fields.client_description,
                                 .scopes = fields.scopes,
                                 .trusted_metadata_json = fields.trusted_metadata_json,
                                 .status = fields.status};
  auto created = clients.Create(std::move(draft));
  if (!created) return created.error();
  json::object view = M2mClientJson(created->client);
  view["client_secret"] = created->client_secret;
  return json::object{{"m2m_client", std::move(view)}};
}

core::Result<json::object> Update(ApiCall& call, accounts::M2mClients& clients) {
  const std::string client_id(call.request.PathParam("client_id"));
  auto current = clients.Get(client_id);
  if (!current) return current.error();
  for (std::string_view name : {"client_secret", "next_client_secret", "client_secret_last_four"}) {
    if (call.body.contains(name)) {
      return Error(
          ErrorCode::kBadRequest,
          std::string(name) + " cannot be set: secrets change only through secrets/rotate");
    }
  }
  if (auto ok = RefuseChangedId(call.body, "client_id", client_id); !ok) return ok.error();
  store::M2mClient changed = *current;
  if (auto ok = ApplyFields(call.body, changed); !ok) return ok.error();
  auto updated = clients.Update(changed);
  if (!updated) return updated.error();
  return Wrap(*updated);
}

core::Result<store::M2mSearchQuery> ParseQuery(const json::object& body) {
  auto page = ReadPageRequest(body);
  if (!page) return page.error();
  auto after = CursorKey(kM2mClientsList, page->cursor);
  if (!after) return after.error();
  store::M2mSearchQuery q;
  q.limit = page->limit;
  q.after = std::move(*after);
  const json::value* query = body.if_contains("query");
  if (query == nullptr || query->is_null()) return q;
  if (!query->is_object()) return Error(ErrorCode::kBadRequest, "query must be an object");
  const json::object& qo = query->as_object();
  auto op = OptionalString(qo, "operator");
  if (!op) return op.error();
  const std::string op_name = op->value_or("AND");
  if (op_name != "AND" && op_name != "OR") {
    return Error(ErrorCode::kBadRequest, "query.operator must be AND or OR");
  }
  q.match_all = op_name == "AND";
  const json::value* operands = qo.if_contains("operands");
  if (operands == nullptr || operands->is_null()) return q;
  if (!operands->is_array())
    return Error(ErrorCode::kBadRequest, "query.operands must be an array");
  for (const json::value& operand : operands->as_array()) {
    if (!operand.is_object()) {
      return Error(ErrorCode::kBadRequest, "query.operands entries must be objects");
    }
    auto name = RequiredString(operand.as_object(), "filter_name");
    if (!name) return name.error();
    store::M2mSearchFilter filter;
    if (*name == "client_id") {
      filter.field = store::M2mSearchFilter::Field::kClientId;
    } else if (*name == "client_name") {
      filter.field = store::M2mSearchFilter::Field::kClientName;
    } else if (*name == "scopes") {
      filter.field = store::M2mSearchFilter::Field::kScopes;
    } else {
      return Error(ErrorCode::kBadRequest, "filter_name must be client_id, client_name or scopes");
    }
    auto values = OptionalStringArray(operand.as_object(), "filter_value");
    if (!values) return values.error();
    if (!*values || (*values)->empty()) {
      return Error(ErrorCode::kBadRequest, "filter_value must be a non-empty array of strings");
    }
    if ((*values)->size() > 100) {
      return Error(ErrorCode::kBadRequest, "filter_value may hold at most 100 values");
    }
    filter.values = std::move(**values);
    q.filters.push_back(std::move(filter));
  }
  if (q.filters.size() > 10) return Error(ErrorCode::kBadRequest, "at most 10 operands");
  return q;
}

// One page of M2M clients in client_id order, the answer of both POST search and GET list.
json::object M2mClientsPage(const store::M2mSearchQuery& query, accounts::M2mClients& clients) {
  store::M2mClientPage page = clients.Search(query);
  json::array found;
  for (const auto& c : page.clients) found.emplace_back(M2mClientJson(c));
  return json::object{{"m2m_clients", std::move(found)},
                      {"results_metadata",
                       ResultsMetadata(page.total, NextCursor(kM2mClientsList, page.next_cursor))}};
}

core::Result<json::object> Search(ApiCall& call, accounts::M2mClients& clients) {
  auto query = ParseQuery(call.body);
  if (!query) return query.error();
  return M2mClientsPage(*query, clients);
}

core::Result<json::object> List(ApiCall& call, accounts::M2mClients& clients) {
  auto request = ReadPageQuery(call.request.query);
  if (!request) return request.error();
  auto after = CursorKey(kM2mClientsList, request->cursor);
  if (!after) return after.error();
  return M2mClientsPage(store::M2mSearchQuery{.after = std::move(*after), .limit = request->limit},
                        clients);
}

}  // namespace

json::object M2mClientJson(const store::M2mClient& c) {
  json::object o;
  o["client_id"] = c.client_id;
  o["client_name"] = c.client_name;
  o["client_description"] = c.client_description;
  o["status"] = c.status;
  o["scopes"] = StringArrayJson(c.scopes);
  boost::system::error_code ec;
  json::value metadata = json::parse(c.trusted_metadata_json, ec);
  o["trusted_metadata"] = ec ? json::value(json::object()) : std::move(metadata);
  o["client_secret_last_four"] = c.secret_last_four;
  o["next_client_secret_last_four"] = NullableJson(c.next_secret_last_four);
  o["created_at"] = Rfc3339(c.created_at);
  o["updated_at"] = Rfc3339(c.updated_at);
  return o;
}

void AddM2mRoutes(http::Router& router, const ManagementApi& api, accounts::M2mClients& clients) {
  accounts::M2mClients* m = &clients;
  const std::string base = "/v1/m2m/clients";
  // ApplyFields' fields, the id (chosen on create, repeated on update) and the secret fields
  // Create and Update refuse (or, client_secret on create, accept) with their reasons.
  const BodyFields fields{"client_name",   "client_description", "status",
                          "scopes",        "trusted_metadata",   "client_id",
                          "client_secret", "next_client_secret", "client_secret_last_four"};
  const BodyFields search = BodyFields{"limit", "cursor"}.WithObject(
      "query", BodyFields{"operator"}.WithObject("operands", {"filter_name", "filter_value"}));
  router.Add("POST", base, api.Route(fields, [m](ApiCall& call) { return Create(call, *m); }));
  router.Add("GET", base, api.Route([m](ApiCall& call) { return List(call, *m); }));
  router.Add("POST", base + "/search",
             api.Route(search, [m](ApiCall& call) { return Search(call, *m); }));
  router.Add("PUT", base + "/{client_id}",
             api.Route(fields, [m](ApiCall& call) { return Update(call, *m); }));
  AddClientRoutes(router, api, base, "m2m_client", *m, M2mClientJson);
}

}  // namespace gatehouse::admin
