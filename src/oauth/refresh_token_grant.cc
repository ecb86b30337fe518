#include "oauth/refresh_token_grant.h"

#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;
using core::RefreshStep;

Error InvalidGrant(std::string_view description) {
  return Error(ErrorCode::kInvalidGrant, description);
}

core::RefreshTokenState StateOf(const store::RefreshTokenRepository::WithGrant& found) {
  const store::RefreshTokenRecord& record = found.token;
  return core::RefreshTokenState{.expires_at = record.expires_at,
                                 .rotated_at = record.rotated_at,
                                 .grace_used = record.grace_used,
                                 .successor_current = found.successor_current,
                                 .revoked_at = record.revoked_at};
}

}  // namespace

RefreshTokenGrant::RefreshTokenGrant(const ProtocolSettings& settings,
                                     accounts::ClientDirectory& clients,
                                     accounts::UserSessions& users, store::Database& db,
                                     const TokenIssuer& issuer, const core::Clock& clock,
                                     core::Random& random,
                                     const accounts::ScopePolicy* scope_policy)
    : clients_(clients),
      users_(users),
      db_(db),
      issuer_(issuer),
      clock_(clock),
      random_(random),
      scope_policy_(scope_policy),
      family_(
          core::RefreshTokenFamilySettings{.token_ttl_seconds = settings.refresh_token_ttl_seconds,
                                           .grace_seconds = settings.refresh_grace_seconds}) {}

core::Result<TokenResponse> RefreshTokenGrant::Exchange(const TokenRequest& request) const {
  core::Result<std::shared_ptr<const core::Client>> authenticated =
      AuthenticateConnectedApp(request, clients_);
  if (!authenticated) return authenticated.error();
  const core::Client& client = **authenticated;

  core::Result<std::optional<std::string_view>> presented = request.form.Single("refresh_token");
  if (!presented) return presented.error();
  core::Result<std::optional<std::string_view>> scope_param = request.form.Single("scope");
  if (!scope_param) return scope_param.error();
  if (!*presented) return Error(ErrorCode::kInvalidRequest, "refresh_token is required");

  store::RefreshTokenRepository tokens(db_);
  store::GrantRepository grants(db_);
  const std::string hash = crypto::Sha256Hex(**presented);
  // The token and its grant in one statement: one database round trip instead of two.
  std::optional<store::RefreshTokenRepository::WithGrant> found = tokens.GetWithGrant(hash);
  if (!found) return InvalidGrant("the refresh token is invalid");
  const store::RefreshTokenRecord& record = found->token;
  const int64_t now = clock_.NowSeconds();
  if (record.client_id != client.client_id) {
    return InvalidGrant("the refresh token was issued to another client");
  }
  // A revoked or expired token is answered at once; any other step of the family waits until the
  // request is otherwise valid.
  core::RefreshDecision decision = family_.Decide(StateOf(*found), client.client_type, now);
  if (decision.step == RefreshStep::kRefuse) return *decision.error;
  const std::optional<store::GrantRecord>& stored = found->grant;
  if (!stored || stored->revoked_at) return InvalidGrant("the grant has been revoked");

  core::Result<core::ScopeSet> token_scope = core::ScopeSet::Parse(record.scope);
  if (!token_scope) return Error(ErrorCode::kServerError, "stored scope is invalid");
  core::ScopeSet scope = *token_scope;
  if (*scope_param) {
    core::Result<core::ScopeSet> requested = core::ScopeSet::Parse(**scope_param);
    if (!requested) return requested.error();
    if (!requested->IsSubsetOf(*token_scope)) {
      return Error(ErrorCode::kInvalidScope, "the requested scope exceeds the grant");
    }
    if (!requested->empty()) scope = *requested;
  }
  core::Result<std::vector<std::string>> resources =
      TokenResources(request.form, GrantResources(stored->resources_json));
  if (!resources) return resources.error();
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

  // A public client's next token: made once, for a rotation or for the grace retry after it (a
  // retry leaves the successor valid: the family then has two live branches).
  std::string next_token(**presented);
  std::optional<store::RefreshTokenRecord> replacement;
  auto new_token = [&](int64_t expires_at) -> const store::RefreshTokenRecord& {
    if (!replacement) {
      next_token = crypto::RandomToken(random_);
      replacement = store::RefreshTokenRecord{
          .token_hash = crypto::Sha256Hex(next_token),
          .grant_id = record.grant_id,
          .client_id = client.client_id,
          .scope = record.scope,
          .created_at = now,
          .expires_at = expires_at,
          .rotated_at = std::nullopt,
          .replaced_by_hash = std::nullopt,
          .grace_used = false,
          .revoked_at = std::nullopt,
      };
    }
    return *replacement;
  };
  // Carries a step out with one atomic store operation; false when the token changed since it
  // was read (a concurrent request won), and the family then names the next step.
  auto carry_out = [&](const core::RefreshDecision& step) {
    switch (step.step) {
      case RefreshStep::kKeep:
        return tokens.Extend(hash, step.expires_at);
      case RefreshStep::kRotate:
        return tokens.Rotate(hash, new_token(step.expires_at), now);
      case RefreshStep::kRetryWithinGrace:
        return tokens.RetryWithinGrace(hash, new_token(step.expires_at), now,
                                       family_.settings().grace_seconds);
      case RefreshStep::kRefuse:
      case RefreshStep::kRevokeFamily:
        break;
    }
    return false;
  };
  while (core::IsStoreStep(decision.step) && !carry_out(decision)) {
    decision = family_.AfterLostRace(decision);
  }
  if (decision.step == RefreshStep::kRevokeFamily) grants.Revoke(record.grant_id, now);
  if (decision.error) return *decision.error;

  return UserTokenResponse(issuer_,
                           TokenContext{.client = client,
                                        .user = *user,
                                        .grant_id = stored->grant_id,
                                        .scope = scope,
                                        .resources = *std::move(resources),
                                        .auth_time = stored->auth_time,
                                        .nonce = std::nullopt},
                           std::move(next_token));
}

}  // namespace gatehouse::oauth
