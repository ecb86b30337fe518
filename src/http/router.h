#pragma once
// Router: maps (method, path) to a handler. Patterns are literal segments and whole-segment
// captures, "/v1/connected_apps/clients/{client_id}"; matching is exact (no regex, no trailing-
// slash folding, no path normalisation). When several patterns match a path, the one whose first
// differing segment is literal wins, so "/clients/search" beats "/clients/{id}".
//
// Dispatch answers what no handler can: an unknown path is 404, a known path with another method
// is 405 with `Allow`, HEAD falls back to the GET handler (the server drops the body), and OPTIONS
// is answered (204) unless a handler was registered for it: with the CORS preflight headers when
// any route on the path has cors=true, with only `Allow` otherwise. Responses of cors routes carry
// `Access-Control-Allow-Origin: *`; responses of other routes never carry CORS headers.
//
// Dispatch sets Request::route_name to the matched pattern (or kUnmatchedRoute), the label metrics
// and logs use, so label cardinality is bounded by the number of routes. Captures are
// percent-decoded into Request::path_params; a capture that is empty or badly encoded does not
// match.
//
// Add() is for start-up only (throws std::invalid_argument on a malformed or conflicting
// pattern) and is not thread-safe; Dispatch() is const and thread-safe once routes are added.
// Handlers are called on the calling thread; their exceptions propagate to the caller (the
// pipeline's catch-all).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace gatehouse::http {

struct RouteOptions {
  bool cors = false;  // browser / MCP clients call this route cross-origin
};

class Router {
 public:
  // route_name of requests that matched no pattern.
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void Add(std::string_view method, std::string_view pattern, Handler handler,
           RouteOptions options = {});

  Response Dispatch(Request& request) const;

 private:
  struct PathEntry;
  std::vector<std::unique_ptr<PathEntry>> entries_;  // most specific first
};

}  // namespace gatehouse::http
