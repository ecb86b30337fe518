#pragma once
// FakeRandom: a seeded, deterministic byte stream (splitmix64). Thread-safe. Not for production.

#include <cstdint>
#include <mutex>

#include "core/random.h"

namespace gatehouse::testing {

class FakeRandom final : public core::Random {
 public:
  explicit FakeRandom(uint64_t seed = 42) : state_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    std::lock_guard lock(mu_);
    for (auto& b : out) {
      state_ += 0x9E3779B97F4A7C15ull;
      uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      b = static_cast<uint8_t>(z ^ (z >> 31));
    }
  }

 private:
  std::mutex mu_;
  uint64_t state_;
};

}  // namespace gatehouse::testing
