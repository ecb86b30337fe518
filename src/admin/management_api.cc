#include "admin/management_api.h"

#include "http/form.h"
#include "http/json_body.h"
#include "http/responses.h"
#include "store/project_repository.h"

namespace gatehouse::admin {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

ManagementApi::ManagementApi(store::Database& db, const accounts::SecretHasher& hasher)
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

namespace {

// http::ApiErrorResponse's 400, with a message that keeps its quotes (see BodyFields).
http::Response UnknownFieldResponse(const std::string& message, std::string_view request_id) {
  const Error bad_request(ErrorCode::kBadRequest, "");
  json::object body;
  body["status_code"] = bad_request.http_status();
  body["request_id"] = request_id;
  body["error_type"] = bad_request.name();
  body["error_message"] = message;
  http::Response response = http::JsonResponse(bad_request.http_status(), body);
  response.Set("Cache-Control", "no-store");
  return response;
}

}  // namespace

http::Handler ManagementApi::Route(ApiHandler handler) const {
  return Route(BodyFields{}, std::move(handler));
}

http::Handler ManagementApi::Route(BodyFields fields, ApiHandler handler) const {
  return [this, fields = std::move(fields),
          handler = std::move(handler)](http::Request& request) -> http::Response {
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
    if (auto unknown = fields.UnknownField(call.body)) {
      return UnknownFieldResponse(*unknown, request.request_id);
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

// The size of every management API field: strings at most kDefaultStringBytes and arrays at most
// kDefaultArrayItems unless named here. Names mean the same thing in every API that uses them; the
// services check their own finer rules (emails, passwords, templates) on top.
constexpr size_t kDefaultStringBytes = 1024;
constexpr size_t kDefaultArrayItems = 100;
constexpr size_t kName = 256;
constexpr size_t kText = 2048;
constexpr size_t kUrl = 2048;
constexpr http::JsonFieldLimit kFieldLimits[] = {
    {.name = "client_name", .max_bytes = kName},
    {.name = "client_description", .max_bytes = kText},
    {.name = "description", .max_bytes = kText},
    {.name = "organization_name", .max_bytes = kName},
    {.name = "organization_slug", .max_bytes = 128},
    {.name = "first_name", .max_bytes = kName},
    {.name = "last_name", .max_bytes = kName},
    {.name = "email", .max_bytes = 254},
    {.name = "phone_number", .max_bytes = 64},
    {.name = "external_id", .max_bytes = kName},
    {.name = "client_type", .max_bytes = 64},
    {.name = "application_type", .max_bytes = 64},
    {.name = "status", .max_bytes = 64},
    {.name = "operator", .max_bytes = 64},
    {.name = "filter_name", .max_bytes = 64},
    {.name = "client_id", .max_bytes = kUrl},  // a CIMD client's id is its URL
    {.name = "user_id", .max_bytes = kName},
    {.name = "organization_id", .max_bytes = kName},
    {.name = "session_id", .max_bytes = kName},
    {.name = "session_token", .max_bytes = kName},
    {.name = "role_id", .max_bytes = kName},
    {.name = "resource_id", .max_bytes = kName},
    {.name = "redirect_urls", .max_bytes = kUrl},
    {.name = "post_logout_redirect_urls", .max_bytes = kUrl},
    {.name = "logo_url", .max_bytes = kUrl},
    {.name = "client_uri", .max_bytes = kUrl},
    {.name = "access_token_custom_audience", .max_bytes = kUrl},
    {.name = "resources", .max_bytes = kUrl, .max_items = 1000},
    {.name = "scope", .max_bytes = kText},
    {.name = "filter_value", .max_bytes = kText},
    {.name = "access_token", .max_bytes = 16 * 1024},  // a JWT with custom claims
    // Objects and documents measured whole; their owners check the inside.
    {.name = "access_token_template_content", .max_bytes = 8 * 1024},
    {.name = "id_token_template_content", .max_bytes = 8 * 1024},
    {.name = "trusted_metadata", .max_bytes = 8 * 1024},
    {.name = "untrusted_metadata", .max_bytes = 8 * 1024},
    // The RBAC policy's lists may be long; each entry is still bounded.
    {.name = "roles", .max_bytes = kName, .max_items = 1000},
    {.name = "scopes", .max_bytes = kName, .max_items = 1000},
    {.name = "permissions", .max_items = 1000},
    {.name = "actions", .max_bytes = kName},
    {.name = "members", .max_items = 1000},
    {.name = "allowed_first_party_connected_apps", .max_bytes = kUrl, .max_items = 1000},
    {.name = "allowed_third_party_connected_apps", .max_bytes = kUrl, .max_items = 1000},
};

}  // namespace

core::Result<json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) return json::object{};
  return http::ParseJsonObjectBody(body, http::JsonLimits{.string_bytes = kDefaultStringBytes,
                                                          .array_items = kDefaultArrayItems,
                                                          .fields = kFieldLimits});
}

}  // namespace gatehouse::admin
