#pragma once
// The management API's JSON fields, read and written the same way by every API in admin/:
//  - readers of a request body's fields, with one wording for their errors ("client_name must be
//    a string", "email is required"); absent and null read alike (nullopt);
//  - the paging every search shares: `limit` (1..kMaxSearchLimit, default kDefaultSearchLimit) and
//    an opaque `cursor`, answered with results_metadata {total, next_cursor};
//  - the refusal of a body that names an id other than the one in the path;
//  - writers of the views' lists and optional values.
// Errors are kBadRequest. Pure functions: thread-safe, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/result.h"

namespace gatehouse::admin {

inline constexpr int64_t kDefaultSearchLimit = 100;
inline constexpr int64_t kMaxSearchLimit = 1000;

// Field readers.
core::Result<std::string> RequiredString(const boost::json::object& body, std::string_view name);
core::Result<std::optional<std::string>> OptionalString(const boost::json::object& body,
                                                        std::string_view name);
core::Result<std::optional<bool>> OptionalBool(const boost::json::object& body,
                                               std::string_view name);
core::Result<std::optional<int64_t>> OptionalInt(const boost::json::object& body,
                                                 std::string_view name);
core::Result<std::optional<std::vector<std::string>>> OptionalStringArray(
    const boost::json::object& body, std::string_view name);

// A search's page: `limit` and `cursor` of the body (an empty cursor is no cursor).
struct PageRequest {
  int64_t limit = kDefaultSearchLimit;
  std::optional<std::string> cursor;
};
core::Result<PageRequest> ReadPageRequest(const boost::json::object& body);

// {"total": total, "next_cursor": next_cursor or null}.
boost::json::object ResultsMetadata(int64_t total, const std::optional<std::string>& next_cursor);

// kBadRequest "<name> cannot be changed" when the body names `name` with any value but `id` (an
// update may repeat the id it changes, never another).
core::Result<void> RefuseChangedId(const boost::json::object& body, std::string_view name,
                                   std::string_view id);

// Writers.
boost::json::array StringArrayJson(const std::vector<std::string>& items);
boost::json::value NullableJson(const std::optional<std::string>& value);
boost::json::value NullableJson(const std::optional<int64_t>& value);
// Unix seconds as RFC 3339 UTC ("2026-01-02T03:04:05Z"), the management API's time format (the
// protocol endpoints keep the numeric seconds their RFCs require).
std::string Rfc3339(int64_t unix_seconds);

}  // namespace gatehouse::admin
