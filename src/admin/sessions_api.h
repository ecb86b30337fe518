#pragma once
// Password login and session management (Stytch's shapes), over accounts::Sessions:
//   POST /v1/passwords/authenticate {email, password, session_duration_minutes}
//        -> {user_id, user, session_token, session_jwt, session}
//        Unknown email, no password and wrong password: the same 401 after the same work.
//   POST /v1/sessions/authenticate  {session_token}
//        -> {user_id, user, session, session_token, session_jwt (fresh)}; 401 when the token is
//        unknown, expired or revoked.
//   POST /v1/sessions/revoke        {session_token} | {session_id} -> {}; an unknown token is not
//        an error (as RFC 7009), an unknown session_id is 404.
// session_duration_minutes: 5 .. 527040 (366 days); absent -> the configured session lifetime.
//
// Routes are added at start-up; handlers are thread-safe. Password verification is Argon2id
// (~50 ms of a core) on the worker thread that serves the request.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "accounts/sessions.h"
#include "admin/management_api.h"
#include "core/user.h"
#include "http/router.h"

namespace gatehouse::admin {

void AddSessionRoutes(http::Router& router, const ManagementApi& api, accounts::Sessions& sessions,
                      int64_t default_session_seconds);

// The API view of a session.
boost::json::object SessionJson(const core::Session& session);

// What every route that issues or checks a session answers:
// {user_id, user, session_token, session_jwt, session}.
boost::json::object SessionAnswer(const core::User& user, const core::Session& session,
                                  std::string_view token, std::string_view jwt);

// The session lifetime a request asks for: `session_duration_minutes` of `body` in seconds, or
// `default_seconds` when absent. kBadRequest outside 5 .. 527040 minutes.
core::Result<int64_t> SessionSeconds(const boost::json::object& body, int64_t default_seconds);

}  // namespace gatehouse::admin
