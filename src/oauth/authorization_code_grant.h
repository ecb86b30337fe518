#pragma once
// AuthorizationCodeGrant: grant_type=authorization_code at POST /v1/oauth2/token (RFC 6749 §4.1.3,
// OAuth 2.1 §4.1.3) for connected apps.
//
// Client authentication: client_secret_basic, client_secret_post, or `none` for public clients
// (client_authentication.h); a client that authenticated with a secret then spends its per-client
// abuse allowance (429 too_many_requests).
//
// `code`, `redirect_uri`, `code_verifier`: each at most once (invalid_request); code required.
// The code (looked up by its SHA-256) must belong to the authenticated client and be unexpired;
// redirect_uri must equal the authorization request's exactly when that request sent one (and
// when sent now, must equal it anyway); PKCE via core::CheckPkceAtTokenEndpoint (a verifier for a
// code without challenge is a downgrade -> invalid_grant). Only then is the code consumed (one
// atomic UPDATE); a second use of an otherwise valid code -> invalid_grant and the grant is
// revoked, which kills the refresh token and (through the gh_grant claim) the access tokens issued
// from the first use. A user no longer active -> invalid_grant.
//
// `resource` (RFC 8707 §2.2, may repeat) chooses the access token's audience among the grant's
// resources; one the grant does not hold -> invalid_target. Without it the token is for every
// resource of the grant.
//
// Response: access token, scope (the grant's), refresh token (when offline_access was granted;
// stored as its SHA-256, expiring after settings.refresh_token_ttl_seconds), ID token (when
// openid; with the authorization request's nonce).
//
// Thread-safe; dependencies must outlive it. Store faults throw store::DatabaseError.

#include "accounts/client_directory.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/random.h"
#include "oauth/settings.h"
#include "oauth/token_grant.h"
#include "oauth/token_issuer.h"
#include "store/database.h"

namespace gatehouse::oauth {

class AuthorizationCodeGrant final : public TokenGrant {
 public:
  AuthorizationCodeGrant(const ProtocolSettings& settings, accounts::ClientDirectory& clients,
                         accounts::UserSessions& users, store::Database& db,
                         const TokenIssuer& issuer, const core::Clock& clock, core::Random& random);

  std::string_view grant_type() const override { return "authorization_code"; }
  core::Result<TokenResponse> Exchange(const TokenRequest& request) const override;

 private:
  const ProtocolSettings& settings_;
  accounts::ClientDirectory& clients_;
  accounts::UserSessions& users_;
  store::Database& db_;
  const TokenIssuer& issuer_;
  const core::Clock& clock_;
  core::Random& random_;
};

}  // namespace gatehouse::oauth
