#pragma once
// ClientIdUrl: the rules a Client ID Metadata Document URL must meet before Gatehouse will fetch
// it (draft-ietf-oauth-client-id-metadata-document §3), and the pieces the fetcher needs.
// Pure; thread-safe.
//
// A client_id URL must be at most kMaxClientIdUrlLength bytes and be an absolute https URL with a
// non-empty host, a path other than "/" (the document names a specific resource, not a site), no
// fragment, no userinfo, no "." or ".." path segments (in any percent-encoded spelling either), no
// percent-encoding in the host and no whitespace or control characters. A query is accepted: the
// draft allows one (it says SHOULD NOT, not MUST NOT), and because client_ids are compared as
// exact strings it cannot make two spellings name the same client. The URL is never normalised:
// the document must repeat it byte for byte.
//
// ParseClientIdUrl returns kInvalidClient naming the broken rule; the caller's description then
// reads like "client_id is not a valid client metadata document URL: ...".

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gatehouse::oauth::cimd {

inline constexpr size_t kMaxClientIdUrlLength = 2048;

struct ClientIdUrl {
  std::string url;   // exactly as given
  std::string host;  // as written, without IPv6 brackets ("example.com", "::1")
  bool host_is_ip_literal = false;
  uint16_t port = 443;
  std::string target;  // path and query for the request line, e.g. "/client.json?v=2"
};

// True when `client_id` looks like something the CIMD resolver should handle (starts "https://").
bool LooksLikeClientIdUrl(std::string_view client_id);

core::Result<ClientIdUrl> ParseClientIdUrl(std::string_view client_id);

// True when `uri` is an https URL with the same origin as `client_id`: scheme and host compared
// ASCII case-insensitively (they are case-insensitive by RFC 3986), ports compared as numbers with
// 443 for an absent one.
bool SharesOrigin(const ClientIdUrl& client_id, std::string_view uri);

}  // namespace gatehouse::oauth::cimd
