#include "store/grant_repository.h"

namespace gatehouse::store {

#define GH_GRANT_COLUMNS \
  "grant_id, user_id, client_id, scope, resources, auth_time, created_at, revoked_at"

GrantRecord GrantFromRow(const Row& row, size_t first) {
  return GrantRecord{
      .grant_id = row.Text(first),
      .user_id = row.Text(first + 1),
      .client_id = row.Text(first + 2),
      .scope = row.Text(first + 3),
      .resources_json = row.Text(first + 4),
      .auth_time = row.Int(first + 5),
      .created_at = row.Int(first + 6),
      .revoked_at = row.OptionalInt(first + 7),
  };
}

void GrantRepository::Insert(const GrantRecord& grant) {
  db_.Run([&grant](Connection& c) { Insert(c, grant); });
}

void GrantRepository::Insert(Connection& c, const GrantRecord& grant) {
  c.Execute("INSERT INTO grants (" GH_GRANT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {grant.grant_id, grant.user_id, grant.client_id, grant.scope, grant.resources_json,
             grant.auth_time, grant.created_at, Nullable(grant.revoked_at)});
}

std::optional<GrantRecord> GrantRepository::Get(std::string_view grant_id) {
  std::optional<GrantRecord> grant;
  db_.Run([&](Connection& c) { grant = Get(c, grant_id); });
  return grant;
}

std::optional<GrantRecord> GrantRepository::Get(Connection& c, std::string_view grant_id) {
  Rows rows = c.Query("SELECT " GH_GRANT_COLUMNS " FROM grants WHERE grant_id = ?",
                      {std::string(grant_id)});
  if (rows.empty()) return std::nullopt;
  return GrantFromRow(rows[0]);
}

bool GrantRepository::IsActive(std::string_view grant_id) {
  bool active = false;
  db_.Run([&](Connection& c) {
    active = !c.Query("SELECT 1 FROM grants WHERE grant_id = ? AND revoked_at IS NULL",
                      {std::string(grant_id)})
                  .empty();
  });
  return active;
}

bool GrantRepository::Revoke(std::string_view grant_id, int64_t now) {
  bool revoked = false;
  db_.Transaction([&](Connection& c) { revoked = Revoke(c, grant_id, now); });
  return revoked;
}

bool GrantRepository::Revoke(Connection& c, std::string_view grant_id, int64_t now) {
  const std::string id(grant_id);
  const int64_t changed = c.Execute(
      "UPDATE grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL", {now, id});
  c.Execute("UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
            {now, id});
  return changed > 0;
}

int64_t GrantRepository::RevokeForUserAndClient(std::string_view user_id,
                                                std::string_view client_id, int64_t now) {
  int64_t count = 0;
  db_.Transaction([&](Connection& c) {
    const std::string user(user_id);
    const std::string client(client_id);
    // Set-based: the refresh tokens first, while their grants still read as active.
    c.Execute(
        "UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND grant_id IN "
        "(SELECT grant_id FROM grants WHERE user_id = ? AND client_id = ? AND revoked_at IS NULL)",
        {now, user, client});
    count = c.Execute(
        "UPDATE grants SET revoked_at = ? WHERE user_id = ? AND client_id = ? AND revoked_at IS "
        "NULL",
        {now, user, client});
  });
  return count;
}

}  // namespace gatehouse::store
