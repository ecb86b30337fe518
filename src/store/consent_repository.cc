#include "store/consent_repository.h"

namespace gatehouse::store {

std::optional<std::string> ConsentRepository::Find(std::string_view user_id,
                                                   std::string_view client_id) {
  std::optional<std::string> scope;
  db_.Run([&](Connection& c) { scope = Find(c, user_id, client_id); });
  return scope;
}

std::optional<std::string> ConsentRepository::Find(Connection& c, std::string_view user_id,
                                                   std::string_view client_id) {
  Rows rows = c.Query("SELECT scope FROM consents WHERE user_id = ? AND client_id = ?",
                      {std::string(user_id), std::string(client_id)});
  if (rows.empty()) return std::nullopt;
  return rows[0].Text(0);
}

void ConsentRepository::Remember(std::string_view user_id, std::string_view client_id,
                                 std::string_view scope, int64_t now) {
  db_.Run([&](Connection& c) { Remember(c, user_id, client_id, scope, now); });
}

void ConsentRepository::Remember(Connection& c, std::string_view user_id,
                                 std::string_view client_id, std::string_view scope, int64_t now) {
  c.Execute(
      "INSERT INTO consents (user_id, client_id, scope, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, "
      "updated_at = excluded.updated_at",
      {std::string(user_id), std::string(client_id), std::string(scope), now});
}

bool ConsentRepository::Forget(std::string_view user_id, std::string_view client_id) {
  int64_t deleted = 0;
  db_.Run([&](Connection& c) {
    deleted = c.Execute("DELETE FROM consents WHERE user_id = ? AND client_id = ?",
                        {std::string(user_id), std::string(client_id)});
  });
  return deleted > 0;
}

}  // namespace gatehouse::store
