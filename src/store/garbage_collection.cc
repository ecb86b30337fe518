#include "store/garbage_collection.h"

#include <string>

namespace gatehouse::store {
namespace {

// One table's rule: `select` names at most `batch_size` victims (its LIMIT is appended), `key`
// is the column they are deleted by.
struct Rule {
  std::string_view table;
  std::string_view key;
  std::string_view select;  // "SELECT key FROM table WHERE ... " with one '?' for the cutoff
};

constexpr Rule kCodes{"authorization_codes", "code_hash",
                      "SELECT code_hash FROM authorization_codes WHERE expires_at < ?"};
constexpr Rule kSessions{"sessions", "session_id",
                         "SELECT session_id FROM sessions WHERE expires_at <= ?"};
constexpr Rule kExchanged{"exchanged_access_tokens", "jti",
                          "SELECT jti FROM exchanged_access_tokens WHERE expires_at < ?"};
constexpr Rule kLoginThrottles{"login_throttles", "subject_hash",
                               "SELECT subject_hash FROM login_throttles WHERE expires_at <= ?"};
constexpr Rule kRefreshTokens{"refresh_tokens", "token_hash",
                              "SELECT token_hash FROM refresh_tokens WHERE expires_at < ?"};
constexpr Rule kRevokedGrants{
    "grants", "grant_id",
    "SELECT grant_id FROM grants WHERE revoked_at IS NOT NULL AND revoked_at < ?"};
}  // namespace

GarbageCollectionReport GarbageCollection::Collect(int64_t now) {
  GarbageCollectionReport report;
  const auto deadline = std::chrono::steady_clock::now() + options_.time_budget;
  const std::string limit = " LIMIT " + std::to_string(options_.batch_size);
  const int64_t retained_since = now - options_.access_token_retention_seconds;

  // Deletes by `rule` until a batch comes back short; false when the budget ran out first.
  const auto drain = [&](const Rule& rule, int64_t cutoff, int64_t& counter) {
    const std::string sql = "DELETE FROM " + std::string(rule.table) + " WHERE " +
                            std::string(rule.key) + " IN (" + std::string(rule.select) + limit +
                            ")";
    while (true) {
      int64_t deleted = 0;
      db_.Run([&](Connection& c) { deleted = c.Execute(sql, {cutoff}); });
      counter += deleted;
      if (deleted < options_.batch_size) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
  };

  report.finished = drain(kCodes, now, report.authorization_codes) &&
                    drain(kSessions, now, report.sessions) &&
                    drain(kExchanged, now, report.exchanged_access_tokens) &&
                    drain(kLoginThrottles, now, report.login_throttles) &&
                    drain(kRefreshTokens, retained_since, report.refresh_tokens) &&
                    drain(kRevokedGrants, retained_since, report.grants);

  // Idle grants: a bounded walk over the (created_at, grant_id) index, resumed across runs.
  // Indexes: grants_created_id for the walk; refresh_tokens_grant and authorization_codes_grant
  // for the two NOT EXISTS probes.
  static const std::string kNextKeys =
      "SELECT created_at, grant_id FROM grants WHERE created_at < ? AND "
      "(created_at > ? OR (created_at = ? AND grant_id > ?)) ORDER BY created_at, grant_id LIMIT ?";
  const std::string delete_idle =
      "DELETE FROM grants WHERE grant_id IN (SELECT grant_id FROM grants g WHERE "
      "(g.created_at > ? OR (g.created_at = ? AND g.grant_id > ?)) AND "
      "(g.created_at < ? OR (g.created_at = ? AND g.grant_id <= ?)) AND g.revoked_at IS NULL "
      "AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.grant_id) "
      "AND NOT EXISTS (SELECT 1 FROM authorization_codes a WHERE a.grant_id = g.grant_id))";
  std::pair<int64_t, std::string> cursor = options_.idle_grant_cursor;
  bool wrapped = false;
  while (report.finished) {
    Rows keys;
    db_.Run([&](Connection& c) {
      keys = c.Query(kNextKeys, {retained_since, cursor.first, cursor.first, cursor.second,
                                 options_.batch_size});
    });
    if (keys.empty()) {
      cursor = {};  // past the newest eligible grant: the next run starts over
      if (wrapped || options_.idle_grant_cursor == cursor) break;
      wrapped = true;
      continue;
    }
    const std::pair<int64_t, std::string> last{keys.back().Int(0), keys.back().Text(1)};
    int64_t deleted = 0;
    db_.Run([&](Connection& c) {
      deleted = c.Execute(delete_idle, {cursor.first, cursor.first, cursor.second, last.first,
                                        last.first, last.second});
    });
    report.grants += deleted;
    cursor = last;
    if (static_cast<int64_t>(keys.size()) < options_.batch_size) {
      cursor = {};
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) report.finished = false;
  }
  report.idle_grant_cursor = cursor;
  return report;
}

}  // namespace gatehouse::store
