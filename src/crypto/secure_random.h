#pragma once
// SecureRandom: core::Random over OpenSSL's CSPRNG (RAND_bytes, per-thread DRBGs seeded from the
// operating system). The production source of every code, token, secret, nonce and salt.
// Stateless from the caller's view; thread-safe. Fill() never fails: if the CSPRNG cannot
// produce bytes the process aborts, because there is no safe fallback and continuing would
// issue guessable credentials.

#include <cstddef>
#include <span>
#include <string>

#include "core/random.h"

namespace gatehouse::crypto {

class SecureRandom final : public core::Random {
 public:
  void Fill(std::span<uint8_t> out) override;
};

// Minimum entropy of a bearer credential (RFC 6749 §10.10, RFC 9700 §4: at least 128 bits).
inline constexpr size_t kMinTokenBytes = 16;

// `bytes` random bytes as base64url text (32 bytes -> 43 characters, 256 bits). For codes,
// refresh tokens and secrets. `bytes` below kMinTokenBytes is a programming error (asserted).
std::string RandomToken(core::Random& random, size_t bytes = 32);

}  // namespace gatehouse::crypto
