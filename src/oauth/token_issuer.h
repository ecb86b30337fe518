#pragma once
// TokenIssuer: builds the claims of, and signs, every JWT Gatehouse hands out — access tokens
// (RFC 9068) for users and for M2M clients, and OIDC ID tokens — with the current key of the
// SigningKeys snapshot.
//
// Access token: header {alg, typ: "at+jwt", kid}; claims
//   iss        settings.issuer
//   sub        the user id
//   aud        the grant's RFC 8707 resources (a string for one, an array for several); without
//              resources the client's access_token_custom_audience; else the issuer itself (the
//              token is then for Gatehouse's own resources, such as userinfo)
//   client_id, scope (space-delimited), iat, nbf (= iat), exp, jti (128-bit random)
//   auth_time  when the user authenticated
//   gh_grant   the grant id (kGrantClaim): userinfo and introspection reject a token whose grant
//              was revoked by one primary-key lookup
//   organization_id  when the user belongs to one, and (with an organization source given)
//   organization     {organization_id, slug}
//   custom claims    the client's access_token_template_content rendered against the user, their
//                    organization and the client (core/claims_template.h); never overriding a
//                    claim above. Clients that registered themselves (Dynamic Client
//                    Registration, CIMD) also get the project's template for dynamic clients
//                    (DynamicClientTemplates), rendered after the client's own, so a claim both
//                    name keeps the client's value
// Lifetime: the client's access_token_expiry_minutes when set, else
// settings.access_token_ttl_seconds.
//
// ID token (when `openid` was granted): header {alg, typ: "JWT", kid}; claims iss, sub, aud
// (client_id), azp, iat, exp (settings.id_token_ttl_seconds), auth_time, nonce (when the
// authorization request had one), at_hash of the access token (crypto::AtHash with the key's
// alg), and the user's claims the granted scopes allow (UserClaims); then the client's
// id_token_template_content (and, for dynamic clients, the project's ID token template) rendered
// like the access token's, never overriding a claim already set or a reserved one (nonce, at_hash,
// c_hash, auth_time, azp, sid, acr, amr, iss, sub, aud, exp, nbf, iat, jti: core::IsReservedClaim).
// Templates are validated when stored; one that no longer parses adds nothing.
//
// M2M access token (client_credentials; IssueM2mAccessToken): header {alg, typ: "at+jwt", kid};
// claims iss, sub (= client_id; M2M ids never start with "user-", so a sub never names a user),
// aud (the requested resources, a string for one and an array for several; else the issuer),
// client_id, scope, iat, nbf (= iat), exp (settings.m2m_token_ttl_seconds), jti. No grant, no
// organization, no custom claims.
//
// Thread-safe: immutable after construction; SigningKeys, the clock and the random source must be
// thread-safe and outlive it. Failure: no current signing key -> kTemporarilyUnavailable.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "accounts/dynamic_client_templates.h"
#include "accounts/organization_app_policy.h"
#include "accounts/signing_keys.h"
#include "core/client.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "core/scope.h"
#include "core/user.h"
#include "oauth/settings.h"

namespace gatehouse::oauth {

// The private claim naming the grant an access token was issued under.
inline constexpr std::string_view kGrantClaim = "gh_grant";

// What a token is issued for.
struct TokenContext {
  const core::Client& client;
  const core::User& user;
  std::string grant_id;
  core::ScopeSet scope;  // the scope of this token (may be narrower than the grant's)
  std::vector<std::string> resources;
  int64_t auth_time = 0;
  std::optional<std::string> nonce;  // ID token only; never on refresh
};

struct IssuedAccessToken {
  std::string token;
  int64_t expires_in = 0;
};

struct IssuedTokens {
  IssuedAccessToken access_token;
  std::optional<std::string> id_token;  // when `openid` is in the scope
};

// What an M2M access token is issued for: the client itself, no user and no grant.
struct M2mTokenContext {
  std::string_view client_id;
  const core::ScopeSet& scope;
  const std::vector<std::string>& resources;  // validated RFC 8707 resources; may be empty
};

// The standard claims of `user` that `scope` releases: profile -> name, given_name, family_name,
// updated_at; email -> email, email_verified; phone -> phone_number, phone_number_verified. Empty
// values are left out. Shared by the ID token and userinfo.
boost::json::object UserClaims(const core::User& user, const core::ScopeSet& scope);

class TokenIssuer {
 public:
  // `organizations`: where the organization claim's slug comes from (a cached lookup); null: the
  // token carries organization_id alone. `dynamic_templates`: the project's claims templates for
  // dynamically registered and CIMD clients (an in-memory snapshot); null: those clients get only
  // their own templates. Both, when given, must outlive the issuer.
  TokenIssuer(const ProtocolSettings& settings, const accounts::SigningKeys& keys,
              const core::Clock& clock, core::Random& random,
              const accounts::OrganizationAppPolicy* organizations = nullptr,
              const accounts::DynamicClientTemplates* dynamic_templates = nullptr);

  // Access token, plus the ID token when the scope holds `openid`.
  core::Result<IssuedTokens> Issue(const TokenContext& context) const;
  // The access token of the client_credentials grant.
  core::Result<IssuedAccessToken> IssueM2mAccessToken(const M2mTokenContext& context) const;

 private:
  const ProtocolSettings& settings_;
  const accounts::SigningKeys& keys_;
  const core::Clock& clock_;
  core::Random& random_;
  const accounts::OrganizationAppPolicy* const organizations_;
  const accounts::DynamicClientTemplates* const dynamic_templates_;
};

}  // namespace gatehouse::oauth
