#include "admin/list_paging.h"

#include <charconv>
#include <cstdint>
#include <utility>

#include "crypto/encoding.h"
#include "http/form.h"

namespace gatehouse::admin {
using core::Error;
using core::ErrorCode;

namespace {

const std::string kLimitRange =
    "limit must be a whole number from 1 to " + std::to_string(kMaxSearchLimit);

// Strict decimal: from_chars alone would take "-1" and stop quietly at "2.5" or "2 ".
core::Result<int64_t> ParseLimit(std::string_view text) {
  if (text.empty() || text.size() > 19) return Error(ErrorCode::kBadRequest, kLimitRange);
  for (char c : text) {
    if (c < '0' || c > '9') return Error(ErrorCode::kBadRequest, kLimitRange);
  }
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 ||
      value > kMaxSearchLimit) {
    return Error(ErrorCode::kBadRequest, kLimitRange);
  }
  return value;
}

// The parameter's name as an error may show it: names come from the caller, so long ones are cut.
std::string Shown(const std::string& name) {
  return name.size() > 64 ? name.substr(0, 64) + "..." : name;
}

}  // namespace

std::optional<std::string> NextCursor(std::string_view list,
                                      const std::optional<std::string>& last_key) {
  if (!last_key) return std::nullopt;
  std::string plain(list);
  plain += ':';
  plain += *last_key;
  return crypto::Base64UrlEncode(plain);
}

core::Result<std::optional<std::string>> CursorKey(std::string_view list,
                                                   const std::optional<std::string>& cursor) {
  if (!cursor || cursor->empty()) return std::optional<std::string>();
  const Error invalid(ErrorCode::kBadRequest,
                      "cursor is not valid: pass the next_cursor of the previous page of this "
                      "list as it was given");
  std::optional<std::string> plain = crypto::Base64UrlDecode(*cursor);
  if (!plain || plain->size() <= list.size() + 1 || !plain->starts_with(list) ||
      (*plain)[list.size()] != ':') {
    return invalid;
  }
  return std::optional<std::string>(plain->substr(list.size() + 1));
}

core::Result<PageRequest> ReadPageQuery(std::string_view query) {
  auto params = http::ParseForm(query);
  if (!params) {
    return Error(ErrorCode::kBadRequest,
                 "the query string is not valid: " + params.error().description());
  }
  PageRequest page;
  bool seen_limit = false;
  bool seen_cursor = false;
  for (const auto& [name, value] : params->pairs()) {
    if (name == "limit") {
      if (seen_limit) return Error(ErrorCode::kBadRequest, "limit may be given only once");
      seen_limit = true;
      auto limit = ParseLimit(value);
      if (!limit) return limit.error();
      page.limit = *limit;
    } else if (name == "cursor") {
      if (seen_cursor) return Error(ErrorCode::kBadRequest, "cursor may be given only once");
      seen_cursor = true;
      if (!value.empty()) page.cursor = value;
    } else {
      return Error(ErrorCode::kBadRequest,
                   "unknown query parameter " + Shown(name) + ": a list takes limit and cursor");
    }
  }
  return page;
}

}  // namespace gatehouse::admin
