#pragma once
// ClientCredentialsGrant: grant_type=client_credentials at POST /v1/oauth2/token (RFC 6749 §4.4)
// for M2M clients. The TokenEndpoint hands it the request and its parsed form
// (TokenEndpoint::SetClientCredentialsGrant).
//
// Rules:
//  - Client authentication: client_secret_basic or client_secret_post, with the same rules as the
//    user grants (client_authentication.h), against the M2M clients (connected apps cannot use
//    this grant: their ids are unknown here -> invalid_client). Failures are invalid_client (401,
//    with WWW-Authenticate when the Authorization header was used); an inactive client, once
//    authenticated, is invalid_client too.
//  - `scope`: omitted or empty -> every scope assigned to the client; otherwise it must be a subset
//    of them (invalid_scope naming the first extra scope).
//  - `resource` (RFC 8707, may repeat): absolute URIs without fragment (invalid_target); they
//    become the audience; without one the audience is the issuer.
//  - Response: {access_token, token_type: "Bearer", expires_in, scope}, Cache-Control: no-store;
//    never a refresh token. The access token is a JWT (RFC 9068, typ at+jwt) signed with the
//    current key: iss, sub (= client_id; M2M ids never start with "user-"), aud, client_id, scope,
//    iat, nbf, exp (settings.m2m_token_ttl_seconds), jti.
// The client lookup is M2mClients' in-process cache: no database round trip on the hot path.
//
// Thread-safe; dependencies must outlive it. No current signing key -> temporarily_unavailable.

#include "accounts/m2m_clients.h"
#include "accounts/signing_keys.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/form.h"
#include "http/message.h"
#include "oauth/endpoint_limits.h"
#include "oauth/settings.h"

namespace gatehouse::oauth {

class ClientCredentialsGrant {
 public:
  ClientCredentialsGrant(const ProtocolSettings& settings, accounts::M2mClients& clients,
                         const accounts::SigningKeys& keys, const core::Clock& clock,
                         core::Random& random);

  http::Response Handle(const http::Request& request, const http::FormParams& form) const;
  // Start-up only: the per-client abuse limit for authenticated M2M clients (the token endpoint
  // has already applied the per-address one).
  void SetLimits(EndpointLimits limits) { limits_ = limits; }

 private:
  const ProtocolSettings& settings_;
  accounts::M2mClients& clients_;
  EndpointLimits limits_;
  const accounts::SigningKeys& keys_;
  const core::Clock& clock_;
  core::Random& random_;
};

}  // namespace gatehouse::oauth
