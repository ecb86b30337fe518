#pragma once
// Keyring: an immutable snapshot of the issuer's signing keys — which one signs, which ones
// verify, and the JWKS document that publishes them.
//
// Key states: kNext keys are published (and accepted) before they sign, so relying parties
// that cache the JWKS already know a key when it becomes current; exactly zero or one kCurrent
// key signs; kRetired keys no longer sign but stay published and accepted until publish_until
// (unix seconds), the moment every token they signed has expired. publish_until matters only for
// retired keys. Next keys are accepted for verification too: another server process sharing the
// database may have promoted one to current before this process loads the new snapshot.
//
// Sharing: build one with Create() and hand it out as std::shared_ptr<const Keyring>. Readers
// load the current pointer and keep it for the duration of a request, so the SigningKey and
// VerificationKey pointers they obtained stay valid; rotation (the oauth and app layers) builds a
// new snapshot and swaps the pointer atomically (std::atomic<std::shared_ptr<const Keyring>>).
// A Keyring is never modified after Create(), so every method is thread-safe. Persistence and
// rotation policy live in the store and app layers.
//
// Failures: Create() returns kServerError when entries are inconsistent (two keys with one kid,
// more than one current key); that is a bug or corrupt store, never client input.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/signing_key.h"
#include "crypto/verification_key.h"

namespace gatehouse::crypto {

enum class KeyState { kNext, kCurrent, kRetired };

// "next", "current", "retired" (for storage and the operator CLI).
std::string_view KeyStateName(KeyState state);

struct KeyringEntry {
  SigningKey key;
  KeyState state;
  int64_t publish_until = 0;  // unix seconds; retired keys only
};

class Keyring {
 public:
  // `now_unix_seconds` decides which retired keys are still published.
  static core::Result<std::shared_ptr<const Keyring>> Create(std::vector<KeyringEntry> entries,
                                                             int64_t now_unix_seconds);

  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // The key that signs new tokens; nullptr when there is none.
  const SigningKey* Current() const { return current_; }
  // A published key (next, current or unexpired retired) by kid; nullptr otherwise.
  const VerificationKey* Find(std::string_view kid) const;
  // {"keys":[…]} with the public JWK of every published key, current first, then next, then
  // retired; built once at Create().
  const std::string& JwksJson() const { return jwks_json_; }
  // Every entry given to Create(), including retired keys no longer published (for cleanup).
  const std::vector<KeyringEntry>& Entries() const { return entries_; }

 private:
  Keyring() = default;

  std::vector<KeyringEntry> entries_;
  std::vector<VerificationKey> published_;
  const SigningKey* current_ = nullptr;  // points into entries_, which never changes
  std::string jwks_json_;
};

}  // namespace gatehouse::crypto
