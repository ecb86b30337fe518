#include "accounts/rbac_scope_policy.h"

#include <iostream>

#include <boost/json.hpp>

#include "core/scope.h"
#include "store/organization_repository.h"
#include "store/rbac_policy_repository.h"

namespace gatehouse::accounts {

RbacScopePolicy::RbacScopePolicy(store::Database& db, const core::Clock& clock)
    : db_(db), clock_(clock), policy_(std::make_shared<const core::RbacPolicy>()) {
  Reload();
}

void RbacScopePolicy::Reload() {
  const std::optional<std::string> stored = store::RbacPolicyRepository(db_).Get();
  if (!stored) {
    policy_.store(std::make_shared<const core::RbacPolicy>());
  } else {
    core::Result<core::RbacPolicy> parsed =
        core::RbacPolicy::ParseText(*stored, core::RbacPolicy::DisplayText::kAlreadyChecked);
    if (!parsed) {
      // Stored documents were validated when written; keep serving the previous policy.
      std::cerr << "gatehouse: the stored RBAC policy does not parse: "
                << parsed.error().description() << "\n";
      return;
    }
    policy_.store(std::make_shared<const core::RbacPolicy>(std::move(*parsed)));
  }
  ++generation_;
}

core::Result<std::shared_ptr<const core::RbacPolicy>> RbacScopePolicy::Replace(
    const boost::json::value& document) {
  core::Result<core::RbacPolicy> parsed = core::RbacPolicy::Parse(document);
  if (!parsed) return parsed.error();
  auto policy = std::make_shared<const core::RbacPolicy>(std::move(*parsed));
  store::RbacPolicyRepository(db_).Put(boost::json::serialize(policy->ToJson()),
                                       clock_.NowSeconds());
  policy_.store(policy);
  ++generation_;
  return policy;
}

void RbacScopePolicy::InvalidateMemberships() {
  core::MutexLock lock(mu_);
  membership_roles_.clear();
  ++membership_epoch_;
}

std::vector<std::string> RbacScopePolicy::RolesOf(const core::User& user) const {
  std::vector<std::string> roles = user.roles;
  if (!user.organization_id) return roles;
  uint64_t epoch = 0;
  {
    core::MutexLock lock(mu_);
    auto it = membership_roles_.find(user.user_id);
    if (it != membership_roles_.end()) {
      roles.insert(roles.end(), it->second.begin(), it->second.end());
      return roles;
    }
    epoch = membership_epoch_;
  }
  std::vector<std::string> member_roles;
  if (auto membership = store::OrganizationRepository(db_).MembershipOf(user.user_id)) {
    member_roles = std::move(membership->roles);
  }
  {
    core::MutexLock lock(mu_);
    if (epoch == membership_epoch_) {
      if (membership_roles_.size() >= kMaxCachedMemberships) membership_roles_.clear();
      membership_roles_[user.user_id] = member_roles;
    }
  }
  roles.insert(roles.end(), member_roles.begin(), member_roles.end());
  return roles;
}

std::string RbacScopePolicy::Describe(std::string_view scope) const {
  if (core::IsBuiltInScope(scope)) return std::string(core::BuiltInScopeDescription(scope));
  const auto policy = policy_.load();
  if (const core::RbacScope* s = policy->FindScope(scope);
      s != nullptr && !s->description.empty()) {
    return s->description;
  }
  return "Access to " + std::string(scope);
}

bool RbacScopePolicy::IsGrantable(const core::User& user, std::string_view scope) const {
  if (core::IsBuiltInScope(scope)) return true;
  const auto policy = policy_.load();
  const core::RbacScope* s = policy->FindScope(scope);
  if (s == nullptr || s->permissions.empty()) return true;
  return policy->IsGrantable(RolesOf(user), scope);
}

std::vector<std::string> RbacScopePolicy::CustomScopes() const {
  std::vector<std::string> out;
  for (const auto& s : policy_.load()->scopes()) out.push_back(s.scope);
  return out;
}

}  // namespace gatehouse::accounts
