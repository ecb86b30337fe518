#pragma once
// The address a request is attributed to — by the per-address abuse limits and the access log.
// It is the TCP peer, unless the peer is one of the operator's trusted proxies (a load balancer or
// nginx in front): then X-Forwarded-For is read from the right, skipping trusted proxies, and the
// first address that is not one is the client. Entries left of it were written by the client
// itself and are never believed. A header that does not parse leaves the peer as the answer.
//
// Trusted proxies are the `trusted_proxies` setting: a comma-separated list of addresses and CIDR
// ranges ("127.0.0.1, 10.0.0.0/8, ::1"). Immutable after parsing; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include "core/result.h"
#include "http/message.h"

namespace gatehouse::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;

  // kBadRequest naming the entry that is neither an address nor a CIDR range.
  static core::Result<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool Contains(std::string_view address) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// The client address of `request` (see the header comment), whose remote_address is the TCP
// peer: that peer itself when it is not a trusted proxy.
std::string ClientAddress(const Request& request, const TrustedProxies& proxies);

}  // namespace gatehouse::http
