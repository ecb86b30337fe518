#pragma once
// UriComponents: an absolute URI (RFC 3986 §4.3, optionally with a fragment) split into its
// components exactly as written: nothing is decoded, lower-cased or normalised, and every view
// points into the string that was parsed (which must outlive the result). Pure; thread-safe.
//
// ParseUriComponents returns std::nullopt for anything that is not a valid URI with a scheme.
//
// Why not boost::urls::parse_uri alone: Boost.URL 1.81 ends a host that looks like an IPv4 address
// (or an IP literal) without checking what follows (boostorg/url#755), so
// "http://127.0.0.1.evil.example/cb" comes back with host "127.0.0.1" and path ".evil.example/cb",
// and "http://[::1]x/cb" is accepted. A redirect URI policy that trusts those components would
// call a foreign host loopback. This parser uses Boost.URL for the grammar and then re-derives the
// authority whenever the path does not begin where RFC 3986 says it must.

#include <optional>
#include <string_view>

namespace gatehouse::core {

struct UriComponents {
  std::string_view scheme;                   // as written, e.g. "https" or "com.example.app"
  bool has_authority = false;                // "//" follows the scheme
  std::optional<std::string_view> userinfo;  // set when an '@' ends a userinfo (maybe empty)
  std::string_view host;                     // IP literals keep their brackets: "[::1]"
  std::optional<std::string_view> port;      // set when ':' follows the host (maybe empty)
  std::string_view path;
  std::optional<std::string_view> query;     // without '?'; set when '?' is present
  std::optional<std::string_view> fragment;  // without '#'; set when '#' is present
};

std::optional<UriComponents> ParseUriComponents(std::string_view uri);

}  // namespace gatehouse::core
