#pragma once
// HostedPages: the built-in login, consent and sign-out pages of the authorization endpoint
// (DESIGN §3), driving oauth::AuthorizationService and accounts::UserSessions.
//
// Routes (AddRoutes):
//   GET|POST /oauth2/authorize          the authorization request (OIDC allows a form post)
//   POST     /oauth2/login              the login form
//   GET      /oauth2/authorize/resume   where the login form's 303 leads (continues the request)
//   POST     /oauth2/consent            the consent form (decision=allow|deny)
//   GET      /oauth2/logout             RP-initiated logout
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
  // deployment (the application derives it from the master key). `login_limits`: sign-in
  // attempts spend a token of the caller's address bucket (per_address; per_client is unused);
  // none by default.
  HostedPages(const oauth::AuthorizationService& authorization, accounts::ClientDirectory& clients,
              accounts::UserSessions& sessions, std::string state_key, const core::Clock& clock,
              core::Random& random, oauth::EndpointLimits login_limits = {});

  void AddRoutes(http::Router& router);

  http::Response Authorize(http::Request& request);
  http::Response Login(http::Request& request);
  http::Response Resume(http::Request& request);
  http::Response Consent(http::Request& request);
  http::Response Logout(http::Request& request);
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
  // The answer to a request that failed validation.
  http::Response ValidationFailure(const http::Request& request,
                                   const core::AuthorizationError& error);

  http::Response LoginPage(int status, const oauth::ValidatedAuthorization& authorization,
                           const core::AuthorizationParams& params, const Csrf& csrf,
                           std::string_view email, std::string_view error);
  http::Response ConsentPage(const oauth::ValidatedAuthorization& authorization,
                             const core::AuthorizationParams& params, const Csrf& csrf,
                             const accounts::ActiveSession& session,
                             const oauth::ConsentView& consent);
  http::Response MessagePage(int status, std::string_view heading, std::string_view message,
                             std::string_view detail, bool is_error) const;
  http::Response Page(int status, std::string_view page, std::string_view title,
                      kainjow::mustache::data data) const;
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
  std::string issuer_host_;
  const oauth::EndpointLimits login_limits_;
};

}  // namespace gatehouse::ui
