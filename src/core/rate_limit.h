#pragma once
// RateLimit: a token bucket per key (a client address, a client id) — the one mechanism behind
// every abuse limit (token, introspection, registration and login endpoints). Each key starts with
// `burst` tokens and regains `per_minute` tokens a minute; a request spends one or is refused with
// the whole seconds until the next token (the Retry-After value).
//
// The buckets live in this process only: with N gatehouse processes behind a load balancer a key
// gets up to N times the rate (docs/deploy.md says so). What must hold across processes — login
// throttling per account — lives in the database instead (oauth/login_throttle.h).
//
// per_minute == 0 turns the limit off (benchmarks, trusted networks): Admit always allows.
//
// Memory is bounded: when kMaxTrackedKeys keys are tracked, keys whose bucket has refilled (idle)
// are dropped; if every tracked key is still spending (someone is rotating through addresses), all
// buckets are forgotten, which lets those keys start afresh rather than letting memory grow.
//
// Thread-safe (one mutex; the critical section is a hash lookup and a few arithmetic operations,
// and a known key costs no allocation).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/result.h"

namespace gatehouse::core {

class RateLimit {
 public:
  static constexpr size_t kMaxTrackedKeys = 10000;

  // burst <= 0 means burst = per_minute (a minute's worth at once).
  RateLimit(const Clock& clock, double per_minute, double burst = 0);

  struct Decision {
    bool allowed = true;
    int64_t retry_after_seconds = 0;  // when refused: whole seconds until a token is available
  };
  Decision Admit(std::string_view key);
  // Admit as a request-path value: kTooManyRequests with `description` and the Retry-After
  // seconds when refused.
  Result<void> Check(std::string_view key, std::string_view description);

  bool enabled() const { return per_ms_ > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    double updated_ms = 0;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  // The bucket's tokens at now_ms (refilled, capped at burst_).
  double Level(const Bucket& b, double now_ms) const;

  const Clock& clock_;
  const double per_ms_;
  const double burst_;
  Mutex mu_;
  std::unordered_map<std::string, Bucket, KeyHash, std::equal_to<>> buckets_ GUARDED_BY(mu_);
};

}  // namespace gatehouse::core
