#include "store/m2m_client_repository.h"

#include <sstream>

#include "store/cache_version_repository.h"

namespace gatehouse::store {
namespace {

constexpr std::string_view kColumns =
    "client_id, client_name, client_description, scopes, trusted_metadata, status, secret_hash, "
    "secret_last_four, next_secret_hash, next_secret_last_four, created_at, updated_at";

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

M2mClient FromRow(const Row& r) {
  M2mClient c;
  c.client_id = r.Text(0);
  c.client_name = r.Text(1);
  c.client_description = r.Text(2);
  c.scopes = SplitScopes(r.Text(3));
  c.trusted_metadata_json = r.Text(4);
  c.status = r.Text(5);
  c.secret_hash = r.Text(6);
  c.secret_last_four = r.Text(7);
  c.next_secret_hash = r.OptionalText(8);
  c.next_secret_last_four = r.OptionalText(9);
  c.created_at = r.Int(10);
  c.updated_at = r.Int(11);
  return c;
}

void ReplaceScopes(Connection& c, const M2mClient& client) {
  c.Execute("DELETE FROM m2m_client_scopes WHERE client_id = ?", {client.client_id});
  for (const auto& scope : client.scopes) {
    c.Execute("INSERT INTO m2m_client_scopes (client_id, scope) VALUES (?, ?)",
              {client.client_id, scope});
  }
}

// "(? , ?, ...)" for n placeholders.
std::string Placeholders(size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out + ")";
}

// The WHERE condition of a search (without the cursor) and its parameters.
std::string FilterCondition(const M2mSearchQuery& q, std::vector<Value>& params) {
  if (q.filters.empty()) return "1 = 1";
  std::string sql = "(";
  for (size_t i = 0; i < q.filters.size(); ++i) {
    const M2mSearchFilter& f = q.filters[i];
    if (i > 0) sql += q.match_all ? " AND " : " OR ";
    switch (f.field) {
      case M2mSearchFilter::Field::kClientId:
        sql += "m.client_id IN " + Placeholders(f.values.size());
        break;
      case M2mSearchFilter::Field::kClientName:
        sql += "m.client_name IN " + Placeholders(f.values.size());
        break;
      case M2mSearchFilter::Field::kScopes:
        sql +=
            "EXISTS (SELECT 1 FROM m2m_client_scopes s WHERE s.client_id = m.client_id AND "
            "s.scope IN " +
            Placeholders(f.values.size()) + ")";
        break;
    }
    for (const auto& v : f.values) params.emplace_back(v);
  }
  return sql + ")";
}

constexpr SecretRotationTable kRotation{
    .table = "m2m_clients", .cache_name = kM2mClientsCacheName, .has_public_clients = false};

}  // namespace

void M2mClientRepository::Insert(const M2mClient& m) {
  db_.Transaction([&](Connection& c) {
    c.Execute(
        "INSERT INTO m2m_clients (client_id, client_name, client_description, scopes, "
        "trusted_metadata, status, secret_hash, secret_last_four, next_secret_hash, "
        "next_secret_last_four, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)",
        {m.client_id, m.client_name, m.client_description, JoinScopes(m.scopes),
         m.trusted_metadata_json, m.status, m.secret_hash, m.secret_last_four,
         Nullable(m.next_secret_hash), Nullable(m.next_secret_last_four), m.created_at,
         m.updated_at});
    ReplaceScopes(c, m);
    CacheVersionRepository::Bump(c, kM2mClientsCacheName);
  });
}

std::optional<M2mClient> M2mClientRepository::Find(std::string_view client_id) {
  std::optional<M2mClient> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query("SELECT " + std::string(kColumns) + " FROM m2m_clients WHERE client_id = ?",
                        {std::string(client_id)});
    if (!rows.empty()) found = FromRow(rows[0]);
  });
  return found;
}

bool M2mClientRepository::Update(const M2mClient& m) {
  int64_t n = 0;
  db_.Transaction([&](Connection& c) {
    n = c.Execute(
        "UPDATE m2m_clients SET client_name = ?, client_description = ?, scopes = ?, "
        "trusted_metadata = ?, status = ?, updated_at = ? WHERE client_id = ?",
        {m.client_name, m.client_description, JoinScopes(m.scopes), m.trusted_metadata_json,
         m.status, m.updated_at, m.client_id});
    if (n == 0) return;
    ReplaceScopes(c, m);
    CacheVersionRepository::Bump(c, kM2mClientsCacheName);
  });
  return n > 0;
}

bool M2mClientRepository::Delete(std::string_view client_id) {
  int64_t n = 0;
  db_.Transaction([&](Connection& c) {
    n = c.Execute("DELETE FROM m2m_clients WHERE client_id = ?", {std::string(client_id)});
    if (n > 0) CacheVersionRepository::Bump(c, kM2mClientsCacheName);
  });
  return n > 0;
}

M2mClientPage M2mClientRepository::Search(const M2mSearchQuery& q) {
  M2mClientPage page;
  std::vector<Value> filter_params;
  const std::string condition = FilterCondition(q, filter_params);
  db_.Run([&](Connection& c) {
    std::vector<Value> params = filter_params;
    std::string sql = "SELECT ";
    for (std::string_view col :
         {"client_id", "client_name", "client_description", "scopes", "trusted_metadata", "status",
          "secret_hash", "secret_last_four", "next_secret_hash", "next_secret_last_four",
          "created_at", "updated_at"}) {
      if (sql.size() > 7) sql += ", ";
      sql += "m.";
      sql += col;
    }
    sql += " FROM m2m_clients m WHERE " + condition;
    if (q.after) {
      sql += " AND m.client_id > ?";
      params.emplace_back(*q.after);
    }
    sql += " ORDER BY m.client_id LIMIT ?";
    // One row more than asked tells whether another page follows.
    params.emplace_back(q.limit + 1);
    Rows rows = c.Query(sql, params);
    for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < q.limit; ++i) {
      page.clients.push_back(FromRow(rows[i]));
    }
    if (static_cast<int64_t>(rows.size()) > q.limit && !page.clients.empty()) {
      page.next_cursor = page.clients.back().client_id;
    }
    page.total = c.Query("SELECT COUNT(*) FROM m2m_clients m WHERE " + condition, filter_params)
                     .at(0)
                     .Int(0);
  });
  return page;
}

RotationOutcome M2mClientRepository::StartSecretRotation(std::string_view client_id,
                                                         std::string_view next_hash,
                                                         std::string_view next_last_four,
                                                         int64_t now) {
  return store::StartSecretRotation(db_, kRotation, client_id, next_hash, next_last_four, now);
}

RotationOutcome M2mClientRepository::CompleteSecretRotation(std::string_view client_id,
                                                            int64_t now) {
  return store::CompleteSecretRotation(db_, kRotation, client_id, now);
}

RotationOutcome M2mClientRepository::CancelSecretRotation(std::string_view client_id, int64_t now) {
  return store::CancelSecretRotation(db_, kRotation, client_id, now);
}

}  // namespace gatehouse::store
