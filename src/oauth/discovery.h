#pragma once
// Discovery and key publication: GET /.well-known/openid-configuration and
// /.well-known/oauth-authorization-server (RFC 8414; one identical document), and
// GET /.well-known/jwks.json. The discovery document is built once from the settings (plus the
// custom scopes, re-read when the policy changes); the JWKS body is the keyring snapshot's
// prebuilt text. Both are cacheable by clients for a short time and carry CORS headers.
//
// Thread-safe; the handlers never touch the database.

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/router.h"
#include "oauth/settings.h"
#include "oauth/signing_keys.h"

namespace gatehouse::oauth {

// The discovery document as JSON text. `custom_scopes` are added to scopes_supported.
std::string DiscoveryDocument(const ProtocolSettings& settings, std::string_view signing_alg,
                              const std::vector<std::string>& custom_scopes);

// Adds the discovery and JWKS routes.
void AddDiscoveryRoutes(http::Router& router, const ProtocolSettings& settings,
                        const SigningKeys& keys, std::string signing_alg);

}  // namespace gatehouse::oauth
