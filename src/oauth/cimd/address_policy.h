#pragma once
// AddressPolicy: which resolved IP addresses the CIMD fetcher may connect to. A client_id URL is
// chosen by whoever starts an authorization request, so fetching it must never reach the
// server's own network (SSRF): only globally routable unicast addresses are allowed. Pure;
// thread-safe.
//
// SpecialUseRange names the range an address falls in, or returns std::nullopt for an ordinary
// public address. IPv4: 0/8 "this network", 10/8, 172.16/12, 192.168/16 private-use, 100.64/10
// shared (CGNAT), 127/8 loopback, 169.254/16 link-local, 192.0.0/24 protocol assignments,
// 192.0.2/24, 198.51.100/24, 203.0.113/24 documentation, 192.88.99/24 6to4 relay, 198.18/15
// benchmarking, 224/4 multicast, 240/4 reserved (including 255.255.255.255 broadcast).
// IPv6 is judged by allow-list: only global unicast 2000::/3 may pass, and within it
// 2001::/23 (protocol assignments, Teredo), 2001:db8::/32 and 3fff::/20 (documentation) and
// 2002::/16 (6to4, which tunnels to an embedded IPv4 address) are refused. Everything else —
// ::, ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 64:ff9b::/96 (NAT64), 100::/64 — is refused,
// except IPv4-mapped ::ffff:a.b.c.d, which is judged as the IPv4 address it carries.
//
// PermitsAddress applies the operator's allow-list: `allow_loopback` (a test-only setting) admits
// loopback addresses (127/8, ::1 and their IPv4-mapped forms) and nothing else.

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string_view>

namespace gatehouse::oauth::cimd {

std::optional<std::string_view> SpecialUseRange(const boost::asio::ip::address& address);

bool IsLoopbackAddress(const boost::asio::ip::address& address);

bool PermitsAddress(const boost::asio::ip::address& address, bool allow_loopback);

}  // namespace gatehouse::oauth::cimd
