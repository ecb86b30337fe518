#include "admin/management_api.h"

#include <cmath>

#include "http/form.h"
#include "http/responses.h"
#include "store/project_repository.h"

namespace gatehouse::admin {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

ManagementApi::ManagementApi(store::Database& db, const oauth::SecretHasher& hasher)
    : db_(db), hasher_(hasher) {
  Reload();
}

void ManagementApi::Reload() {
  auto record = store::ProjectRepository(db_).Get();
  if (!record) {
    project_.store(nullptr);
    return;
  }
  project_.store(std::make_shared<const Project>(Project{record->project_id, record->secret_hash}));
}

core::Result<void> ManagementApi::Authenticate(const http::Request& request) const {
  const Error unauthorized(ErrorCode::kUnauthorized,
                           "authenticate with HTTP Basic project_id:project_secret");
  const auto header = request.Header("authorization");
  if (!header) return unauthorized;
  const auto credentials = http::ParseBasicAuth(*header);
  if (!credentials) return unauthorized;
  const auto project = project_.load();
  if (!project) return unauthorized;
  // Both checks always run: the response time does not tell which part was wrong.
  const bool id_ok = credentials->first == project->project_id;
  const bool secret_ok = hasher_.Verify(credentials->second, project->secret_hash);
  if (!id_ok || !secret_ok) return unauthorized;
  return {};
}

http::Handler ManagementApi::Route(ApiHandler handler) const {
  return [this, handler = std::move(handler)](http::Request& request) -> http::Response {
    if (auto auth = Authenticate(request); !auth) {
      http::Response r = http::ApiErrorResponse(auth.error(), request.request_id);
      r.Set("WWW-Authenticate", "Basic realm=\"gatehouse\"");
      return r;
    }
    ApiCall call{request, {}, 200};
    if (!request.body.empty()) {
      auto body = ParseJsonObject(request.body);
      if (!body) return http::ApiErrorResponse(body.error(), request.request_id);
      call.body = std::move(*body);
    }
    auto result = handler(call);
    if (!result) return http::ApiErrorResponse(result.error(), request.request_id);
    json::object out;
    out["request_id"] = request.request_id;
    out["status_code"] = call.status;
    for (auto& [key, value] : *result) out[key] = std::move(value);
    return http::JsonResponse(call.status, out);
  };
}

namespace {

// Boost.JSON 1.81 reads a number beyond double's range (1e400) as infinity and would later write
// it back as `Infinity`, which is not JSON; such a body is refused instead. Recursion is bounded
// by the parser's depth limit.
bool AllNumbersFinite(const json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const json::value& item : v.get_array()) {
      if (!AllNumbersFinite(item)) return false;
    }
  }
  if (v.is_object()) {
    for (const auto& member : v.get_object()) {
      if (!AllNumbersFinite(member.value())) return false;
    }
  }
  return true;
}

// PostgreSQL TEXT cannot hold U+0000 and libpq would cut the value at it, so a name stored with
// one would read back altered on one engine only. Such a body is refused on every engine.
bool NoNulCharacters(const json::value& v) {
  if (v.is_string()) return std::string_view(v.get_string()).find('\0') == std::string_view::npos;
  if (v.is_array()) {
    for (const json::value& item : v.get_array()) {
      if (!NoNulCharacters(item)) return false;
    }
  }
  if (v.is_object()) {
    for (const auto& member : v.get_object()) {
      if (member.key().find('\0') != std::string_view::npos) return false;
      if (!NoNulCharacters(member.value())) return false;
    }
  }
  return true;
}

}  // namespace

core::Result<json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) return json::object{};
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Error(ErrorCode::kBadRequest, "request body is not valid JSON");
  if (!v.is_object()) return Error(ErrorCode::kBadRequest, "request body must be a JSON object");
  if (!AllNumbersFinite(v)) {
    return Error(ErrorCode::kBadRequest, "request body has a number out of range");
  }
  if (!NoNulCharacters(v)) {
    return Error(ErrorCode::kBadRequest, "request body has a NUL character in a string");
  }
  return std::move(v.as_object());
}

namespace {

Error WrongType(std::string_view name, std::string_view type) {
  return Error(ErrorCode::kBadRequest, std::string(name) + " must be " + std::string(type));
}

}  // namespace

core::Result<std::string> RequiredString(const json::object& body, std::string_view name) {
  auto v = OptionalString(body, name);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) {
    return Error(ErrorCode::kBadRequest, std::string(name) + " is required");
  }
  return std::move(**v);
}

core::Result<std::optional<std::string>> OptionalString(const json::object& body,
                                                        std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(name, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

core::Result<std::optional<bool>> OptionalBool(const json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return WrongType(name, "true or false");
  return std::optional<bool>(v->as_bool());
}

core::Result<std::optional<int64_t>> OptionalInt(const json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  return WrongType(name, "a whole number");
}

core::Result<std::optional<std::vector<std::string>>> OptionalStringArray(const json::object& body,
                                                                          std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return WrongType(name, "an array of strings");
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return WrongType(name, "an array of strings");
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

}  // namespace gatehouse::admin
