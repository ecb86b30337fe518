#pragma once
// LoginThrottleRepository: the failed-login counters behind password throttling
// (oauth/login_throttle.h holds the policy). Rows are keyed by a hash of the login name the caller
// computes; this class never sees an email.
//
// RecordFailure is one atomic upsert, so concurrent failures for one name — on any number of
// processes sharing the database — are all counted. Thread-safe (stateless over a thread-safe
// Database). Failures: DatabaseError.

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

struct LoginThrottleRecord {
  int64_t failures = 0;
  int64_t window_started_at = 0;
  int64_t locked_until = 0;
};

class LoginThrottleRepository {
 public:
  explicit LoginThrottleRepository(Database& db) : db_(db) {}

  std::optional<LoginThrottleRecord> Get(std::string_view subject_hash);

  // Counts one failure at `now`. A window that started `window_seconds` or more ago starts afresh
  // with this failure. Returns the row after counting.
  LoginThrottleRecord RecordFailure(std::string_view subject_hash, int64_t now,
                                    int64_t window_seconds);

  // Refuses attempts until `locked_until`; the row lives until `expires_at`.
  void Lock(std::string_view subject_hash, int64_t locked_until, int64_t expires_at);

  // Forgets the name's failures (after a successful login). Expired rows are deleted by
  // store::GarbageCollection.
  void Clear(std::string_view subject_hash);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
