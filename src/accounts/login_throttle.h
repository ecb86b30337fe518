#pragma once
// LoginThrottle: slows password guessing against one account, whichever addresses and processes
// the guesses come from. The counters live in the database (store::LoginThrottleRepository), so
// every gatehouse process sharing it applies the same limit.
//
// Policy: failures of one login name (the normalized email; unknown names alike, so a lock tells
// nothing about which accounts exist) are counted over a window of `window_seconds` from the first
// one. After `max_failures` in a window the name is locked for `lockout_seconds`, doubling with
// each further failure while the window lasts, never longer than `max_lockout_seconds`. While
// locked, attempts are refused with kTooManyRequests and the seconds to wait (Retry-After) before
// any password is checked, so guessing also stops costing Argon2 work. A successful login clears
// the name's failures.
//
// This makes guessing slow — about max_failures guesses per window and lockout — at the price that
// someone who knows a user's email can keep that user waiting; per-address limits
// (core::RateLimit on the login form) bound how fast one host can do that.
//
// max_failures == 0 turns throttling off. Thread-safe (stateless over a thread-safe Database).
// Failures: store::DatabaseError propagates.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace gatehouse::accounts {

struct LoginThrottlePolicy {
  int64_t max_failures = 5;
  int64_t window_seconds = 15 * 60;
  int64_t lockout_seconds = 30;
  int64_t max_lockout_seconds = 15 * 60;
};

class LoginThrottle {
 public:
  LoginThrottle(store::Database& db, const core::Clock& clock, LoginThrottlePolicy policy);

  // The key a login name is counted under (a hash of `normalized_name`).
  static std::string SubjectFor(std::string_view normalized_name);

  struct Admission {
    bool had_failures = false;  // a row exists: RecordSuccess has something to clear
  };
  // kTooManyRequests (with Retry-After) while `subject` is locked.
  core::Result<Admission> Admit(std::string_view subject) const;
  void RecordFailure(std::string_view subject) const;
  void RecordSuccess(std::string_view subject, const Admission& admission) const;

  bool enabled() const { return policy_.max_failures > 0; }

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const LoginThrottlePolicy policy_;
};

}  // namespace gatehouse::accounts
