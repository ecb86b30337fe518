#pragma once
// TokenGrant: one grant type of the token endpoint (RFC 6749 §4, and extension grants by URI).
// The TokenEndpoint owns one per grant_type and, for a request naming it, calls Exchange with the
// parsed request; the grant authenticates the client its own way, checks its parameters, does its
// work and returns the tokens as a TokenResponse or the error to answer. A grant never renders
// HTTP: the endpoint renders both (Cache-Control: no-store, the 401 and WWW-Authenticate of
// invalid_client) in one place.
//
// Grants today: authorization_code (authorization_code_grant.h), refresh_token
// (refresh_token_grant.h), client_credentials (client_credentials_grant.h). Adding one (device
// code, JWT bearer, token exchange) is a new TokenGrant and one line in the application's wiring.
//
// Implementations are immutable after construction and thread-safe; Exchange may be called from
// any thread. Store faults throw store::DatabaseError (the HTTP catch-all answers them).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/client_directory.h"
#include "core/client.h"
#include "core/result.h"
#include "core/scope.h"
#include "http/form.h"
#include "http/message.h"
#include "oauth/endpoint_limits.h"
#include "oauth/token_issuer.h"

namespace gatehouse::oauth {

// A token request as the endpoint hands it to a grant: the per-address limit has been applied, the
// body was form-encoded and parsed, and grant_type was present exactly once.
struct TokenRequest {
  const http::Request& http;     // headers (client authentication) and remote_address
  const http::FormParams& form;  // every parameter, grant_type included
  // The endpoint's abuse limits: a grant spends limits.CheckClient once its client has
  // authenticated with a secret (endpoint_limits.h says why public clients are not counted).
  const EndpointLimits& limits;
};

// A successful answer: rendered as {access_token, issued_token_type?, token_type, expires_in,
// scope, refresh_token?, id_token?}.
struct TokenResponse {
  std::string access_token{};
  std::string token_type = "Bearer";
  int64_t expires_in = 0;
  core::ScopeSet scope{};
  std::optional<std::string> refresh_token{};
  std::optional<std::string> id_token{};
  std::optional<std::string> issued_token_type{};  // token exchange (RFC 8693 §2.2.1) only
};

class TokenGrant {
 public:
  virtual ~TokenGrant() = default;

  // The grant_type value this grant answers, e.g. "authorization_code" or an extension URI.
  virtual std::string_view grant_type() const = 0;

  // The tokens for `request`, or the OAuth error to answer (invalid_client, invalid_grant, ...).
  virtual core::Result<TokenResponse> Exchange(const TokenRequest& request) const = 0;
};

// --- Shared by the grants that connected apps use (authorization_code, refresh_token) ----------

// The connected app calling: authenticated among `clients` (client_authentication.h); one that
// authenticated with a secret then spends its per-client allowance.
core::Result<std::shared_ptr<const core::Client>> AuthenticateConnectedApp(
    const TokenRequest& request, accounts::ClientDirectory& clients);

// The resources a stored grant holds (its resources JSON array); malformed entries are skipped.
std::vector<std::string> GrantResources(const std::string& resources_json);

// RFC 8707 §2.2: `resource` at the token endpoint picks the audience among the grant's resources.
// Absent: every resource of the grant. A resource the grant does not hold -> invalid_target.
core::Result<std::vector<std::string>> TokenResources(const http::FormParams& form,
                                                      const std::vector<std::string>& granted);

// Issues the user's tokens for `context` (TokenIssuer::Issue) as the response, with
// `refresh_token` when one goes with them. The response's scope is the context's.
core::Result<TokenResponse> UserTokenResponse(const TokenIssuer& issuer,
                                              const TokenContext& context,
                                              std::optional<std::string> refresh_token);

}  // namespace gatehouse::oauth
