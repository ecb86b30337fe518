#include "admin/session_exchange_api.h"

#include <boost/json.hpp>

#include "admin/sessions_api.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

core::Result<json::object> ExchangeAccessToken(ApiCall& call,
                                               const oauth::SessionExchange& exchange,
                                               int64_t default_session_seconds) {
  core::Result<std::string> token = RequiredString(call.body, "access_token");
  if (!token) return token.error();
  core::Result<int64_t> seconds = SessionSeconds(call.body, default_session_seconds);
  if (!seconds) return seconds.error();
  core::Result<accounts::IssuedSession> issued = exchange.Exchange(*token, *seconds);
  if (!issued) return issued.error();
  return SessionAnswer(issued->user, issued->session, issued->session_token, issued->session_jwt);
}

}  // namespace

void AddSessionExchangeRoute(http::Router& router, const ManagementApi& api,
                             const oauth::SessionExchange& exchange,
                             int64_t default_session_seconds) {
  router.Add("POST", "/v1/sessions/exchange_access_token",
             api.Route({"access_token", "session_duration_minutes"},
                       [&exchange, default_session_seconds](ApiCall& call) {
                         return ExchangeAccessToken(call, exchange, default_session_seconds);
                       }));
}

}  // namespace gatehouse::admin
