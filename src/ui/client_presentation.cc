#include "ui/client_presentation.h"

#include <algorithm>
#include <cctype>

#include "core/redirect_uri_policy.h"
#include "core/uri_components.h"

namespace gatehouse::ui {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The port a URI names, or its scheme's default ("" when there is none).
std::string_view EffectivePort(const core::UriComponents& parts) {
  if (parts.port && !parts.port->empty()) return *parts.port;
  if (EqualsIgnoringCase(parts.scheme, "https")) return "443";
  if (EqualsIgnoringCase(parts.scheme, "http")) return "80";
  return "";
}

}  // namespace

std::string UriHost(std::string_view uri) {
  const std::optional<core::UriComponents> parts = core::ParseUriComponents(uri);
  if (!parts) return "";
  if (!parts->has_authority || parts->host.empty()) return std::string(parts->scheme);
  return std::string(parts->host);
}

bool IsSelfRegistered(const core::Client& client) {
  return client.creation_method == core::CreationMethod::kDynamicRegistration ||
         client.creation_method == core::CreationMethod::kClientIdMetadataDocument;
}

std::optional<std::string> PublisherHost(const core::Client& client) {
  if (client.creation_method != core::CreationMethod::kClientIdMetadataDocument) {
    return std::nullopt;
  }
  const std::string host = UriHost(client.client_id_metadata_url.value_or(client.client_id));
  if (host.empty()) return std::nullopt;
  return host;
}

bool EveryRedirectUriIsLoopback(const core::Client& client) {
  if (client.redirect_uris.empty()) return false;
  for (const std::string& uri : client.redirect_uris) {
    const std::optional<core::UriComponents> parts = core::ParseUriComponents(uri);
    if (!parts || !parts->has_authority || !core::IsLoopbackHost(parts->host)) return false;
  }
  return true;
}

std::optional<std::string> DisplayableLogoUrl(const core::Client& client, std::string_view issuer) {
  if (!client.logo_url.starts_with("https://")) return std::nullopt;
  const std::optional<core::UriComponents> parts = core::ParseUriComponents(client.logo_url);
  if (!parts || parts->host.empty()) return std::nullopt;
  if (IsSelfRegistered(client) && !SameOrigin(client.logo_url, issuer)) return std::nullopt;
  return client.logo_url;
}

bool SameOrigin(std::string_view a, std::string_view b) {
  const std::optional<core::UriComponents> x = core::ParseUriComponents(a);
  const std::optional<core::UriComponents> y = core::ParseUriComponents(b);
  if (!x || !y || !x->has_authority || !y->has_authority || x->host.empty()) return false;
  return EqualsIgnoringCase(x->scheme, y->scheme) && EqualsIgnoringCase(x->host, y->host) &&
         EffectivePort(*x) == EffectivePort(*y);
}

std::vector<ResourceView> DescribeResources(const std::vector<std::string>& resources) {
  std::vector<ResourceView> views;
  views.reserve(resources.size());
  for (const std::string& uri : resources) {
    const std::optional<core::UriComponents> parts = core::ParseUriComponents(uri);
    const bool has_host = parts && parts->has_authority && !parts->host.empty();
    views.push_back(ResourceView{.host = has_host ? std::string(parts->host) : uri, .uri = uri});
  }
  return views;
}

std::string ShownName(const core::Client& client) {
  return client.client_name.empty() ? client.client_id : client.client_name;
}

std::string NameInitial(std::string_view name) {
  if (name.empty()) return "?";
  const auto lead = static_cast<unsigned char>(name[0]);
  if (lead < 0x80) {
    const char c = (lead >= 'a' && lead <= 'z') ? static_cast<char>(lead - 'a' + 'A') : name[0];
    return std::string(1, c);
  }
  size_t length = 1;
  if ((lead & 0xE0) == 0xC0) length = 2;
  if ((lead & 0xF0) == 0xE0) length = 3;
  if ((lead & 0xF8) == 0xF0) length = 4;
  if (length > name.size()) return "?";
  return std::string(name.substr(0, length));
}

}  // namespace gatehouse::ui
