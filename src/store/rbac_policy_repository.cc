#include "store/rbac_policy_repository.h"

#include "store/cache_version_repository.h"

namespace gatehouse::store {

std::optional<std::string> RbacPolicyRepository::Get() {
  std::optional<std::string> policy;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query("SELECT policy FROM rbac_policies WHERE singleton = 1");
    if (!rows.empty()) policy = rows[0].Text(0);
  });
  return policy;
}

void RbacPolicyRepository::Put(std::string_view policy_json, int64_t now) {
  db_.Transaction([&](Connection& c) {
    c.Execute(
        "INSERT INTO rbac_policies (singleton, policy, updated_at) VALUES (1, ?, ?) "
        "ON CONFLICT (singleton) DO UPDATE SET policy = excluded.policy, "
        "updated_at = excluded.updated_at",
        {std::string(policy_json), now});
    CacheVersionRepository::Bump(c, kRbacPolicyCacheName);
  });
}

}  // namespace gatehouse::store
