#pragma once
// ClientMetadataDocument: turns the body fetched from a client_id URL into the client it
// describes (draft-ietf-oauth-client-id-metadata-document §4, RFC 7591 §2 field names). Pure;
// thread-safe.
//
// The body must be a JSON object with
//   client_id      equal to the URL it was fetched from, byte for byte (no normalisation);
//   client_name    a non-empty string of at most kMaxClientNameLength bytes, display text
//                  (core/display_text.h: no bidi, control or zero-width characters);
//   redirect_uris  a non-empty array of strings (at most kMaxDocumentRedirectUris), each one
//                  acceptable to core::ValidateRedirectUriForRegistration for a
//                  third_party_public client in the given environment;
// and must not carry client_secret or client_secret_expires_at (a document is public, so it can
// hold no secret). token_endpoint_auth_method may be absent or "none"; "private_key_jwt" is a
// legitimate CIMD method that Gatehouse does not support yet and is refused saying so.
// client_uri, if present, must be https with the client_id's origin (so a document cannot borrow
// another site's identity on the consent screen); logo_uri, if present, must be an https URL.
// grant_types may name only authorization_code and refresh_token, response_types only code.
// application_type may be "web" or "native"; when absent it is native exactly when every redirect
// URI is a loopback http URI or a private-use scheme (RFC 8252 apps), web otherwise.
// Other members are ignored.
//
// Failures are kInvalidClientMetadata with a description naming the member at fault.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/client.h"
#include "core/result.h"
#include "oauth/cimd/client_id_url.h"

namespace gatehouse::oauth::cimd {

inline constexpr size_t kMaxClientNameLength = 200;
inline constexpr size_t kMaxDocumentRedirectUris = 20;

// `fetched_at` (Unix seconds) becomes created_at and updated_at.
core::Result<core::Client> ParseClientMetadataDocument(const ClientIdUrl& url,
                                                       std::string_view body,
                                                       core::Environment environment,
                                                       int64_t fetched_at);

}  // namespace gatehouse::oauth::cimd
