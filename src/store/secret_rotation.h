#pragma once
// Secret rotation in the store, written once for every table of clients that hold a secret
// (clients, m2m_clients):
//  - Start records the next secret's hash and last four characters (both secrets verify from then
//    on); it needs no rotation in progress.
//  - Complete makes the next secret the current one and forgets the old one; Cancel forgets the
//    next one. Both need a rotation in progress.
// Each step is one compare-and-set UPDATE, in a transaction that also bumps the table's cache
// version when it changed the row; when it changed nothing, one read tells why (RotationOutcome).
//
// The table must have the columns client_id, secret_hash, secret_last_four, next_secret_hash,
// next_secret_last_four and updated_at. Secrets never reach these functions: they store the keyed
// hashes they are given.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError.

#include <cstdint>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

// What a secret-rotation step found.
enum class RotationOutcome {
  kDone,
  kNotFound,
  kPublicClient,    // public clients have no secret
  kAlreadyStarted,  // StartSecretRotation while a rotation is in progress
  kNotStarted,      // Complete/Cancel without a rotation in progress
};

// The table a rotation changes.
struct SecretRotationTable {
  std::string_view table;       // "clients"
  std::string_view cache_name;  // the cache version its writes bump
  // True when the table holds public clients (an empty secret_hash), which have no secret to
  // rotate: the steps leave them alone and answer kPublicClient.
  bool has_public_clients = false;
};

RotationOutcome StartSecretRotation(Database& db, const SecretRotationTable& table,
                                    std::string_view client_id, std::string_view next_hash,
                                    std::string_view next_last_four, int64_t now);
RotationOutcome CompleteSecretRotation(Database& db, const SecretRotationTable& table,
                                       std::string_view client_id, int64_t now);
RotationOutcome CancelSecretRotation(Database& db, const SecretRotationTable& table,
                                     std::string_view client_id, int64_t now);

}  // namespace gatehouse::store
