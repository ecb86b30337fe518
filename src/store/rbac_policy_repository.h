#pragma once
// RbacPolicyRepository: the project's RBAC policy, stored as one JSON document (validated by the
// caller: core::RbacPolicy). Put bumps the "rbac_policy" cache version (kRbacPolicyCacheName) in
// its transaction, so every process reloads its cached policy (scope decisions, discovery's
// scopes_supported) within about a second.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

inline constexpr std::string_view kRbacPolicyCacheName = "rbac_policy";

class RbacPolicyRepository {
 public:
  explicit RbacPolicyRepository(Database& db) : db_(db) {}

  // The stored policy document; nullopt when none was ever stored.
  std::optional<std::string> Get();
  // Replaces the policy document.
  void Put(std::string_view policy_json, int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
