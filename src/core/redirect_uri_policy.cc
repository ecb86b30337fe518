#include "core/redirect_uri_policy.h"

#include <array>
#include <cstdint>

#include "core/uri_components.h"

namespace gatehouse::core {
namespace {

// Schemes that execute or reveal content in the user agent instead of navigating to a client.
constexpr std::array<std::string_view, 8> kDangerousSchemes = {
    "javascript", "vbscript", "data", "file", "blob", "filesystem", "about", "view-source",
};

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::string AsciiLowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

Error InvalidRedirectUri(std::string_view description) {
  return Error(ErrorCode::kInvalidRedirectUri, description);
}

// An empty port ("http://127.0.0.1:/cb") is allowed; otherwise 1 to 5 digits, at most 65535.
bool IsValidPort(const UriComponents& uri) {
  if (!uri.port) return true;
  const std::string_view port = *uri.port;
  if (port.size() > 5) return false;
  uint32_t value = 0;
  for (char c : port) {
    value = value * 10 + static_cast<uint32_t>(c - '0');  // ParseUriComponents checked the digits
  }
  return value <= 65535;
}

}  // namespace

bool IsLoopbackHost(std::string_view encoded_host) {
  return encoded_host == "127.0.0.1" || encoded_host == "[::1]" ||
         EqualsIgnoreAsciiCase(encoded_host, "localhost");
}

Result<void> ValidateRedirectUriForRegistration(std::string_view uri, ClientType client_type,
                                                Environment environment,
                                                ApplicationType application_type) {
  if (uri.empty()) return InvalidRedirectUri("redirect URI is empty");
  if (uri.size() > kMaxRedirectUriLength) {
    return InvalidRedirectUri("redirect URI is longer than 2048 characters");
  }
  const std::optional<UriComponents> parsed = ParseUriComponents(uri);
  if (!parsed) return InvalidRedirectUri("redirect URI must be an absolute URI");
  if (parsed->fragment) return InvalidRedirectUri("redirect URI must not contain a fragment");
  if (parsed->userinfo) return InvalidRedirectUri("redirect URI must not contain userinfo");
  const std::string_view host = parsed->host;
  if (host.find('*') != std::string_view::npos) {
    return InvalidRedirectUri("redirect URI host must not contain wildcards");
  }
  if (host.find('%') != std::string_view::npos) {
    return InvalidRedirectUri("redirect URI host must not be percent-encoded");
  }

  const std::string scheme = AsciiLowered(parsed->scheme);
  for (std::string_view dangerous : kDangerousSchemes) {
    if (scheme == dangerous) {
      return InvalidRedirectUri("redirect URI scheme " + scheme + ": is not allowed");
    }
  }

  const bool is_public = IsPublic(client_type);
  // The design: confidential clients in live use HTTPS only, and never loopback.
  const bool confidential_live = !is_public && environment == Environment::kLive;
  const bool loopback = parsed->has_authority && IsLoopbackHost(host);

  if (scheme == "https") {
    if (!parsed->has_authority || host.empty()) {
      return InvalidRedirectUri("https redirect URI must have a host");
    }
    if (loopback && confidential_live) {
      return InvalidRedirectUri(
          "confidential clients in the live environment may not use loopback redirect URIs");
    }
    return {};
  }
  if (scheme == "http") {
    if (!loopback) {
      return InvalidRedirectUri(
          "http redirect URIs are allowed only for loopback hosts (127.0.0.1, [::1], localhost); "
          "use https");
    }
    if (confidential_live) {
      return InvalidRedirectUri(
          "confidential clients in the live environment must use https redirect URIs");
    }
    return {};
  }
  if (scheme.find('.') != std::string::npos) {  // RFC 8252 §7.1 private-use (reverse domain) scheme
    if (confidential_live) {
      return InvalidRedirectUri(
          "confidential clients in the live environment must use https redirect URIs");
    }
    if (!is_public && application_type != ApplicationType::kNative) {
      return InvalidRedirectUri(
          "private-use URI schemes are allowed only for public clients and native applications");
    }
    return {};
  }
  return InvalidRedirectUri(
      "redirect URI scheme must be https, http (loopback only) or a private-use scheme such as "
      "com.example.app");
}

bool IsNativeRedirectUri(std::string_view uri) {
  const std::optional<UriComponents> parsed = ParseUriComponents(uri);
  if (!parsed) return false;
  const std::string scheme = AsciiLowered(parsed->scheme);
  if (scheme == "http") return parsed->has_authority && IsLoopbackHost(parsed->host);
  return scheme.find('.') != std::string::npos;
}

ApplicationType DefaultApplicationType(ClientType client_type) {
  return IsPublic(client_type) ? ApplicationType::kNative : ApplicationType::kWeb;
}

bool RedirectUriMatches(std::string_view registered, std::string_view requested,
                        ApplicationType application_type) {
  if (registered.empty()) return false;
  if (registered == requested) return true;
  if (application_type != ApplicationType::kNative) return false;

  // RFC 8252 §7.3: a native app's http loopback URI matches on any port. Cheap prefix test before
  // parsing.
  if (registered.size() < 7 || !EqualsIgnoreAsciiCase(registered.substr(0, 7), "http://")) {
    return false;
  }
  const std::optional<UriComponents> reg = ParseUriComponents(registered);
  if (!reg || reg->userinfo || reg->fragment || !IsLoopbackHost(reg->host)) return false;
  const std::optional<UriComponents> req = ParseUriComponents(requested);
  if (!req || !req->has_authority || req->userinfo || req->fragment) return false;
  return req->scheme == reg->scheme && req->host == reg->host && IsValidPort(*req) &&
         req->path == reg->path && req->query == reg->query;
}

std::optional<std::string> ResolveRedirectUri(const std::vector<std::string>& registered,
                                              std::optional<std::string_view> requested,
                                              bool openid_requested,
                                              ApplicationType application_type) {
  if (requested) {
    for (const std::string& candidate : registered) {
      // The requested string, not the registered one: a loopback match keeps the client's port.
      if (RedirectUriMatches(candidate, *requested, application_type)) {
        return std::string(*requested);
      }
    }
    return std::nullopt;
  }
  if (openid_requested || registered.size() != 1 || registered.front().empty()) {
    return std::nullopt;
  }
  return registered.front();
}

}  // namespace gatehouse::core
