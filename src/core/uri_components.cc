#include "core/uri_components.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace gatehouse::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsRegNameChar(char c) {
  const bool alnum = IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return alnum || std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
}

std::optional<std::string_view> Optional(bool present, std::string_view value) {
  if (!present) return std::nullopt;
  return value;
}

}  // namespace

std::optional<UriComponents> ParseUriComponents(std::string_view uri) {
  const auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& url = *parsed;

  UriComponents out;
  out.scheme = url.scheme();
  out.has_authority = url.has_authority();
  out.userinfo = Optional(url.has_userinfo(), url.encoded_userinfo());
  out.host = url.encoded_host();
  out.port = Optional(url.has_port(), url.port());
  out.path = url.encoded_path();
  out.query = Optional(url.has_query(), url.encoded_query());
  out.fragment = Optional(url.has_fragment(), url.encoded_fragment());
  if (!out.has_authority || out.path.empty() || out.path.front() == '/') return out;

  // RFC 3986 §3.3: after an authority the path is empty or starts with '/'. Anything else is
  // Boost.URL 1.81 having cut a host short (see the header). The real host runs on to the first
  // ':' of what Boost took for the path, and the authority on to the first '/'.
  // Only an IPv4-looking host without a port can be the prefix of a longer registered name;
  // "[::1]x/cb" and "http://a:80x/cb" are simply invalid.
  if (url.host_type() != boost::urls::host_type::ipv4 || url.has_port()) return std::nullopt;
  const std::string_view leaked = out.path.substr(0, std::min(out.path.find('/'), out.path.size()));
  const size_t colon = leaked.find(':');
  // What extends the host must itself be reg-name text (RFC 3986 §3.2.2: unreserved,
  // pct-encoded, sub-delims); an '@' there ("p://u@127.0.0.1@evil/") is a second userinfo
  // delimiter, which makes the URI invalid rather than part of the host.
  const std::string_view host_rest = leaked.substr(0, std::min(colon, leaked.size()));
  if (!std::all_of(host_rest.begin(), host_rest.end(), IsRegNameChar)) return std::nullopt;
  // Boost ended the host where it ended, so the leaked text starts right after it in `uri`.
  const size_t host_begin = static_cast<size_t>(out.host.data() - uri.data());
  out.host = uri.substr(host_begin, out.host.size() + std::min(colon, leaked.size()));
  if (colon != std::string_view::npos) {
    const std::string_view port = leaked.substr(colon + 1);
    if (!std::all_of(port.begin(), port.end(), IsDigit)) return std::nullopt;
    out.port = port;
  }
  out.path = out.path.substr(leaked.size());
  return out;
}

}  // namespace gatehouse::core
