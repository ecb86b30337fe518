#pragma once
// TokenEndpoint: POST /v1/oauth2/token (RFC 6749 §3.2, OAuth 2.1 §3.2) for the user grants:
// authorization_code and refresh_token. client_credentials is delegated to the M2M handler when
// one is installed (SetClientCredentialsGrant), else unsupported_grant_type; password, implicit
// and anything else -> unsupported_grant_type.
//
// Request: application/x-www-form-urlencoded only (invalid_request otherwise); every parameter
// at most once. Responses carry `Cache-Control: no-store`; errors are {error,
// error_description}; invalid_client is 401, with `WWW-Authenticate: Basic` when the client used
// the Authorization header (client_authentication.h).
//
// authorization_code: the code (looked up by its SHA-256) must belong to the authenticated
// client and be unexpired; redirect_uri must equal the authorization request's exactly when that
// request sent one (and when sent now, must equal it anyway); PKCE via
// core::CheckPkceAtTokenEndpoint (a verifier for a code without challenge is a downgrade ->
// invalid_grant). Only then is the code consumed (one atomic UPDATE); a second use of an
// otherwise valid code -> invalid_grant and the grant is revoked, which kills the refresh token
// and (through the gh_grant claim) the access tokens issued from the first use.
//
// refresh_token: bound to the client; the grant must be active; `scope` may narrow (the access
// token gets the narrower scope, the refresh token keeps the grant's) but not widen
// (invalid_scope). Public clients rotate on every use; presenting a rotated-out token revokes the
// grant, except the immediately previous token within settings.refresh_grace_seconds of its
// rotation, once (it gets a fresh token and rotation continues). Confidential clients keep their
// token; each use extends its expiry by settings.refresh_token_ttl_seconds.
//
// `resource` (RFC 8707 §2.2, may repeat) on either grant chooses the access token's audience
// among the grant's resources; one the grant does not hold -> invalid_target. Without it the
// token is for every resource of the grant.
//
// Abuse limits (SetLimits): the caller's address first, then — for clients that authenticated
// with a secret — the client; refusals are 429 too_many_requests with Retry-After. The
// client_credentials handler applies the per-client limit to the M2M client itself.
//
// Response: access_token, token_type "Bearer", expires_in, scope, refresh_token (when
// offline_access was granted), id_token (when openid). Refreshed ID tokens keep sub, aud and the
// original auth_time, without nonce.
//
// Thread-safe; dependencies must outlive it. Store faults throw store::DatabaseError.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accounts/client_directory.h"
#include "accounts/scope_policy.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/form.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/endpoint_limits.h"
#include "oauth/settings.h"
#include "oauth/token_issuer.h"
#include "store/database.h"

namespace gatehouse::oauth {

// Handles grant_type=client_credentials; receives the request and its parsed form.
using ClientCredentialsHandler =
    std::function<http::Response(const http::Request&, const http::FormParams&)>;

class TokenEndpoint {
 public:
  TokenEndpoint(const ProtocolSettings& settings, accounts::ClientDirectory& clients,
                accounts::UserSessions& users, store::Database& db, const TokenIssuer& issuer,
                const core::Clock& clock, core::Random& random);

  // Start-up only: the M2M work installs its handler here.
  void SetClientCredentialsGrant(ClientCredentialsHandler handler) {
    client_credentials_ = std::move(handler);
  }
  // Start-up only: the RBAC policy. A refresh then carries only the scopes the user may still
  // grant (a role removed since the grant takes its scopes with it). Null: no such check.
  void SetScopePolicy(const accounts::ScopePolicy* policy) { scope_policy_ = policy; }
  // Start-up only: abuse limits (endpoint_limits.h), applied to every grant type.
  void SetLimits(EndpointLimits limits) { limits_ = limits; }

  http::Response Handle(const http::Request& request) const;

  // Adds POST /v1/oauth2/token (CORS allowed) to `router`.
  void AddRoutes(http::Router& router) const;

 private:
  struct Grant;
  http::Response AuthorizationCode(const core::Client& client, const http::FormParams& form) const;
  http::Response RefreshToken(const core::Client& client, const http::FormParams& form) const;
  http::Response Tokens(const core::Client& client, const core::User& user, const Grant& grant,
                        const core::ScopeSet& scope, const std::vector<std::string>& resources,
                        const std::optional<std::string>& nonce,
                        const std::optional<std::string>& refresh_token) const;

  const ProtocolSettings& settings_;
  accounts::ClientDirectory& clients_;
  accounts::UserSessions& users_;
  store::Database& db_;
  const TokenIssuer& issuer_;
  const core::Clock& clock_;
  core::Random& random_;
  ClientCredentialsHandler client_credentials_;
  const accounts::ScopePolicy* scope_policy_ = nullptr;
  EndpointLimits limits_;
};

}  // namespace gatehouse::oauth
