#pragma once
// RefreshTokenGrant: grant_type=refresh_token at POST /v1/oauth2/token (RFC 6749 §6, OAuth 2.1
// §4.3) for connected apps.
//
// Client authentication as for authorization_code (client_authentication.h), with the per-client
// abuse allowance for clients that authenticated with a secret.
//
// `refresh_token` (required) and `scope`: each at most once (invalid_request). The token (looked
// up by its SHA-256, together with its grant in one statement) must be bound to the client, and
// the grant must be active. `scope` may narrow (the access token gets the narrower scope, the
// refresh token keeps its own) but not widen (invalid_scope). With a ScopePolicy, the access token
// carries only the scopes the user may still grant today (a role removed since the grant takes its
// scopes with it). A user no longer active -> invalid_grant.
//
// What the presented token may still do is core::RefreshTokenFamily's rule: public clients
// rotate on every use; presenting a rotated-out token revokes the grant with every token of it,
// except the exact previous token within settings.refresh_grace_seconds of its rotation, once (it
// gets a fresh token and its successor stays valid: two live branches). Of parallel uses of one
// token, the original and at most one grace retry succeed. Confidential clients keep their token;
// each use extends its expiry by settings.refresh_token_ttl_seconds. Revoked or expired tokens are
// refused before anything else is checked; every other step is carried out, by one atomic store
// operation (store/refresh_token_repository.h), only once the request is otherwise valid.
//
// `resource` (RFC 8707 §2.2, may repeat) chooses the audience among the grant's resources; one
// the grant does not hold -> invalid_target.
//
// Response: access token, scope, the refresh token to use next, and an ID token (when openid)
// that keeps sub, aud and the original auth_time, without nonce.
//
// Thread-safe; dependencies must outlive it. Store faults throw store::DatabaseError.

#include "accounts/client_directory.h"
#include "accounts/scope_policy.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/refresh_token_family.h"
#include "oauth/settings.h"
#include "oauth/token_grant.h"
#include "oauth/token_issuer.h"
#include "store/database.h"

namespace gatehouse::oauth {

class RefreshTokenGrant final : public TokenGrant {
 public:
  // `scope_policy`: the RBAC policy that narrows every refresh to what the user may still grant;
  // null: no such check.
  RefreshTokenGrant(const ProtocolSettings& settings, accounts::ClientDirectory& clients,
                    accounts::UserSessions& users, store::Database& db, const TokenIssuer& issuer,
                    const core::Clock& clock, core::Random& random,
                    const accounts::ScopePolicy* scope_policy);

  std::string_view grant_type() const override { return "refresh_token"; }
  core::Result<TokenResponse> Exchange(const TokenRequest& request) const override;

 private:
  accounts::ClientDirectory& clients_;
  accounts::UserSessions& users_;
  store::Database& db_;
  const TokenIssuer& issuer_;
  const core::Clock& clock_;
  core::Random& random_;
  const accounts::ScopePolicy* const scope_policy_;
  const core::RefreshTokenFamily family_;
};

}  // namespace gatehouse::oauth
