#include "core/rbac_policy.h"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "core/display_text.h"
#include "core/scope.h"

namespace gatehouse::core {
namespace json = boost::json;
namespace {

Error Bad(std::string message) { return Error(ErrorCode::kBadRequest, std::move(message)); }

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Result<std::string> StringField(const json::object& o, std::string_view name, std::string_view at,
                                bool required) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) return Bad(std::string(at) + "." + std::string(name) + " is required");
    return std::string();
  }
  if (!v->is_string()) return Bad(std::string(at) + "." + std::string(name) + " must be a string");
  if (required && v->as_string().empty()) {
    return Bad(std::string(at) + "." + std::string(name) + " must not be empty");
  }
  return std::string(v->as_string());
}

// Descriptions are shown as written (a scope's on the consent page), so they are display text.
Result<std::string> Description(const json::object& o, std::string_view at,
                                RbacPolicy::DisplayText display_text) {
  auto description = StringField(o, "description", at, false);
  if (!description || display_text == RbacPolicy::DisplayText::kAlreadyChecked) return description;
  if (auto ok = CheckDisplayText(std::string(at) + ".description", *description); !ok) {
    return ok.error();
  }
  return description;
}

Result<std::vector<std::string>> Strings(const json::object& o, std::string_view name,
                                         std::string_view at) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return out;
  const std::string where = std::string(at) + "." + std::string(name);
  if (!v->is_array()) return Bad(where + " must be an array of strings");
  for (const json::value& item : v->as_array()) {
    if (!item.is_string() || item.as_string().empty()) {
      return Bad(where + " must hold non-empty strings");
    }
    if (Contains(out, item.as_string())) {
      return Bad(where + " repeats " + std::string(item.as_string()));
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<const json::array*> ArrayField(const json::object& o, std::string_view name,
                                      std::string_view at) {
  static const json::array kEmpty;
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return &kEmpty;
  if (!v->is_array()) return Bad(std::string(at) + std::string(name) + " must be an array");
  return &v->as_array();
}

}  // namespace

const RbacResource* RbacPolicy::FindResource(std::string_view id) const {
  for (const auto& r : resources_) {
    if (r.resource_id == id) return &r;
  }
  return nullptr;
}

const RbacRole* RbacPolicy::FindRole(std::string_view id) const {
  for (const auto& r : roles_) {
    if (r.role_id == id) return &r;
  }
  return nullptr;
}

const RbacScope* RbacPolicy::FindScope(std::string_view scope) const {
  for (const auto& s : scopes_) {
    if (s.scope == scope) return &s;
  }
  return nullptr;
}

Result<RbacPolicy> RbacPolicy::ParseText(std::string_view text, DisplayText display_text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec) return Bad("the RBAC policy is not valid JSON");
  return Parse(v, display_text);
}

Result<RbacPolicy> RbacPolicy::Parse(const json::value& document, DisplayText display_text) {
  if (!document.is_object()) return Bad("the RBAC policy must be a JSON object");
  const json::object& doc = document.as_object();
  RbacPolicy policy;

  auto resources = ArrayField(doc, "resources", "");
  if (!resources) return resources.error();
  for (size_t i = 0; i < (*resources)->size(); ++i) {
    const std::string at = "resources[" + std::to_string(i) + "]";
    const json::value& item = (**resources)[i];
    if (!item.is_object()) return Bad(at + " must be an object");
    RbacResource r;
    auto id = StringField(item.as_object(), "resource_id", at, true);
    if (!id) return id.error();
    auto description = Description(item.as_object(), at, display_text);
    if (!description) return description.error();
    auto actions = Strings(item.as_object(), "actions", at);
    if (!actions) return actions.error();
    if (Contains(*actions, kRbacWildcard)) {
      return Bad(at + ".actions must name actions; * is only for permissions");
    }
    if (policy.FindResource(*id) != nullptr) return Bad("resource_id " + *id + " is repeated");
    r.resource_id = std::move(*id);
    r.description = std::move(*description);
    r.actions = std::move(*actions);
    policy.resources_.push_back(std::move(r));
  }

  // Permissions must name known resources and their actions (or "*").
  auto permissions = [&](const json::object& owner,
                         const std::string& at) -> Result<std::vector<RbacPermission>> {
    std::vector<RbacPermission> out;
    auto list = ArrayField(owner, "permissions", at + ".");
    if (!list) return list.error();
    for (size_t i = 0; i < (*list)->size(); ++i) {
      const std::string where = at + ".permissions[" + std::to_string(i) + "]";
      const json::value& item = (**list)[i];
      if (!item.is_object()) return Bad(where + " must be an object");
      auto id = StringField(item.as_object(), "resource_id", where, true);
      if (!id) return id.error();
      const RbacResource* resource = policy.FindResource(*id);
      if (resource == nullptr) return Bad(where + " names an unknown resource " + *id);
      auto actions = Strings(item.as_object(), "actions", where);
      if (!actions) return actions.error();
      if (actions->empty()) return Bad(where + ".actions must not be empty");
      for (const auto& action : *actions) {
        if (action != kRbacWildcard && !Contains(resource->actions, action)) {
          return Bad(where + " names an unknown action " + action + " of resource " + *id);
        }
      }
      out.push_back(RbacPermission{std::move(*id), std::move(*actions)});
    }
    return out;
  };

  auto roles = ArrayField(doc, "roles", "");
  if (!roles) return roles.error();
  for (size_t i = 0; i < (*roles)->size(); ++i) {
    const std::string at = "roles[" + std::to_string(i) + "]";
    const json::value& item = (**roles)[i];
    if (!item.is_object()) return Bad(at + " must be an object");
    auto id = StringField(item.as_object(), "role_id", at, true);
    if (!id) return id.error();
    if (policy.FindRole(*id) != nullptr) return Bad("role_id " + *id + " is repeated");
    auto description = Description(item.as_object(), at, display_text);
    if (!description) return description.error();
    auto perms = permissions(item.as_object(), at);
    if (!perms) return perms.error();
    policy.roles_.push_back(RbacRole{std::move(*id), std::move(*description), std::move(*perms)});
  }

  auto scopes = ArrayField(doc, "scopes", "");
  if (!scopes) return scopes.error();
  for (size_t i = 0; i < (*scopes)->size(); ++i) {
    const std::string at = "scopes[" + std::to_string(i) + "]";
    const json::value& item = (**scopes)[i];
    if (!item.is_object()) return Bad(at + " must be an object");
    auto scope = StringField(item.as_object(), "scope", at, true);
    if (!scope) return scope.error();
    if (!ScopeSet::IsValidToken(*scope)) return Bad(at + ".scope is not a valid scope token");
    if (IsBuiltInScope(*scope)) return Bad(at + ".scope " + *scope + " is a built-in scope");
    if (policy.FindScope(*scope) != nullptr) return Bad("scope " + *scope + " is repeated");
    auto description = Description(item.as_object(), at, display_text);
    if (!description) return description.error();
    auto perms = permissions(item.as_object(), at);
    if (!perms) return perms.error();
    policy.scopes_.push_back(
        RbacScope{std::move(*scope), std::move(*description), std::move(*perms)});
  }
  return policy;
}

json::object RbacPolicy::ToJson() const {
  auto strings = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
  auto permissions = [&](const std::vector<RbacPermission>& v) {
    json::array a;
    for (const auto& p : v) {
      a.emplace_back(json::object{{"resource_id", p.resource_id}, {"actions", strings(p.actions)}});
    }
    return a;
  };
  json::array resources, roles, scopes;
  for (const auto& r : resources_) {
    resources.emplace_back(json::object{{"resource_id", r.resource_id},
                                        {"description", r.description},
                                        {"actions", strings(r.actions)}});
  }
  for (const auto& r : roles_) {
    roles.emplace_back(json::object{{"role_id", r.role_id},
                                    {"description", r.description},
                                    {"permissions", permissions(r.permissions)}});
  }
  for (const auto& s : scopes_) {
    scopes.emplace_back(json::object{{"scope", s.scope},
                                     {"description", s.description},
                                     {"permissions", permissions(s.permissions)}});
  }
  return json::object{{"resources", std::move(resources)},
                      {"roles", std::move(roles)},
                      {"scopes", std::move(scopes)}};
}

bool RbacPolicy::HasPermission(const std::vector<std::string>& role_ids,
                               std::string_view resource_id, std::string_view action) const {
  for (const auto& role_id : role_ids) {
    const RbacRole* role = FindRole(role_id);
    if (role == nullptr) continue;
    for (const auto& p : role->permissions) {
      if (p.resource_id != resource_id) continue;
      if (Contains(p.actions, kRbacWildcard) || Contains(p.actions, action)) return true;
    }
  }
  return false;
}

bool RbacPolicy::IsGrantable(const std::vector<std::string>& role_ids,
                             std::string_view scope) const {
  const RbacScope* s = FindScope(scope);
  if (s == nullptr) return true;
  for (const auto& p : s->permissions) {
    for (const auto& action : p.actions) {
      if (action != kRbacWildcard) {
        if (!HasPermission(role_ids, p.resource_id, action)) return false;
        continue;
      }
      // "*" asks for every action of the resource: a role's "*" or each action one by one.
      if (HasPermission(role_ids, p.resource_id, kRbacWildcard)) continue;
      const RbacResource* resource = FindResource(p.resource_id);
      if (resource == nullptr) return false;
      for (const auto& each : resource->actions) {
        if (!HasPermission(role_ids, p.resource_id, each)) return false;
      }
    }
  }
  return true;
}

}  // namespace gatehouse::core
