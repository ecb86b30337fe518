#pragma once
// Token revocation, POST /v1/oauth2/revoke (RFC 7009).
//
//  - The caller authenticates as at the token endpoint (client_authentication.h): confidential
//    clients with client_secret_basic or client_secret_post, public clients with client_id
//    alone. A failure -> 401 invalid_client (RFC 7009 §2.2.1).
//  - The body is a form with `token` (required, once). `token_type_hint` is only a hint: the
//    token's shape decides (a JWS is an access token; anything else is looked up as a refresh
//    token by its SHA-256), so a wrong or unknown hint changes nothing.
//  - Revocation is by grant. Revoking a refresh token revokes its grant, which revokes every
//    refresh token under it and makes every access token of the grant inactive at introspection
//    and userinfo (both check the grant named in the gh_grant claim). Revoking an access token
//    does the same to its grant: a JWT cannot be recalled on its own, and the grant is what every
//    check consults, so grant-level revocation is what makes the token inactive everywhere at
//    once. (The client can start a new authorization to get a new grant.)
//  - A client revokes only its own tokens: a token issued to another client, an unknown,
//    malformed or expired token, or one already revoked -> 200 with no effect (RFC 7009 §2.2:
//    the client cannot tell them apart, and an attacker learns nothing).
// Success is 200 with an empty body and Cache-Control: no-store. CORS allowed (browser-based
// public clients revoke on sign-out).
//
// Thread-safe: immutable after construction; dependencies must be thread-safe and outlive it.
// Store faults throw store::DatabaseError.

#include <string_view>

#include "accounts/client_directory.h"
#include "core/clock.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/introspection_endpoint.h"
#include "store/database.h"

namespace gatehouse::oauth {

class RevocationEndpoint {
 public:
  RevocationEndpoint(accounts::ClientDirectory& clients, const AccessTokenInspector& access_tokens,
                     store::Database& db, const core::Clock& clock);

  http::Response Handle(const http::Request& request) const;

  // Adds POST /v1/oauth2/revoke (CORS allowed) to `router`.
  void AddRoutes(http::Router& router) const;

 private:
  // Both return whether a grant was revoked (for tests and logs; the response is the same).
  bool RevokeAccessToken(std::string_view token, std::string_view client_id) const;
  bool RevokeRefreshToken(std::string_view token, std::string_view client_id) const;

  accounts::ClientDirectory& clients_;
  const AccessTokenInspector& access_tokens_;
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace gatehouse::oauth
