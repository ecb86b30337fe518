#include "store/login_throttle_repository.h"

#include <string>

namespace gatehouse::store {

std::optional<LoginThrottleRecord> LoginThrottleRepository::Get(std::string_view subject_hash) {
  std::optional<LoginThrottleRecord> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "SELECT failures, window_started_at, locked_until FROM login_throttles "
        "WHERE subject_hash = ?",
        {std::string(subject_hash)});
    if (!rows.empty()) found = LoginThrottleRecord{rows[0].Int(0), rows[0].Int(1), rows[0].Int(2)};
  });
  return found;
}

LoginThrottleRecord LoginThrottleRepository::RecordFailure(std::string_view subject_hash,
                                                           int64_t now, int64_t window_seconds) {
  const int64_t stale_before = now - window_seconds;
  LoginThrottleRecord record;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "INSERT INTO login_throttles (subject_hash, failures, window_started_at, locked_until, "
        "expires_at) VALUES (?, 1, ?, 0, ?) "
        "ON CONFLICT (subject_hash) DO UPDATE SET "
        "failures = CASE WHEN login_throttles.window_started_at <= ? THEN 1 "
        "ELSE login_throttles.failures + 1 END, "
        "window_started_at = CASE WHEN login_throttles.window_started_at <= ? THEN ? "
        "ELSE login_throttles.window_started_at END, "
        "expires_at = CASE WHEN login_throttles.expires_at > ? THEN login_throttles.expires_at "
        "ELSE ? END "
        "RETURNING failures, window_started_at, locked_until",
        {std::string(subject_hash), now, now + window_seconds, stale_before, stale_before, now,
         now + window_seconds, now + window_seconds});
    record = LoginThrottleRecord{rows.at(0).Int(0), rows.at(0).Int(1), rows.at(0).Int(2)};
  });
  return record;
}

void LoginThrottleRepository::Lock(std::string_view subject_hash, int64_t locked_until,
                                   int64_t expires_at) {
  db_.Run([&](Connection& c) {
    c.Execute(
        "UPDATE login_throttles SET locked_until = ?, "
        "expires_at = CASE WHEN expires_at > ? THEN expires_at ELSE ? END WHERE subject_hash = ?",
        {locked_until, expires_at, expires_at, std::string(subject_hash)});
  });
}

void LoginThrottleRepository::Clear(std::string_view subject_hash) {
  db_.Run([&](Connection& c) {
    c.Execute("DELETE FROM login_throttles WHERE subject_hash = ?", {std::string(subject_hash)});
  });
}

}  // namespace gatehouse::store
