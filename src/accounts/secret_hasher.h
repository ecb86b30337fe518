#pragma once
// SecretHasher: how Gatehouse stores the secrets it issues (project secret, client secrets,
// registration access tokens): base64url(HMAC-SHA-256(pepper, secret)). Secrets are 256-bit
// random values, so a slow password hash would buy nothing and cost throughput; the pepper
// (derived from the master key) means a stolen database alone cannot verify guesses offline.
//
// Immutable after construction; thread-safe. Never fails.

#include <string>
#include <string_view>

#include "crypto/hash.h"

namespace gatehouse::accounts {

class SecretHasher {
 public:
  explicit SecretHasher(std::string_view pepper) : key_(pepper) {}
  std::string Hash(std::string_view secret) const;
  // Constant-time comparison of Hash(secret) with `stored_hash`.
  bool Verify(std::string_view secret, std::string_view stored_hash) const;

 private:
  crypto::HmacSha256Key key_;
};

}  // namespace gatehouse::accounts
