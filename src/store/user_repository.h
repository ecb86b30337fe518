#pragma once
// UserRepository: the users table. Emails arrive already lower-cased (the oauth layer normalizes
// them) and an empty email is stored as NULL, so only real addresses must be unique. The password
// hash is an opaque encoded string (Argon2id) that this layer stores and returns but never reads.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError. Duplicate emails
// are answers, not exceptions (Insert returns false, Update returns kDuplicateEmail).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user.h"
#include "store/database.h"

namespace gatehouse::store {

struct UserRecord {
  core::User user;  // user.has_password mirrors password_hash
  std::optional<std::string> password_hash;
};

struct UserPage {
  std::vector<UserRecord> users;
  // Set when more users follow: pass it as `after_user_id` to read the next page.
  std::optional<std::string> next_after_user_id;
  int64_t total = 0;  // users matching the filter, over all pages
};

// The users columns in the order UserFromRow reads them, qualified by the table alias "u", for
// queries that join users to another table (sessions) in one round trip.
inline constexpr std::string_view kUserColumns =
    "u.user_id, u.email, u.email_verified, u.first_name, u.last_name, u.phone_number, "
    "u.external_id, u.status, u.password_hash, u.roles, u.organization_id, u.created_at, "
    "u.updated_at";
// Reads kUserColumns starting at column `first`.
UserRecord UserFromRow(const Row& row, size_t first);

class UserRepository {
 public:
  enum class UpdateOutcome { kUpdated, kNotFound, kDuplicateEmail };

  explicit UserRepository(Database& db) : db_(db) {}

  // False (and nothing stored) when another user has this email.
  bool Insert(const UserRecord& record);
  std::optional<UserRecord> Get(std::string_view user_id);
  // `email` must be lower-cased already.
  std::optional<UserRecord> FindByEmail(std::string_view email);
  // Replaces every column but user_id and created_at.
  UpdateOutcome Update(const UserRecord& record);
  // Replaces only the password hash (a rehash after login under stronger parameters).
  bool SetPasswordHash(std::string_view user_id, std::string_view password_hash,
                       int64_t updated_at);
  // Deletes the user; their sessions go with them (ON DELETE CASCADE). False when unknown.
  bool Delete(std::string_view user_id);
  // Users ordered by user_id, after `after_user_id` when set, at most `limit` (>= 1), optionally
  // only the one with `email`.
  UserPage List(const std::optional<std::string>& email,
                const std::optional<std::string>& after_user_id, int limit);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
