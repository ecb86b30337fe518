#include "accounts/scope_policy.h"

#include "core/scope.h"

namespace gatehouse::accounts {

std::string OpenScopePolicy::Describe(std::string_view scope) const {
  const std::string_view built_in = core::BuiltInScopeDescription(scope);
  if (!built_in.empty()) return std::string(built_in);
  return "Access to " + std::string(scope);
}

bool OpenScopePolicy::IsGrantable(const core::User&, std::string_view) const { return true; }

}  // namespace gatehouse::accounts
