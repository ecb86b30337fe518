#include "http/client_address.h"

#include <boost/asio/ip/address.hpp>

namespace gatehouse::http {
namespace {

namespace ip = boost::asio::ip;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<ip::address> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  // An IPv4-mapped IPv6 peer (::ffff:10.0.0.1) is the IPv4 address it carries.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

}  // namespace

core::Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies proxies;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view entry = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    const core::Error bad(core::ErrorCode::kBadRequest,
                          "not an IP address or CIDR range: " + std::string(entry));
    const size_t slash = entry.find('/');
    std::optional<ip::address> base = ParseAddress(entry.substr(0, slash));
    if (!base) return bad;
    const int max_prefix = base->is_v4() ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      if (digits.empty() || digits.size() > 3) return bad;
      prefix = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return bad;
        prefix = prefix * 10 + (c - '0');
      }
      if (prefix > max_prefix) return bad;
    }
    if (base->is_v4()) {
      proxies.v4_.push_back(ip::make_network_v4(base->to_v4(), prefix).canonical());
    } else {
      proxies.v6_.push_back(ip::make_network_v6(base->to_v6(), prefix).canonical());
    }
  }
  return proxies;
}

bool TrustedProxies::Contains(std::string_view text) const {
  std::optional<ip::address> address = ParseAddress(text);
  if (!address) return false;
  if (address->is_v4()) {
    for (const ip::network_v4& net : v4_) {
      if (ip::make_network_v4(address->to_v4(), net.prefix_length()).canonical() == net) {
        return true;
      }
    }
    return false;
  }
  for (const ip::network_v6& net : v6_) {
    if (ip::make_network_v6(address->to_v6(), net.prefix_length()).canonical() == net) {
      return true;
    }
  }
  return false;
}

std::string ClientAddress(const Request& request, const TrustedProxies& proxies) {
  const std::string_view peer = request.remote_address;
  if (proxies.empty() || !proxies.Contains(peer)) return std::string(peer);
  // Every X-Forwarded-For line, in order, read as one list from its right end.
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    while (true) {
      const size_t comma = rest.find(',');
      hops.push_back(Trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  std::string client(peer);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    std::optional<ip::address> hop = ParseAddress(*it);
    if (!hop) break;
    client = hop->to_string();
    if (!proxies.Contains(client)) break;
  }
  return client;
}

}  // namespace gatehouse::http
