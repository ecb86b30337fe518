#pragma once
// Digests, HMAC and constant-time comparison: the primitives behind stored token hashes, client
// secret verification (HMAC-SHA-256 under a server pepper) and PKCE.
//
// Results are raw bytes in std::string (encode with crypto/encoding.h when text is needed).
// Every function is thread-safe. None fails on any input; an OpenSSL fault that input cannot
// cause (allocation failure) throws CryptoFault.

#include <string>
#include <string_view>

#include "crypto/openssl_handles.h"

namespace gatehouse::crypto {

inline constexpr size_t kSha256Bytes = 32;
inline constexpr size_t kSha512Bytes = 64;

std::string Sha256(std::string_view data);     // 32 raw bytes
std::string Sha256Hex(std::string_view data);  // 64 lowercase hex digits
std::string Sha512(std::string_view data);     // 64 raw bytes

// HMAC-SHA-256 (RFC 2104), 32 raw bytes. Any key length is accepted.
std::string HmacSha256(std::string_view key, std::string_view data);

// HMAC-SHA-256 under one fixed key (the secret pepper), keyed once: Mac() skips re-deriving the
// inner and outer pads on every call. Immutable after construction; Mac() is thread-safe.
// Construction throws CryptoFault on an OpenSSL fault (a start-up path).
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  std::string Mac(std::string_view data) const;  // == HmacSha256(key, data)

 private:
  MacCtxPtr keyed_;
};

// True iff a and b hold the same bytes. The time taken depends only on the lengths, never on
// where the contents differ; unequal lengths return false (lengths of digests are public).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gatehouse::crypto
