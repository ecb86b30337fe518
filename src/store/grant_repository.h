#pragma once
// GrantRepository: grants (a user's authorization of a client for a scope and resources), the
// parent of every authorization code and refresh token issued under them; access tokens name
// their grant in a claim so revocation is checked by primary-key lookup.
//
// Revoking a grant sets grants.revoked_at and revokes its refresh tokens in the same statement
// batch (the Connection& overload composes with the caller's transaction). Deleting a user or a
// client deletes their grants (ON DELETE CASCADE), and with them codes and refresh tokens.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError;
// ConstraintViolation from Insert for a duplicate grant id; DatabaseError for an unknown user
// or client (foreign keys).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace gatehouse::store {

struct GrantRecord {
  std::string grant_id;
  std::string user_id;
  std::string client_id;
  std::string scope;                  // space-delimited, as core::ScopeSet::ToString prints it
  std::string resources_json = "[]";  // JSON array of RFC 8707 resource URIs
  int64_t auth_time = 0;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

// Decodes a grant from `row`, whose columns from `first` on are grant_id, user_id, client_id,
// scope, resources, auth_time, created_at, revoked_at (for repositories that join grants into
// their own queries).
GrantRecord GrantFromRow(const Row& row, size_t first = 0);

class GrantRepository {
 public:
  explicit GrantRepository(Database& db) : db_(db) {}

  void Insert(const GrantRecord& grant);
  static void Insert(Connection& c, const GrantRecord& grant);

  std::optional<GrantRecord> Get(std::string_view grant_id);
  static std::optional<GrantRecord> Get(Connection& c, std::string_view grant_id);

  // True when the grant exists and is not revoked (one primary-key lookup).
  bool IsActive(std::string_view grant_id);

  // Revokes the grant and every refresh token under it; returns whether the grant was active.
  bool Revoke(std::string_view grant_id, int64_t now);
  static bool Revoke(Connection& c, std::string_view grant_id, int64_t now);

  // Revokes every active grant of `user_id` for `client_id`; returns how many.
  int64_t RevokeForUserAndClient(std::string_view user_id, std::string_view client_id, int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
