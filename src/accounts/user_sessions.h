#pragma once
// UserSessions: who is signed in. The protocol layer (authorization endpoint, headless API,
// session exchange) only needs these operations; the implementation stores users and sessions
// through src/store (session tokens stored as SHA-256 hashes, passwords as Argon2id).
//
// Errors are values: wrong email/password -> kUnauthorized ("invalid email or password", the
// same text for both, and the same work whether or not the email exists); unknown, expired or
// revoked session token -> kUnauthorized; unknown user -> kNotFound. Thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/user.h"

namespace gatehouse::accounts {

struct IssuedSession {
  core::Session session;
  core::User user;
  std::string session_token;  // opaque, shown to the caller once; only its hash is stored
  std::string session_jwt;    // a short-lived signed JWT of the session (may be empty)
};

struct ActiveSession {
  core::Session session;
  core::User user;
};

class UserSessions {
 public:
  virtual ~UserSessions() = default;
  virtual core::Result<IssuedSession> AuthenticatePassword(std::string_view email,
                                                           std::string_view password,
                                                           int64_t duration_seconds) = 0;
  virtual core::Result<IssuedSession> CreateSession(std::string_view user_id,
                                                    std::string_view authentication_method,
                                                    int64_t duration_seconds) = 0;
  virtual core::Result<ActiveSession> Authenticate(std::string_view session_token) = 0;
  virtual void Revoke(std::string_view session_token) = 0;
  virtual std::optional<core::User> FindUser(std::string_view user_id) = 0;
};

}  // namespace gatehouse::accounts
