#pragma once
// POST /v1/sessions/exchange_access_token {access_token, session_duration_minutes?}: the
// management route of oauth::SessionExchange (first-party apps trade a fresh full_access access
// token for a session, once). Answers like /v1/sessions/authenticate:
//   {user_id, user, session_token, session_jwt, session}
// session_duration_minutes: 5 .. 527040 (366 days); absent -> the configured session lifetime.
// Refusals (SessionExchange's error codes): invalid, revoked, too old or already exchanged token
// -> 401 invalid_token; no full_access -> 403 insufficient_scope; not a first-party client
// -> 403 forbidden.
//
// Routes are added at start-up; the handler is thread-safe.

#include <cstdint>

#include "admin/management_api.h"
#include "http/router.h"
#include "oauth/session_exchange.h"

namespace gatehouse::admin {

void AddSessionExchangeRoute(http::Router& router, const ManagementApi& api,
                             const oauth::SessionExchange& exchange,
                             int64_t default_session_seconds);

}  // namespace gatehouse::admin
