#pragma once
// SessionRepository: users' signed-in sessions. A session token is never stored: callers pass its
// SHA-256 (token_hash), and every token lookup is an indexed lookup by that hash. A session row
// belongs to its user (ON DELETE CASCADE). Revoking stamps revoked_at and pulls expires_at back to
// the revocation time, so DeleteExpired (over the expires_at index) collects revoked sessions too.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError;
// ConstraintViolation from Insert for a session_id or token_hash that exists. Inserting a session
// for a user that does not exist is a DatabaseError (foreign key), i.e. a caller defect or a race
// with deletion.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user.h"
#include "store/database.h"
#include "store/user_repository.h"

namespace gatehouse::store {

struct SessionRecord {
  core::Session session;
  std::string token_hash;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

// A session and its user, read together in one round trip.
struct SessionWithUser {
  SessionRecord session;
  UserRecord user;
};

class SessionRepository {
 public:
  explicit SessionRepository(Database& db) : db_(db) {}

  void Insert(const SessionRecord& record);
  // The session with this token hash (revoked and expired ones included: the caller decides,
  // with its clock) and its user.
  std::optional<SessionWithUser> FindByTokenHash(std::string_view token_hash);
  std::optional<SessionRecord> Get(std::string_view session_id);
  // Sessions of the user not revoked and expiring after `now`, newest first.
  std::vector<SessionRecord> ListActiveForUser(std::string_view user_id, int64_t now);
  // Revokes the live session with this token hash / id. False when there is none (unknown,
  // already revoked): revocation is idempotent.
  bool RevokeByTokenHash(std::string_view token_hash, int64_t now);
  bool RevokeById(std::string_view session_id, int64_t now);
  // Revokes every live session of the user; returns how many.
  int64_t RevokeAllForUser(std::string_view user_id, int64_t now);
  // Deletes sessions whose expires_at is at or before `now` (expired or revoked); returns how
  // many.
  int64_t DeleteExpired(int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
