#pragma once
// Clock: the one source of time. Production code takes a `const Clock&` by reference; tests pass a
// FakeClock (tests/support) that only moves when told to. Thread-safe implementations only.

#include <chrono>
#include <cstdint>

namespace gatehouse::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (for token iat/exp and stored timestamps).
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Seconds since the Unix epoch, the unit every stored timestamp uses.
  int64_t NowSeconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace gatehouse::core
