#include "store/secret_rotation.h"

#include <string>
#include <vector>

#include "store/cache_version_repository.h"

namespace gatehouse::store {
namespace {

// "UPDATE <table> SET <assignments>, updated_at = ? WHERE client_id = ? AND <state>", where
// <state> is the rotation state the step needs (and, where public clients live, a secret).
std::string RotationUpdate(const SecretRotationTable& t, std::string_view assignments,
                           std::string_view state) {
  std::string sql = "UPDATE ";
  sql += t.table;
  sql += " SET ";
  sql += assignments;
  sql += ", updated_at = ? WHERE client_id = ?";
  if (t.has_public_clients) sql += " AND secret_hash <> ''";
  sql += " AND ";
  sql += state;
  return sql;
}

// Why a compare-and-set rotation statement changed nothing.
RotationOutcome RotationFailure(Connection& c, const SecretRotationTable& t,
                                std::string_view client_id, bool starting) {
  Rows rows = c.Query("SELECT secret_hash FROM " + std::string(t.table) + " WHERE client_id = ?",
                      {std::string(client_id)});
  if (rows.empty()) return RotationOutcome::kNotFound;
  if (t.has_public_clients && rows[0].Text(0).empty()) return RotationOutcome::kPublicClient;
  return starting ? RotationOutcome::kAlreadyStarted : RotationOutcome::kNotStarted;
}

RotationOutcome Rotate(Database& db, const SecretRotationTable& t, std::string_view client_id,
                       const std::string& sql, const std::vector<Value>& params, bool starting) {
  RotationOutcome outcome = RotationOutcome::kDone;
  db.Transaction([&](Connection& c) {
    outcome = RotationOutcome::kDone;  // Transaction may run this again
    if (c.Execute(sql, params) == 0) {
      outcome = RotationFailure(c, t, client_id, starting);
      return;
    }
    CacheVersionRepository::Bump(c, t.cache_name);
  });
  return outcome;
}

}  // namespace

RotationOutcome StartSecretRotation(Database& db, const SecretRotationTable& table,
                                    std::string_view client_id, std::string_view next_hash,
                                    std::string_view next_last_four, int64_t now) {
  return Rotate(db, table, client_id,
                RotationUpdate(table, "next_secret_hash = ?, next_secret_last_four = ?",
                               "next_secret_hash IS NULL"),
                {std::string(next_hash), std::string(next_last_four), now, std::string(client_id)},
                true);
}

RotationOutcome CompleteSecretRotation(Database& db, const SecretRotationTable& table,
                                       std::string_view client_id, int64_t now) {
  return Rotate(db, table, client_id,
                RotationUpdate(table,
                               "secret_hash = next_secret_hash, "
                               "secret_last_four = next_secret_last_four, next_secret_hash = NULL, "
                               "next_secret_last_four = NULL",
                               "next_secret_hash IS NOT NULL"),
                {now, std::string(client_id)}, false);
}

RotationOutcome CancelSecretRotation(Database& db, const SecretRotationTable& table,
                                     std::string_view client_id, int64_t now) {
  return Rotate(db, table, client_id,
                RotationUpdate(table, "next_secret_hash = NULL, next_secret_last_four = NULL",
                               "next_secret_hash IS NOT NULL"),
                {now, std::string(client_id)}, false);
}

}  // namespace gatehouse::store
