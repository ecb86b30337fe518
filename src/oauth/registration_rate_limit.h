#pragma once
// RegistrationRateLimit: a token bucket per source address for the Dynamic Client Registration
// endpoint, so one host cannot flood the clients table. Each address starts with `burst` tokens
// and regains `per_minute` tokens a minute; a request spends one or is refused with the seconds
// until the next token (the Retry-After value).
//
// The buckets live in this process only: with N gatehouse processes behind a load balancer an
// address gets up to N times the rate. The address is the TCP peer (Request::remote_address); a
// proxy in front makes every client share the proxy's bucket.
//
// per_minute == 0 turns the limit off (benchmarks, trusted networks).
//
// Memory is bounded: when more than kMaxTrackedAddresses are tracked, buckets that have refilled
// completely (idle addresses) are dropped. Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace gatehouse::oauth {

class RegistrationRateLimit {
 public:
  static constexpr size_t kMaxTrackedAddresses = 10000;

  RegistrationRateLimit(const core::Clock& clock, double per_minute = 20, double burst = 20);

  struct Decision {
    bool allowed = true;
    int64_t retry_after_seconds = 0;  // when refused: whole seconds until a token is available
  };
  Decision Admit(std::string_view address);

 private:
  struct Bucket {
    double tokens = 0;
    double updated_ms = 0;
  };
  // The bucket's tokens at now_ms (refilled, capped at burst_).
  double Level(const Bucket& b, double now_ms) const;

  const core::Clock& clock_;
  const double per_ms_;
  const double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mu_)
};

}  // namespace gatehouse::oauth
