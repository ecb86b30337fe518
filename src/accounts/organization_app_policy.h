#pragma once
// OrganizationAppPolicy: which connected apps the members of an organization may authorize.
// Each organization sets, for first-party clients (first_party, first_party_public) and for
// third-party clients (third_party, third_party_public, CIMD clients) separately:
//   ALL_ALLOWED  any such client;
//   RESTRICTED   only the client ids in allowed_first_party_connected_apps /
//                allowed_third_party_connected_apps;
//   NOT_ALLOWED  none.
// Users without an organization are not restricted. A refusal is kAccessDenied with a description
// naming the organization and the rule, which the authorization flow returns to the client.
//
// Organizations are cached in process (by id, immutable snapshots) and dropped by Invalidate(),
// which the Maintenance loop calls when the "organizations" cache version moves.
// Thread-safe. Store faults throw store::DatabaseError.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/client.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/user.h"
#include "store/database.h"
#include "store/organization_repository.h"

namespace gatehouse::accounts {

inline constexpr std::string_view kAllAllowed = "ALL_ALLOWED";
inline constexpr std::string_view kRestricted = "RESTRICTED";
inline constexpr std::string_view kNotAllowed = "NOT_ALLOWED";

bool IsConnectedAppsAllowedType(std::string_view type);

// The rule itself, for one organization and one client.
core::Result<void> OrganizationAllowsClient(const store::Organization& organization,
                                            const core::Client& client);

class OrganizationAppPolicy {
 public:
  static constexpr size_t kMaxCachedOrganizations = 10000;

  explicit OrganizationAppPolicy(store::Database& db) : db_(db) {}

  // OK for users without an organization (or whose organization no longer exists).
  core::Result<void> Check(const core::User& user, const core::Client& client) const;
  // The cached organization (nullptr when there is none with this id).
  std::shared_ptr<const store::Organization> Find(const std::string& organization_id) const;
  void Invalidate();

 private:
  store::Database& db_;
  mutable core::Mutex mu_;
  // nullptr: known to be absent.
  mutable std::unordered_map<std::string, std::shared_ptr<const store::Organization>> cache_
      GUARDED_BY(mu_);
  mutable uint64_t epoch_ GUARDED_BY(mu_) = 0;
};

}  // namespace gatehouse::accounts
