#include "store/refresh_token_repository.h"

namespace gatehouse::store {
namespace {

// Columns TokenFromRow reads, in its order; a join puts other tables' columns after them.
constexpr size_t kRefreshTokenColumnCount = 10;
// Columns GrantFromRow reads.
constexpr size_t kGrantColumnCount = 8;

RefreshTokenRecord TokenFromRow(const Row& r) {
  return RefreshTokenRecord{
      .token_hash = r.Text(0),
      .grant_id = r.Text(1),
      .client_id = r.Text(2),
      .scope = r.Text(3),
      .created_at = r.Int(4),
      .expires_at = r.Int(5),
      .rotated_at = r.OptionalInt(6),
      .replaced_by_hash = r.OptionalText(7),
      .grace_used = r.Bool(8),
      .revoked_at = r.OptionalInt(9),
  };
}

}  // namespace

std::optional<RefreshTokenRepository::WithGrant> RefreshTokenRepository::GetWithGrant(
    std::string_view token_hash) {
  std::optional<WithGrant> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "SELECT t.token_hash, t.grant_id, t.client_id, t.scope, t.created_at, t.expires_at, "
        "t.rotated_at, t.replaced_by_hash, t.grace_used, t.revoked_at, g.grant_id, g.user_id, "
        "g.client_id, g.scope, g.resources, g.auth_time, g.created_at, g.revoked_at, "
        "CASE WHEN s.token_hash IS NOT NULL AND s.rotated_at IS NULL AND s.revoked_at IS NULL "
        "THEN 1 ELSE 0 END "
        "FROM refresh_tokens t LEFT JOIN grants g ON g.grant_id = t.grant_id "
        "LEFT JOIN refresh_tokens s ON s.token_hash = t.replaced_by_hash "
        "WHERE t.token_hash = ?",
        {std::string(token_hash)});
    if (rows.empty()) return;
    found =
        WithGrant{.token = TokenFromRow(rows[0]),
                  .grant = std::nullopt,
                  .successor_current = rows[0].Bool(kRefreshTokenColumnCount + kGrantColumnCount)};
    if (!rows[0].IsNull(kRefreshTokenColumnCount)) {
      found->grant = GrantFromRow(rows[0], kRefreshTokenColumnCount);
    }
  });
  return found;
}

void RefreshTokenRepository::Insert(const RefreshTokenRecord& token) {
  db_.Run([&token](Connection& c) { Insert(c, token); });
}

void RefreshTokenRepository::Insert(Connection& c, const RefreshTokenRecord& token) {
  c.Execute(
      "INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, expires_at, "
      "rotated_at, replaced_by_hash, grace_used, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {token.token_hash, token.grant_id, token.client_id, token.scope, token.created_at,
       token.expires_at, Nullable(token.rotated_at), Nullable(token.replaced_by_hash),
       int64_t{token.grace_used ? 1 : 0}, Nullable(token.revoked_at)});
}

std::optional<RefreshTokenRecord> RefreshTokenRepository::Get(std::string_view token_hash) {
  std::optional<RefreshTokenRecord> token;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "SELECT token_hash, grant_id, client_id, scope, created_at, expires_at, rotated_at, "
        "replaced_by_hash, grace_used, revoked_at FROM refresh_tokens WHERE token_hash = ?",
        {std::string(token_hash)});
    if (!rows.empty()) token = TokenFromRow(rows[0]);
  });
  return token;
}

bool RefreshTokenRepository::Rotate(std::string_view old_hash,
                                    const RefreshTokenRecord& replacement, int64_t now) {
  bool rotated = false;
  db_.Transaction([&](Connection& c) {
    rotated = c.Execute(
                  "UPDATE refresh_tokens SET rotated_at = ?, replaced_by_hash = ? "
                  "WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL",
                  {now, replacement.token_hash, std::string(old_hash)}) == 1;
    if (rotated) Insert(c, replacement);
  });
  return rotated;
}

bool RefreshTokenRepository::RetryWithinGrace(std::string_view old_hash,
                                              const RefreshTokenRecord& replacement, int64_t now,
                                              int64_t grace_seconds) {
  bool retried = false;
  db_.Transaction([&](Connection& c) {
    // One conditional UPDATE claims the retry: a concurrent one waits on the row lock, then finds
    // grace_used set (or the token revoked with its family) and changes nothing. Only the exact
    // previous token may retry: its successor must still be current.
    retried = c.Execute(
                  "UPDATE refresh_tokens SET grace_used = 1 WHERE token_hash = ? "
                  "AND grace_used = 0 AND rotated_at IS NOT NULL AND rotated_at >= ? "
                  "AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM refresh_tokens s "
                  "WHERE s.token_hash = refresh_tokens.replaced_by_hash "
                  "AND s.rotated_at IS NULL AND s.revoked_at IS NULL)",
                  {std::string(old_hash), now - grace_seconds}) == 1;
    if (retried) Insert(c, replacement);
  });
  return retried;
}

bool RefreshTokenRepository::Extend(std::string_view token_hash, int64_t expires_at) {
  int64_t changed = 0;
  db_.Run([&](Connection& c) {
    changed = c.Execute(
        "UPDATE refresh_tokens SET expires_at = ? WHERE token_hash = ? AND rotated_at IS NULL "
        "AND revoked_at IS NULL",
        {expires_at, std::string(token_hash)});
  });
  return changed == 1;
}

int64_t RefreshTokenRepository::DeleteExpired(int64_t now) {
  int64_t deleted = 0;
  db_.Run([&](Connection& c) {
    deleted = c.Execute("DELETE FROM refresh_tokens WHERE expires_at < ?", {now});
  });
  return deleted;
}

}  // namespace gatehouse::store
