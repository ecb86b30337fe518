// Fuzz target: core::ScopeSet::Parse. Invariants: a parsed set is sorted, distinct and made of
// valid tokens; Parse(ToString()) gives the same set back; the set operations agree with
// Contains; and parsing accepts exactly the inputs whose space-separated pieces are valid tokens.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/scope.h"
#include "fuzz/fuzz_check.h"

namespace {

using gatehouse::core::ScopeSet;

// What the grammar in scope.h says, written independently of the parser.
bool EveryPieceIsAToken(std::string_view text) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t space = std::min(text.find(' ', start), text.size());
    const std::string_view piece = text.substr(start, space - start);
    for (char c : piece) {
      const auto u = static_cast<unsigned char>(c);
      if (!(u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E))) return false;
    }
    start = space + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gatehouse::fuzz::AsText(data, size);
  const auto parsed = ScopeSet::Parse(text);
  FUZZ_CHECK(parsed.has_value() == EveryPieceIsAToken(text));
  if (!parsed) return 0;

  const ScopeSet& set = *parsed;
  FUZZ_CHECK(std::is_sorted(set.begin(), set.end()));
  FUZZ_CHECK(std::adjacent_find(set.begin(), set.end()) == set.end());
  for (const std::string& token : set) {
    FUZZ_CHECK(ScopeSet::IsValidToken(token));
    FUZZ_CHECK(set.Contains(token));
  }
  const auto again = ScopeSet::Parse(set.ToString());
  FUZZ_CHECK(again.has_value() && *again == set);
  FUZZ_CHECK(set.empty() == set.ToString().empty());

  // Set algebra against a fixed set of built-in and custom scopes.
  const auto other = ScopeSet::Parse("openid profile offline_access read:things");
  FUZZ_CHECK(other.has_value());
  const ScopeSet united = set.Union(*other);
  const ScopeSet common = set.Intersect(*other);
  const ScopeSet extra = set.Difference(*other);
  FUZZ_CHECK(set.IsSubsetOf(united) && other->IsSubsetOf(united));
  FUZZ_CHECK(common.IsSubsetOf(set) && common.IsSubsetOf(*other));
  FUZZ_CHECK(extra.IsSubsetOf(set));
  FUZZ_CHECK(common.size() + extra.size() == set.size());
  FUZZ_CHECK(extra.Intersect(*other).empty());
  FUZZ_CHECK(set.IsSubsetOf(*other) == extra.empty());
  return 0;
}
