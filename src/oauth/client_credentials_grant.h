#pragma once
// ClientCredentialsGrant: grant_type=client_credentials at POST /v1/oauth2/token (RFC 6749 §4.4)
// for M2M clients.
//
// Rules:
//  - Client authentication: client_secret_basic or client_secret_post against the M2M clients
//    (AuthenticateM2mClient, client_authentication.h); connected apps cannot use this grant: their
//    ids are unknown here -> invalid_client. An inactive client, once authenticated, is
//    invalid_client too. The authenticated client then spends its per-client abuse allowance.
//  - `scope`: at most once; omitted or empty -> every scope assigned to the client; otherwise it
//    must be a subset of them (invalid_scope naming the first extra scope).
//  - `resource` (RFC 8707, may repeat): absolute URIs without fragment (invalid_target); they
//    become the audience; without one the audience is the issuer.
//  - Response: access token (TokenIssuer::IssueM2mAccessToken: sub = client_id, lifetime
//    settings.m2m_token_ttl_seconds) and scope; never a refresh token.
// The client lookup is M2mClients' in-process cache: no database round trip on the hot path.
//
// Thread-safe; dependencies must outlive it. No current signing key -> temporarily_unavailable.

#include "accounts/m2m_clients.h"
#include "oauth/token_grant.h"
#include "oauth/token_issuer.h"

namespace gatehouse::oauth {

class ClientCredentialsGrant final : public TokenGrant {
 public:
  ClientCredentialsGrant(accounts::M2mClients& clients, const TokenIssuer& issuer);

  std::string_view grant_type() const override { return "client_credentials"; }
  core::Result<TokenResponse> Exchange(const TokenRequest& request) const override;

 private:
  accounts::M2mClients& clients_;
  const TokenIssuer& issuer_;
};

}  // namespace gatehouse::oauth
