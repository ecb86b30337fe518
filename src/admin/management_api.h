#pragma once
// The management API's shared plumbing: every /v1/... management route authenticates the project
// (HTTP Basic project_id:project_secret, constant-time), reads a JSON object body, and answers
// {"request_id":…, "status_code":…, …fields} — errors in the shape
// {status_code, request_id, error_type, error_message} (http/responses.h renders them).
// Each route declares the body fields it knows; a body naming any other is refused with 400
// bad_request before the handler runs, so a misspelt field never goes silently unused.
//
//   router.Add("POST", "/v1/things", api.Route({"name", "tags"},
//                                              [&](ApiCall& call) -> core::Result<json::object> {
//     auto name = RequiredString(call.body, "name");
//     if (!name) return name.error();
//     ...
//     return json::object{{"thing", ...}};       // 200 unless call.status is changed
//   }));
// The field readers and writers every API shares are in json_fields.h.
//
// Thread-safe: ManagementApi holds the project's credential hash (read once, refreshed when
// `gatehouse project reset-secret` bumps the "project" cache version).

#include <atomic>
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/secret_hasher.h"
#include "admin/json_fields.h"
#include "core/result.h"
#include "http/message.h"
#include "store/database.h"

namespace gatehouse::admin {

struct ApiCall {
  http::Request& request;
  boost::json::object body;  // empty for GET/DELETE or an empty body
  int status = 200;          // the handler may set 201 etc.
};

using ApiHandler = std::function<core::Result<boost::json::object>(ApiCall&)>;

class ManagementApi {
 public:
  ManagementApi(store::Database& db, const accounts::SecretHasher& hasher);

  // Wraps `handler`: authenticate, parse the JSON body (POST/PUT/PATCH), refuse the fields
  // `fields` does not know, call, render.
  http::Handler Route(BodyFields fields, ApiHandler handler) const;
  // A route whose body names no field (GET, DELETE, actions named by the path alone).
  http::Handler Route(ApiHandler handler) const;
  // Re-reads the project credentials (after a secret reset).
  void Reload();

  // Exposed for tests: the result of authenticating this request.
  core::Result<void> Authenticate(const http::Request& request) const;

 private:
  struct Project {
    std::string project_id;
    std::string secret_hash;
  };
  store::Database& db_;
  const accounts::SecretHasher& hasher_;
  std::atomic<std::shared_ptr<const Project>> project_;
};

// Parses a JSON object body (empty body -> empty object). Errors: kBadRequest.
core::Result<boost::json::object> ParseJsonObject(std::string_view body);

}  // namespace gatehouse::admin
