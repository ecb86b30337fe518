#include "oauth/introspection_endpoint.h"

#include <algorithm>

#include <boost/json.hpp>

#include "crypto/hash.h"
#include "http/form.h"
#include "http/responses.h"
#include "oauth/client_authentication.h"
#include "oauth/token_issuer.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;

crypto::JwtVerifyOptions AccessTokenOptions(const ProtocolSettings& settings) {
  crypto::JwtVerifyOptions options;
  options.issuer = settings.issuer;
  options.typ = "at+jwt";
  // Gatehouse issued the token by this very clock: an expired token is expired, no skew to allow.
  options.leeway = std::chrono::seconds(0);
  return options;
}

std::string StringClaim(const boost::json::object& claims, std::string_view name) {
  const boost::json::value* value = claims.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

http::Response NoStore(http::Response response) {
  response.Set("Cache-Control", "no-store");
  response.Set("Pragma", "no-cache");
  return response;
}

boost::json::object Inactive() { return boost::json::object{{"active", false}}; }

}  // namespace

AccessTokenInspector::AccessTokenInspector(const ProtocolSettings& settings,
                                           const accounts::SigningKeys& keys, store::Database& db,
                                           const core::Clock& clock)
    : keys_(keys), db_(db), verifier_(clock, AccessTokenOptions(settings)) {}

core::Result<VerifiedAccessToken> AccessTokenInspector::Verify(std::string_view token) const {
  const std::shared_ptr<const crypto::Keyring> keyring = keys_.Snapshot();
  if (keyring == nullptr) {
    return Error(ErrorCode::kTemporarilyUnavailable, "no signing keys loaded");
  }
  core::Result<crypto::DecodedJwt> jwt = verifier_.Verify(token, *keyring);
  if (!jwt) return jwt.error();
  VerifiedAccessToken verified;
  verified.claims = std::move(jwt->claims);
  if (const boost::json::value* grant = verified.claims.if_contains(kGrantClaim)) {
    if (!grant->is_string() || grant->as_string().empty()) {
      return Error(ErrorCode::kInvalidToken, "malformed grant claim");
    }
    verified.grant_id = std::string(grant->as_string());
  }
  verified.client_id = StringClaim(verified.claims, "client_id");
  return verified;
}

core::Result<VerifiedAccessToken> AccessTokenInspector::Active(std::string_view token) const {
  core::Result<VerifiedAccessToken> verified = Verify(token);
  if (!verified) return verified;
  if (!verified->grant_id.empty() && !store::GrantRepository(db_).IsActive(verified->grant_id)) {
    return Error(ErrorCode::kInvalidToken, "the access token has been revoked");
  }
  return verified;
}

bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

core::Result<std::string_view> TokenParameter(const http::FormParams& form) {
  core::Result<std::optional<std::string_view>> token = form.Single("token");
  if (!token) return token.error();
  if (!*token || (*token)->empty()) return Error(ErrorCode::kInvalidRequest, "token is required");
  if (core::Result<std::optional<std::string_view>> hint = form.Single("token_type_hint"); !hint) {
    return hint.error();
  }
  return **token;
}

IntrospectionEndpoint::IntrospectionEndpoint(const ProtocolSettings& settings,
                                             accounts::ClientDirectory& clients,
                                             const AccessTokenInspector& access_tokens,
                                             store::Database& db, const core::Clock& clock,
                                             EndpointLimits limits)
    : settings_(settings),
      clients_(clients),
      access_tokens_(access_tokens),
      limits_(limits),
      db_(db),
      clock_(clock) {}

void IntrospectionEndpoint::AddRoutes(http::Router& router) const {
  router.Add("POST", "/v1/oauth2/introspect",
             [this](http::Request& request) { return Handle(request); });
}

http::Response IntrospectionEndpoint::Handle(const http::Request& request) const {
  if (auto admitted = limits_.CheckAddress(request); !admitted) {
    return NoStore(http::OAuthErrorResponse(admitted.error()));
  }
  const std::optional<std::string_view> content_type = request.Header("content-type");
  if (!content_type || !http::IsFormContentType(*content_type)) {
    return NoStore(http::OAuthErrorResponse(
        Error(ErrorCode::kInvalidRequest, "the body must be application/x-www-form-urlencoded")));
  }
  core::Result<http::FormParams> form = http::ParseForm(request.body);
  if (!form) return NoStore(http::OAuthErrorResponse(form.error()));

  // Authentication first: an unauthenticated caller learns nothing, not even about its request.
  ClientAuthentication auth = AuthenticateClient(request, *form, clients_);
  if (auth.ok() && auth.method == ClientAuthMethod::kNone) {
    auth.error = Error(ErrorCode::kInvalidClient, "introspection requires client authentication");
  }
  if (!auth.ok()) return NoStore(ClientAuthenticationErrorResponse(auth));
  if (auto admitted = limits_.CheckClient(auth.client->client_id); !admitted) {
    return NoStore(http::OAuthErrorResponse(admitted.error()));
  }

  core::Result<std::string_view> token = TokenParameter(*form);
  if (!token) return NoStore(http::OAuthErrorResponse(token.error()));
  if (!LooksLikeJwt(*token)) {
    return NoStore(http::JsonResponse(200, IntrospectRefreshToken(*token, auth.client->client_id)));
  }
  core::Result<boost::json::object> body = IntrospectAccessToken(*token);
  if (!body) return NoStore(http::OAuthErrorResponse(body.error()));
  return NoStore(http::JsonResponse(200, *body));
}

core::Result<boost::json::object> IntrospectionEndpoint::IntrospectAccessToken(
    std::string_view token) const {
  core::Result<VerifiedAccessToken> active = access_tokens_.Active(token);
  if (!active) {
    // No signing keys yet is our fault, not the token's: say so rather than call it inactive.
    if (active.error().code() == ErrorCode::kTemporarilyUnavailable) return active.error();
    return Inactive();
  }
  boost::json::object body;
  body["active"] = true;
  for (const auto& [name, value] : active->claims) {
    if (name == kGrantClaim || name == "active") continue;
    body[name] = value;
  }
  body["token_type"] = "Bearer";
  return body;
}

boost::json::object IntrospectionEndpoint::IntrospectRefreshToken(
    std::string_view token, std::string_view caller_client_id) const {
  const std::optional<store::RefreshTokenRepository::WithGrant> found =
      store::RefreshTokenRepository(db_).GetWithGrant(crypto::Sha256Hex(token));
  const int64_t now = clock_.NowSeconds();
  if (!found || !found->grant) return Inactive();
  const store::RefreshTokenRecord& record = found->token;
  if (record.client_id != caller_client_id || record.revoked_at || record.rotated_at ||
      found->grant->revoked_at || record.expires_at <= now) {
    return Inactive();
  }
  return boost::json::object{{"active", true},
                             {"token_type", "refresh_token"},
                             {"iss", settings_.issuer},
                             {"sub", found->grant->user_id},
                             {"client_id", record.client_id},
                             {"scope", record.scope},
                             {"iat", record.created_at},
                             {"exp", record.expires_at}};
}

}  // namespace gatehouse::oauth
