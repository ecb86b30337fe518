#pragma once
// Discovery and key publication: GET /.well-known/openid-configuration and
// /.well-known/oauth-authorization-server (RFC 8414; one identical document), and
// GET /.well-known/jwks.json. The discovery document is built once from the settings (plus the
// custom scopes, re-read when the policy changes); the JWKS body is the keyring snapshot's
// prebuilt text. Both are cacheable by clients for a short time and carry CORS headers.
//
// Thread-safe; the handlers never touch the database.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "accounts/signing_keys.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/settings.h"

namespace gatehouse::oauth {

// The discovery document as JSON text. `custom_scopes` are added to scopes_supported.
std::string DiscoveryDocument(const ProtocolSettings& settings, std::string_view signing_alg,
                              const std::vector<std::string>& custom_scopes);

// Where scopes_supported's custom scopes come from (the RBAC policy): `generation` moves whenever
// `scopes` would answer differently. Both empty: no custom scopes.
struct CustomScopeSource {
  std::function<uint64_t()> generation{};
  std::function<std::vector<std::string>()> scopes{};
};

// Adds the discovery and JWKS routes. The document is rebuilt on the first request after the
// source's generation moves.
void AddDiscoveryRoutes(http::Router& router, const ProtocolSettings& settings,
                        const accounts::SigningKeys& keys, std::string signing_alg,
                        CustomScopeSource custom_scopes = {});

}  // namespace gatehouse::oauth
