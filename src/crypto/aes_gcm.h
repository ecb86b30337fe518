#pragma once
// Authenticated encryption with AES-256-GCM, for private signing keys at rest (under the master
// key) and for authorization state cookies.
//
// Sealed format: nonce (12 bytes) || ciphertext || tag (16 bytes). The nonce is drawn from the
// injected core::Random for every message; with random 96-bit nonces one key must seal fewer
// than 2^32 messages (NIST SP 800-38D §8.3), far beyond a master key's or cookie key's use.
// `aad` is authenticated but not stored: Open must be given the same aad (bind a sealed value to
// its purpose and owner, e.g. "signing-key:<kid>", so a blob cannot be moved to another row).
//
// Pure functions; thread-safe. Open returns std::nullopt on any failure (wrong key, wrong aad,
// truncated or modified input) and never says which. Seal with a key that is not 32 bytes is a
// configuration error and throws std::invalid_argument (keys are checked at start-up); an
// OpenSSL fault throws CryptoFault.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.h"

namespace gatehouse::crypto {

inline constexpr size_t kAesGcmKeyBytes = 32;
inline constexpr size_t kAesGcmNonceBytes = 12;
inline constexpr size_t kAesGcmTagBytes = 16;
inline constexpr size_t kAesGcmOverhead = kAesGcmNonceBytes + kAesGcmTagBytes;

std::string Seal(std::string_view key32, std::string_view plaintext, std::string_view aad,
                 core::Random& random);

std::optional<std::string> Open(std::string_view key32, std::string_view sealed,
                                std::string_view aad);

}  // namespace gatehouse::crypto
