#include "admin/session_exchange_api.h"

#include <boost/json.hpp>

#include "admin/sessions_api.h"
#include "admin/users_api.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

// The same bounds as the other session routes (sessions_api.h).
constexpr int64_t kMinSessionMinutes = 5;
constexpr int64_t kMaxSessionMinutes = 366 * 24 * 60;

core::Result<json::object> ExchangeAccessToken(ApiCall& call,
                                               const oauth::SessionExchange& exchange,
                                               int64_t default_session_seconds) {
  core::Result<std::string> token = RequiredString(call.body, "access_token");
  if (!token) return token.error();
  core::Result<std::optional<int64_t>> minutes = OptionalInt(call.body, "session_duration_minutes");
  if (!minutes) return minutes.error();
  int64_t seconds = default_session_seconds;
  if (*minutes) {
    if (**minutes < kMinSessionMinutes || **minutes > kMaxSessionMinutes) {
      return Error(ErrorCode::kBadRequest,
                   "session_duration_minutes must be between 5 and 527040 (366 days)");
    }
    seconds = **minutes * 60;
  }
  core::Result<accounts::IssuedSession> issued = exchange.Exchange(*token, seconds);
  if (!issued) return issued.error();
  return json::object{{"user_id", issued->user.user_id},
                      {"user", UserJson(issued->user)},
                      {"session_token", issued->session_token},
                      {"session_jwt", issued->session_jwt},
                      {"session", SessionJson(issued->session)}};
}

}  // namespace

void AddSessionExchangeRoute(http::Router& router, const ManagementApi& api,
                             const oauth::SessionExchange& exchange,
                             int64_t default_session_seconds) {
  router.Add("POST", "/v1/sessions/exchange_access_token",
             api.Route([&exchange, default_session_seconds](ApiCall& call) {
               return ExchangeAccessToken(call, exchange, default_session_seconds);
             }));
}

}  // namespace gatehouse::admin
