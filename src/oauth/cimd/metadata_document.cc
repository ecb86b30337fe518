#include "oauth/cimd/metadata_document.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/display_text.h"
#include "core/redirect_uri_policy.h"
#include "core/uri_components.h"

namespace gatehouse::oauth::cimd {
namespace {

namespace json = boost::json;

core::Error Invalid(std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidClientMetadata,
                     "client metadata document is invalid: " + std::string(why));
}

// The member's string value; nullopt when absent; an error when present but not a string.
core::Result<std::optional<std::string>> OptionalString(const json::object& doc,
                                                        std::string_view name) {
  const json::value* v = doc.if_contains(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return Invalid(std::string(name) + " must be a string");
  return std::optional<std::string>(std::string(v->get_string()));
}

// Checks that an optional array of strings names only values in `allowed`.
core::Result<void> CheckStringSet(const json::object& doc, std::string_view name,
                                  std::initializer_list<std::string_view> allowed) {
  const json::value* v = doc.if_contains(name);
  if (!v) return {};
  if (!v->is_array()) return Invalid(std::string(name) + " must be an array of strings");
  for (const json::value& item : v->get_array()) {
    if (!item.is_string()) return Invalid(std::string(name) + " must be an array of strings");
    const std::string_view s = item.get_string();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
      return Invalid(std::string(name) + " value " + std::string(s) + " is not supported");
    }
  }
  return {};
}

bool IsHttpsUrl(std::string_view uri) {
  const auto parts = core::ParseUriComponents(uri);
  return parts && parts->scheme == "https" && parts->has_authority && !parts->host.empty() &&
         !parts->userinfo;
}

core::Result<core::ApplicationType> ApplicationTypeOf(const json::object& doc,
                                                      const std::vector<std::string>& uris) {
  auto declared = OptionalString(doc, "application_type");
  if (!declared) return declared.error();
  if (*declared) {
    const auto type = core::ParseApplicationType(**declared);
    if (!type) return Invalid("application_type must be web or native");
    return *type;
  }
  const bool native = std::all_of(uris.begin(), uris.end(), [](const std::string& uri) {
    return core::IsNativeRedirectUri(uri);
  });
  return native ? core::ApplicationType::kNative : core::ApplicationType::kWeb;
}

core::Result<std::vector<std::string>> RedirectUris(const json::object& doc) {
  const json::value* v = doc.if_contains("redirect_uris");
  if (!v) return Invalid("redirect_uris is required");
  if (!v->is_array() || v->get_array().empty()) {
    return Invalid("redirect_uris must be a non-empty array of strings");
  }
  if (v->get_array().size() > kMaxDocumentRedirectUris) {
    return Invalid("redirect_uris may hold at most " + std::to_string(kMaxDocumentRedirectUris) +
                   " URIs");
  }
  std::vector<std::string> uris;
  for (const json::value& item : v->get_array()) {
    if (!item.is_string()) return Invalid("redirect_uris must be a non-empty array of strings");
    uris.emplace_back(item.get_string());
  }
  return uris;
}

core::Result<void> CheckAuthentication(const json::object& doc) {
  if (doc.contains("client_secret") || doc.contains("client_secret_expires_at")) {
    return Invalid("a client metadata document must not contain a client_secret");
  }
  auto method = OptionalString(doc, "token_endpoint_auth_method");
  if (!method) return method.error();
  if (!*method || **method == "none") return {};
  if (**method == "private_key_jwt") {
    return Invalid(
        "token_endpoint_auth_method private_key_jwt is not supported by this server; use none");
  }
  if (method->value().starts_with("client_secret")) {
    return Invalid("token_endpoint_auth_method " + **method +
                   " needs a shared secret, which a metadata document cannot hold; use none");
  }
  return Invalid("token_endpoint_auth_method " + **method + " is not supported; use none");
}

}  // namespace

core::Result<core::Client> ParseClientMetadataDocument(const ClientIdUrl& url,
                                                       std::string_view body,
                                                       core::Environment environment,
                                                       int64_t fetched_at) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (ec) return Invalid("the body is not valid JSON");
  if (!parsed.is_object()) return Invalid("the body must be a JSON object");
  const json::object& doc = parsed.get_object();

  auto client_id = OptionalString(doc, "client_id");
  if (!client_id) return client_id.error();
  if (!*client_id) return Invalid("client_id is required");
  if (**client_id != url.url) {
    return Invalid("client_id must equal the URL the document was fetched from, exactly");
  }

  auto name = OptionalString(doc, "client_name");
  if (!name) return name.error();
  if (!*name || (*name)->empty()) return Invalid("client_name is required");
  if ((*name)->size() > kMaxClientNameLength) {
    return Invalid("client_name is longer than " + std::to_string(kMaxClientNameLength) + " bytes");
  }
  if (auto ok = core::CheckDisplayText("client_name", **name); !ok) {
    return Invalid(ok.error().description());
  }

  if (auto auth = CheckAuthentication(doc); !auth) return auth.error();
  if (auto g = CheckStringSet(doc, "grant_types", {"authorization_code", "refresh_token"}); !g) {
    return g.error();
  }
  if (auto r = CheckStringSet(doc, "response_types", {"code"}); !r) return r.error();

  auto uris = RedirectUris(doc);
  if (!uris) return uris.error();
  auto application_type = ApplicationTypeOf(doc, *uris);
  if (!application_type) return application_type.error();
  for (const std::string& uri : *uris) {
    auto ok = core::ValidateRedirectUriForRegistration(uri, core::ClientType::kThirdPartyPublic,
                                                       environment, *application_type);
    if (!ok) return Invalid("redirect_uris: " + ok.error().description());
  }

  auto client_uri = OptionalString(doc, "client_uri");
  if (!client_uri) return client_uri.error();
  if (*client_uri && !SharesOrigin(url, **client_uri)) {
    return Invalid("client_uri must be an https URL with the same origin as the client_id");
  }
  auto logo_uri = OptionalString(doc, "logo_uri");
  if (!logo_uri) return logo_uri.error();
  if (*logo_uri && !IsHttpsUrl(**logo_uri)) return Invalid("logo_uri must be an https URL");

  return core::Client{
      .client_id = url.url,
      .client_type = core::ClientType::kThirdPartyPublic,
      .creation_method = core::CreationMethod::kClientIdMetadataDocument,
      .client_name = std::move(**name),
      .redirect_uris = std::move(*uris),
      .logo_url = logo_uri->value_or(""),
      .client_uri = client_uri->value_or(""),
      .client_id_metadata_url = url.url,
      .application_type = *application_type,
      .created_at = fetched_at,
      .updated_at = fetched_at,
  };
}

}  // namespace gatehouse::oauth::cimd
