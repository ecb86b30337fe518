#pragma once
// AccountPages: the signed-in user's own account pages, beside the hosted sign-in pages.
//
// Routes (AddRoutes):
//   GET  /account/connected-apps         the apps the user has authorized (an active grant or a
//                                        remembered consent), each with its scopes and a Revoke
//                                        button
//   POST /account/connected-apps/revoke  form {csrf, client_id}: revokes every grant of the user
//                                        for that client, their tokens and the remembered consent
//                                        (store::TokenLifecycleRepository::RevokeConnectedApp),
//                                        then 303 back to the list
//
// The user is whoever the hosted pages' session cookie names (BrowserCookies::session_name(),
// checked with UserSessions::Authenticate); without a live session the GET answers a 401 page
// asking the user to sign in through an app, and the POST changes nothing (403).
// CSRF: the same double-submit scheme as the hosted pages — the form echoes the CSRF cookie's
// token (set by the GET when missing), compared in constant time; a POST without a matching pair
// gets a 403 page and changes nothing. Responses carry the hosted pages' security headers
// (X-Frame-Options: DENY, a CSP with frame-ancestors 'none' and no script, Cache-Control:
// no-store, Referrer-Policy: no-referrer). No CORS.
//
// Thread-safe: immutable after construction; dependencies must be thread-safe and outlive it.
// Construction throws std::runtime_error for a missing template. Store faults propagate
// (store::DatabaseError) to the pipeline's catch-all.

#include <optional>
#include <string>
#include <string_view>

#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/message.h"
#include "http/router.h"
#include "store/database.h"
#include "ui/browser_cookies.h"
#include "ui/page_renderer.h"

namespace gatehouse::ui {

inline constexpr std::string_view kConnectedAppsPath = "/account/connected-apps";
inline constexpr std::string_view kRevokeConnectedAppPath = "/account/connected-apps/revoke";

class AccountPages {
 public:
  AccountPages(accounts::UserSessions& sessions, store::Database& db, std::string_view issuer,
               const core::Clock& clock, core::Random& random);

  void AddRoutes(http::Router& router);

  http::Response ConnectedApps(const http::Request& request);
  http::Response RevokeConnectedApp(const http::Request& request);

  const BrowserCookies& cookies() const { return cookies_; }

 private:
  std::optional<accounts::ActiveSession> CurrentSession(const http::Request& request);

  accounts::UserSessions& sessions_;
  store::Database& db_;
  const core::Clock& clock_;
  core::Random& random_;
  BrowserCookies cookies_;
  PageRenderer renderer_;
};

}  // namespace gatehouse::ui
