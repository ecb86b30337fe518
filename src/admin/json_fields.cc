#include "admin/json_fields.h"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <utility>

#include "core/error.h"

namespace gatehouse::admin {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

Error WrongType(std::string_view name, std::string_view type) {
  return Error(ErrorCode::kBadRequest, std::string(name) + " must be " + std::string(type));
}

// The optimal string alignment distance (edits, adjacent swaps counted as one) between a and b.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The known name `unknown` most likely misspells: at most two edits away, and fewer than a third
// of its letters, so that short unrelated names are not offered.
std::optional<std::string_view> NearMiss(std::string_view unknown,
                                         const std::vector<std::string>& known) {
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  for (const std::string& name : known) {
    const size_t distance = EditDistance(unknown, name);
    if (distance < best_distance && distance * 3 < std::max(unknown.size(), name.size())) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace

BodyFields::BodyFields(std::initializer_list<std::string_view> names)
    : names_(names.begin(), names.end()) {}

BodyFields BodyFields::With(std::initializer_list<std::string_view> names) const {
  BodyFields out = *this;
  out.names_.insert(out.names_.end(), names.begin(), names.end());
  return out;
}

BodyFields BodyFields::WithObject(std::string_view name, BodyFields fields) const {
  BodyFields out = *this;
  out.names_.emplace_back(name);
  out.nested_names_.emplace_back(name);
  out.nested_.push_back(std::move(fields));
  return out;
}

std::optional<std::string> BodyFields::UnknownField(const json::object& body) const {
  return UnknownField(body, "");
}

std::optional<std::string> BodyFields::UnknownField(const json::object& body,
                                                    const std::string& at) const {
  for (const auto& member : body) {
    const std::string_view key = member.key();
    if (std::find(names_.begin(), names_.end(), key) == names_.end()) {
      std::string path = core::SanitizeErrorText(at + std::string(key));
      if (path.size() > kMaxShownPathBytes) path = path.substr(0, kMaxShownPathBytes) + "...";
      std::string message = "unknown field \"" + path + "\"";
      if (auto suggestion = NearMiss(key, names_)) {
        message += " (did you mean \"" + std::string(*suggestion) + "\"?)";
      }
      return message;
    }
    const auto nested = std::find(nested_names_.begin(), nested_names_.end(), key);
    if (nested == nested_names_.end()) continue;
    const BodyFields& fields = nested_[static_cast<size_t>(nested - nested_names_.begin())];
    if (auto unknown = fields.UnknownNestedField(member.value(), at + std::string(key))) {
      return unknown;
    }
  }
  return std::nullopt;
}

std::optional<std::string> BodyFields::UnknownNestedField(const json::value& value,
                                                          const std::string& at) const {
  if (value.is_object()) return UnknownField(value.as_object(), at + ".");
  if (!value.is_array()) return std::nullopt;
  const json::array& items = value.as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) continue;
    if (auto unknown = UnknownField(items[i].as_object(), at + "[" + std::to_string(i) + "].")) {
      return unknown;
    }
  }
  return std::nullopt;
}

core::Result<std::string> RequiredString(const json::object& body, std::string_view name) {
  auto v = OptionalString(body, name);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) {
    return Error(ErrorCode::kBadRequest, std::string(name) + " is required");
  }
  return std::move(**v);
}

core::Result<std::optional<std::string>> OptionalString(const json::object& body,
                                                        std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(name, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

core::Result<std::optional<bool>> OptionalBool(const json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return WrongType(name, "true or false");
  return std::optional<bool>(v->as_bool());
}

core::Result<std::optional<int64_t>> OptionalInt(const json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  return WrongType(name, "a whole number");
}

core::Result<std::optional<std::vector<std::string>>> OptionalStringArray(const json::object& body,
                                                                          std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return WrongType(name, "an array of strings");
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return WrongType(name, "an array of strings");
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

core::Result<PageRequest> ReadPageRequest(const json::object& body) {
  auto limit = OptionalInt(body, "limit");
  if (!limit) return limit.error();
  PageRequest page;
  page.limit = limit->value_or(kDefaultSearchLimit);
  if (page.limit < 1 || page.limit > kMaxSearchLimit) {
    return Error(ErrorCode::kBadRequest, "limit must be between 1 and 1000");
  }
  auto cursor = OptionalString(body, "cursor");
  if (!cursor) return cursor.error();
  if (*cursor && !(*cursor)->empty()) page.cursor = std::move(*cursor);
  return page;
}

json::object ResultsMetadata(int64_t total, const std::optional<std::string>& next_cursor) {
  return json::object{{"total", total}, {"next_cursor", NullableJson(next_cursor)}};
}

core::Result<void> RefuseChangedId(const json::object& body, std::string_view name,
                                   std::string_view id) {
  const json::value* v = body.if_contains(name);
  if (v != nullptr && !(v->is_string() && v->as_string() == id)) {
    return Error(ErrorCode::kBadRequest, std::string(name) + " cannot be changed");
  }
  return {};
}

json::array StringArrayJson(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& item : items) a.emplace_back(item);
  return a;
}

json::value NullableJson(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value NullableJson(const std::optional<int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

std::string Rfc3339(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  const size_t n = std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer, n);
}

}  // namespace gatehouse::admin
