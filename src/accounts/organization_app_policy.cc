#include "accounts/organization_app_policy.h"

#include <algorithm>

namespace gatehouse::accounts {

bool IsConnectedAppsAllowedType(std::string_view type) {
  return type == kAllAllowed || type == kRestricted || type == kNotAllowed;
}

core::Result<void> OrganizationAllowsClient(const store::Organization& organization,
                                            const core::Client& client) {
  const bool first_party = core::IsFirstParty(client.client_type);
  const std::string& type = first_party ? organization.first_party_connected_apps_allowed_type
                                        : organization.third_party_connected_apps_allowed_type;
  const std::vector<std::string>& allowed = first_party
                                                ? organization.allowed_first_party_connected_apps
                                                : organization.allowed_third_party_connected_apps;
  const std::string kind = first_party ? "first-party" : "third-party";
  if (type == kAllAllowed) return {};
  if (type == kRestricted &&
      std::find(allowed.begin(), allowed.end(), client.client_id) != allowed.end()) {
    return {};
  }
  const std::string reason = type == kRestricted
                                 ? "only allows selected " + kind + " connected apps, not this one"
                                 : "does not allow " + kind + " connected apps";
  return core::Error(core::ErrorCode::kAccessDenied,
                     "the organization " + organization.organization_slug + " " + reason);
}

core::Result<void> OrganizationAppPolicy::Check(const core::User& user,
                                                const core::Client& client) const {
  if (!user.organization_id) return {};
  const std::shared_ptr<const store::Organization> organization = Find(*user.organization_id);
  if (organization == nullptr) return {};
  return OrganizationAllowsClient(*organization, client);
}

std::shared_ptr<const store::Organization> OrganizationAppPolicy::Find(
    const std::string& id) const {
  uint64_t epoch = 0;
  {
    core::MutexLock lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
    epoch = epoch_;
  }
  std::shared_ptr<const store::Organization> organization;
  if (auto stored = store::OrganizationRepository(db_).Get(id)) {
    organization = std::make_shared<const store::Organization>(std::move(*stored));
  }
  core::MutexLock lock(mu_);
  if (epoch == epoch_) {
    if (cache_.size() >= kMaxCachedOrganizations) cache_.clear();
    cache_[id] = organization;
  }
  return organization;
}

void OrganizationAppPolicy::Invalidate() {
  core::MutexLock lock(mu_);
  cache_.clear();
  ++epoch_;
}

}  // namespace gatehouse::accounts
