#pragma once
// FakeClock: time that moves only when a test says so. Thread-safe.

#include <atomic>
#include <chrono>

#include "core/clock.h"

namespace gatehouse::testing {

class FakeClock final : public core::Clock {
 public:
  explicit FakeClock(int64_t unix_seconds = 1'700'000'000) : now_ms_(unix_seconds * 1000) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
  }
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }
  void Set(int64_t unix_seconds) { now_ms_ = unix_seconds * 1000; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace gatehouse::testing
