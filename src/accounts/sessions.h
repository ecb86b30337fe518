#pragma once
// Sessions: who is signed in — the UserSessions the protocol layer and the pages use (password
// sign-in, session create/authenticate/revoke), plus what the management API needs beyond it
// (revoke by id, a fresh session JWT) and the removal of spent sessions. The users themselves are
// UserAccounts' (user_accounts.h). Rows live in store::SessionRepository and UserRepository.
//
//  - A session token is 256 bits from the CSPRNG (crypto::RandomToken), handed out once; only its
//    SHA-256 is stored, and Authenticate() is one indexed lookup by that hash (joined to the user).
//  - Password sign-in looks the email up as UserAccounts stores it (NormalizeEmail), does the same
//    work for an unknown email, a user without a password and a wrong password, and answers all
//    three with one error (kUnauthorized, "invalid email or password"). A disabled user with the
//    right password gets kForbidden. With a LoginThrottle, a login name with too many recent
//    failures gets kTooManyRequests (with Retry-After) before any password is checked
//    (login_throttle.h). A hash made under older parameters is replaced while the password is at
//    hand.
//  - session_jwt: a JWT signed by the current signing key (typ "JWT", aud = project id, sub =
//    user id, sid = session id), valid for min(5 minutes, the session's remaining life). Empty when
//    no key signs yet. It is a convenience for the application, not an access token.
//
// Errors are values: kBadRequest for a session duration out of range, kNotFound for unknown users
// or session ids, kUnauthorized for bad credentials and unknown, expired or revoked session
// tokens, kForbidden for a disabled user. Infrastructure faults (DatabaseError) propagate as
// exceptions.
//
// Thread-safe: no mutable state of its own; all references must outlive it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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

struct SessionOptions {
  std::string issuer;       // iss of session JWTs
  std::string project_id;   // aud of session JWTs
  std::string environment;  // "test" | "live", for ids
  int64_t session_jwt_ttl_seconds = 300;
};

// The keyring whose current key signs session JWTs (SigningKeys::Snapshot in production).
using KeyringSource = std::function<std::shared_ptr<const crypto::Keyring>()>;

class Sessions final : public UserSessions {
 public:
  // `throttle` may be null: password sign-in is not throttled.
  Sessions(store::Database& db, const core::Clock& clock, core::Random& random,
           const PasswordHasher& passwords, const LoginThrottle* throttle, KeyringSource keyring,
           SessionOptions options);

  // Revokes the session with this id. kNotFound when no live session has it.
  core::Result<void> RevokeSessionById(std::string_view session_id);
  // Deletes expired and revoked sessions; returns how many.
  int64_t DeleteExpiredSessions();
  // A fresh session JWT for a live session (e.g. after Authenticate); empty when no key signs.
  std::string SessionJwt(const core::Session& session) const;

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
  const LoginThrottle* const throttle_;
  const KeyringSource keyring_;
  const SessionOptions options_;
};

}  // namespace gatehouse::accounts
