#pragma once
// Request and Response: the plain structs every handler works with. Handlers are functions of a
// Request returning a Response; they never see a socket or a Beast type, so they are testable by
// constructing a Request by hand. The server (server.h) converts to and from the wire.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::http {

// Header names are stored lower-cased; lookups are case-insensitive by that convention.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ... as received (upper-case by HTTP convention)
  std::string target;  // raw request-target: path plus optional "?query"
  std::string path;    // target up to '?', not percent-decoded
  std::string query;   // after '?', without it; empty when absent
  HeaderList headers;  // lower-cased names, in arrival order
  std::string body;
  // The client's IP as text: the server sets the TCP peer; the pipeline replaces it with the
  // forwarded client when the peer is a trusted proxy (client_address.h).
  std::string remote_address;
  std::string request_id;  // assigned by the middleware chain
  // The matched route's pattern ("/v1/clients/{client_id}"), set by the router; empty until then.
  // Points into the Router, which outlives every request it dispatches.
  std::string_view route_name;
  // Path parameters captured by the router: "/v1/clients/{client_id}" -> {"client_id", "..."}.
  std::vector<std::pair<std::string, std::string>> path_params;

  // First header with this (lower-case) name, if any.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // Number of headers with this (lower-case) name (for repeated-header checks).
  size_t HeaderCount(std::string_view lower_name) const;
  // Path parameter by name; empty when absent.
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  HeaderList headers;  // names as they should be sent
  std::string body;

  Response& Set(std::string_view name, std::string_view value);
  std::optional<std::string_view> Header(std::string_view name) const;  // case-insensitive

  static Response Json(int status, std::string body);
  static Response Html(int status, std::string body);
  static Response Text(int status, std::string body);
  // 302/303 with Location.
  static Response Redirect(int status, std::string_view location);
};

// A handler, a router and the whole middleware chain share this shape. Called concurrently from
// worker threads, so implementations must be thread-safe.
using Handler = std::function<Response(Request&)>;

}  // namespace gatehouse::http
