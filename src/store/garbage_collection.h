#pragma once
// GarbageCollection: deletes rows nothing can use any more, in bounded batches, so a large
// backlog never becomes one long transaction holding locks on a shared PostgreSQL.
//
// What goes, and why it is safe:
//  - authorization codes whose expires_at has passed (a code is refused at its expiry);
//  - sessions whose expires_at has passed (revocation pulls expires_at back, so revoked ones too);
//  - exchanged_access_tokens rows whose expires_at has passed (the token is too old to exchange);
//  - login_throttles rows whose expires_at has passed (window over, lock lifted);
//  - refresh tokens `access_token_retention_seconds` after their expiry. The extra time is what
//    lets the grant rule below know that no access token minted from them is still alive;
//  - revoked grants `access_token_retention_seconds` after revocation, and unrevoked grants that
//    hold no authorization code and no refresh token and were created more than
//    `access_token_retention_seconds` ago: every access token issued under them has expired.
//    (Deleting a grant cascades to anything left under it.) Idle grants cannot be found through
//    an index, and most old grants are alive (they hold a refresh token), so they are found by
//    walking the grants in (created_at, grant_id) order, `batch_size` keys at a time, each batch a
//    short read followed by a delete of the idle ones among those keys; the walk resumes where the
//    previous run stopped (idle_grant_cursor) and starts over after the newest eligible grant.
//    Measured on 1M grants: one statement that searched them all held SQLite's write lock ~5 s.
// `access_token_retention_seconds` must be at least the longest access-token lifetime any client
// can have; the application passes max(server TTL, the per-client maximum) plus a margin.
//
// Each statement deletes at most `batch_size` rows, chosen through the table's expiry (or
// revocation/creation) index; a table is revisited until a batch comes back short or the time
// budget is spent, and the next run continues where this one stopped.
//
// Thread-safe (stateless over a thread-safe Database); meant to run in one process at a time
// (Maintenance's exclusive jobs), though concurrent runs would only repeat work. Failures:
// DatabaseError propagates (the Maintenance loop logs it and tries again next period).

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "store/database.h"

namespace gatehouse::store {

struct GarbageCollectionOptions {
  int64_t access_token_retention_seconds = 0;
  int64_t batch_size = 1000;
  // Wall-clock budget for one run; checked between batches.
  std::chrono::milliseconds time_budget{5000};
  // Where the previous run's idle-grant scan stopped (GarbageCollectionReport::idle_grant_cursor);
  // empty: from the start.
  std::pair<int64_t, std::string> idle_grant_cursor{};
};

struct GarbageCollectionReport {
  int64_t authorization_codes = 0;
  int64_t sessions = 0;
  int64_t exchanged_access_tokens = 0;
  int64_t login_throttles = 0;
  int64_t refresh_tokens = 0;
  int64_t grants = 0;
  bool finished = true;                                 // false when the time budget ran out first
  std::pair<int64_t, std::string> idle_grant_cursor{};  // pass to the next run's options

  int64_t total() const {
    return authorization_codes + sessions + exchanged_access_tokens + login_throttles +
           refresh_tokens + grants;
  }
};

class GarbageCollection {
 public:
  GarbageCollection(Database& db, GarbageCollectionOptions options) : db_(db), options_(options) {}

  // One run at time `now` (Unix seconds).
  GarbageCollectionReport Collect(int64_t now);

 private:
  Database& db_;
  const GarbageCollectionOptions options_;
};

}  // namespace gatehouse::store
