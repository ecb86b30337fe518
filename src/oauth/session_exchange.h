#pragma once
// SessionExchange: a first-party app trades a fresh access token for a user session
// (POST /v1/sessions/exchange_access_token; the management route is in
// admin/session_exchange_api.h). It lets an app that signed the user in through OAuth continue
// with the project's own session machinery.
//
// The access token must, in this order:
//  - be active (AccessTokenInspector::Active: signature, typ, iss, times, grant not revoked) and
//    be a user token (sub and the grant claim)            -> else kInvalidToken;
//  - carry the `full_access` scope (only first-party clients with full_access_allowed can
//    obtain it; the authorization service enforces that) -> else kInsufficientScope;
//  - belong to a first-party client (checked again here, against the client as it is now:
//    a client that lost first-party status or full_access_allowed cannot exchange)
//                                                          -> else kForbidden;
//  - be at most kMaxExchangeAgeSeconds old by its iat   -> else kInvalidToken;
//  - not have been exchanged before: its jti is recorded under a primary key, so of concurrent
//    exchanges exactly one succeeds                       -> else kInvalidToken.
// Then UserSessions::CreateSession(sub, "access_token_exchange", duration) issues the session
// (its errors, e.g. kNotFound for a deleted user, pass through; the jti stays spent).
//
// Thread-safe: immutable after construction; dependencies must be thread-safe and outlive it.
// Store faults throw store::DatabaseError.

#include <cstdint>
#include <string_view>

#include "accounts/client_directory.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/result.h"
#include "oauth/introspection_endpoint.h"
#include "store/database.h"

namespace gatehouse::oauth {

inline constexpr int64_t kMaxExchangeAgeSeconds = 5 * 60;
inline constexpr std::string_view kAccessTokenExchangeMethod = "access_token_exchange";

class SessionExchange {
 public:
  SessionExchange(const AccessTokenInspector& access_tokens, accounts::ClientDirectory& clients,
                  accounts::UserSessions& users, store::Database& db, const core::Clock& clock);

  core::Result<accounts::IssuedSession> Exchange(std::string_view access_token,
                                                 int64_t session_duration_seconds) const;

 private:
  const AccessTokenInspector& access_tokens_;
  accounts::ClientDirectory& clients_;
  accounts::UserSessions& users_;
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace gatehouse::oauth
