#pragma once
// SigningKeys: the issuer's signing keys as the protocol layer sees them — an atomically swapped
// crypto::Keyring snapshot loaded from the database, plus the key life cycle:
//
//   EnsureKeys()    on start: creates the first current key and the pre-published next key,
//                   exactly once however many processes start at once;
//   Rotate()        next -> current, current -> retired (published until every token it signed
//                   has expired), and a fresh next key; coordinated across processes;
//   RotateIfDue()   Rotate() when the current key is older than the rotation period;
//   Reload()        rebuilds the snapshot (called when the signing_keys cache version moves).
//
// Coordination: every change runs in one transaction that first bumps the signing_keys cache
// version (an upsert that takes a row lock on PostgreSQL and the write lock on SQLite), then
// re-reads the key states and applies compare-and-set transitions; a second process that raced
// sees the first one's result and does nothing. Private keys are sealed with AES-256-GCM under
// the master key, bound to their kid.
//
// Thread-safety: all methods are thread-safe; Snapshot() is a lock-free atomic load for the hot
// path. Failures: DatabaseError from the store; a stored key that cannot be decrypted (wrong
// master key) throws core::InfrastructureError(non-transient) with a clear message.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "crypto/algorithm.h"
#include "crypto/keyring.h"
#include "store/database.h"
#include "store/signing_key_repository.h"

namespace gatehouse::accounts {

struct SigningKeyPolicy {
  crypto::Algorithm algorithm = crypto::Algorithm::kRs256;
  int64_t rotation_seconds = 30LL * 24 * 3600;  // 0: no scheduled rotation
  // How long a retired key stays published: the longest lifetime of a token it may have signed.
  int64_t retired_publish_seconds = 3600;
};

// One row of `gatehouse keys list`.
struct SigningKeyInfo {
  std::string kid;
  std::string alg;
  std::string state;
  int64_t created_at = 0;
  std::optional<int64_t> activated_at;
  std::optional<int64_t> publish_until;
};

class SigningKeys {
 public:
  SigningKeys(store::Database& db, const core::Clock& clock, core::Random& random,
              std::string master_key, SigningKeyPolicy policy);

  void EnsureKeys();
  // Returns the kid of the key that signs after the rotation.
  std::string Rotate();
  bool RotateIfDue();
  void Reload();
  // Deletes retired keys whose publication window has passed; returns how many.
  int64_t DeleteExpired();

  std::shared_ptr<const crypto::Keyring> Snapshot() const { return keyring_.load(); }
  std::vector<SigningKeyInfo> List() const;

 private:
  struct KeyStateView {
    bool has_current = false;
    bool has_next = false;
    int64_t current_activated_at = 0;
  };
  // A fresh key, sealed under the master key, as a 'next' record.
  store::SigningKeyRecord NewSealedKey(int64_t now);
  // Under the key-change lock: when `wanted` approves the states it sees, retires the current key
  // (if `rotate`), promotes next (or a new key) to current and fills the next slot. Returns
  // whether it changed anything.
  bool Change(bool rotate, const std::function<bool(const KeyStateView&)>& wanted);

  store::Database& db_;
  const core::Clock& clock_;
  core::Random& random_;
  const std::string master_key_;
  const SigningKeyPolicy policy_;
  std::atomic<std::shared_ptr<const crypto::Keyring>> keyring_;
  std::atomic<int64_t> activated_at_{0};  // of the current key in the loaded snapshot
};

}  // namespace gatehouse::accounts
