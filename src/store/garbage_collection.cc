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
// Indexes: grants_revoked_created (revoked_at IS NULL, created_at range), refresh_tokens_grant and
// authorization_codes_grant for the two NOT EXISTS probes.
constexpr Rule kIdleGrants{
    "grants", "grant_id",
    "SELECT g.grant_id FROM grants g WHERE g.created_at < ? AND g.revoked_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.grant_id) "
    "AND NOT EXISTS (SELECT 1 FROM authorization_codes a WHERE a.grant_id = g.grant_id)"};

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
                    drain(kRevokedGrants, retained_since, report.grants) &&
                    drain(kIdleGrants, retained_since, report.grants);
  return report;
}

}  // namespace gatehouse::store
