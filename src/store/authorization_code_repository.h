#pragma once
// AuthorizationCodeRepository: authorization codes, stored only as the hex SHA-256 of the code,
// each bound to its grant, client, redirect URI, PKCE challenge and nonce.
//
// Single use: MarkUsed is one conditional UPDATE (... WHERE code_hash = ? AND used_at IS NULL), so
// of any number of concurrent redemptions exactly one wins, on both engines. Lookups are by
// primary key. Expired codes are deleted by DeleteExpired (garbage collection).
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError;
// ConstraintViolation from Insert for a duplicate hash; DatabaseError for an unknown grant.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

struct AuthorizationCodeRecord {
  std::string code_hash;  // hex SHA-256 of the code
  std::string grant_id;
  std::string client_id;
  std::string redirect_uri;
  bool redirect_uri_sent = false;
  std::optional<std::string> code_challenge;  // S256 challenge
  std::optional<std::string> nonce;
  int64_t auth_time = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
};

class AuthorizationCodeRepository {
 public:
  explicit AuthorizationCodeRepository(Database& db) : db_(db) {}

  void Insert(const AuthorizationCodeRecord& code);
  static void Insert(Connection& c, const AuthorizationCodeRecord& code);

  std::optional<AuthorizationCodeRecord> Get(std::string_view code_hash);

  // Sets used_at when the code is unused; returns whether this call used it.
  bool MarkUsed(std::string_view code_hash, int64_t now);

  // Deletes codes that expired before `now`; returns how many.
  int64_t DeleteExpired(int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
