#include "oauth/registration_metadata.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/display_text.h"
#include "core/redirect_uri_policy.h"
#include "core/uri_components.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace gatehouse::oauth {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

Error Invalid(std::string_view description) {
  return Error(ErrorCode::kInvalidClientMetadata, description);
}

core::Result<std::optional<std::string>> String(const json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return Invalid(std::string(name) + " must be a string");
  if (v->as_string().size() > kMaxMetadataString) {
    return Invalid(std::string(name) + " is too long");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

core::Result<std::optional<std::vector<std::string>>> Strings(const json::object& body,
                                                              std::string_view name,
                                                              size_t max_items) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return Invalid(std::string(name) + " must be an array of strings");
  if (v->as_array().size() > max_items) {
    return Invalid(std::string(name) + " has too many entries");
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string() || item.as_string().size() > kMaxMetadataString) {
      return Invalid(std::string(name) + " must be an array of strings");
    }
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

json::array ToArray(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& item : items) a.emplace_back(item);
  return a;
}

bool IsHttpUrl(std::string_view s) {
  const auto parts = core::ParseUriComponents(s);
  return parts && (parts->scheme == "https" || parts->scheme == "http") && !parts->host.empty() &&
         !parts->userinfo;
}

// The application type the registration is stored with (see the header). A declared web is
// replaced by native when every redirect URI is a native app's (RFC 7591 §3.2.1 lets the server
// replace a requested value; the response echoes the stored one): such clients (oidc-agent
// declares web with loopback and private-use URIs) predate the MCP rule that clients send the
// type, and under web they could never be used.
core::Result<core::ApplicationType> RegisteredApplicationType(
    std::optional<core::ApplicationType> declared, const core::Client& client) {
  const std::vector<std::string>& uris = client.redirect_uris;
  const bool all_native = std::all_of(uris.begin(), uris.end(), [](const std::string& uri) {
    return core::IsNativeRedirectUri(uri);
  });
  const auto not_https = std::find_if(uris.begin(), uris.end(), [](const std::string& uri) {
    return !uri.starts_with("https://");
  });
  if (declared == core::ApplicationType::kNative || all_native) {
    return core::ApplicationType::kNative;
  }
  if (!declared) {
    return core::IsPublic(client.client_type) || not_https != uris.end()
               ? core::ApplicationType::kNative
               : core::ApplicationType::kWeb;
  }
  if (not_https != uris.end()) {  // OIDC Registration §2: web clients use https
    return Error(ErrorCode::kInvalidRedirectUri,
                 "application_type web requires https redirect URIs (use native for loopback "
                 "and private-use schemes): " +
                     *not_https);
  }
  return core::ApplicationType::kWeb;
}

}  // namespace

core::Result<RegistrationMetadata> ParseRegistrationMetadata(const json::object& body,
                                                             core::Environment environment) {
  RegistrationMetadata out;
  json::object& reg = out.registered;
  core::Client& client = out.client;
  client.creation_method = core::CreationMethod::kDynamicRegistration;

  auto method = String(body, "token_endpoint_auth_method");
  if (!method) return method.error();
  const std::string auth_method = method->value_or("client_secret_basic");
  if (auth_method == "none") {
    client.client_type = core::ClientType::kThirdPartyPublic;
  } else if (auth_method == "client_secret_basic" || auth_method == "client_secret_post") {
    client.client_type = core::ClientType::kThirdParty;
  } else {
    return Invalid(
        "token_endpoint_auth_method must be none, client_secret_basic or "
        "client_secret_post");
  }
  reg["token_endpoint_auth_method"] = auth_method;

  auto grants = Strings(body, "grant_types", 10);
  if (!grants) return grants.error();
  std::vector<std::string> grant_types =
      grants->value_or(std::vector<std::string>{"authorization_code"});
  for (const auto& g : grant_types) {
    if (g != "authorization_code" && g != "refresh_token") {
      return Invalid("grant_types may contain only authorization_code and refresh_token");
    }
  }
  if (std::find(grant_types.begin(), grant_types.end(), "authorization_code") ==
      grant_types.end()) {
    return Invalid("grant_types must include authorization_code");
  }
  reg["grant_types"] = ToArray(grant_types);

  auto responses = Strings(body, "response_types", 10);
  if (!responses) return responses.error();
  const std::vector<std::string> response_types =
      responses->value_or(std::vector<std::string>{"code"});
  for (const auto& r : response_types) {
    if (r != "code") return Invalid("response_types may contain only code");
  }
  reg["response_types"] = ToArray(response_types);

  auto uris = Strings(body, "redirect_uris", kMaxRedirectUris);
  if (!uris) {
    return Error(ErrorCode::kInvalidRedirectUri, uris.error().description());
  }
  if (!*uris || (*uris)->empty()) {
    return Error(ErrorCode::kInvalidRedirectUri,
                 "redirect_uris is required for the authorization_code grant");
  }
  client.redirect_uris = **uris;

  auto app_type = String(body, "application_type");
  if (!app_type) return app_type.error();
  std::optional<core::ApplicationType> declared;
  if (*app_type) {
    declared = core::ParseApplicationType(**app_type);
    if (!declared) return Invalid("application_type must be web or native");
  }
  auto application_type = RegisteredApplicationType(declared, client);
  if (!application_type) return application_type.error();
  client.application_type = *application_type;
  for (const auto& uri : client.redirect_uris) {
    auto ok = core::ValidateRedirectUriForRegistration(uri, client.client_type, environment,
                                                       client.application_type);
    if (!ok) return Error(ErrorCode::kInvalidRedirectUri, ok.error().description());
  }
  reg["redirect_uris"] = ToArray(client.redirect_uris);
  reg["application_type"] = core::ApplicationTypeName(client.application_type);

  for (std::string_view name : {"client_name", "scope", "software_id", "software_version"}) {
    auto v = String(body, name);
    if (!v) return v.error();
    if (*v) reg[name] = **v;
  }
  if (const auto* name = reg.if_contains("client_name")) {
    if (auto ok = core::CheckDisplayText("client_name", name->as_string()); !ok) {
      return Invalid(ok.error().description());
    }
  }
  for (std::string_view name : {"client_uri", "logo_uri", "tos_uri", "policy_uri"}) {
    auto v = String(body, name);
    if (!v) return v.error();
    if (!*v) continue;
    if (!IsHttpUrl(**v)) return Invalid(std::string(name) + " must be an http or https URL");
    reg[name] = **v;
  }
  auto contacts = Strings(body, "contacts", kMaxContacts);
  if (!contacts) return contacts.error();
  if (*contacts) reg["contacts"] = ToArray(**contacts);

  if (const auto* v = reg.if_contains("client_name")) client.client_name = v->as_string();
  if (const auto* v = reg.if_contains("client_uri")) client.client_uri = v->as_string();
  if (const auto* v = reg.if_contains("logo_uri")) client.logo_url = v->as_string();
  return out;
}

std::string RegistrationDedupHash(const json::object& registered) {
  // Only strings and arrays of strings are registered, so the canonical form is simple to write.
  std::map<std::string, json::value> sorted;
  for (const auto& [key, value] : registered) {
    if (value.is_array()) {
      std::set<std::string> items;
      for (const auto& item : value.as_array()) items.emplace(item.as_string());
      json::array a;
      for (const auto& item : items) a.emplace_back(item);
      sorted.emplace(std::string(key), std::move(a));
    } else {
      sorted.emplace(std::string(key), value);
    }
  }
  std::string canonical = "gatehouse-dcr-v1{";
  for (const auto& [key, value] : sorted) {
    canonical += json::serialize(json::value(key));
    canonical += ':';
    canonical += json::serialize(value);
    canonical += ',';
  }
  canonical += '}';
  return crypto::Base64UrlEncode(crypto::Sha256(canonical));
}

}  // namespace gatehouse::oauth
