#include "accounts/login_throttle.h"

#include <algorithm>

#include "crypto/hash.h"
#include "store/login_throttle_repository.h"

namespace gatehouse::accounts {

using core::Error;
using core::ErrorCode;

LoginThrottle::LoginThrottle(store::Database& db, const core::Clock& clock,
                             LoginThrottlePolicy policy)
    : db_(db), clock_(clock), policy_(policy) {}

std::string LoginThrottle::SubjectFor(std::string_view normalized_name) {
  return crypto::Sha256Hex(std::string("login:") + std::string(normalized_name));
}

core::Result<LoginThrottle::Admission> LoginThrottle::Admit(std::string_view subject) const {
  if (!enabled()) return Admission{};
  const std::optional<store::LoginThrottleRecord> record =
      store::LoginThrottleRepository(db_).Get(subject);
  if (!record) return Admission{};
  const int64_t now = clock_.NowSeconds();
  if (record->locked_until > now) {
    return Error(ErrorCode::kTooManyRequests,
                 "too many failed sign-in attempts for this account; wait, then try again")
        .WithRetryAfter(record->locked_until - now);
  }
  return Admission{.had_failures = true};
}

void LoginThrottle::RecordFailure(std::string_view subject) const {
  if (!enabled()) return;
  store::LoginThrottleRepository repo(db_);
  const int64_t now = clock_.NowSeconds();
  const store::LoginThrottleRecord counted =
      repo.RecordFailure(subject, now, policy_.window_seconds);
  if (counted.failures < policy_.max_failures) return;
  // The max_failures-th failure locks for lockout_seconds; each one after doubles it.
  int64_t lockout = policy_.lockout_seconds;
  for (int64_t i = policy_.max_failures; i < counted.failures; ++i) {
    if (lockout >= policy_.max_lockout_seconds) break;
    lockout *= 2;
  }
  lockout = std::min(lockout, policy_.max_lockout_seconds);
  const int64_t locked_until = std::max(counted.locked_until, now + lockout);
  repo.Lock(subject, locked_until,
            std::max(locked_until, counted.window_started_at + policy_.window_seconds));
}

void LoginThrottle::RecordSuccess(std::string_view subject, const Admission& admission) const {
  if (!enabled() || !admission.had_failures) return;
  store::LoginThrottleRepository(db_).Clear(subject);
}

}  // namespace gatehouse::accounts
