#pragma once
// How every management list pages, whether asked by POST .../search (ReadPageRequest in
// json_fields.h reads its body) or by GET on the collection (ReadPageQuery reads its query):
//  - a cursor is opaque to callers: the base64url of "<list>:<key>", where key is the sort key of
//    the last item of the page that issued it and list names the list that issued it. Pages are
//    keyset on that key, so a cursor that does not decode, or that another list issued, is
//    refused rather than read as a key (which would silently skip or repeat items);
//  - a GET list takes `limit` (decimal digits, 1..kMaxSearchLimit, default kDefaultSearchLimit)
//    and `cursor` (empty: the first page) in its query, each at most once, and nothing else.
// Errors are kBadRequest saying which parameter is wrong. Pure functions: thread-safe, no I/O.

#include <optional>
#include <string>
#include <string_view>

#include "admin/json_fields.h"
#include "core/result.h"

namespace gatehouse::admin {

// The lists, as their cursors name them.
inline constexpr std::string_view kUsersList = "users";
inline constexpr std::string_view kConnectedAppsList = "connected_apps";
inline constexpr std::string_view kM2mClientsList = "m2m_clients";
inline constexpr std::string_view kOrganizationsList = "organizations";

// The cursor that resumes `list` after `last_key`; no key (the last page) gives no cursor.
std::optional<std::string> NextCursor(std::string_view list,
                                      const std::optional<std::string>& last_key);

// The key a cursor issued by `list` resumes after; no cursor gives no key.
core::Result<std::optional<std::string>> CursorKey(std::string_view list,
                                                   const std::optional<std::string>& cursor);

// The page a GET list's query string (raw, after '?') asks for. The cursor is returned as sent:
// CursorKey reads it.
core::Result<PageRequest> ReadPageQuery(std::string_view query);

}  // namespace gatehouse::admin
