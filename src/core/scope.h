#pragma once
// ScopeSet: an immutable, sorted set of distinct OAuth scope tokens (RFC 6749 §3.3), and the
// built-in scopes with the descriptions the consent page shows. Value type; thread-compatible.
//
// Parse is lenient about separators and strict about characters:
//   - tokens are separated by one or more SP (0x20); leading and trailing SP are ignored, so
//     "openid  profile " parses like "openid profile", and "" or "   " is the empty set;
//   - every other character must be a scope-token character (%x21 / %x23-5B / %x5D-7E), so tabs,
//     newlines, '"', '\\', non-ASCII and control characters fail with kInvalidScope;
//   - repeated tokens collapse into one (it is a set).
// Ordering is byte-wise, so ToString() is stable: the same set always prints the same string.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gatehouse::core {

class ScopeSet {
 public:
  using const_iterator = std::vector<std::string>::const_iterator;

  ScopeSet() = default;

  // kInvalidScope when a token contains a character outside the scope-token grammar.
  static Result<ScopeSet> Parse(std::string_view space_delimited);
  // True when `token` is non-empty and made only of scope-token characters.
  static bool IsValidToken(std::string_view token);

  // Space-joined, in sorted order; "" for the empty set.
  std::string ToString() const;

  bool Contains(std::string_view scope) const;
  bool IsSubsetOf(const ScopeSet& other) const;
  ScopeSet Union(const ScopeSet& other) const;
  ScopeSet Intersect(const ScopeSet& other) const;
  // The scopes in this set that are not in `other` (e.g. the newly requested ones).
  ScopeSet Difference(const ScopeSet& other) const;

  size_t size() const { return scopes_.size(); }
  bool empty() const { return scopes_.empty(); }
  const_iterator begin() const { return scopes_.begin(); }
  const_iterator end() const { return scopes_.end(); }

  bool operator==(const ScopeSet&) const = default;

 private:
  explicit ScopeSet(std::vector<std::string> sorted_distinct)
      : scopes_(std::move(sorted_distinct)) {}

  std::vector<std::string> scopes_;  // sorted, distinct, each a valid token
};

// The built-in scopes (DESIGN §2).
inline constexpr std::string_view kScopeOpenId = "openid";
inline constexpr std::string_view kScopeProfile = "profile";
inline constexpr std::string_view kScopeEmail = "email";
inline constexpr std::string_view kScopePhone = "phone";
inline constexpr std::string_view kScopeOfflineAccess = "offline_access";
inline constexpr std::string_view kScopeFullAccess = "full_access";

// The built-in scopes in the order the design lists them.
std::span<const std::string_view> BuiltInScopes();
bool IsBuiltInScope(std::string_view scope);
// A sentence for the consent page; empty for a scope that is not built in (custom scopes carry
// their own description in the RBAC policy).
std::string_view BuiltInScopeDescription(std::string_view scope);

}  // namespace gatehouse::core
