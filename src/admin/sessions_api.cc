#include "admin/sessions_api.h"

#include "admin/users_api.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

constexpr int64_t kMinSessionMinutes = 5;
constexpr int64_t kMaxSessionMinutes = 366 * 24 * 60;

core::Result<json::object> AuthenticatePassword(ApiCall& call, accounts::Sessions& sessions,
                                                int64_t default_seconds) {
  auto email = RequiredString(call.body, "email");
  if (!email) return email.error();
  auto password = RequiredString(call.body, "password");
  if (!password) return password.error();
  auto seconds = SessionSeconds(call.body, default_seconds);
  if (!seconds) return seconds.error();
  auto issued = sessions.AuthenticatePassword(*email, *password, *seconds);
  if (!issued) return issued.error();
  return SessionAnswer(issued->user, issued->session, issued->session_token, issued->session_jwt);
}

core::Result<json::object> AuthenticateSession(ApiCall& call, accounts::Sessions& sessions) {
  auto token = RequiredString(call.body, "session_token");
  if (!token) return token.error();
  auto active = sessions.Authenticate(*token);
  if (!active) return active.error();
  return SessionAnswer(active->user, active->session, *token, sessions.SessionJwt(active->session));
}

core::Result<json::object> RevokeSession(ApiCall& call, accounts::Sessions& sessions) {
  auto token = OptionalString(call.body, "session_token");
  if (!token) return token.error();
  auto session_id = OptionalString(call.body, "session_id");
  if (!session_id) return session_id.error();
  const bool has_token = *token && !(*token)->empty();
  const bool has_id = *session_id && !(*session_id)->empty();
  if (has_token == has_id) {
    return Error(ErrorCode::kBadRequest, "send exactly one of session_token and session_id");
  }
  if (has_token) {
    sessions.Revoke(**token);
  } else if (auto revoked = sessions.RevokeSessionById(**session_id); !revoked) {
    return revoked.error();
  }
  return json::object{};
}

}  // namespace

core::Result<int64_t> SessionSeconds(const json::object& body, int64_t default_seconds) {
  auto minutes = OptionalInt(body, "session_duration_minutes");
  if (!minutes) return minutes.error();
  if (!*minutes) return default_seconds;
  if (**minutes < kMinSessionMinutes || **minutes > kMaxSessionMinutes) {
    return Error(ErrorCode::kBadRequest,
                 "session_duration_minutes must be between 5 and 527040 (366 days)");
  }
  return **minutes * 60;
}

json::object SessionAnswer(const core::User& user, const core::Session& session,
                           std::string_view token, std::string_view jwt) {
  return json::object{{"user_id", user.user_id},
                      {"user", UserJson(user)},
                      {"session_token", token},
                      {"session_jwt", jwt},
                      {"session", SessionJson(session)}};
}

json::object SessionJson(const core::Session& session) {
  return json::object{
      {"session_id", session.session_id},
      {"user_id", session.user_id},
      {"started_at", Rfc3339(session.authenticated_at)},
      {"expires_at", Rfc3339(session.expires_at)},
      {"authentication_factors",
       json::array{json::object{{"type", session.authentication_method},
                                {"last_authenticated_at", Rfc3339(session.authenticated_at)}}}}};
}

void AddSessionRoutes(http::Router& router, const ManagementApi& api, accounts::Sessions& sessions,
                      int64_t default_session_seconds) {
  router.Add("POST", "/v1/passwords/authenticate",
             api.Route({"email", "password", "session_duration_minutes"},
                       [&sessions, default_session_seconds](ApiCall& call) {
                         return AuthenticatePassword(call, sessions, default_session_seconds);
                       }));
  router.Add("POST", "/v1/sessions/authenticate",
             api.Route({"session_token"},
                       [&sessions](ApiCall& call) { return AuthenticateSession(call, sessions); }));
  router.Add("POST", "/v1/sessions/revoke",
             api.Route({"session_token", "session_id"},
                       [&sessions](ApiCall& call) { return RevokeSession(call, sessions); }));
}

}  // namespace gatehouse::admin
