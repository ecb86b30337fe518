#include "oauth/cimd/freshness.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace gatehouse::oauth::cimd {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string LowerCase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

// Delta-seconds (RFC 9111 §1.2.2): digits only; values too large for int64 saturate.
std::optional<int64_t> DeltaSeconds(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty()) return std::nullopt;
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t out = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec == std::errc::result_out_of_range) return INT64_MAX;
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return out;
}

}  // namespace

int64_t FreshnessSeconds(std::string_view cache_control, const CacheBounds& bounds) {
  const auto clamp = [&](int64_t s) {
    return std::clamp(s, bounds.min_seconds, bounds.max_seconds);
  };
  std::optional<int64_t> max_age;
  bool no_store = false;
  size_t start = 0;
  while (start <= cache_control.size()) {
    const size_t end = std::min(cache_control.find(',', start), cache_control.size());
    const std::string_view directive = Trim(cache_control.substr(start, end - start));
    start = end + 1;
    const size_t eq = directive.find('=');
    const std::string name = LowerCase(Trim(directive.substr(0, eq)));
    if (name == "no-store" || name == "no-cache") no_store = true;
    if (name == "max-age" && eq != std::string_view::npos) {
      if (const auto seconds = DeltaSeconds(Trim(directive.substr(eq + 1)))) {
        max_age = max_age ? std::min(*max_age, *seconds) : *seconds;
      }
    }
  }
  if (no_store) return bounds.min_seconds;
  if (max_age) return clamp(*max_age);
  return clamp(bounds.default_seconds);
}

}  // namespace gatehouse::oauth::cimd
