#include "accounts/sessions.h"

#include <algorithm>
#include <boost/json/object.hpp>

#include "accounts/user_accounts.h"
#include "core/ids.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwt.h"
#include "crypto/secure_random.h"
#include "store/session_repository.h"
#include "store/user_repository.h"

namespace gatehouse::accounts {
namespace {

using core::Error;
using core::ErrorCode;

constexpr int64_t kMaxSessionSeconds = 366LL * 24 * 3600;
// Longer than any token RandomToken makes; anything longer is not ours and is not hashed.
constexpr size_t kMaxSessionTokenLength = 256;

const Error kBadCredentials(ErrorCode::kUnauthorized, "invalid email or password");
const Error kBadSession(ErrorCode::kUnauthorized, "session not found, expired or revoked");

core::Result<void> CheckDuration(int64_t seconds) {
  if (seconds <= 0 || seconds > kMaxSessionSeconds) {
    return Error(ErrorCode::kBadRequest, "session duration must be between 1 minute and 366 days");
  }
  return {};
}

std::string TokenHash(std::string_view token) {
  return crypto::Base64UrlEncode(crypto::Sha256(token));
}

}  // namespace

Sessions::Sessions(store::Database& db, const core::Clock& clock, core::Random& random,
                   const PasswordHasher& passwords, const LoginThrottle* throttle,
                   KeyringSource keyring, SessionOptions options)
    : db_(db),
      clock_(clock),
      random_(random),
      passwords_(passwords),
      throttle_(throttle),
      keyring_(std::move(keyring)),
      options_(std::move(options)) {}

core::Result<void> Sessions::RevokeSessionById(std::string_view session_id) {
  if (!store::SessionRepository(db_).RevokeById(session_id, clock_.NowSeconds())) {
    return Error(ErrorCode::kNotFound, "session not found");
  }
  return {};
}

int64_t Sessions::DeleteExpiredSessions() {
  return store::SessionRepository(db_).DeleteExpired(clock_.NowSeconds());
}

core::Result<IssuedSession> Sessions::AuthenticatePassword(std::string_view email,
                                                           std::string_view password,
                                                           int64_t duration_seconds) {
  if (auto ok = CheckDuration(duration_seconds); !ok) return ok.error();
  // Over-long passwords are refused before any lookup, for every email alike.
  if (password.empty() || password.size() > kMaxPasswordLength) return kBadCredentials;
  const std::string normalized = NormalizeEmail(email);
  const std::string subject = throttle_ ? LoginThrottle::SubjectFor(normalized) : std::string();
  LoginThrottle::Admission admission;
  if (throttle_) {
    auto admitted = throttle_->Admit(subject);
    if (!admitted) return admitted.error();
    admission = *admitted;
  }
  store::UserRepository users(db_);
  std::optional<store::UserRecord> record = users.FindByEmail(normalized);
  if (!record || !record->password_hash) {
    passwords_.VerifyNothing();
    if (throttle_) throttle_->RecordFailure(subject);
    return kBadCredentials;
  }
  if (!passwords_.Verify(password, *record->password_hash)) {
    if (throttle_) throttle_->RecordFailure(subject);
    return kBadCredentials;
  }
  if (throttle_) throttle_->RecordSuccess(subject, admission);
  if (record->user.status != "active") return Error(ErrorCode::kForbidden, "user is disabled");
  if (passwords_.NeedsRehash(*record->password_hash)) {
    // Upgrade a hash made under older parameters while the password is at hand.
    users.SetPasswordHash(record->user.user_id, passwords_.Hash(password), clock_.NowSeconds());
  }
  return Issue(record->user, "password", duration_seconds);
}

core::Result<IssuedSession> Sessions::CreateSession(std::string_view user_id,
                                                    std::string_view authentication_method,
                                                    int64_t duration_seconds) {
  if (auto ok = CheckDuration(duration_seconds); !ok) return ok.error();
  std::optional<store::UserRecord> record = store::UserRepository(db_).Get(user_id);
  if (!record) return Error(ErrorCode::kNotFound, "user not found");
  if (record->user.status != "active") return Error(ErrorCode::kForbidden, "user is disabled");
  return Issue(record->user, authentication_method, duration_seconds);
}

core::Result<ActiveSession> Sessions::Authenticate(std::string_view session_token) {
  if (session_token.empty() || session_token.size() > kMaxSessionTokenLength) return kBadSession;
  std::optional<store::SessionWithUser> found =
      store::SessionRepository(db_).FindByTokenHash(TokenHash(session_token));
  if (!found) return kBadSession;
  const int64_t now = clock_.NowSeconds();
  if (found->session.revoked_at || found->session.session.expires_at <= now ||
      found->user.user.status != "active") {
    return kBadSession;
  }
  return ActiveSession{std::move(found->session.session), std::move(found->user.user)};
}

void Sessions::Revoke(std::string_view session_token) {
  if (session_token.empty() || session_token.size() > kMaxSessionTokenLength) return;
  store::SessionRepository(db_).RevokeByTokenHash(TokenHash(session_token), clock_.NowSeconds());
}

std::optional<core::User> Sessions::FindUser(std::string_view user_id) {
  std::optional<store::UserRecord> record = store::UserRepository(db_).Get(user_id);
  if (!record) return std::nullopt;
  return std::move(record->user);
}

std::string Sessions::SessionJwt(const core::Session& session) const {
  return SignSessionJwt(session, clock_.NowSeconds());
}

IssuedSession Sessions::Issue(const core::User& user, std::string_view authentication_method,
                              int64_t duration_seconds) {
  const int64_t now = clock_.NowSeconds();
  IssuedSession issued;
  issued.user = user;
  issued.session_token = crypto::RandomToken(random_, 32);
  store::SessionRecord record;
  record.session.session_id = core::NewId(random_, "session", options_.environment);
  record.session.user_id = user.user_id;
  record.session.authenticated_at = now;
  record.session.expires_at = now + duration_seconds;
  record.session.authentication_method = std::string(authentication_method);
  record.token_hash = TokenHash(issued.session_token);
  record.created_at = now;
  store::SessionRepository(db_).Insert(record);
  issued.session = std::move(record.session);
  issued.session_jwt = SignSessionJwt(issued.session, now);
  return issued;
}

std::string Sessions::SignSessionJwt(const core::Session& session, int64_t now) const {
  if (!keyring_) return {};
  const std::shared_ptr<const crypto::Keyring> keyring = keyring_();
  if (!keyring || keyring->Current() == nullptr) return {};
  boost::json::object claims;
  claims["iss"] = options_.issuer;
  claims["aud"] = options_.project_id;
  claims["sub"] = session.user_id;
  claims["sid"] = session.session_id;
  claims["iat"] = now;
  claims["nbf"] = now;
  claims["exp"] = std::min(now + options_.session_jwt_ttl_seconds, session.expires_at);
  claims["auth_time"] = session.authenticated_at;
  return crypto::SignJwt(*keyring->Current(), "JWT", claims);
}

}  // namespace gatehouse::accounts
