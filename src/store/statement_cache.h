#pragma once
// Pieces both engines use for their per-connection prepared-statement caches: a map keyed by the
// SQL text that can be searched with a string_view (no allocation on a hit), the cap on its size,
// and the short form of a statement quoted in error messages.
//
// Header-only, pure, no shared state.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gatehouse::store {

struct SqlTextHash {
  using is_transparent = void;
  size_t operator()(std::string_view sql) const noexcept {
    return std::hash<std::string_view>{}(sql);
  }
};

template <class Handle>
using StatementMap = std::unordered_map<std::string, Handle, SqlTextHash, std::equal_to<>>;

// Repositories use a fixed set of statements, so the cache stays far below this; the cap only
// bounds memory if some caller builds SQL dynamically. On overflow the cache is emptied.
inline constexpr size_t kMaxCachedStatements = 512;

// The statement as quoted in an error message: whitespace runs collapsed, at most 160 characters.
// Statements carry no values (those are parameters), so quoting them leaks nothing.
inline std::string SqlForMessage(std::string_view sql) {
  constexpr size_t kMax = 160;
  std::string out;
  out.reserve(std::min(sql.size(), kMax + 3));
  bool space = false;
  for (char c : sql) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace gatehouse::store
