#pragma once
// UserAccounts: the users of this project — the account operations the management API needs
// (create, update, delete, search, find). Signing in and sessions are accounts::Sessions'
// (sessions.h). Rules live here; rows live in store::UserRepository.
//
//  - Emails are trimmed and lower-cased (NormalizeEmail, which sign-in applies too), and unique
//    when present. Passwords are at least kMinPasswordLength characters (at most
//    kMaxPasswordLength bytes, so hashing input is bounded) and stored only as Argon2id hashes
//    (PasswordHasher). Hashes never leave this class and Sessions, which verifies them.
//  - A new password, or removing it, revokes every session of the user; deleting a user deletes
//    their sessions (cascade).
//
// Errors are values: kBadRequest for invalid input (text names the field), kConflict for a
// duplicate email (description starts with kDuplicateEmail), kNotFound for unknown users.
// Infrastructure faults (DatabaseError) propagate as exceptions.
//
// Thread-safe: no mutable state of its own; all references must outlive it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/password_hash.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "core/user.h"
#include "store/database.h"

namespace gatehouse::accounts {

inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 1024;
// Prefix of the description of a duplicate-email kConflict error, used by the API as error_type.
inline constexpr std::string_view kDuplicateEmail = "duplicate_email";

struct NewUser {
  std::string email;  // may be empty: a user without an email
  bool email_verified = false;
  std::string first_name;
  std::string last_name;
  std::string phone_number;
  std::string external_id;
  std::string status = "active";
  std::vector<std::string> roles;
  std::optional<std::string> organization_id;
  std::optional<std::string> password;
};

// A partial update: only the fields that are set change. An empty `password` is invalid; use
// remove_password to clear it.
struct UserChanges {
  std::optional<std::string> email;
  std::optional<bool> email_verified;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone_number;
  std::optional<std::string> external_id;
  std::optional<std::string> status;
  std::optional<std::vector<std::string>> roles;
  std::optional<std::string> organization_id;
  std::optional<std::string> password;
  bool remove_password = false;
};

struct UserSearch {
  std::optional<std::string> email;
  std::optional<std::string> after_user_id;
  int limit = 100;
};

struct UserSearchPage {
  std::vector<core::User> users;
  std::optional<std::string> next_after_user_id;
  int64_t total = 0;
};

class UserAccounts {
 public:
  // `environment`: "test" | "live", for user ids.
  UserAccounts(store::Database& db, const core::Clock& clock, core::Random& random,
               const PasswordHasher& passwords, std::string environment);

  core::Result<core::User> CreateUser(const NewUser& user);
  core::Result<core::User> UpdateUser(std::string_view user_id, const UserChanges& changes);
  // Deletes the user and (cascade) their sessions.
  core::Result<void> DeleteUser(std::string_view user_id);
  core::Result<UserSearchPage> SearchUsers(const UserSearch& search);
  std::optional<core::User> FindUser(std::string_view user_id);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  core::Random& random_;
  const PasswordHasher& passwords_;
  const std::string environment_;
};

// Trims surrounding whitespace and lower-cases ASCII letters.
std::string NormalizeEmail(std::string_view email);

}  // namespace gatehouse::accounts
