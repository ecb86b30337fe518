#include "core/scope.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace gatehouse::core {
namespace {

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool IsScopeTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

struct BuiltInScope {
  std::string_view name;
  std::string_view description;
};

constexpr std::array<BuiltInScope, 6> kBuiltIns{{
    {kScopeOpenId, "Sign you in with your account"},
    {kScopeProfile, "View your name and basic profile information"},
    {kScopeEmail, "View your email address"},
    {kScopePhone, "View your phone number"},
    {kScopeOfflineAccess, "Stay connected to your account when you are not using the app"},
    {kScopeFullAccess, "Act as you with full access to your account"},
}};

constexpr std::array<std::string_view, 6> kBuiltInNames{
    kScopeOpenId, kScopeProfile, kScopeEmail, kScopePhone, kScopeOfflineAccess, kScopeFullAccess,
};

}  // namespace

bool ScopeSet::IsValidToken(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), IsScopeTokenChar);
}

Result<ScopeSet> ScopeSet::Parse(std::string_view space_delimited) {
  std::vector<std::string> tokens;
  size_t pos = 0;
  while (pos < space_delimited.size()) {
    if (space_delimited[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = space_delimited.find(' ', pos);
    if (end == std::string_view::npos) end = space_delimited.size();
    const std::string_view token = space_delimited.substr(pos, end - pos);
    if (!IsValidToken(token)) {
      return Error(ErrorCode::kInvalidScope,
                   "scope contains a character not allowed in a scope token");
    }
    tokens.emplace_back(token);
    pos = end;
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return ScopeSet(std::move(tokens));
}

std::string ScopeSet::ToString() const {
  std::string out;
  for (const std::string& scope : scopes_) {
    if (!out.empty()) out += ' ';
    out += scope;
  }
  return out;
}

bool ScopeSet::Contains(std::string_view scope) const {
  return std::binary_search(scopes_.begin(), scopes_.end(), scope);
}

bool ScopeSet::IsSubsetOf(const ScopeSet& other) const {
  return std::includes(other.scopes_.begin(), other.scopes_.end(), scopes_.begin(), scopes_.end());
}

ScopeSet ScopeSet::Union(const ScopeSet& other) const {
  std::vector<std::string> out;
  std::set_union(scopes_.begin(), scopes_.end(), other.scopes_.begin(), other.scopes_.end(),
                 std::back_inserter(out));
  return ScopeSet(std::move(out));
}

ScopeSet ScopeSet::Intersect(const ScopeSet& other) const {
  std::vector<std::string> out;
  std::set_intersection(scopes_.begin(), scopes_.end(), other.scopes_.begin(), other.scopes_.end(),
                        std::back_inserter(out));
  return ScopeSet(std::move(out));
}

ScopeSet ScopeSet::Difference(const ScopeSet& other) const {
  std::vector<std::string> out;
  std::set_difference(scopes_.begin(), scopes_.end(), other.scopes_.begin(), other.scopes_.end(),
                      std::back_inserter(out));
  return ScopeSet(std::move(out));
}

std::span<const std::string_view> BuiltInScopes() { return kBuiltInNames; }

bool IsBuiltInScope(std::string_view scope) { return !BuiltInScopeDescription(scope).empty(); }

std::string_view BuiltInScopeDescription(std::string_view scope) {
  for (const BuiltInScope& built_in : kBuiltIns) {
    if (built_in.name == scope) return built_in.description;
  }
  return {};
}

}  // namespace gatehouse::core
