#include "oauth/session_exchange.h"

#include "core/scope.h"
#include "store/token_lifecycle_repository.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;

std::string_view StringClaim(const boost::json::object& claims, std::string_view name) {
  const boost::json::value* value = claims.if_contains(name);
  return value != nullptr && value->is_string() ? std::string_view(value->as_string())
                                                : std::string_view();
}

}  // namespace

SessionExchange::SessionExchange(const AccessTokenInspector& access_tokens,
                                 accounts::ClientDirectory& clients, accounts::UserSessions& users,
                                 store::Database& db, const core::Clock& clock)
    : access_tokens_(access_tokens), clients_(clients), users_(users), db_(db), clock_(clock) {}

core::Result<accounts::IssuedSession> SessionExchange::Exchange(
    std::string_view access_token, int64_t session_duration_seconds) const {
  core::Result<VerifiedAccessToken> token = access_tokens_.Active(access_token);
  if (!token) return token.error();
  const boost::json::object& claims = token->claims;
  const std::string_view sub = StringClaim(claims, "sub");
  const std::string_view jti = StringClaim(claims, "jti");
  const boost::json::value* iat = claims.if_contains("iat");
  if (token->grant_id.empty() || sub.empty() || jti.empty() || iat == nullptr || !iat->is_int64()) {
    return Error(ErrorCode::kInvalidToken, "not a user access token");
  }

  const core::Result<core::ScopeSet> scope = core::ScopeSet::Parse(StringClaim(claims, "scope"));
  if (!scope || !scope->Contains(core::kScopeFullAccess)) {
    return Error(ErrorCode::kInsufficientScope, "the access token does not carry full_access");
  }

  const core::Result<std::shared_ptr<const core::Client>> client = clients_.Find(token->client_id);
  if (!client || !core::IsFirstParty((*client)->client_type) || !(*client)->full_access_allowed) {
    return Error(ErrorCode::kForbidden,
                 "only first-party clients allowed full_access may exchange access tokens");
  }

  const int64_t now = clock_.NowSeconds();
  const int64_t issued_at = iat->as_int64();
  if (now - issued_at > kMaxExchangeAgeSeconds) {
    return Error(ErrorCode::kInvalidToken,
                 "the access token is older than 5 minutes; exchange a fresh one");
  }

  const bool first_use = store::TokenLifecycleRepository(db_).RecordExchange(
      store::ExchangedAccessToken{.jti = std::string(jti),
                                  .user_id = std::string(sub),
                                  .client_id = token->client_id,
                                  .exchanged_at = now,
                                  .expires_at = issued_at + kMaxExchangeAgeSeconds + 60});
  if (!first_use) {
    return Error(ErrorCode::kInvalidToken, "the access token has already been exchanged");
  }
  return users_.CreateSession(sub, kAccessTokenExchangeMethod, session_duration_seconds);
}

}  // namespace gatehouse::oauth
