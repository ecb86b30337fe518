#pragma once
// The headless authorization API, for an application that hosts its own authorization page
// (settings.authorization_page_url) and authenticates its users itself:
//
//   POST /v1/idp/oauth/authorize/start   the authorization request + one of user_id |
//        session_token -> {user_id, user, client (public view), consent_required,
//        scope_results[{scope, description, is_grantable}]}
//   POST /v1/idp/oauth/authorize         the same + consent_granted -> {redirect_uri (code, state
//        and iss, or the OAuth error, state and iss), authorization_code (on success)}
//
// As in Stytch's API, start needs no code_challenge, state or nonce: it validates for
// core::AuthorizationPurpose::kDescribeConsent (a challenge that is sent is still checked). Submit
// issues the code, so it validates for kIssueCode: a public client must send an S256
// code_challenge there (without one, or with `plain`, the redirect carries invalid_request).
//
// Both sit behind the management API's project authentication (ManagementApi::Route) and reuse
// oauth::AuthorizationService, exactly as the hosted pages do.
//
// Body fields: client_id, redirect_uri, response_type, scope (space-delimited string) or scopes
// (array; not both), prompt, state, nonce, code_challenge, code_challenge_method, resources
// (array of strings), max_age (integer), login_hint, ui_locales; and user_id or session_token
// (exactly one). A field that is not a string (arrays/integer where stated) -> 400 bad_request.
//
// The user: user_id -> the application vouches that it just authenticated this user (auth_time =
// now); session_token -> UserSessions::Authenticate (401 when invalid), auth_time = the session's
// authenticated_at, and max_age is enforced against it (login_required). prompt=login is the
// application's to honour: it owns the login UI.
//
// Errors: a request the authorization endpoint would answer with an error page (unknown client,
// untrusted redirect_uri) -> 400 with error_type bad_request and the OAuth error named in the
// message. A redirectable error: start answers 400 with the OAuth error as error_type; submit
// answers 200 with the error redirect_uri (the page sends the user there).
//
// Thread-safe; dependencies must outlive it.

#include <boost/json/object.hpp>

#include "accounts/user_sessions.h"
#include "admin/management_api.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/router.h"
#include "oauth/authorization_service.h"

namespace gatehouse::admin {

class HeadlessAuthorizeApi {
 public:
  HeadlessAuthorizeApi(const oauth::AuthorizationService& service, accounts::UserSessions& users,
                       const core::Clock& clock);

  void AddRoutes(http::Router& router, const ManagementApi& api) const;

  core::Result<boost::json::object> Start(const boost::json::object& body) const;
  core::Result<boost::json::object> Submit(const boost::json::object& body) const;

 private:
  struct Prepared;
  core::Result<Prepared> Prepare(const boost::json::object& body,
                                 core::AuthorizationPurpose purpose) const;

  const oauth::AuthorizationService& service_;
  accounts::UserSessions& users_;
  const core::Clock& clock_;
};

}  // namespace gatehouse::admin
