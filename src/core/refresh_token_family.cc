#include "core/refresh_token_family.h"

#include <cassert>

namespace gatehouse::core {
namespace {

RefreshDecision Refuse(std::string_view description) {
  return RefreshDecision{.step = RefreshStep::kRefuse,
                         .error = Error(ErrorCode::kInvalidGrant, description)};
}

RefreshDecision RevokeFamily() {
  return RefreshDecision{
      .step = RefreshStep::kRevokeFamily,
      .error = Error(ErrorCode::kInvalidGrant, "the refresh token was already used")};
}

}  // namespace

RefreshDecision RefreshTokenFamily::Decide(const RefreshTokenState& token, ClientType client_type,
                                           int64_t now) const {
  if (token.revoked_at) return Refuse("the refresh token has been revoked");
  if (token.expires_at <= now) return Refuse("the refresh token has expired");
  const int64_t expires_at = now + settings_.token_ttl_seconds;
  if (!IsPublic(client_type)) return {.step = RefreshStep::kKeep, .expires_at = expires_at};
  if (!token.rotated_at) return {.step = RefreshStep::kRotate, .expires_at = expires_at};
  // Rotated out: a replay, unless this is the one grace retry of the exact previous token.
  if (token.grace_used || !token.successor_current ||
      *token.rotated_at < now - settings_.grace_seconds) {
    return RevokeFamily();
  }
  return {.step = RefreshStep::kRetryWithinGrace, .expires_at = expires_at};
}

RefreshDecision RefreshTokenFamily::AfterLostRace(const RefreshDecision& attempted) const {
  assert(IsStoreStep(attempted.step));
  switch (attempted.step) {
    case RefreshStep::kKeep:
      return Refuse("the refresh token is no longer valid");
    case RefreshStep::kRotate:
      // Rotated concurrently a moment ago: the presented token is now the previous one.
      return {.step = RefreshStep::kRetryWithinGrace, .expires_at = attempted.expires_at};
    case RefreshStep::kRetryWithinGrace:
      return RevokeFamily();
    case RefreshStep::kRefuse:
    case RefreshStep::kRevokeFamily:
      break;
  }
  return attempted;
}

}  // namespace gatehouse::core
