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

}  // namespace

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
