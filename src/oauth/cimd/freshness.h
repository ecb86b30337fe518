#pragma once
// Freshness: how long a fetched client metadata document may be served from cache, from its
// Cache-Control header (RFC 9111 §5.2.2), kept within operator bounds. Pure; thread-safe.
//
//  - max-age=N           -> N clamped to [min_seconds, max_seconds]
//  - no-store / no-cache -> min_seconds. The document is still kept that briefly: without it every
//                           authorization and token request for the client would refetch, and a
//                           client_id URL is chosen by the caller, so its server must not be able
//                           to make Gatehouse fetch on every request.
//  - absent or unparsable -> default_seconds (clamped likewise)
// Directive names are case-insensitive; a quoted max-age value is accepted; when several
// max-age directives appear the smallest wins.

#include <cstdint>
#include <string_view>

namespace gatehouse::oauth::cimd {

struct CacheBounds {
  int64_t min_seconds = 60;
  int64_t max_seconds = 24 * 3600;
  int64_t default_seconds = 300;
};

int64_t FreshnessSeconds(std::string_view cache_control, const CacheBounds& bounds);

}  // namespace gatehouse::oauth::cimd
