#pragma once
// PasswordHasher: user passwords as Argon2id (libsodium crypto_pwhash_str), the memory-hard hash
// that makes an offline guess cost as much as the parameters say. The encoded result carries its
// own salt and parameters, so hashes made under older parameters keep verifying and NeedsRehash()
// tells when to upgrade one after a successful login.
//
// Cost: with kInteractive (libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: 2 passes, 64 MiB) one hash
// or verification takes ~50 ms of one core and 64 MiB of memory. Calls run on the HTTP worker
// threads, lending their CPU slot (http/worker_pool.h) while they wait and hash; a semaphore lets
// at most `max_concurrent` of them hash at once, which bounds the memory in use
// (max_concurrent x 64 MiB) when many logins arrive together; the other callers wait their turn.
//
// VerifyNothing() does the work of one verification against a hash of a random password (made on
// first use, so processes that never log anyone in — CLI commands — never pay for it), so a login
// for an unknown email costs what a wrong password costs and its timing does not reveal which
// emails exist.
//
// Thread-safe. Construction throws std::runtime_error when libsodium cannot initialise (start-up
// path); Hash() throws std::runtime_error only when the memory for the hash cannot be allocated
// (an infrastructure fault, never caused by input). Verify() returns false for any malformed hash.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <string_view>

namespace gatehouse::accounts {

struct PasswordHashCost {
  uint64_t ops_limit;
  size_t mem_limit;  // bytes
};

// libsodium's interactive limits: the production setting for a small server.
PasswordHashCost InteractivePasswordCost();
// libsodium's minimum limits: for tests only (a hash in well under a millisecond).
PasswordHashCost MinimumPasswordCost();

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashCost cost, int max_concurrent = 2);
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // The Argon2id encoded string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash").
  std::string Hash(std::string_view password) const;
  // True iff `password` matches `encoded`.
  bool Verify(std::string_view password, std::string_view encoded) const;
  // The same work as Verify() with a wrong password; the result is always "no match".
  void VerifyNothing() const;
  // True when `encoded` was made under other parameters than this hasher's (or is malformed).
  bool NeedsRehash(std::string_view encoded) const;

 private:
  bool VerifyUnthrottled(std::string_view password, std::string_view encoded) const;

  const PasswordHashCost cost_;
  // Bounds concurrent hashing (memory); mutable because waiting on it does not change the hasher.
  mutable std::unique_ptr<std::counting_semaphore<>> slots_;
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;  // written once, under dummy_once_
};

}  // namespace gatehouse::accounts
