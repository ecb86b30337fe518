#pragma once
// RefreshTokenRepository: refresh tokens, stored only as the hex SHA-256 of the token, each under
// a grant (its family). The family rule is core::RefreshTokenFamily's, carried out by
// oauth/refresh_token_grant; this class offers the atomic steps it needs, each one conditional
// UPDATE so concurrent requests cannot both win:
//
//   Rotate          old (current, unrevoked) -> rotated, replaced_by_hash = new; inserts new.
//   RetryWithinGrace  the exact previous token (its successor still current), rotated at most
//                   `grace` seconds ago and never retried, is retried once: grace_used = 1 and a
//                   fresh token is inserted; the successor stays valid, so the family then has
//                   two live branches. grace_used is claimed by the conditional UPDATE itself, so
//                   of concurrent retries on any number of processes exactly one wins.
//   Extend          a confidential client's token: new expiry, same token.
//
// Lookups are by primary key. Thread-safe (stateless over a thread-safe Database). Failures:
// DatabaseError; ConstraintViolation from Insert for a duplicate hash (an unknown grant is a
// DatabaseError: foreign key).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"
#include "store/grant_repository.h"

namespace gatehouse::store {

struct RefreshTokenRecord {
  std::string token_hash;  // hex SHA-256 of the token
  std::string grant_id;
  std::string client_id;
  std::string scope;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> rotated_at;
  std::optional<std::string> replaced_by_hash;
  bool grace_used = false;
  std::optional<int64_t> revoked_at;
};

class RefreshTokenRepository {
 public:
  explicit RefreshTokenRepository(Database& db) : db_(db) {}

  void Insert(const RefreshTokenRecord& token);
  static void Insert(Connection& c, const RefreshTokenRecord& token);

  std::optional<RefreshTokenRecord> Get(std::string_view token_hash);

  struct WithGrant {
    RefreshTokenRecord token;
    std::optional<GrantRecord> grant;  // absent only if the grant row is gone
    // The token that replaced it exists and is current (neither rotated nor revoked).
    bool successor_current = false;
  };
  // The token, its grant and whether its successor is current, in one statement: the refresh
  // grant reads them on every request.
  std::optional<WithGrant> GetWithGrant(std::string_view token_hash);

  // Returns false (and changes nothing) when `old_hash` is no longer current.
  bool Rotate(std::string_view old_hash, const RefreshTokenRecord& replacement, int64_t now);

  // Returns false (and changes nothing) unless `old_hash` is unrevoked, was rotated at or after
  // now - grace_seconds, has not been retried, and its successor is still current. Leaves the
  // successor as it is.
  bool RetryWithinGrace(std::string_view old_hash, const RefreshTokenRecord& replacement,
                        int64_t now, int64_t grace_seconds);

  // Moves the expiry of a current, unrevoked token; returns whether it did.
  bool Extend(std::string_view token_hash, int64_t expires_at);

  // Deletes tokens that expired before `now`; returns how many.
  int64_t DeleteExpired(int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
