#include "store/token_lifecycle_repository.h"

#include <algorithm>
#include <map>
#include <set>

namespace gatehouse::store {
namespace {

// Appends the space-delimited scopes of `scope` not yet in `seen` to `out`.
void MergeScopes(std::string_view scope, std::set<std::string, std::less<>>& seen,
                 std::string& out) {
  size_t start = 0;
  while (start < scope.size()) {
    size_t end = scope.find(' ', start);
    if (end == std::string_view::npos) end = scope.size();
    const std::string_view item = scope.substr(start, end - start);
    if (!item.empty() && seen.insert(std::string(item)).second) {
      if (!out.empty()) out += ' ';
      out += item;
    }
    start = end + 1;
  }
}

}  // namespace

bool TokenLifecycleRepository::RecordExchange(const ExchangedAccessToken& exchange) {
  int64_t inserted = 0;
  db_.Run([&](Connection& c) {
    inserted = c.Execute(
        "INSERT INTO exchanged_access_tokens (jti, user_id, client_id, exchanged_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING",
        {exchange.jti, exchange.user_id, exchange.client_id, exchange.exchanged_at,
         exchange.expires_at});
  });
  return inserted == 1;
}

std::vector<ConnectedApp> TokenLifecycleRepository::ListConnectedApps(std::string_view user_id) {
  struct Pending {
    ConnectedApp app;
    std::optional<std::string> consent;
    std::string grant_scopes;
    std::set<std::string, std::less<>> seen;
  };
  std::map<std::string, Pending, std::less<>> by_client;
  const auto client_of = [&by_client](const Row& row) -> Pending& {
    Pending& pending = by_client[row.Text(0)];
    pending.app = ConnectedApp{.client_id = row.Text(0),
                               .client_name = row.Text(1),
                               .client_description = row.Text(2),
                               .client_type = row.Text(3),
                               .logo_url = row.Text(4)};
    return pending;
  };
  db_.Run([&](Connection& c) {
    const std::string user(user_id);
    for (const Row& row : c.Query(
             "SELECT c.client_id, c.client_name, c.client_description, c.client_type, c.logo_url, "
             "s.scope FROM consents s JOIN clients c ON c.client_id = s.client_id "
             "WHERE s.user_id = ?",
             {user})) {
      client_of(row).consent = row.Text(5);
    }
    for (const Row& row : c.Query(
             "SELECT c.client_id, c.client_name, c.client_description, c.client_type, c.logo_url, "
             "g.scope FROM grants g JOIN clients c ON c.client_id = g.client_id "
             "WHERE g.user_id = ? AND g.revoked_at IS NULL ORDER BY g.created_at, g.grant_id",
             {user})) {
      Pending& pending = client_of(row);
      MergeScopes(row.Text(5), pending.seen, pending.grant_scopes);
    }
  });
  std::vector<ConnectedApp> apps;
  apps.reserve(by_client.size());
  for (auto& [id, pending] : by_client) {
    if (pending.consent) {
      std::set<std::string, std::less<>> seen;
      std::string scopes;
      MergeScopes(*pending.consent, seen, scopes);
      pending.app.scopes_granted = std::move(scopes);
    } else {
      pending.app.scopes_granted = std::move(pending.grant_scopes);
    }
    apps.push_back(std::move(pending.app));
  }
  std::stable_sort(apps.begin(), apps.end(), [](const ConnectedApp& a, const ConnectedApp& b) {
    return a.client_name != b.client_name ? a.client_name < b.client_name
                                          : a.client_id < b.client_id;
  });
  return apps;
}

int64_t TokenLifecycleRepository::RevokeConnectedApp(std::string_view user_id,
                                                     std::string_view client_id, int64_t now) {
  int64_t revoked = 0;
  db_.Transaction([&](Connection& c) {
    const std::string user(user_id);
    const std::string client(client_id);
    // Every refresh token under any grant of the pair (grants_user_client, refresh_tokens_grant).
    c.Execute(
        "UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND grant_id IN "
        "(SELECT grant_id FROM grants WHERE user_id = ? AND client_id = ?)",
        {now, user, client});
    revoked = c.Execute(
        "UPDATE grants SET revoked_at = ? WHERE user_id = ? AND client_id = ? AND "
        "revoked_at IS NULL",
        {now, user, client});
    c.Execute("DELETE FROM consents WHERE user_id = ? AND client_id = ?", {user, client});
  });
  return revoked;
}

}  // namespace gatehouse::store
