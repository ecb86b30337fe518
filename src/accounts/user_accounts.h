#pragma once
// UserAccounts: the users of this project and their sessions — the UserSessions the protocol layer
// uses, plus the account operations the management API needs (create, update, delete, search,
// revoke by id). Rules live here; rows live in store::UserRepository / SessionRepository.
//
//  - Emails are trimmed and lower-cased, and unique when present. Passwords are at least
//    kMinPasswordLength characters (at most kMaxPasswordLength bytes, so hashing input is bounded)
//    and stored only as Argon2id hashes (PasswordHasher). Hashes never leave this class.
//  - A session token is 256 bits from the CSPRNG (crypto::RandomToken), handed out once; only its
//    SHA-256 is stored, and Authenticate() is one indexed lookup by that hash (joined to the user).
//  - Password login does the same work for an unknown email, a user without a password and a
//    wrong password, and answers all three with one error (kUnauthorized, "invalid email or
//    password"). A disabled user with the right password gets kForbidden. With a LoginThrottle set,
//    a login name with too many recent failures gets kTooManyRequests (with Retry-After) before
//    any password is checked (login_throttle.h).
//  - session_jwt: a JWT signed by the current signing key (typ "JWT", aud = project id, sub =
//    user id, sid = session id), valid for min(5 minutes, the session's remaining life). Empty when
//    no key signs yet. It is a convenience for the application, not an access token.
//
// Errors are values: kBadRequest for invalid input (text names the field), kConflict for a
// duplicate email (description starts with kDuplicateEmail), kNotFound for unknown users or session
// ids, kUnauthorized for bad credentials and unknown, expired or revoked session tokens.
// Infrastructure faults (DatabaseError) propagate as exceptions.
//
// Thread-safe: no mutable state of its own; all references must outlive it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/login_throttle.h"
#include "accounts/password_hash.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "core/user.h"
#include "crypto/keyring.h"
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

struct UserAccountsOptions {
  std::string issuer;       // iss of session JWTs
  std::string project_id;   // aud of session JWTs
  std::string environment;  // "test" | "live", for ids
  int64_t session_jwt_ttl_seconds = 300;
};

// The keyring whose current key signs session JWTs (SigningKeys::Snapshot in production).
using KeyringSource = std::function<std::shared_ptr<const crypto::Keyring>()>;

class UserAccounts final : public UserSessions {
 public:
  UserAccounts(store::Database& db, const core::Clock& clock, core::Random& random,
               const PasswordHasher& passwords, KeyringSource keyring, UserAccountsOptions options);

  core::Result<core::User> CreateUser(const NewUser& user);
  core::Result<core::User> UpdateUser(std::string_view user_id, const UserChanges& changes);
  // Deletes the user and (cascade) their sessions.
  core::Result<void> DeleteUser(std::string_view user_id);
  core::Result<UserSearchPage> SearchUsers(const UserSearch& search);
  // Revokes the session with this id. kNotFound when no live session has it.
  core::Result<void> RevokeSessionById(std::string_view session_id);
  // Deletes expired and revoked sessions (the garbage collection job); returns how many.
  int64_t DeleteExpiredSessions();
  // A fresh session JWT for a live session (e.g. after Authenticate); empty when no key signs.
  std::string SessionJwt(const core::Session& session) const;
  // Start-up only: password logins go through this throttle (it must outlive this object).
  // Null: no throttling.
  void SetLoginThrottle(const LoginThrottle* throttle) { throttle_ = throttle; }

  // UserSessions.
  core::Result<IssuedSession> AuthenticatePassword(std::string_view email,
                                                   std::string_view password,
                                                   int64_t duration_seconds) override;
  core::Result<IssuedSession> CreateSession(std::string_view user_id,
                                            std::string_view authentication_method,
                                            int64_t duration_seconds) override;
  core::Result<ActiveSession> Authenticate(std::string_view session_token) override;
  void Revoke(std::string_view session_token) override;
  std::optional<core::User> FindUser(std::string_view user_id) override;

 private:
  IssuedSession Issue(const core::User& user, std::string_view authentication_method,
                      int64_t duration_seconds);
  std::string SignSessionJwt(const core::Session& session, int64_t now) const;

  store::Database& db_;
  const core::Clock& clock_;
  core::Random& random_;
  const PasswordHasher& passwords_;
  const KeyringSource keyring_;
  const UserAccountsOptions options_;
  const LoginThrottle* throttle_ = nullptr;
};

// Trims surrounding whitespace and lower-cases ASCII letters.
std::string NormalizeEmail(std::string_view email);

}  // namespace gatehouse::accounts
