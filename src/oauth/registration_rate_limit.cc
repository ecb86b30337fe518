#include "oauth/registration_rate_limit.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace gatehouse::oauth {

RegistrationRateLimit::RegistrationRateLimit(const core::Clock& clock, double per_minute,
                                             double burst)
    : clock_(clock), per_ms_(per_minute / 60000.0), burst_(burst) {}

double RegistrationRateLimit::Level(const Bucket& b, double now_ms) const {
  return std::min(burst_, b.tokens + std::max(0.0, now_ms - b.updated_ms) * per_ms_);
}

RegistrationRateLimit::Decision RegistrationRateLimit::Admit(std::string_view address) {
  if (per_ms_ <= 0) return {};
  const double now_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count());
  std::lock_guard lock(mu_);
  if (buckets_.size() >= kMaxTrackedAddresses) {
    std::erase_if(buckets_,
                  [&](const auto& entry) { return Level(entry.second, now_ms) >= burst_; });
  }
  auto [it, inserted] = buckets_.try_emplace(std::string(address), Bucket{burst_, now_ms});
  Bucket& b = it->second;
  if (!inserted) {
    b.tokens = Level(b, now_ms);
    b.updated_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait_ms = (1.0 - b.tokens) / per_ms_;
  return Decision{false, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000.0)))};
}

}  // namespace gatehouse::oauth
