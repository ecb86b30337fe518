#pragma once
// HostedPages: the built-in login, consent and sign-out pages of the authorization endpoint
// (DESIGN §3), driving oauth::AuthorizationService and accounts::UserSessions.
//
// Routes (AddRoutes):
//   GET|POST /oauth2/authorize          the authorization request (OIDC allows a form post)
//   POST     /oauth2/login              the login form
//   GET      /oauth2/authorize/resume   where the login form's 303 leads (continues the request)
//   POST     /oauth2/consent            the consent form (decision=allow|deny)
//   GET      /oauth2/logout             RP-initiated logout (hosted_pages_logout.cc)
//   POST     /oauth2/logout             its confirmation form
//   GET      /static/gatehouse.css      the stylesheet (immutable, year-long cache)
//
// Flow. The request is validated (AuthorizationService::Validate); a request whose client or
// redirect URI is not trusted gets an HTML error page (400, never a redirect), any other invalid
// request a redirect to the client with the error. Without a usable session (none, prompt=login,
// max_age passed) the login page is shown, or login_required sent for prompt=none; after a
// successful login the browser is sent (303) to /oauth2/authorize/resume, which continues without
// asking to log in again. When consent is needed the consent page is shown (consent_required for
// prompt=none); otherwise, and after consent, the code is issued and the browser redirected.
//
// Self-registered clients (IsSelfRegistered: Dynamic Client Registration, Client ID Metadata
// Documents) chose their redirect URIs themselves, so until the user has answered the consent
// page none of their error responses is a redirect (RFC 9700 §4.11.2: no open redirector): the
// browser gets a 400 page naming the app and the destination host, with the error redirect as a
// link the user may follow. Codes (consent given before) and the answers to the consent page are
// redirected as for any client; clients created through the management API get RFC 6749 error
// redirects.
//
// Logout (OIDC RP-Initiated Logout): an id_token_hint counts only when IdTokenHintVerifier accepts
// it (our signature, any published key, expired or not); with a valid hint about the signed-in
// user (or nobody signed in) the browser is signed out at once, otherwise a confirmation form
// (POST, CSRF-protected, 303 after) asks first. post_logout_redirect_uri is followed only when
// registered exactly for the client the valid hint or client_id names, with `state`.
//
// State between pages lives in the browser, sealed (PendingAuthorizationSeal: encrypted, bound to
// the form's purpose, the CSRF cookie and, once known, the session; 10 minutes), and is validated
// again on every step, so any process of a cluster continues any flow.
//
// CSRF: every form carries the token of the CSRF cookie (double submit, compared in constant
// time) and its sealed state opens only with that cookie; a POST without both gets a 403 page and
// changes nothing. Cookies: see BrowserCookies. Every response carries X-Frame-Options: DENY, a
// Content-Security-Policy with frame-ancestors 'none' and no script, Cache-Control: no-store and
// Referrer-Policy: no-referrer; every POST answers 303 (or re-renders the login form after failed
// credentials: 401). No CORS on these routes.
//
// Thread-safe: immutable after construction; dependencies must be thread-safe and outlive it.
// Construction throws std::invalid_argument for a state key that is not 32 bytes and
// std::runtime_error for a missing template. Request problems are pages, not exceptions; store
// faults propagate (store::DatabaseError) to the pipeline's catch-all.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "accounts/client_directory.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/form.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/authorization_service.h"
#include "oauth/endpoint_limits.h"
#include "oauth/id_token_hint.h"
#include "ui/browser_cookies.h"
#include "ui/page_renderer.h"
#include "ui/pending_authorization.h"

namespace gatehouse::ui {

inline constexpr std::string_view kAuthorizePath = "/oauth2/authorize";
inline constexpr std::string_view kResumePath = "/oauth2/authorize/resume";
inline constexpr std::string_view kLoginPath = "/oauth2/login";
inline constexpr std::string_view kConsentPath = "/oauth2/consent";
inline constexpr std::string_view kLogoutPath = "/oauth2/logout";
inline constexpr std::string_view kStylesheetPath = "/static/gatehouse.css";

class HostedPages {
 public:
  // `state_key`: 32 bytes for sealing pending authorizations, the same in every process of a
  // deployment (the application derives it from the master key). `signing_keys`: the issuer's
  // published keys, against which logout's id_token_hint is verified. `login_limits`: sign-in
  // attempts spend a token of the caller's address bucket (per_address; per_client is unused);
  // none by default.
  HostedPages(const oauth::AuthorizationService& authorization, accounts::ClientDirectory& clients,
              accounts::UserSessions& sessions, std::string state_key, const core::Clock& clock,
              core::Random& random, oauth::IdTokenHintVerifier::KeyringSource signing_keys,
              oauth::EndpointLimits login_limits = {});

  void AddRoutes(http::Router& router);

  http::Response Authorize(http::Request& request);
  http::Response Login(http::Request& request);
  http::Response Resume(http::Request& request);
  http::Response Consent(http::Request& request);
  http::Response Logout(http::Request& request);
  http::Response ConfirmLogout(http::Request& request);
  http::Response Stylesheet(http::Request& request) const;

  const BrowserCookies& cookies() const { return cookies_; }

 private:
  // The browser's CSRF token; `issued` when this response must set the cookie.
  struct Csrf {
    std::string token;
    bool issued = false;
  };

  // A login or consent form post whose CSRF token matched and whose pending state opened.
  struct PostedForm {
    http::FormParams form;
    std::string csrf;
    PendingAuthorization pending;
  };

  Csrf CsrfFor(const http::Request& request);
  // The checked form post, or the page refusing it (403 for CSRF, 400 when expired).
  std::variant<PostedForm, http::Response> ReadPostedForm(const http::Request& request,
                                                          PendingPurpose purpose) const;
  http::Response CsrfRefusal() const;
  std::optional<accounts::ActiveSession> CurrentSession(const http::Request& request);

  // Validates `params` and takes the request as far as it can go without the user.
  // `resumed_session_id`: the session the user has just proved on the login page.
  http::Response Proceed(const http::Request& request, const core::AuthorizationParams& params,
                         const Csrf& csrf, const std::optional<std::string>& resumed_session_id);
  // The answer to a request that failed validation. `answered`: the user has just answered the
  // consent page for it.
  http::Response ValidationFailure(const http::Request& request,
                                   const core::AuthorizationParams& params,
                                   const core::AuthorizationError& error, bool answered);
  // Sends an authorization response (`location`: the client's redirect URI with error or code)
  // back to `client`: a redirect, or, for an error to a self-registered client the user has not
  // answered yet, the page that lets the user choose (see the header comment).
  http::Response ReturnToClient(const http::Request& request, const core::Client& client,
                                std::string_view location, const core::Error& error,
                                bool answered) const;

  http::Response LoginPage(int status, const oauth::ValidatedAuthorization& authorization,
                           const core::AuthorizationParams& params, const Csrf& csrf,
                           std::string_view email, std::string_view error);
  http::Response ConsentPage(const oauth::ValidatedAuthorization& authorization,
                             const core::AuthorizationParams& params, const Csrf& csrf,
                             const accounts::ActiveSession& session,
                             const oauth::ConsentView& consent);
  // RP-initiated logout (hosted_pages_logout.cc): where the browser goes after signing out
  // (`post_logout` with `state`, when registered for `client_id`), std::nullopt for nowhere, or
  // the error page refusing the request.
  std::variant<std::optional<std::string>, http::Response> LogoutDestination(
      std::optional<std::string_view> client_id, std::optional<std::string_view> post_logout,
      std::optional<std::string_view> state);
  // Revokes the browser's session and clears its cookie, then redirects it to `destination` (302
  // after a GET, 303 after a POST) or shows the signed-out page.
  http::Response SignOut(const http::Request& request,
                         const std::optional<std::string>& destination);
  http::Response RedirectTo(const http::Request& request, std::string_view location) const;

  // 403 when the form's CSRF token is missing or does not match the cookie; the token otherwise.
  std::optional<std::string> CheckCsrf(const http::Request& request,
                                       std::optional<std::string_view> form_token) const;
  // Opens a sealed pending authorization, or the page that says why it cannot be used.
  std::variant<PendingAuthorization, http::Response> OpenPending(
      PendingPurpose purpose, std::optional<std::string_view> sealed,
      std::string_view csrf_token) const;

  const oauth::AuthorizationService& authorization_;
  accounts::ClientDirectory& clients_;
  accounts::UserSessions& sessions_;
  const core::Clock& clock_;
  core::Random& random_;
  PendingAuthorizationSeal seal_;
  BrowserCookies cookies_;
  PageRenderer renderer_;
  oauth::IdTokenHintVerifier id_token_hints_;
  const oauth::EndpointLimits login_limits_;
};

}  // namespace gatehouse::ui
