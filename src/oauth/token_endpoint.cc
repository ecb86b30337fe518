#include "oauth/token_endpoint.h"

#include <algorithm>

#include <boost/json.hpp>

#include "core/pkce.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "http/responses.h"
#include "oauth/authorization_service.h"
#include "oauth/client_authentication.h"
#include "store/authorization_code_repository.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {

struct TokenEndpoint::Grant {
  std::string grant_id;
  std::string user_id;
  core::ScopeSet scope;
  std::vector<std::string> resources;
  int64_t auth_time = 0;
};

namespace {

using core::Error;
using core::ErrorCode;

http::Response ErrorResponse(ErrorCode code, std::string_view description) {
  return http::OAuthErrorResponse(Error(code, description));
}

http::Response InvalidGrant(std::string_view description) {
  return ErrorResponse(ErrorCode::kInvalidGrant, description);
}

std::vector<std::string> ParseResources(const std::string& json) {
  std::vector<std::string> resources;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_array()) return resources;
  for (const boost::json::value& v : value.as_array()) {
    if (v.is_string()) resources.emplace_back(v.as_string());
  }
  return resources;
}

// A single-valued parameter; an error response when repeated.
std::optional<http::Response> ReadSingle(const http::FormParams& form, std::string_view name,
                                         std::optional<std::string>& out) {
  core::Result<std::optional<std::string_view>> value = form.Single(name);
  if (!value) return http::OAuthErrorResponse(value.error());
  if (*value) out = std::string(**value);
  return std::nullopt;
}

// RFC 8707 §2.2: `resource` at the token endpoint picks the audience among the grant's resources.
// Absent: every resource of the grant. A resource the grant does not hold -> invalid_target.
core::Result<std::vector<std::string>> TokenResources(const http::FormParams& form,
                                                      const std::vector<std::string>& granted) {
  const std::vector<std::string_view> requested = form.GetAll("resource");
  if (requested.empty()) return granted;
  std::vector<std::string> chosen;
  for (std::string_view r : requested) {
    if (std::find(granted.begin(), granted.end(), r) == granted.end()) {
      return core::Error(core::ErrorCode::kInvalidTarget, "resource was not part of the grant");
    }
    if (std::find(chosen.begin(), chosen.end(), r) == chosen.end()) chosen.emplace_back(r);
  }
  return chosen;
}

std::string S256(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(verifier));
}

}  // namespace

TokenEndpoint::TokenEndpoint(const ProtocolSettings& settings, accounts::ClientDirectory& clients,
                             accounts::UserSessions& users, store::Database& db,
                             const TokenIssuer& issuer, const core::Clock& clock,
                             core::Random& random)
    : settings_(settings),
      clients_(clients),
      users_(users),
      db_(db),
      issuer_(issuer),
      clock_(clock),
      random_(random) {}

void TokenEndpoint::AddRoutes(http::Router& router) const {
  router.Add(
      "POST", "/v1/oauth2/token", [this](http::Request& request) { return Handle(request); },
      http::RouteOptions{.cors = true});
}

http::Response TokenEndpoint::Handle(const http::Request& request) const {
  if (auto admitted = limits_.CheckAddress(request); !admitted) {
    return http::OAuthErrorResponse(admitted.error());
  }
  const std::optional<std::string_view> content_type = request.Header("content-type");
  if (!content_type || !http::IsFormContentType(*content_type)) {
    return ErrorResponse(ErrorCode::kInvalidRequest,
                         "the body must be application/x-www-form-urlencoded");
  }
  core::Result<http::FormParams> form = http::ParseForm(request.body);
  if (!form) return http::OAuthErrorResponse(form.error());
  std::optional<std::string> grant_type;
  if (auto error = ReadSingle(*form, "grant_type", grant_type)) return *error;
  if (!grant_type) return ErrorResponse(ErrorCode::kInvalidRequest, "grant_type is required");

  if (*grant_type == "client_credentials") {
    if (client_credentials_) return client_credentials_(request, *form);
    return ErrorResponse(ErrorCode::kUnsupportedGrantType, "client_credentials is for M2M clients");
  }
  if (*grant_type != "authorization_code" && *grant_type != "refresh_token") {
    return ErrorResponse(ErrorCode::kUnsupportedGrantType,
                         "grant_type " + *grant_type + " is not supported");
  }
  const ClientAuthentication auth = AuthenticateClient(request, *form, clients_);
  if (!auth.ok()) return ClientAuthenticationErrorResponse(auth);
  if (auth.method != ClientAuthMethod::kNone) {
    if (auto admitted = limits_.CheckClient(auth.client->client_id); !admitted) {
      return http::OAuthErrorResponse(admitted.error());
    }
  }
  return *grant_type == "authorization_code" ? AuthorizationCode(*auth.client, *form)
                                             : RefreshToken(*auth.client, *form);
}

http::Response TokenEndpoint::AuthorizationCode(const core::Client& client,
                                                const http::FormParams& form) const {
  std::optional<std::string> code, redirect_uri, verifier;
  if (auto error = ReadSingle(form, "code", code)) return *error;
  if (auto error = ReadSingle(form, "redirect_uri", redirect_uri)) return *error;
  if (auto error = ReadSingle(form, "code_verifier", verifier)) return *error;
  if (!code) return ErrorResponse(ErrorCode::kInvalidRequest, "code is required");

  store::AuthorizationCodeRepository codes(db_);
  store::GrantRepository grants(db_);
  const std::string code_hash = crypto::Sha256Hex(*code);
  const std::optional<store::AuthorizationCodeRecord> record = codes.Get(code_hash);
  if (!record) return InvalidGrant("the authorization code is invalid");
  const int64_t now = clock_.NowSeconds();
  if (record->client_id != client.client_id) {
    return InvalidGrant("the authorization code was issued to another client");
  }
  if (record->expires_at <= now) return InvalidGrant("the authorization code has expired");
  if (record->redirect_uri_sent || redirect_uri) {
    if (!redirect_uri) return InvalidGrant("redirect_uri is required for this code");
    if (*redirect_uri != record->redirect_uri) return InvalidGrant("redirect_uri does not match");
  }
  std::optional<std::string_view> stored_challenge;
  if (record->code_challenge) stored_challenge = *record->code_challenge;
  std::optional<std::string_view> verifier_view;
  if (verifier) verifier_view = *verifier;
  if (core::Result<void> pkce =
          core::CheckPkceAtTokenEndpoint(stored_challenge, verifier_view, S256);
      !pkce) {
    return http::OAuthErrorResponse(pkce.error());
  }
  if (record->used_at) {
    grants.Revoke(record->grant_id, now);
    return InvalidGrant("the authorization code was already used");
  }
  const std::optional<store::GrantRecord> stored = grants.Get(record->grant_id);
  if (!stored || stored->revoked_at) return InvalidGrant("the grant has been revoked");
  core::Result<core::ScopeSet> scope = core::ScopeSet::Parse(stored->scope);
  if (!scope) return ErrorResponse(ErrorCode::kServerError, "stored scope is invalid");
  const Grant grant{.grant_id = stored->grant_id,
                    .user_id = stored->user_id,
                    .scope = *scope,
                    .resources = ParseResources(stored->resources_json),
                    .auth_time = stored->auth_time};
  core::Result<std::vector<std::string>> resources = TokenResources(form, grant.resources);
  if (!resources) return http::OAuthErrorResponse(resources.error());
  // Everything else checks out: consuming the code is atomic, and losing means it was replayed
  // concurrently; revoking the grant then also kills what the winner is issuing.
  if (!codes.MarkUsed(code_hash, now)) {
    grants.Revoke(record->grant_id, now);
    return InvalidGrant("the authorization code was already used");
  }
  const std::optional<core::User> user = users_.FindUser(stored->user_id);
  if (!user || user->status != "active") return InvalidGrant("the user is no longer active");

  std::optional<std::string> refresh_token;
  if (grant.scope.Contains(core::kScopeOfflineAccess)) {
    refresh_token = crypto::RandomToken(random_);
    store::RefreshTokenRepository(db_).Insert(store::RefreshTokenRecord{
        .token_hash = crypto::Sha256Hex(*refresh_token),
        .grant_id = grant.grant_id,
        .client_id = client.client_id,
        .scope = grant.scope.ToString(),
        .created_at = now,
        .expires_at = now + settings_.refresh_token_ttl_seconds,
        .rotated_at = std::nullopt,
        .replaced_by_hash = std::nullopt,
        .grace_used = false,
        .revoked_at = std::nullopt,
    });
  }
  return Tokens(client, *user, grant, grant.scope, *resources, record->nonce, refresh_token);
}

http::Response TokenEndpoint::RefreshToken(const core::Client& client,
                                           const http::FormParams& form) const {
  std::optional<std::string> presented, scope_param;
  if (auto error = ReadSingle(form, "refresh_token", presented)) return *error;
  if (auto error = ReadSingle(form, "scope", scope_param)) return *error;
  if (!presented) return ErrorResponse(ErrorCode::kInvalidRequest, "refresh_token is required");

  store::RefreshTokenRepository tokens(db_);
  store::GrantRepository grants(db_);
  const std::string hash = crypto::Sha256Hex(*presented);
  // The token and its grant in one statement: one database round trip instead of two.
  std::optional<store::RefreshTokenRepository::WithGrant> found = tokens.GetWithGrant(hash);
  if (!found) return InvalidGrant("the refresh token is invalid");
  const store::RefreshTokenRecord& record = found->token;
  const int64_t now = clock_.NowSeconds();
  if (record.client_id != client.client_id) {
    return InvalidGrant("the refresh token was issued to another client");
  }
  if (record.revoked_at) return InvalidGrant("the refresh token has been revoked");
  if (record.expires_at <= now) return InvalidGrant("the refresh token has expired");
  const std::optional<store::GrantRecord>& stored = found->grant;
  if (!stored || stored->revoked_at) return InvalidGrant("the grant has been revoked");

  core::Result<core::ScopeSet> token_scope = core::ScopeSet::Parse(record.scope);
  if (!token_scope) return ErrorResponse(ErrorCode::kServerError, "stored scope is invalid");
  core::ScopeSet scope = *token_scope;
  if (scope_param) {
    core::Result<core::ScopeSet> requested = core::ScopeSet::Parse(*scope_param);
    if (!requested) return http::OAuthErrorResponse(requested.error());
    if (!requested->IsSubsetOf(*token_scope)) {
      return ErrorResponse(ErrorCode::kInvalidScope, "the requested scope exceeds the grant");
    }
    if (!requested->empty()) scope = *requested;
  }
  const std::vector<std::string> granted_resources = ParseResources(stored->resources_json);
  core::Result<std::vector<std::string>> resources = TokenResources(form, granted_resources);
  if (!resources) return http::OAuthErrorResponse(resources.error());
  const std::optional<core::User> user = users_.FindUser(stored->user_id);
  if (!user || user->status != "active") return InvalidGrant("the user is no longer active");
  if (scope_policy_ != nullptr) {
    // Policy or role changes since the grant apply now: only what the user may grant today.
    std::string grantable;
    for (const std::string& s : scope) {
      if (scope_policy_->IsGrantable(*user, s)) grantable += s + " ";
    }
    scope = *core::ScopeSet::Parse(grantable);
  }

  std::string next_token = *presented;
  if (core::IsPublic(client.client_type)) {
    next_token = crypto::RandomToken(random_);
    const store::RefreshTokenRecord replacement{
        .token_hash = crypto::Sha256Hex(next_token),
        .grant_id = record.grant_id,
        .client_id = client.client_id,
        .scope = record.scope,
        .created_at = now,
        .expires_at = now + settings_.refresh_token_ttl_seconds,
        .rotated_at = std::nullopt,
        .replaced_by_hash = std::nullopt,
        .grace_used = false,
        .revoked_at = std::nullopt,
    };
    // A token that is no longer current (already rotated, or rotated concurrently a moment ago)
    // is a replay unless it is the grace-window retry of the immediately previous token.
    const bool current = !record.rotated_at && tokens.Rotate(hash, replacement, now);
    if (!current &&
        !tokens.RetryWithinGrace(hash, replacement, now, settings_.refresh_grace_seconds)) {
      grants.Revoke(record.grant_id, now);
      return InvalidGrant("the refresh token was already used");
    }
  } else if (!tokens.Extend(hash, now + settings_.refresh_token_ttl_seconds)) {
    return InvalidGrant("the refresh token is no longer valid");
  }

  const Grant grant{.grant_id = stored->grant_id,
                    .user_id = stored->user_id,
                    .scope = *token_scope,
                    .resources = granted_resources,
                    .auth_time = stored->auth_time};
  return Tokens(client, *user, grant, scope, *resources, std::nullopt, next_token);
}

http::Response TokenEndpoint::Tokens(const core::Client& client, const core::User& user,
                                     const Grant& grant, const core::ScopeSet& scope,
                                     const std::vector<std::string>& resources,
                                     const std::optional<std::string>& nonce,
                                     const std::optional<std::string>& refresh_token) const {
  core::Result<IssuedTokens> issued = issuer_.Issue(TokenContext{
      .client = client,
      .user = user,
      .grant_id = grant.grant_id,
      .scope = scope,
      .resources = resources,
      .auth_time = grant.auth_time,
      .nonce = nonce,
  });
  if (!issued) return http::OAuthErrorResponse(issued.error());
  boost::json::object body;
  body["access_token"] = issued->access_token.token;
  body["token_type"] = "Bearer";
  body["expires_in"] = issued->access_token.expires_in;
  body["scope"] = scope.ToString();
  if (refresh_token) body["refresh_token"] = *refresh_token;
  if (issued->id_token) body["id_token"] = *issued->id_token;
  http::Response response = http::JsonResponse(200, body);
  response.Set("Cache-Control", "no-store");
  response.Set("Pragma", "no-cache");
  return response;
}

}  // namespace gatehouse::oauth
