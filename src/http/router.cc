#include "http/router.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/error.h"
#include "http/form.h"
#include "http/responses.h"

namespace gatehouse::http {
namespace {

constexpr size_t kMaxSegments = 32;
constexpr std::string_view kCorsAllowHeaders = "Authorization, Content-Type, mcp-protocol-version";
constexpr std::string_view kCorsMaxAgeSeconds = "7200";  // the most Chromium honours

struct Segment {
  std::string text;  // the literal, or the capture's name
  bool capture = false;
};

// Splits "/a/b" into {"a", "b"}; false when `path` is not origin-form or has too many segments.
bool SplitPath(std::string_view path, std::array<std::string_view, kMaxSegments>& out,
               size_t& count) {
  if (path.empty() || path.front() != '/') return false;
  count = 0;
  path.remove_prefix(1);
  while (true) {
    if (count == kMaxSegments) return false;
    const size_t slash = path.find('/');
    out[count++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

void AppendMethod(std::string& list, std::string_view method) {
  // Lists are short; a substring check on ", "-separated tokens is enough to deduplicate.
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(", ", start);
    if (end == std::string::npos) end = list.size();
    if (std::string_view(list).substr(start, end - start) == method) return;
    start = end + 2;
  }
  if (!list.empty()) list += ", ";
  list += method;
}

}  // namespace

struct Router::PathEntry {
  struct Route {
    std::string method;
    Handler handler;
    bool cors;
  };

  std::string pattern;
  std::string shape;  // the pattern with capture names erased, to detect conflicts
  std::vector<Segment> segments;
  std::vector<Route> routes;

  bool Matches(const std::array<std::string_view, kMaxSegments>& parts, size_t count) const {
    if (count != segments.size()) return false;
    for (size_t i = 0; i < count; ++i) {
      if (segments[i].capture ? parts[i].empty() : parts[i] != segments[i].text) return false;
    }
    return true;
  }

  const Route* Find(std::string_view method) const {
    for (const auto& route : routes) {
      if (route.method == method) return &route;
    }
    return nullptr;
  }

  bool AnyCors() const {
    return std::any_of(routes.begin(), routes.end(), [](const Route& r) { return r.cors; });
  }
};

Router::Router() = default;
Router::~Router() = default;

void Router::Add(std::string_view method, std::string_view pattern, Handler handler,
                 RouteOptions options) {
  if (method.empty() || !handler) throw std::invalid_argument("route needs a method and handler");
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<Segment> segments;
  std::string shape;
  std::string_view rest = pattern.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    Segment segment;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      segment.capture = true;
      segment.text = std::string(part.substr(1, part.size() - 2));
      shape += "/{}";
    } else {
      segment.text = std::string(part);
      shape += "/" + segment.text;
    }
    if (segment.text.find_first_of("{}") != std::string::npos ||
        (segment.capture && segment.text.empty())) {
      throw std::invalid_argument("malformed route pattern: " + std::string(pattern));
    }
    segments.push_back(std::move(segment));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (segments.size() > kMaxSegments) {
    throw std::invalid_argument("route pattern too deep: " + std::string(pattern));
  }

  PathEntry* entry = nullptr;
  for (auto& existing : entries_) {
    if (existing->shape != shape) continue;
    if (existing->pattern != pattern) {
      throw std::invalid_argument("route " + std::string(pattern) + " conflicts with " +
                                  existing->pattern);
    }
    entry = existing.get();
  }
  if (entry == nullptr) {
    auto created = std::make_unique<PathEntry>();
    created->pattern = std::string(pattern);
    created->shape = std::move(shape);
    created->segments = std::move(segments);
    entry = created.get();
    entries_.push_back(std::move(created));
    // Most specific first: by depth, then the first capture loses to a literal.
    std::stable_sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      if (a->segments.size() != b->segments.size()) {
        return a->segments.size() < b->segments.size();
      }
      for (size_t i = 0; i < a->segments.size(); ++i) {
        if (a->segments[i].capture != b->segments[i].capture) return !a->segments[i].capture;
      }
      return false;
    });
  }
  if (entry->Find(method) != nullptr) {
    throw std::invalid_argument("duplicate route " + std::string(method) + " " +
                                std::string(pattern));
  }
  entry->routes.push_back({std::string(method), std::move(handler), options.cors});
}

Response Router::Dispatch(Request& request) const {
  std::array<std::string_view, kMaxSegments> parts;
  size_t count = 0;
  const PathEntry* first_match = nullptr;  // for 405 / OPTIONS answers and the route name
  const PathEntry* chosen = nullptr;
  const PathEntry::Route* route = nullptr;
  const std::string_view method = request.method;
  if (SplitPath(request.path, parts, count)) {
    for (const auto& entry : entries_) {
      if (!entry->Matches(parts, count)) continue;
      if (first_match == nullptr) first_match = entry.get();
      route = entry->Find(method);
      if (route == nullptr && method == "HEAD") route = entry->Find("GET");
      if (route != nullptr) {
        chosen = entry.get();
        break;
      }
    }
  }

  if (chosen != nullptr) {
    request.route_name = chosen->pattern;
    request.path_params.clear();
    for (size_t i = 0; i < count; ++i) {
      if (!chosen->segments[i].capture) continue;
      auto decoded = PercentDecode(parts[i]);
      if (!decoded) {
        route = nullptr;
        break;
      }
      request.path_params.emplace_back(chosen->segments[i].text, std::move(*decoded));
    }
    if (route != nullptr) {
      Response response = route->handler(request);
      if (route->cors) response.Set("Access-Control-Allow-Origin", "*");
      return response;
    }
  }

  if (first_match == nullptr || chosen != nullptr) {
    request.route_name = kUnmatchedRoute;
    return ErrorResponseFor(request.path,
                            core::Error(core::ErrorCode::kNotFound, "no such endpoint"),
                            request.request_id);
  }

  // A known path without a handler for this method: every matching pattern contributes.
  request.route_name = first_match->pattern;
  std::string allow;
  std::string cors_methods;
  bool cors = false;
  for (const auto& entry : entries_) {
    if (!entry->Matches(parts, count)) continue;
    for (const auto& r : entry->routes) {
      AppendMethod(allow, r.method);
      if (r.method == "GET") AppendMethod(allow, "HEAD");
      if (r.cors) {
        cors = true;
        AppendMethod(cors_methods, r.method);
      }
    }
  }
  AppendMethod(allow, "OPTIONS");
  if (method == "OPTIONS") {
    Response response;
    response.status = 204;
    response.Set("Allow", allow);
    if (cors) {
      AppendMethod(cors_methods, "OPTIONS");
      response.Set("Access-Control-Allow-Origin", "*");
      response.Set("Access-Control-Allow-Methods", cors_methods);
      response.Set("Access-Control-Allow-Headers", kCorsAllowHeaders);
      response.Set("Access-Control-Max-Age", kCorsMaxAgeSeconds);
    }
    return response;
  }
  Response response = ErrorResponseFor(
      request.path, core::Error(core::ErrorCode::kMethodNotAllowed, "method not allowed"),
      request.request_id);
  response.Set("Allow", allow);
  if (cors) response.Set("Access-Control-Allow-Origin", "*");
  return response;
}

}  // namespace gatehouse::http
