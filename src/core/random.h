#pragma once
// Random: the one source of randomness. Production uses crypto::SecureRandom (OpenSSL's CSPRNG);
// tests use a seeded FakeRandom. Implementations must be thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace gatehouse::core {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Never fails (a CSPRNG failure aborts: there is no safe
  // fallback).
  virtual void Fill(std::span<uint8_t> out) = 0;

  std::string Bytes(size_t n) {
    std::string s(n, '\0');
    Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(s.data()), s.size()));
    return s;
  }
};

}  // namespace gatehouse::core
