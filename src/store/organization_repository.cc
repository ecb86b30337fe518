#include "store/organization_repository.h"

#include <boost/json.hpp>

#include "store/cache_version_repository.h"

#include "store/string_list_column.h"

namespace gatehouse::store {
namespace {
namespace json = boost::json;

constexpr std::string_view kColumns =
    "o.organization_id, o.organization_name, o.organization_slug, "
    "o.first_party_connected_apps_allowed_type, o.third_party_connected_apps_allowed_type, "
    "o.allowed_first_party_connected_apps, o.allowed_third_party_connected_apps, o.created_at, "
    "o.updated_at";

// Rows are written only by this repository; a malformed list is a corrupt row.
std::vector<std::string> DecodeList(const std::string& text) {
  auto items = DecodeStringList(text);
  if (!items) throw DatabaseError("organizations row holds a malformed list", false);
  return std::move(*items);
}

Organization FromRow(const Row& r) {
  Organization o;
  o.organization_id = r.Text(0);
  o.organization_name = r.Text(1);
  o.organization_slug = r.Text(2);
  o.first_party_connected_apps_allowed_type = r.Text(3);
  o.third_party_connected_apps_allowed_type = r.Text(4);
  o.allowed_first_party_connected_apps = DecodeList(r.Text(5));
  o.allowed_third_party_connected_apps = DecodeList(r.Text(6));
  o.created_at = r.Int(7);
  o.updated_at = r.Int(8);
  return o;
}

OrganizationMember MemberFromRow(const Row& r) {
  return OrganizationMember{.user_id = r.Text(0),
                            .organization_id = r.Text(1),
                            .roles = DecodeList(r.Text(2)),
                            .created_at = r.Int(3)};
}

std::string SelectOrganizations(std::string_view rest) {
  return "SELECT " + std::string(kColumns) + " FROM organizations o " + std::string(rest);
}

}  // namespace

OrganizationRepository::WriteOutcome OrganizationRepository::Insert(const Organization& o) {
  try {
    db_.Transaction([&](Connection& c) {
      c.Execute(
          "INSERT INTO organizations (organization_id, organization_name, organization_slug, "
          "first_party_connected_apps_allowed_type, third_party_connected_apps_allowed_type, "
          "allowed_first_party_connected_apps, allowed_third_party_connected_apps, created_at, "
          "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {o.organization_id, o.organization_name, o.organization_slug,
           o.first_party_connected_apps_allowed_type, o.third_party_connected_apps_allowed_type,
           EncodeStringList(o.allowed_first_party_connected_apps),
           EncodeStringList(o.allowed_third_party_connected_apps), o.created_at, o.updated_at});
      CacheVersionRepository::Bump(c, kOrganizationsCacheName);
    });
  } catch (const ConstraintViolation&) {
    return WriteOutcome::kDuplicateSlug;
  }
  return WriteOutcome::kDone;
}

std::optional<Organization> OrganizationRepository::Get(std::string_view organization_id) {
  std::optional<Organization> found;
  db_.Run([&](Connection& c) {
    Rows rows =
        c.Query(SelectOrganizations("WHERE o.organization_id = ?"), {std::string(organization_id)});
    if (!rows.empty()) found = FromRow(rows[0]);
  });
  return found;
}

OrganizationRepository::WriteOutcome OrganizationRepository::Update(const Organization& o) {
  int64_t n = 0;
  try {
    db_.Transaction([&](Connection& c) {
      n = c.Execute(
          "UPDATE organizations SET organization_name = ?, organization_slug = ?, "
          "first_party_connected_apps_allowed_type = ?, third_party_connected_apps_allowed_type = "
          "?, allowed_first_party_connected_apps = ?, allowed_third_party_connected_apps = ?, "
          "updated_at = ? WHERE organization_id = ?",
          {o.organization_name, o.organization_slug, o.first_party_connected_apps_allowed_type,
           o.third_party_connected_apps_allowed_type,
           EncodeStringList(o.allowed_first_party_connected_apps),
           EncodeStringList(o.allowed_third_party_connected_apps), o.updated_at,
           o.organization_id});
      if (n > 0) CacheVersionRepository::Bump(c, kOrganizationsCacheName);
    });
  } catch (const ConstraintViolation&) {
    return WriteOutcome::kDuplicateSlug;
  }
  return n > 0 ? WriteOutcome::kDone : WriteOutcome::kNotFound;
}

bool OrganizationRepository::Delete(std::string_view organization_id) {
  int64_t n = 0;
  db_.Transaction([&](Connection& c) {
    const std::string id(organization_id);
    c.Execute("UPDATE users SET organization_id = NULL WHERE organization_id = ?", {id});
    c.Execute("DELETE FROM organization_members WHERE organization_id = ?", {id});
    n = c.Execute("DELETE FROM organizations WHERE organization_id = ?", {id});
    if (n > 0) CacheVersionRepository::Bump(c, kOrganizationsCacheName);
  });
  return n > 0;
}

OrganizationPage OrganizationRepository::List(const std::optional<std::string>& after,
                                              int64_t limit) {
  OrganizationPage page;
  db_.Run([&](Connection& c) {
    Rows rows =
        after ? c.Query(SelectOrganizations(
                            "WHERE o.organization_id > ? ORDER BY o.organization_id LIMIT ?"),
                        {*after, limit + 1})
              : c.Query(SelectOrganizations("ORDER BY o.organization_id LIMIT ?"), {limit + 1});
    for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < limit; ++i) {
      page.organizations.push_back(FromRow(rows[i]));
    }
    if (static_cast<int64_t>(rows.size()) > limit && !page.organizations.empty()) {
      page.next_cursor = page.organizations.back().organization_id;
    }
    page.total = c.Query("SELECT COUNT(*) FROM organizations").at(0).Int(0);
  });
  return page;
}

OrganizationRepository::MemberOutcome OrganizationRepository::AddMember(
    const OrganizationMember& m) {
  MemberOutcome outcome = MemberOutcome::kDone;
  db_.Transaction([&](Connection& c) {
    outcome = MemberOutcome::kDone;
    if (c.Query("SELECT 1 FROM organizations WHERE organization_id = ?", {m.organization_id})
            .empty()) {
      outcome = MemberOutcome::kOrganizationNotFound;
      return;
    }
    if (c.Execute("UPDATE users SET organization_id = ? WHERE user_id = ?",
                  {m.organization_id, m.user_id}) == 0) {
      outcome = MemberOutcome::kUserNotFound;
      return;
    }
    c.Execute(
        "INSERT INTO organization_members (user_id, organization_id, roles, created_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
        "organization_id = excluded.organization_id, roles = excluded.roles",
        {m.user_id, m.organization_id, EncodeStringList(m.roles), m.created_at});
    CacheVersionRepository::Bump(c, kOrganizationsCacheName);
  });
  return outcome;
}

bool OrganizationRepository::RemoveMember(std::string_view organization_id,
                                          std::string_view user_id) {
  int64_t n = 0;
  db_.Transaction([&](Connection& c) {
    n = c.Execute("DELETE FROM organization_members WHERE organization_id = ? AND user_id = ?",
                  {std::string(organization_id), std::string(user_id)});
    if (n == 0) return;
    c.Execute("UPDATE users SET organization_id = NULL WHERE user_id = ?", {std::string(user_id)});
    CacheVersionRepository::Bump(c, kOrganizationsCacheName);
  });
  return n > 0;
}

std::vector<OrganizationMember> OrganizationRepository::Members(std::string_view organization_id) {
  std::vector<OrganizationMember> out;
  db_.Run([&](Connection& c) {
    for (const Row& r :
         c.Query("SELECT user_id, organization_id, roles, created_at FROM organization_members "
                 "WHERE organization_id = ? ORDER BY user_id",
                 {std::string(organization_id)})) {
      out.push_back(MemberFromRow(r));
    }
  });
  return out;
}

std::optional<OrganizationMember> OrganizationRepository::MembershipOf(std::string_view user_id) {
  std::optional<OrganizationMember> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "SELECT user_id, organization_id, roles, created_at FROM organization_members "
        "WHERE user_id = ?",
        {std::string(user_id)});
    if (!rows.empty()) found = MemberFromRow(rows[0]);
  });
  return found;
}

std::optional<Organization> OrganizationRepository::OrganizationOf(std::string_view user_id) {
  std::optional<Organization> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(SelectOrganizations("JOIN organization_members m ON m.organization_id = "
                                            "o.organization_id WHERE m.user_id = ?"),
                        {std::string(user_id)});
    if (!rows.empty()) found = FromRow(rows[0]);
  });
  return found;
}

std::vector<OrganizationConnectedApp> OrganizationRepository::ConnectedApps(
    std::string_view organization_id) {
  std::vector<OrganizationConnectedApp> out;
  db_.Run([&](Connection& c) {
    for (const Row& r :
         c.Query("SELECT c.client_id, c.client_name, c.client_type, COUNT(DISTINCT g.user_id) "
                 "FROM organization_members m JOIN grants g ON g.user_id = m.user_id "
                 "JOIN clients c ON c.client_id = g.client_id "
                 "WHERE m.organization_id = ? AND g.revoked_at IS NULL "
                 "GROUP BY c.client_id, c.client_name, c.client_type ORDER BY c.client_id",
                 {std::string(organization_id)})) {
      out.push_back(OrganizationConnectedApp{.client_id = r.Text(0),
                                             .client_name = r.Text(1),
                                             .client_type = r.Text(2),
                                             .members_with_grants = r.Int(3)});
    }
  });
  return out;
}

}  // namespace gatehouse::store
