#pragma once
// AuthorizationService: the authorization code flow up to the redirect back to the client, shared
// by the hosted pages (GET /oauth2/authorize) and the headless API (/v1/idp/oauth/authorize*).
// It knows nothing about HTTP: inputs are decoded parameters, a user (or session) and the user's
// consent answer; outputs are values the caller renders.
//
//   AuthorizationService::Validation v = service.Validate(params);
//   if (!v) {                                   // core::AuthorizationError
//     v.error().redirectable ? redirect to service.ErrorRedirect(v.error())
//                            : show an error page (never redirect: the URI is not trusted);
//   }
//   LoginDecision login = service.DecideLogin(*v, session_or_null);       // before authenticating
//   ConsentView consent = service.DescribeConsent(*v, user);              // once the user is known
//   // prompt=none: service.PromptNoneError(login, consent.decision) -> Reject(...) when set.
//   AuthorizationResponse r = service.Complete(*v, {user, auth_time}, consent_granted);
//   redirect to r.redirect_uri (carries code, state and iss, or error, state and iss)
//
// Steps and rules:
//  - Validate: AuthorizationClientId -> ClientDirectory::Find (unknown, disabled or unresolvable
//    client: a non-redirectable error; the error page shows it) -> core::ParseAuthorizationRequest
//    for the deployment's environment and the given purpose (kDescribeConsent lets a public
//    client leave out code_challenge, for the headless start step; everything that issues a code
//    validates with kIssueCode).
//  - DecideLogin: core::DecideLogin with the session's authenticated_at (prompt=login, max_age).
//  - DescribeConsent: core::DecideConsent with the consent remembered for (user, client) in the
//    database; scope_results lists every requested scope with its description and whether this
//    user may grant it (ScopePolicy: the RBAC seam; until RBAC lands every scope is grantable).
//  - Complete: a disabled user, or consent required and not granted, -> access_denied redirect.
//    Otherwise granted scope = requested scopes the user may grant; the consent is remembered
//    (union with what was remembered before) when the user was asked; a grant (user, client,
//    scope, resources, auth_time) and a single-use authorization code bound to client, redirect
//    URI, PKCE challenge and nonce are stored in one transaction; the code (256-bit random) is
//    stored only as its SHA-256 and lives settings.authorization_code_ttl_seconds, at most 60 s.
//    A Client ID Metadata Document client is recorded in the clients table (when missing) first,
//    so its grants can reference it.
//  - Every redirect (success or error) carries `state` when one was sent and `iss` (RFC 9207).
// All state between requests is in the database (grants, codes, consents): any process of a
// cluster may serve any step.
//
// Thread-safe: immutable after construction; dependencies must be thread-safe and outlive it.
// Failures: request problems are values; store faults throw store::DatabaseError.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "accounts/client_directory.h"
#include "accounts/organization_app_policy.h"
#include "accounts/scope_policy.h"
#include "core/authorization_request.h"
#include "core/client.h"
#include "core/clock.h"
#include "core/consent.h"
#include "core/error.h"
#include "core/random.h"
#include "core/user.h"
#include "oauth/settings.h"
#include "store/database.h"

namespace gatehouse::oauth {

// A request that passed validation, with the client it was checked against.
struct ValidatedAuthorization {
  std::shared_ptr<const core::Client> client;
  core::AuthorizationRequest request;
};

struct ScopeResult {
  std::string scope;
  std::string description;
  bool is_grantable = true;
};

struct ConsentView {
  core::ConsentDecision decision = core::ConsentDecision::kRequired;
  std::vector<ScopeResult> scope_results;  // one per requested scope, in scope order
  bool consent_required() const { return decision == core::ConsentDecision::kRequired; }
};

// The user on whose behalf the code is issued and when they last authenticated (OIDC auth_time,
// Unix seconds).
struct AuthenticatedUser {
  core::User user;
  int64_t auth_time = 0;
};

// Where the user agent goes next. Exactly one of `code` and `error` is set.
struct AuthorizationResponse {
  std::string redirect_uri;         // the client's URI with code|error, state and iss
  std::optional<std::string> code;  // the authorization code (plain; only its hash is stored)
  std::optional<core::Error> error;
};

class AuthorizationService {
 public:
  // Either a ValidatedAuthorization or a core::AuthorizationError; used like core::Result.
  class [[nodiscard]] Validation {
   public:
    Validation(ValidatedAuthorization v)  // NOLINT: implicit by design
        : v_(std::in_place_index<0>, std::move(v)) {}
    Validation(core::AuthorizationError e)  // NOLINT: implicit by design
        : v_(std::in_place_index<1>, std::move(e)) {}
    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }
    const ValidatedAuthorization& value() const { return std::get<0>(v_); }
    const ValidatedAuthorization& operator*() const { return value(); }
    const ValidatedAuthorization* operator->() const { return &value(); }
    const core::AuthorizationError& error() const { return std::get<1>(v_); }

   private:
    std::variant<ValidatedAuthorization, core::AuthorizationError> v_;
  };

  // `scope_policy` may be null: OpenScopePolicy is used. `organization_apps`: which connected apps
  // each organization lets its members authorize; Complete then answers access_denied (with the
  // organization's rule as description) for a member whose organization does not allow the
  // client. Null: no organization rules. Both, when given, must outlive the service.
  AuthorizationService(const ProtocolSettings& settings, accounts::ClientDirectory& clients,
                       store::Database& db, const core::Clock& clock, core::Random& random,
                       const accounts::ScopePolicy* scope_policy = nullptr,
                       const accounts::OrganizationAppPolicy* organization_apps = nullptr);

  Validation Validate(
      const core::AuthorizationParams& params,
      core::AuthorizationPurpose purpose = core::AuthorizationPurpose::kIssueCode) const;

  // Whether the user must (re-)authenticate; `session` is null when nobody is signed in.
  core::LoginDecision DecideLogin(const ValidatedAuthorization& authorization,
                                  const core::Session* session) const;

  // Consent decision (with the remembered consent) and the scope list the consent UI shows.
  ConsentView DescribeConsent(const ValidatedAuthorization& authorization,
                              const core::User& user) const;

  // Issues the code (or access_denied); see the header comment. `consent_granted` is ignored when
  // consent is not required. Precondition: `authorization` was validated for kIssueCode.
  AuthorizationResponse Complete(const ValidatedAuthorization& authorization,
                                 const AuthenticatedUser& user, bool consent_granted) const;

  // The error redirect for a validated request (e.g. login_required for prompt=none).
  AuthorizationResponse Reject(const ValidatedAuthorization& authorization,
                               const core::Error& error) const;
  // The error redirect for a redirectable validation error. Precondition: error.redirectable.
  std::string ErrorRedirect(const core::AuthorizationError& error) const;

  const ProtocolSettings& settings() const { return settings_; }

 private:
  const ProtocolSettings& settings_;
  accounts::ClientDirectory& clients_;
  store::Database& db_;
  const core::Clock& clock_;
  core::Random& random_;
  accounts::OpenScopePolicy open_policy_;
  const accounts::ScopePolicy& scope_policy_;
  const accounts::OrganizationAppPolicy* const organization_apps_;
};

// `redirect_uri` with code, state (when set) and iss appended (RFC 6749 §4.1.2, RFC 9207).
std::string CodeRedirect(std::string_view redirect_uri, std::string_view code,
                         const std::optional<std::string>& state, std::string_view issuer);
// `redirect_uri` with error, error_description, state (when set) and iss appended.
std::string ErrorRedirect(std::string_view redirect_uri, const core::Error& error,
                          const std::optional<std::string>& state, std::string_view issuer);

}  // namespace gatehouse::oauth
