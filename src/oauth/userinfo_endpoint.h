#pragma once
// UserinfoEndpoint: GET|POST /v1/oauth2/userinfo (OIDC Core §5.3) with a Bearer access token.
//
// The token comes from `Authorization: Bearer` or, for POST, a form body `access_token`
// (RFC 6750 §2.2; both at once -> invalid_request). It must be one of our access tokens:
// signature by a published key (crypto::JwtVerifier: no alg none, no HMAC, kid ours), typ at+jwt,
// iss equal to the issuer, unexpired; the `openid` scope; and its grant (claim gh_grant,
// token_issuer.h) must still be active — one primary-key lookup, so a revoked grant (code reuse,
// refresh replay, consent revocation) stops its access tokens here at once. `aud` is not checked:
// userinfo serves any access token Gatehouse issued for openid.
//
// Success: 200 {sub, ...UserClaims(user, scope)} with Cache-Control: no-store.
// Failure: 401 with `WWW-Authenticate: Bearer error="invalid_token"` (no token: `Bearer` alone,
// RFC 6750 §3.1); a token without `openid` -> 403 insufficient_scope.
//
// Thread-safe; dependencies must outlive it.

#include "accounts/signing_keys.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "crypto/jwt.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/settings.h"
#include "store/database.h"

namespace gatehouse::oauth {

class UserinfoEndpoint {
 public:
  UserinfoEndpoint(const ProtocolSettings& settings, const accounts::SigningKeys& keys,
                   accounts::UserSessions& users, store::Database& db, const core::Clock& clock);

  http::Response Handle(const http::Request& request) const;

  // Adds GET and POST /v1/oauth2/userinfo (CORS allowed: browser relying parties call it).
  void AddRoutes(http::Router& router) const;

 private:
  const accounts::SigningKeys& keys_;
  accounts::UserSessions& users_;
  store::Database& db_;
  crypto::JwtVerifier verifier_;
};

}  // namespace gatehouse::oauth
