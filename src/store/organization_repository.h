#pragma once
// OrganizationRepository: organizations (B2B tenancy), their members with per-organization roles,
// and the connected-app policy each organization sets for its members.
//
// A user belongs to at most one organization: AddMember moves a user who belonged elsewhere.
// Membership is mirrored into users.organization_id in the same transaction (tokens name the
// organization without a join). Deleting an organization removes its memberships and clears the
// mirror. Every write bumps the "organizations" cache version (kOrganizationsCacheName).
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError. Duplicate slugs
// and missing rows are answers (return values), not exceptions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace gatehouse::store {

inline constexpr std::string_view kOrganizationsCacheName = "organizations";

struct Organization {
  std::string organization_id{};
  std::string organization_name{};
  std::string organization_slug{};
  // ALL_ALLOWED | RESTRICTED | NOT_ALLOWED
  std::string first_party_connected_apps_allowed_type = "ALL_ALLOWED";
  std::string third_party_connected_apps_allowed_type = "ALL_ALLOWED";
  std::vector<std::string> allowed_first_party_connected_apps{};
  std::vector<std::string> allowed_third_party_connected_apps{};
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct OrganizationMember {
  std::string user_id{};
  std::string organization_id{};
  std::vector<std::string> roles{};
  int64_t created_at = 0;
};

struct OrganizationPage {
  std::vector<Organization> organizations{};  // by organization_id
  std::optional<std::string> next_cursor{};
  int64_t total = 0;
};

// A connected app that members of an organization have (unrevoked) grants with.
struct OrganizationConnectedApp {
  std::string client_id{};
  std::string client_name{};
  std::string client_type{};
  int64_t members_with_grants = 0;
};

class OrganizationRepository {
 public:
  enum class WriteOutcome { kDone, kNotFound, kDuplicateSlug };
  enum class MemberOutcome { kDone, kOrganizationNotFound, kUserNotFound };

  explicit OrganizationRepository(Database& db) : db_(db) {}

  // kDuplicateSlug when the slug (or the id) is taken.
  WriteOutcome Insert(const Organization& organization);
  std::optional<Organization> Get(std::string_view organization_id);
  // Replaces everything but the id and created_at.
  WriteOutcome Update(const Organization& organization);
  bool Delete(std::string_view organization_id);
  OrganizationPage List(const std::optional<std::string>& after, int64_t limit);

  MemberOutcome AddMember(const OrganizationMember& member);
  bool RemoveMember(std::string_view organization_id, std::string_view user_id);
  std::vector<OrganizationMember> Members(std::string_view organization_id);
  // The membership of `user_id`, if any (one indexed lookup).
  std::optional<OrganizationMember> MembershipOf(std::string_view user_id);
  // The organization a user belongs to, with its policy, in one round trip.
  std::optional<Organization> OrganizationOf(std::string_view user_id);

  std::vector<OrganizationConnectedApp> ConnectedApps(std::string_view organization_id);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
