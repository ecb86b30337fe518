#include "store/session_repository.h"

namespace gatehouse::store {
namespace {

constexpr std::string_view kSessionColumns =
    "s.session_id, s.user_id, s.authenticated_at, s.expires_at, s.authentication_method, "
    "s.token_hash, s.created_at, s.revoked_at";
constexpr size_t kSessionColumnCount = 8;

SessionRecord SessionFromRow(const Row& row) {
  SessionRecord record;
  record.session.session_id = row.Text(0);
  record.session.user_id = row.Text(1);
  record.session.authenticated_at = row.Int(2);
  record.session.expires_at = row.Int(3);
  record.session.authentication_method = row.Text(4);
  record.token_hash = row.Text(5);
  record.created_at = row.Int(6);
  record.revoked_at = row.OptionalInt(7);
  return record;
}

// Revocation ends the session now: expires_at moves back to `now` unless it was already earlier.
constexpr std::string_view kRevokeSet =
    "UPDATE sessions SET revoked_at = ?, "
    "expires_at = CASE WHEN expires_at > ? THEN ? ELSE expires_at END ";

std::string RevokeWhere(std::string_view condition) {
  return std::string(kRevokeSet) + "WHERE " + std::string(condition) + " AND revoked_at IS NULL";
}

}  // namespace

void SessionRepository::Insert(const SessionRecord& record) {
  const core::Session& s = record.session;
  db_.Run([&](Connection& c) {
    c.Execute(
        "INSERT INTO sessions (session_id, token_hash, user_id, authentication_method, "
        "authenticated_at, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {s.session_id, record.token_hash, s.user_id, s.authentication_method, s.authenticated_at,
         record.created_at, s.expires_at, Nullable(record.revoked_at)});
  });
}

std::optional<SessionWithUser> SessionRepository::FindByTokenHash(std::string_view token_hash) {
  static const std::string kSql = "SELECT " + std::string(kSessionColumns) + ", " +
                                  std::string(kUserColumns) +
                                  " FROM sessions s JOIN users u ON u.user_id = s.user_id "
                                  "WHERE s.token_hash = ?";
  std::optional<SessionWithUser> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(kSql, {std::string(token_hash)});
    if (!rows.empty()) {
      found = SessionWithUser{SessionFromRow(rows[0]), UserFromRow(rows[0], kSessionColumnCount)};
    }
  });
  return found;
}

std::optional<SessionRecord> SessionRepository::Get(std::string_view session_id) {
  static const std::string kSql =
      "SELECT " + std::string(kSessionColumns) + " FROM sessions s WHERE s.session_id = ?";
  std::optional<SessionRecord> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(kSql, {std::string(session_id)});
    if (!rows.empty()) found = SessionFromRow(rows[0]);
  });
  return found;
}

std::vector<SessionRecord> SessionRepository::ListActiveForUser(std::string_view user_id,
                                                                int64_t now) {
  static const std::string kSql = "SELECT " + std::string(kSessionColumns) +
                                  " FROM sessions s WHERE s.user_id = ? AND s.revoked_at IS NULL "
                                  "AND s.expires_at > ? ORDER BY s.created_at DESC, s.session_id";
  std::vector<SessionRecord> sessions;
  db_.Run([&](Connection& c) {
    for (const Row& row : c.Query(kSql, {std::string(user_id), now})) {
      sessions.push_back(SessionFromRow(row));
    }
  });
  return sessions;
}

bool SessionRepository::RevokeByTokenHash(std::string_view token_hash, int64_t now) {
  static const std::string kSql = RevokeWhere("token_hash = ?");
  int64_t changed = 0;
  db_.Run([&](Connection& c) {
    changed = c.Execute(kSql, {now, now, now, std::string(token_hash)});
  });
  return changed == 1;
}

bool SessionRepository::RevokeById(std::string_view session_id, int64_t now) {
  static const std::string kSql = RevokeWhere("session_id = ?");
  int64_t changed = 0;
  db_.Run([&](Connection& c) {
    changed = c.Execute(kSql, {now, now, now, std::string(session_id)});
  });
  return changed == 1;
}

int64_t SessionRepository::RevokeAllForUser(std::string_view user_id, int64_t now) {
  static const std::string kSql = RevokeWhere("user_id = ? AND expires_at > ?");
  int64_t changed = 0;
  db_.Run([&](Connection& c) {
    changed = c.Execute(kSql, {now, now, now, std::string(user_id), now});
  });
  return changed;
}

int64_t SessionRepository::DeleteExpired(int64_t now) {
  int64_t deleted = 0;
  db_.Run([&](Connection& c) {
    deleted = c.Execute("DELETE FROM sessions WHERE expires_at <= ?", {now});
  });
  return deleted;
}

}  // namespace gatehouse::store
