// Fuzz target: management API request bodies: admin::ParseJsonObject and the field readers of
// src/admin/management_api.h (RequiredString, OptionalString, OptionalBool, OptionalInt,
// OptionalStringArray), run for every member of the parsed object and for the field names the
// API reads. Invariants: failures are kBadRequest; an accepted body is an object (empty body: the
// empty object) with only finite numbers, and serialises to JSON that parses back to the same
// object (doubles to within an ulp); each reader accepts exactly the JSON kinds its name promises
// (null counts as absent) and returns the value sent.

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "admin/management_api.h"
#include "core/error.h"
#include "fuzz/fuzz_check.h"

namespace {

namespace json = boost::json;
using gatehouse::core::ErrorCode;

// Equal JSON, except that doubles may differ in the last place: Boost.JSON 1.81 does not round
// long decimal mantissas exactly, so a serialised double can read back one ulp away.
bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double();
    const double y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-15 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_array() && b.is_array()) {
    const json::array& p = a.get_array();
    const json::array& q = b.get_array();
    if (p.size() != q.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if (!SameJson(p[i], q[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const json::object& p = a.get_object();
    const json::object& q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& member : p) {
      const json::value* other = q.if_contains(member.key());
      if (other == nullptr || !SameJson(member.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

void CheckReaders(const json::object& body, std::string_view name) {
  const json::value* v = body.if_contains(name);
  const bool absent = v == nullptr || v->is_null();

  const auto text = gatehouse::admin::OptionalString(body, name);
  FUZZ_CHECK(text.has_value() == (absent || v->is_string()));
  if (!text) FUZZ_CHECK(text.error().code() == ErrorCode::kBadRequest);
  if (text && !absent) FUZZ_CHECK(**text == std::string_view(v->as_string()));
  if (text && absent) FUZZ_CHECK(!*text);

  const auto required = gatehouse::admin::RequiredString(body, name);
  FUZZ_CHECK(required.has_value() == (text && *text && !(*text)->empty()));

  const auto flag = gatehouse::admin::OptionalBool(body, name);
  FUZZ_CHECK(flag.has_value() == (absent || v->is_bool()));
  if (flag && !absent) FUZZ_CHECK(**flag == v->as_bool());

  const auto number = gatehouse::admin::OptionalInt(body, name);
  const bool whole = !absent && (v->is_int64() || (v->is_uint64() && v->as_uint64() <= INT64_MAX));
  FUZZ_CHECK(number.has_value() == (absent || whole));
  if (number && !absent) {
    FUZZ_CHECK(v->is_int64() ? **number == v->as_int64()
                             : static_cast<uint64_t>(**number) == v->as_uint64());
  }

  const auto list = gatehouse::admin::OptionalStringArray(body, name);
  bool all_strings = !absent && v->is_array();
  if (all_strings) {
    for (const json::value& item : v->as_array()) all_strings = all_strings && item.is_string();
  }
  FUZZ_CHECK(list.has_value() == (absent || all_strings));
  if (list && !absent) FUZZ_CHECK((*list)->size() == v->as_array().size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gatehouse::fuzz::AsText(data, size);
  const auto body = gatehouse::admin::ParseJsonObject(text);
  if (!body) {
    FUZZ_CHECK(body.error().code() == ErrorCode::kBadRequest);
    FUZZ_CHECK(!text.empty());
    return 0;
  }
  if (text.empty()) FUZZ_CHECK(body->empty());
  const auto again = gatehouse::admin::ParseJsonObject(json::serialize(*body));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(SameJson(json::value(*again), json::value(*body)));

  std::vector<std::string> names;
  for (const auto& member : *body) names.emplace_back(member.key());
  for (std::string_view field : {"client_name", "redirect_uris", "full_access_allowed",
                                 "access_token_expiry_minutes", "email", ""}) {
    names.emplace_back(field);
  }
  for (const std::string& name : names) CheckReaders(*body, name);
  return 0;
}
