#include "oauth/userinfo_endpoint.h"

#include <boost/json.hpp>

#include "core/scope.h"
#include "http/form.h"
#include "http/responses.h"
#include "oauth/token_issuer.h"
#include "store/grant_repository.h"

namespace gatehouse::oauth {
namespace {

http::Response BearerError(core::ErrorCode code, std::string_view description) {
  const core::Error error(code, description);
  http::Response response = http::OAuthErrorResponse(error);
  // Descriptions are sanitized by core::Error (no '"' or '\\'), so quoting them is safe.
  response.Set("WWW-Authenticate", "Bearer error=\"" + std::string(error.name()) +
                                       "\", error_description=\"" + error.description() + "\"");
  return response;
}

http::Response MissingToken() {
  http::Response response =
      http::OAuthErrorResponse(core::Error(core::ErrorCode::kInvalidToken, "no access token"));
  response.Set("WWW-Authenticate", "Bearer");
  return response;
}

crypto::JwtVerifyOptions AccessTokenOptions(const ProtocolSettings& settings) {
  crypto::JwtVerifyOptions options;
  options.issuer = settings.issuer;
  options.typ = "at+jwt";
  return options;
}

}  // namespace

UserinfoEndpoint::UserinfoEndpoint(const ProtocolSettings& settings,
                                   const accounts::SigningKeys& keys, accounts::UserSessions& users,
                                   store::Database& db, const core::Clock& clock)
    : keys_(keys), users_(users), db_(db), verifier_(clock, AccessTokenOptions(settings)) {}

void UserinfoEndpoint::AddRoutes(http::Router& router) const {
  auto handler = [this](http::Request& request) { return Handle(request); };
  router.Add("GET", "/v1/oauth2/userinfo", handler, http::RouteOptions{.cors = true});
  router.Add("POST", "/v1/oauth2/userinfo", handler, http::RouteOptions{.cors = true});
}

http::Response UserinfoEndpoint::Handle(const http::Request& request) const {
  std::optional<std::string> token;
  if (const std::optional<std::string_view> header = request.Header("authorization")) {
    const std::optional<std::string_view> bearer = http::BearerToken(*header);
    if (!bearer) {
      return BearerError(core::ErrorCode::kInvalidToken, "malformed Authorization header");
    }
    token = std::string(*bearer);
  }
  if (request.method == "POST") {
    const std::optional<std::string_view> content_type = request.Header("content-type");
    if (content_type && http::IsFormContentType(*content_type)) {
      core::Result<http::FormParams> form = http::ParseForm(request.body);
      if (!form) return BearerError(core::ErrorCode::kInvalidRequest, "malformed form body");
      core::Result<std::optional<std::string_view>> body_token = form->Single("access_token");
      if (!body_token)
        return BearerError(core::ErrorCode::kInvalidRequest, "access_token repeated");
      if (*body_token) {
        if (token) {
          return BearerError(core::ErrorCode::kInvalidRequest,
                             "the access token was sent more than once");
        }
        token = std::string(**body_token);
      }
    }
  }
  if (!token) return MissingToken();

  const std::shared_ptr<const crypto::Keyring> keyring = keys_.Snapshot();
  if (keyring == nullptr) {
    return http::OAuthErrorResponse(
        core::Error(core::ErrorCode::kTemporarilyUnavailable, "no signing keys loaded"));
  }
  core::Result<crypto::DecodedJwt> jwt = verifier_.Verify(*token, *keyring);
  if (!jwt) return BearerError(core::ErrorCode::kInvalidToken, jwt.error().description());
  const boost::json::object& claims = jwt->claims;
  const boost::json::value* sub = claims.if_contains("sub");
  const boost::json::value* grant = claims.if_contains(kGrantClaim);
  const boost::json::value* scope_claim = claims.if_contains("scope");
  if (sub == nullptr || !sub->is_string() || grant == nullptr || !grant->is_string()) {
    return BearerError(core::ErrorCode::kInvalidToken, "not a user access token");
  }
  core::Result<core::ScopeSet> scope =
      core::ScopeSet::Parse(scope_claim != nullptr && scope_claim->is_string()
                                ? std::string_view(scope_claim->as_string())
                                : std::string_view());
  if (!scope) return BearerError(core::ErrorCode::kInvalidToken, "malformed scope claim");
  if (!store::GrantRepository(db_).IsActive(std::string_view(grant->as_string()))) {
    return BearerError(core::ErrorCode::kInvalidToken, "the access token has been revoked");
  }
  if (!scope->Contains(core::kScopeOpenId)) {
    return BearerError(core::ErrorCode::kInsufficientScope, "the openid scope is required");
  }
  const std::optional<core::User> user = users_.FindUser(std::string_view(sub->as_string()));
  if (!user || user->status != "active") {
    return BearerError(core::ErrorCode::kInvalidToken, "the user is no longer active");
  }
  boost::json::object body = UserClaims(*user, *scope);
  body["sub"] = user->user_id;
  http::Response response = http::JsonResponse(200, body);
  response.Set("Cache-Control", "no-store");
  return response;
}

}  // namespace gatehouse::oauth
