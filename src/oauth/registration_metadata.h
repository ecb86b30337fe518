#pragma once
// RegistrationMetadata: RFC 7591 client metadata as Gatehouse's Dynamic Client Registration
// accepts it, turned into the client to store, the metadata to echo, and (for public clients) the
// deduplication key.
//
// Accepted members (anything else is ignored, RFC 7591 §2): redirect_uris (required, 1 to
// kMaxRedirectUris), token_endpoint_auth_method (none -> third_party_public; client_secret_basic
// (the RFC's default when absent) or client_secret_post -> third_party), grant_types
// (authorization_code, refresh_token; must include authorization_code), response_types (code),
// client_name (display text, core/display_text.h), client_uri, logo_uri, tos_uri, policy_uri
// (http(s) URLs), scope, contacts, software_id, software_version, application_type (web | native).
//
// application_type decides redirect URI matching (core/redirect_uri_policy.h: only native apps
// match loopback URIs on any port). The type stored, and echoed, is
//   native  when declared native, or when every redirect URI is a native app's (loopback http or
//           a private-use scheme, core::IsNativeRedirectUri) whatever was declared: clients that
//           predate the rule to send the type, e.g. oidc-agent, declare web with such URIs;
//   native  when absent, for a public client (token_endpoint_auth_method none) or when some
//           redirect URI is not https (MCP and CLI clients register loopback URIs without a type);
//   web     when absent, for a confidential client whose redirect URIs are all https;
//   web     when declared web and every redirect URI is https; a declared web with any other mix
//           is refused (kInvalidRedirectUri; OIDC Registration: web clients use https).
// Every redirect URI then passes core::ValidateRedirectUriForRegistration.
//
// Errors: kInvalidRedirectUri for redirect URI problems, kInvalidClientMetadata for the rest.
// Pure; thread-safe.

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "core/client.h"
#include "core/result.h"

namespace gatehouse::oauth {

inline constexpr size_t kMaxRedirectUris = 20;
inline constexpr size_t kMaxMetadataString = 2048;
inline constexpr size_t kMaxContacts = 10;

struct RegistrationMetadata {
  // Type, creation method, names, URLs and application type; no id, secret or timestamps.
  core::Client client;
  // The registered metadata as echoed: the accepted members, with defaults made explicit.
  boost::json::object registered;
};

core::Result<RegistrationMetadata> ParseRegistrationMetadata(const boost::json::object& body,
                                                             core::Environment environment);

// The deduplication key of a registration: base64url(SHA-256) of its canonical form (members
// sorted by name, string arrays sorted and de-duplicated), so two registrations that differ only
// in member or array order share a key.
std::string RegistrationDedupHash(const boost::json::object& registered);

}  // namespace gatehouse::oauth
