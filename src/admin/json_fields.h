#pragma once
// The management API's JSON fields, read and written the same way by every API in admin/:
//  - readers of a request body's fields, with one wording for their errors ("client_name must be
//    a string", "email is required"); absent and null read alike (nullopt);
//  - the paging every search shares: `limit` (1..kMaxSearchLimit, default kDefaultSearchLimit) and
//    an opaque `cursor`, answered with results_metadata {total, next_cursor};
//  - the refusal of a body that names an id other than the one in the path;
//  - BodyFields, the fields an endpoint knows: a body naming any other is refused with
//    `unknown field "redirect_uris" (did you mean "redirect_urls"?)`;
//  - writers of the views' lists, optional values and times (RFC 3339, the API's one format).
// Errors are kBadRequest. Pure functions and immutable values: thread-safe, no I/O.

#include <cstdint>
#include <initializer_list>
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

// The fields a request body may name: every field the endpoint reads, and those it refuses with a
// reason of its own ("client_secret cannot be set: ..."). A field whose value is an object the
// API defines — or an array of such objects — lists that object's fields in turn; free-form
// objects (trusted_metadata, claims templates) are plain names and their inside is not checked.
// Values of the wrong type are left to the field readers, which say what the type must be.
class BodyFields {
 public:
  BodyFields() = default;  // knows no field: the body must be empty
  BodyFields(std::initializer_list<std::string_view> names);

  // This set plus `names`.
  BodyFields With(std::initializer_list<std::string_view> names) const;
  // This set plus `name`, whose object value (or array of objects) may name only `fields`.
  BodyFields WithObject(std::string_view name, BodyFields fields) const;

  // nullopt when `body` names only known fields; else the refusal of the first unknown one,
  // `unknown field "<path>"`, the path naming nested ones ("policy.roles[0].color"), followed by
  // ` (did you mean "<known>"?)` when a known field is a near miss (a typo or two away). The
  // message quotes with '"', which core::Error would not keep; the path shows characters outside
  // printable ASCII, '"' and '\\' as '?' and at most kMaxShownPathBytes of it, so the message is
  // safe to echo and log.
  std::optional<std::string> UnknownField(const boost::json::object& body) const;

  static constexpr size_t kMaxShownPathBytes = 128;

 private:
  std::optional<std::string> UnknownField(const boost::json::object& body,
                                          const std::string& at) const;
  std::optional<std::string> UnknownNestedField(const boost::json::value& value,
                                                const std::string& at) const;

  std::vector<std::string> names_;
  std::vector<std::string> nested_names_;  // nested_names_[i]'s fields are nested_[i]
  std::vector<BodyFields> nested_;
};

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
