#include "oauth/introspection_endpoint.h"

#include <algorithm>
#include <variant>

#include <boost/json.hpp>

#include "crypto/hash.h"
#include "http/responses.h"
#include "oauth/client_authentication.h"
#include "oauth/token_issuer.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;
using http::NoStore;

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

boost::json::object Inactive() { return boost::json::object{{"active", false}}; }

// Whether `caller` may learn about an access token issued to `token_client_id`. Resource servers
// are confidential clients the project created through the management API, and must check tokens
// issued to others; a client that registered itself (Dynamic Client Registration, a metadata
// document) was vetted by nobody, so it sees only its own tokens.
bool MayIntrospectAccessToken(const core::Client& caller, std::string_view token_client_id) {
  return caller.creation_method == core::CreationMethod::kApi ||
         (!token_client_id.empty() && token_client_id == caller.client_id);
}

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
  // Authentication first: an unauthenticated caller learns nothing, not even about its request.
  std::variant<ClientForm, http::Response> read = ReadClientForm(request, clients_);
  if (auto* refusal = std::get_if<http::Response>(&read)) return NoStore(std::move(*refusal));
  auto& [form, auth] = std::get<ClientForm>(read);
  if (auth.method == ClientAuthMethod::kNone) {
    auth.error = Error(ErrorCode::kInvalidClient, "introspection requires client authentication");
    return NoStore(ClientAuthenticationErrorResponse(auth));
  }
  if (auto admitted = limits_.CheckClient(auth.client->client_id); !admitted) {
    return NoStore(http::OAuthErrorResponse(admitted.error()));
  }

  core::Result<std::string_view> token = TokenParameter(form);
  if (!token) return NoStore(http::OAuthErrorResponse(token.error()));
  if (!LooksLikeJwt(*token)) {
    return NoStore(http::JsonResponse(200, IntrospectRefreshToken(*token, auth.client->client_id)));
  }
  core::Result<boost::json::object> body = IntrospectAccessToken(*token, *auth.client);
  if (!body) return NoStore(http::OAuthErrorResponse(body.error()));
  return NoStore(http::JsonResponse(200, *body));
}

core::Result<boost::json::object> IntrospectionEndpoint::IntrospectAccessToken(
    std::string_view token, const core::Client& caller) const {
  core::Result<VerifiedAccessToken> active = access_tokens_.Active(token);
  if (!active) {
    // No signing keys yet is our fault, not the token's: say so rather than call it inactive.
    if (active.error().code() == ErrorCode::kTemporarilyUnavailable) return active.error();
    return Inactive();
  }
  // RFC 7662 §2.2: a token the caller is not allowed to introspect is answered inactive.
  if (!MayIntrospectAccessToken(caller, active->client_id)) return Inactive();
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
