#include "oauth/cimd/client_id_url.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <optional>

#include "core/uri_components.h"

namespace gatehouse::oauth::cimd {
namespace {

core::Error Invalid(std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidClient,
                     "client_id is not a valid client metadata document URL: " + std::string(why));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

// "." or ".." once "%2e" (any case) is read as '.', the spellings a server may decode.
bool IsDotSegment(std::string_view segment) {
  std::string decoded;
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '%' && i + 2 < segment.size() && segment[i + 1] == '2' &&
        Lower(segment[i + 2]) == 'e') {
      decoded += '.';
      i += 2;
    } else {
      decoded += segment[i];
    }
  }
  return decoded == "." || decoded == "..";
}

bool HasDotSegment(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    if (IsDotSegment(path.substr(start, end - start))) return true;
    start = end + 1;
  }
  return false;
}

// The port as a number; 443 when absent; nullopt when empty, non-numeric, 0 or above 65535.
std::optional<uint16_t> PortNumber(std::optional<std::string_view> port) {
  if (!port) return 443;
  if (port->empty() || port->size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
  if (ec != std::errc() || end != port->data() + port->size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

bool LooksLikeClientIdUrl(std::string_view client_id) {
  return client_id.size() >= 8 && EqualsIgnoreCase(client_id.substr(0, 8), "https://");
}

core::Result<ClientIdUrl> ParseClientIdUrl(std::string_view client_id) {
  if (client_id.size() > kMaxClientIdUrlLength) {
    return Invalid("longer than " + std::to_string(kMaxClientIdUrlLength) + " bytes");
  }
  for (const char c : client_id) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return Invalid("contains whitespace, control or non-ASCII characters");
    }
  }
  const auto parts = core::ParseUriComponents(client_id);
  if (!parts) return Invalid("not an absolute URI");
  if (parts->scheme != "https") return Invalid("the scheme must be https");
  if (!parts->has_authority || parts->host.empty()) return Invalid("a host is required");
  if (parts->userinfo) return Invalid("userinfo is not allowed");
  if (parts->fragment) return Invalid("a fragment is not allowed");
  if (parts->path.empty() || parts->path == "/") return Invalid("a path is required");
  if (HasDotSegment(parts->path)) return Invalid("dot segments are not allowed in the path");
  if (parts->host.find('%') != std::string_view::npos) {
    return Invalid("percent-encoding is not allowed in the host");
  }
  const auto port = PortNumber(parts->port);
  if (!port) return Invalid("the port must be a number from 1 to 65535");

  ClientIdUrl out;
  out.url = std::string(client_id);
  out.port = *port;
  std::string_view host = parts->host;
  if (host.front() == '[') {
    // Only IPv6 literals; IPvFuture ("[v1.x]") names nothing we can connect to.
    boost::system::error_code ec;
    const std::string inner(host.substr(1, host.size() - 2));
    boost::asio::ip::make_address_v6(inner, ec);
    if (ec || host.back() != ']') return Invalid("the host is not a valid IPv6 literal");
    out.host = inner;
    out.host_is_ip_literal = true;
  } else {
    out.host = std::string(host);
    boost::system::error_code ec;
    boost::asio::ip::make_address_v4(out.host, ec);
    out.host_is_ip_literal = !ec;
  }
  out.target = std::string(parts->path);
  if (parts->query) out.target += "?" + std::string(*parts->query);
  return out;
}

bool SharesOrigin(const ClientIdUrl& client_id, std::string_view uri) {
  const auto parts = core::ParseUriComponents(uri);
  if (!parts || !EqualsIgnoreCase(parts->scheme, "https") || !parts->has_authority ||
      parts->userinfo) {
    return false;
  }
  const auto port = PortNumber(parts->port);
  if (!port || *port != client_id.port) return false;
  std::string_view host = parts->host;
  if (client_id.host_is_ip_literal && !host.empty() && host.front() == '[') {
    host = host.substr(1, host.size() - 2);
  }
  return EqualsIgnoreCase(host, client_id.host);
}

}  // namespace gatehouse::oauth::cimd
