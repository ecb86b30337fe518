#pragma once
// ScopePolicy: which scopes a user may grant and how the consent page names them. The RBAC policy
// implements it (rbac_scope_policy.h: a custom scope is grantable when the user's roles cover its
// permissions); OpenScopePolicy grants every scope. Implementations are thread-safe.

#include <string>
#include <string_view>

#include "core/user.h"

namespace gatehouse::accounts {

class ScopePolicy {
 public:
  virtual ~ScopePolicy() = default;
  // A sentence for the consent page; never empty.
  virtual std::string Describe(std::string_view scope) const = 0;
  virtual bool IsGrantable(const core::User& user, std::string_view scope) const = 0;
};

// Without an RBAC policy every scope is grantable; built-in scopes carry their core description,
// others a generic sentence naming the scope.
class OpenScopePolicy final : public ScopePolicy {
 public:
  std::string Describe(std::string_view scope) const override;
  bool IsGrantable(const core::User& user, std::string_view scope) const override;
};

}  // namespace gatehouse::accounts
