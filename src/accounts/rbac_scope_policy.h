#pragma once
// RbacScopePolicy: the ScopePolicy (scope_policy.h) backed by the project's RBAC policy
// (core::RbacPolicy). A user may grant a custom scope only when their roles — users.roles plus the
// roles of their organization membership — cover every permission the scope names; built-in
// scopes are always grantable here (full_access has its own rules in core). Descriptions come from
// the policy for custom scopes and from core for built-in ones.
//
// Caching: the policy is held in memory (an atomically swapped snapshot) and reloaded by Reload(),
// which the Maintenance loop calls when the "rbac_policy" cache version moves (Replace bumps it in
// its transaction and reloads this process at once). Membership roles are cached per user and
// dropped by InvalidateMemberships() (the "organizations" cache version); users without an
// organization never cost a lookup. generation() moves on every reload, so derived documents
// (discovery's scopes_supported) can rebuild when it changes.
//
// Thread-safe. Reload/Replace throw store::DatabaseError on infrastructure faults; a stored
// document that no longer parses leaves the previous policy in place.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/fwd.hpp>

#include "accounts/scope_policy.h"
#include "core/clock.h"
#include "core/mutex.h"
#include "core/rbac_policy.h"
#include "core/result.h"
#include "core/user.h"
#include "store/database.h"

namespace gatehouse::accounts {

class RbacScopePolicy final : public ScopePolicy {
 public:
  static constexpr size_t kMaxCachedMemberships = 10000;

  // Loads the stored policy (the empty policy when none is stored).
  RbacScopePolicy(store::Database& db, const core::Clock& clock);

  // ScopePolicy.
  std::string Describe(std::string_view scope) const override;
  bool IsGrantable(const core::User& user, std::string_view scope) const override;

  // Every role the user holds: their own and their organization membership's.
  std::vector<std::string> RolesOf(const core::User& user) const;

  std::shared_ptr<const core::RbacPolicy> Policy() const { return policy_.load(); }
  // Validates `document` (kBadRequest naming the problem), stores it and makes it current.
  core::Result<std::shared_ptr<const core::RbacPolicy>> Replace(const boost::json::value& document);
  void Reload();
  void InvalidateMemberships();
  // The custom scopes of the current policy, in policy order.
  std::vector<std::string> CustomScopes() const;
  uint64_t generation() const { return generation_.load(); }

 private:
  store::Database& db_;
  const core::Clock& clock_;
  std::atomic<std::shared_ptr<const core::RbacPolicy>> policy_;
  std::atomic<uint64_t> generation_{0};

  mutable core::Mutex mu_;
  mutable std::unordered_map<std::string, std::vector<std::string>> membership_roles_
      GUARDED_BY(mu_);
  mutable uint64_t membership_epoch_ GUARDED_BY(mu_) = 0;  // moves on every invalidation
};

}  // namespace gatehouse::accounts
