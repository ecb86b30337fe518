#include "oauth/authorization_code_grant.h"

#include "core/pkce.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "store/authorization_code_repository.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;

Error InvalidGrant(std::string_view description) {
  return Error(ErrorCode::kInvalidGrant, description);
}

std::string S256(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(verifier));
}

}  // namespace

AuthorizationCodeGrant::AuthorizationCodeGrant(const ProtocolSettings& settings,
                                               accounts::ClientDirectory& clients,
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

core::Result<TokenResponse> AuthorizationCodeGrant::Exchange(const TokenRequest& request) const {
  core::Result<std::shared_ptr<const core::Client>> authenticated =
      AuthenticateConnectedApp(request, clients_);
  if (!authenticated) return authenticated.error();
  const core::Client& client = **authenticated;

  core::Result<std::optional<std::string_view>> code = request.form.Single("code");
  if (!code) return code.error();
  core::Result<std::optional<std::string_view>> redirect_uri = request.form.Single("redirect_uri");
  if (!redirect_uri) return redirect_uri.error();
  core::Result<std::optional<std::string_view>> verifier = request.form.Single("code_verifier");
  if (!verifier) return verifier.error();
  if (!*code) return Error(ErrorCode::kInvalidRequest, "code is required");

  store::AuthorizationCodeRepository codes(db_);
  store::GrantRepository grants(db_);
  const std::string code_hash = crypto::Sha256Hex(**code);
  const std::optional<store::AuthorizationCodeRecord> record = codes.Get(code_hash);
  if (!record) return InvalidGrant("the authorization code is invalid");
  const int64_t now = clock_.NowSeconds();
  if (record->client_id != client.client_id) {
    return InvalidGrant("the authorization code was issued to another client");
  }
  if (record->expires_at <= now) return InvalidGrant("the authorization code has expired");
  if (record->redirect_uri_sent || *redirect_uri) {
    if (!*redirect_uri) return InvalidGrant("redirect_uri is required for this code");
    if (**redirect_uri != record->redirect_uri) return InvalidGrant("redirect_uri does not match");
  }
  std::optional<std::string_view> stored_challenge;
  if (record->code_challenge) stored_challenge = *record->code_challenge;
  if (core::Result<void> pkce = core::CheckPkceAtTokenEndpoint(stored_challenge, *verifier, S256);
      !pkce) {
    return pkce.error();
  }
  if (record->used_at) {
    grants.Revoke(record->grant_id, now);
    return InvalidGrant("the authorization code was already used");
  }
  const std::optional<store::GrantRecord> stored = grants.Get(record->grant_id);
  if (!stored || stored->revoked_at) return InvalidGrant("the grant has been revoked");
  core::Result<core::ScopeSet> scope = core::ScopeSet::Parse(stored->scope);
  if (!scope) return Error(ErrorCode::kServerError, "stored scope is invalid");
  core::Result<std::vector<std::string>> resources =
      TokenResources(request.form, GrantResources(stored->resources_json));
  if (!resources) return resources.error();
  // Everything else checks out: consuming the code is atomic, and losing means it was replayed
  // concurrently; revoking the grant then also kills what the winner is issuing.
  if (!codes.MarkUsed(code_hash, now)) {
    grants.Revoke(record->grant_id, now);
    return InvalidGrant("the authorization code was already used");
  }
  const std::optional<core::User> user = users_.FindUser(stored->user_id);
  if (!user || user->status != "active") return InvalidGrant("the user is no longer active");

  std::optional<std::string> refresh_token;
  if (scope->Contains(core::kScopeOfflineAccess)) {
    refresh_token = crypto::RandomToken(random_);
    store::RefreshTokenRepository(db_).Insert(store::RefreshTokenRecord{
        .token_hash = crypto::Sha256Hex(*refresh_token),
        .grant_id = stored->grant_id,
        .client_id = client.client_id,
        .scope = scope->ToString(),
        .created_at = now,
        .expires_at = now + settings_.refresh_token_ttl_seconds,
        .rotated_at = std::nullopt,
        .replaced_by_hash = std::nullopt,
        .grace_used = false,
        .revoked_at = std::nullopt,
    });
  }
  return UserTokenResponse(issuer_,
                           TokenContext{.client = client,
                                        .user = *user,
                                        .grant_id = stored->grant_id,
                                        .scope = *scope,
                                        .resources = *std::move(resources),
                                        .auth_time = stored->auth_time,
                                        .nonce = record->nonce},
                           std::move(refresh_token));
}

}  // namespace gatehouse::oauth
