#pragma once
// RbacPolicy: the project's role-based access control policy (Stytch's RBAC shape):
//   resources: [{resource_id, description, actions[]}]
//   roles:     [{role_id, description, permissions: [{resource_id, actions[]}]}]
//   scopes:    [{scope, description, permissions: [{resource_id, actions[]}]}]
// "*" as an action means every action of the resource. A custom scope is grantable by a user only
// when the user's roles together cover every (resource, action) the scope's permissions name
// (IsGrantable). A role's "*" covers every action; a scope's "*" needs every action of the
// resource (a role's "*", or each action listed). A scope with no permissions, or a scope the
// policy does not define, asks for nothing and is grantable. Built-in scopes are outside the
// policy (the caller decides about them).
//
// Parse validates: ids non-empty and distinct, actions non-empty and distinct per resource, every
// permission naming a known resource and known actions (or "*"), scopes valid scope tokens and not
// built-in; failures are kBadRequest with a message naming the offending entry.
//
// Pure value type: immutable after Parse, safe to share across threads.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "core/result.h"

namespace gatehouse::core {

inline constexpr std::string_view kRbacWildcard = "*";

struct RbacPermission {
  std::string resource_id{};
  std::vector<std::string> actions{};
};

struct RbacResource {
  std::string resource_id{};
  std::string description{};
  std::vector<std::string> actions{};
};

struct RbacRole {
  std::string role_id{};
  std::string description{};
  std::vector<RbacPermission> permissions{};
};

struct RbacScope {
  std::string scope{};
  std::string description{};
  std::vector<RbacPermission> permissions{};
};

class RbacPolicy {
 public:
  RbacPolicy() = default;  // the empty policy

  // Descriptions are display text (display_text.h) unless `display_text` says the document was
  // checked already: a stored policy was checked when written, and refusing it at load would
  // leave its scopes unguarded (a scope the policy does not name is grantable).
  enum class DisplayText { kCheck, kAlreadyChecked };
  static Result<RbacPolicy> Parse(const boost::json::value& document,
                                  DisplayText display_text = DisplayText::kCheck);
  static Result<RbacPolicy> ParseText(std::string_view json_text,
                                      DisplayText display_text = DisplayText::kCheck);
  boost::json::object ToJson() const;

  const std::vector<RbacResource>& resources() const { return resources_; }
  const std::vector<RbacRole>& roles() const { return roles_; }
  const std::vector<RbacScope>& scopes() const { return scopes_; }

  const RbacScope* FindScope(std::string_view scope) const;
  const RbacRole* FindRole(std::string_view role_id) const;
  // Whether the roles `role_ids` (unknown ones grant nothing) together grant `action` on
  // `resource_id`.
  bool HasPermission(const std::vector<std::string>& role_ids, std::string_view resource_id,
                     std::string_view action) const;
  // See the header comment.
  bool IsGrantable(const std::vector<std::string>& role_ids, std::string_view scope) const;

 private:
  const RbacResource* FindResource(std::string_view resource_id) const;

  std::vector<RbacResource> resources_;
  std::vector<RbacRole> roles_;
  std::vector<RbacScope> scopes_;
};

}  // namespace gatehouse::core
