#pragma once
// JSON request bodies: one parser for every endpoint that takes a JSON object (the management API,
// Dynamic Client Registration), refusing what no endpoint should store or echo:
//  - anything but a JSON object; nesting beyond Boost.JSON's depth limit;
//  - numbers beyond double's range (Boost.JSON 1.81 reads 1e400 as infinity and would write it
//    back as `Infinity`, which is not JSON);
//  - U+0000 in a string or member name (PostgreSQL TEXT cannot hold it and libpq would cut the
//    value there, so it would read back altered on one engine only);
//  - any field beyond its size limit. Every string has a maximum length and every array a maximum
//    number of items: the limit named for the member they belong to (strings inside an array take
//    the array's member name), else the defaults. An object member with a byte limit is measured
//    as serialized JSON and not descended into (claims templates, metadata objects: their owners
//    check what is inside).
//
// Errors are kBadRequest naming the field ("client_name is longer than 256 bytes"); callers that
// speak another vocabulary (RFC 7591's invalid_client_metadata) map the code. Pure; thread-safe.

#include <cstddef>
#include <span>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"

namespace gatehouse::http {

struct JsonFieldLimit {
  std::string_view name;
  size_t max_bytes = 0;  // 0: the default for strings; for objects, 0 means "descend"
  size_t max_items = 0;  // 0: the default
};

struct JsonLimits {
  size_t string_bytes = 1024;
  size_t array_items = 100;
  size_t object_members = 1000;
  std::span<const JsonFieldLimit> fields;
};

core::Result<boost::json::object> ParseJsonObjectBody(std::string_view body,
                                                      const JsonLimits& limits);

}  // namespace gatehouse::http
