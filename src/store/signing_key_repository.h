#pragma once
// SigningKeyRepository: the JWS signing keys, their life cycle and what the JWKS publishes.
//
//   next ──► current ──► retired ──(publish_until passes)──► deleted
//
// A 'next' key is published before it signs; a 'retired' key stays published until
// publish_until, by when every token it signed has expired. Private keys arrive already
// encrypted (base64 of the master-key ciphertext); this repository never sees them in clear.
//
// Every change bumps the cache version kSigningKeysCacheName in the same transaction, so all
// processes reload their keyring within a poll interval. The Connection& overloads do the same on
// the caller's transaction, to compose several changes atomically (a rotation moves next→current
// and current→retired together).
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError;
// ConstraintViolation from Insert for a kid that exists; std::invalid_argument for a state
// outside next/current/retired (a caller defect).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace gatehouse::store {

inline constexpr std::string_view kKeyStateNext = "next";
inline constexpr std::string_view kKeyStateCurrent = "current";
inline constexpr std::string_view kKeyStateRetired = "retired";
inline constexpr std::string_view kSigningKeysCacheName = "signing_keys";

struct SigningKeyRecord {
  std::string kid;
  std::string alg;              // "RS256", "ES256", "EdDSA"
  std::string state;            // kKeyStateNext / kKeyStateCurrent / kKeyStateRetired
  std::string private_key_enc;  // base64 of the encrypted private key
  std::string public_jwk;       // the public JWK as JSON
  int64_t created_at = 0;
  std::optional<int64_t> activated_at;   // when it became current
  std::optional<int64_t> retired_at;     // when it was retired
  std::optional<int64_t> publish_until;  // retired keys: published while now < publish_until
};

class SigningKeyRepository {
 public:
  explicit SigningKeyRepository(Database& db) : db_(db) {}

  void Insert(const SigningKeyRecord& key);
  static void Insert(Connection& c, const SigningKeyRecord& key);

  std::optional<SigningKeyRecord> Get(std::string_view kid);
  // Every key, oldest first (for `keys list`).
  std::vector<SigningKeyRecord> ListAll();
  // What the JWKS and the keyring hold at `now`: every next and current key, and the retired
  // keys whose publish_until is after `now`; oldest first.
  std::vector<SigningKeyRecord> ListPublished(int64_t now);

  // Compare-and-set: moves key `kid` from `from_state` to `to_state` if it is in `from_state`,
  // stamping activated_at (to current) or retired_at (to retired) with `at`, and setting
  // publish_until. Returns whether it changed the key: of concurrent callers, one wins.
  bool TransitionState(std::string_view kid, std::string_view from_state, std::string_view to_state,
                       int64_t at, std::optional<int64_t> publish_until);
  static bool TransitionState(Connection& c, std::string_view kid, std::string_view from_state,
                              std::string_view to_state, int64_t at,
                              std::optional<int64_t> publish_until);

  // Deletes retired keys no longer published at `now`; returns how many.
  int64_t DeleteExpired(int64_t now);
  static int64_t DeleteExpired(Connection& c, int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
