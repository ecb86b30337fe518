#include "core/rate_limit.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace gatehouse::core {

RateLimit::RateLimit(const Clock& clock, double per_minute, double burst)
    : clock_(clock),
      per_ms_(std::max(0.0, per_minute) / 60000.0),
      burst_(burst > 0 ? burst : std::max(1.0, per_minute)) {}

double RateLimit::Level(const Bucket& b, double now_ms) const {
  return std::min(burst_, b.tokens + std::max(0.0, now_ms - b.updated_ms) * per_ms_);
}

RateLimit::Decision RateLimit::Admit(std::string_view key) {
  if (per_ms_ <= 0) return {};
  const double now_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count());
  MutexLock lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxTrackedKeys) {
      std::erase_if(buckets_,
                    [&](const auto& entry) { return Level(entry.second, now_ms) >= burst_; });
      if (buckets_.size() >= kMaxTrackedKeys) buckets_.clear();
    }
    it = buckets_.emplace(std::string(key), Bucket{burst_, now_ms}).first;
  } else {
    it->second.tokens = Level(it->second, now_ms);
    it->second.updated_ms = now_ms;
  }
  Bucket& b = it->second;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait_ms = (1.0 - b.tokens) / per_ms_;
  return Decision{false, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000.0)))};
}

Result<void> RateLimit::Check(std::string_view key, std::string_view description) {
  const Decision decision = Admit(key);
  if (decision.allowed) return {};
  return Error(ErrorCode::kTooManyRequests, description)
      .WithRetryAfter(decision.retry_after_seconds);
}

}  // namespace gatehouse::core
