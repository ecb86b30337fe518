#pragma once
// Token introspection, POST /v1/oauth2/introspect (RFC 7662), and AccessTokenInspector, the one
// place that decides whether one of our access tokens is still good (revocation and session
// exchange use it too).
//
// AccessTokenInspector: a token is active when crypto::JwtVerifier accepts it against the
// published keys (no alg none, no HMAC, kid ours), typ at+jwt, iss the issuer, exp/nbf/iat with
// no leeway (the issuer's own clock decides), and — for user tokens, which name their grant in
// kGrantClaim — the grant is still active (one primary-key lookup). Tokens without a grant claim
// (M2M client_credentials tokens) are active until they expire.
//
// Introspection rules:
//  - The caller authenticates as a confidential client (client_secret_basic or
//    client_secret_post, client_authentication.h); anything else -> 401 invalid_client (with
//    `WWW-Authenticate: Basic` when the header was used). Public clients cannot introspect.
//  - The body is a form with `token` (required, once); `token_type_hint` is only a hint: the
//    token's shape decides (a JWS compact serialization is an access token, anything else is
//    looked up as a refresh token by its SHA-256), so a wrong hint never changes the answer.
//  - "Foreign" tokens: a confidential client created through the management API (creation_method
//    api: the project's resource servers, which must check tokens issued to others) may
//    introspect any access token; a client that registered itself (Dynamic Client Registration
//    or a Client ID Metadata Document) only the access tokens issued to it. M2M clients do not
//    authenticate here. A refresh token is introspectable only by the client it was issued to.
//    A token the caller may not introspect is {"active": false} (RFC 7662 §2.2).
//  - Unknown, malformed, expired, revoked (grant revoked, token revoked or rotated out) and
//    foreign tokens -> 200 {"active": false} and nothing else. (Before any signing key is
//    loaded, 503 temporarily_unavailable: the server, not the token, is at fault.)
//  - Active access token -> 200 {active: true, token_type: "Bearer", every claim of the token
//    except the private grant claim: iss, sub, aud, client_id, scope, iat, nbf, exp, jti,
//    auth_time, custom claims}. Active refresh token -> 200 {active: true, token_type:
//    "refresh_token", iss, sub, client_id, scope, iat, exp}.
// Every response carries Cache-Control: no-store. No CORS: resource servers call it server-side.
//
// Thread-safe: immutable after construction; dependencies must be thread-safe and outlive it.
// Store faults throw store::DatabaseError.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "accounts/client_directory.h"
#include "accounts/signing_keys.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/jwt.h"
#include "http/form.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/endpoint_limits.h"
#include "oauth/settings.h"
#include "store/database.h"

namespace gatehouse::oauth {

// An access token that verified; `grant_id` is empty for tokens without a grant claim.
struct VerifiedAccessToken {
  boost::json::object claims;
  std::string grant_id;
  std::string client_id;  // the client_id claim; empty when absent
};

class AccessTokenInspector {
 public:
  AccessTokenInspector(const ProtocolSettings& settings, const accounts::SigningKeys& keys,
                       store::Database& db, const core::Clock& clock);

  // The token when it is one of ours and valid (signature, typ, iss, times), whatever the state
  // of its grant; kInvalidToken otherwise, kTemporarilyUnavailable before any key is loaded.
  core::Result<VerifiedAccessToken> Verify(std::string_view token) const;

  // Verify() plus an active grant: the token may be used right now.
  core::Result<VerifiedAccessToken> Active(std::string_view token) const;

 private:
  const accounts::SigningKeys& keys_;
  store::Database& db_;
  crypto::JwtVerifier verifier_;
};

// True when `token` has the shape of a JWS compact serialization (three parts): such a token is
// an access token; opaque tokens (refresh tokens) have no dots.
bool LooksLikeJwt(std::string_view token);

// The `token` parameter of an introspection (RFC 7662) or revocation (RFC 7009) request: present
// once, not empty; `token_type_hint`, if sent, at most once (its value is only a hint, unused).
// Errors are kInvalidRequest.
core::Result<std::string_view> TokenParameter(const http::FormParams& form);

class IntrospectionEndpoint {
 public:
  // `limits`: abuse limits per address and per authenticated caller (endpoint_limits.h); none by
  // default.
  IntrospectionEndpoint(const ProtocolSettings& settings, accounts::ClientDirectory& clients,
                        const AccessTokenInspector& access_tokens, store::Database& db,
                        const core::Clock& clock, EndpointLimits limits = {});

  http::Response Handle(const http::Request& request) const;

  // Adds POST /v1/oauth2/introspect to `router`.
  void AddRoutes(http::Router& router) const;

 private:
  // kTemporarilyUnavailable before any signing key is loaded.
  core::Result<boost::json::object> IntrospectAccessToken(std::string_view token,
                                                          const core::Client& caller) const;
  boost::json::object IntrospectRefreshToken(std::string_view token,
                                             std::string_view caller_client_id) const;

  const ProtocolSettings& settings_;
  accounts::ClientDirectory& clients_;
  const AccessTokenInspector& access_tokens_;
  const EndpointLimits limits_;
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace gatehouse::oauth
