#include "ui/hosted_pages.h"

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/consent.h"
#include "core/error.h"
#include "core/scope.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "http/form.h"
#include "ui/client_presentation.h"
#include "ui/page_security.h"

namespace gatehouse::ui {
namespace {

namespace mustache = kainjow::mustache;

// Forms and queries that carry a sealed pending authorization: the seal holds every authorization
// parameter (each bounded by core/authorization_request.h), so it may exceed the default
// per-value limit.
constexpr http::FormLimits kPendingFormLimits{.max_value_bytes = 64 * 1024};

// "45 seconds", "1 minute", "15 minutes": how long a throttled user waits, rounded up.
std::string WaitText(int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  const int64_t minutes = (seconds + 59) / 60;
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

// Built-in scopes first, in the order the design lists them (openid, profile, email, ...), so the
// page reads from "sign you in" outwards; custom scopes after them in their own order.
std::vector<oauth::ScopeResult> ConsentOrder(std::vector<oauth::ScopeResult> results) {
  const std::span<const std::string_view> built_in = core::BuiltInScopes();
  const auto rank = [&built_in](const oauth::ScopeResult& r) {
    return static_cast<size_t>(std::find(built_in.begin(), built_in.end(), r.scope) -
                               built_in.begin());
  };
  std::stable_sort(results.begin(), results.end(),
                   [&rank](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return results;
}

// What went wrong, in the user's words, for the page that stands in for an error redirect.
std::string ReturnReason(const core::Error& error) {
  switch (error.code()) {
    case core::ErrorCode::kLoginRequired:
      return "The app asked to sign you in without showing you this site, but you are not signed "
             "in.";
    case core::ErrorCode::kConsentRequired:
      return "The app asked for access without asking you, but you have not allowed it.";
    default:
      return "The app sent a request that cannot be accepted.";
  }
}

// What the login and consent pages show of the client above their form: name, the initial shown
// in place of a missing logo, and the logo when it is safe to display (`issuer`: this server).
mustache::data ClientHeader(const core::Client& client, std::string_view issuer) {
  const std::string name = ShownName(client);
  mustache::data data;
  data.set("client_name", name);
  data.set("client_initial", NameInitial(name));
  if (std::optional<std::string> logo = DisplayableLogoUrl(client, issuer)) {
    data.set("client_logo", *logo);
  }
  return data;
}

}  // namespace

HostedPages::HostedPages(const oauth::AuthorizationService& authorization,
                         accounts::ClientDirectory& clients, accounts::UserSessions& sessions,
                         std::string state_key, const core::Clock& clock, core::Random& random,
                         oauth::IdTokenHintVerifier::KeyringSource signing_keys,
                         oauth::EndpointLimits login_limits)
    : authorization_(authorization),
      clients_(clients),
      sessions_(sessions),
      clock_(clock),
      random_(random),
      seal_(std::move(state_key), random),
      cookies_(authorization.settings().issuer),
      renderer_(authorization.settings().issuer, false),
      id_token_hints_(authorization.settings().issuer, std::move(signing_keys), clock),
      login_limits_(login_limits) {}

void HostedPages::AddRoutes(http::Router& router) {
  router.Add("GET", kAuthorizePath, [this](http::Request& r) { return Authorize(r); });
  router.Add("POST", kAuthorizePath, [this](http::Request& r) { return Authorize(r); });
  router.Add("GET", kResumePath, [this](http::Request& r) { return Resume(r); });
  router.Add("POST", kLoginPath, [this](http::Request& r) { return Login(r); });
  router.Add("POST", kConsentPath, [this](http::Request& r) { return Consent(r); });
  router.Add("GET", kLogoutPath, [this](http::Request& r) { return Logout(r); });
  router.Add("POST", kLogoutPath, [this](http::Request& r) { return ConfirmLogout(r); });
  router.Add("GET", kStylesheetPath, [this](http::Request& r) { return Stylesheet(r); });
}

http::Response HostedPages::Authorize(http::Request& request) {
  std::string_view encoded = request.query;
  if (request.method == "POST") {
    if (!http::IsFormContentType(request.Header("content-type").value_or(""))) {
      return renderer_.MessagePage(
          400, "This sign-in request is not valid", "The app sent a request this page cannot read.",
          "invalid_request: the body must be application/x-www-form-urlencoded", true);
    }
    encoded = request.body;
  }
  core::Result<http::FormParams> params = http::ParseForm(encoded);
  if (!params) {
    return renderer_.MessagePage(
        400, "This sign-in request is not valid", "The app sent a request this page cannot read.",
        std::string(params.error().name()) + ": " + params.error().description(), true);
  }
  return Proceed(request, params->pairs(), CsrfFor(request), std::nullopt);
}

http::Response HostedPages::Resume(http::Request& request) {
  core::Result<http::FormParams> query = http::ParseForm(request.query, kPendingFormLimits);
  const std::optional<std::string_view> csrf_cookie = http::Cookie(request, cookies_.csrf_name());
  if (!query || !csrf_cookie) {
    return CsrfRefusal();
  }
  std::variant<PendingAuthorization, http::Response> pending =
      OpenPending(PendingPurpose::kResume, query->Get("pending"), *csrf_cookie);
  if (auto* page = std::get_if<http::Response>(&pending)) return std::move(*page);
  const PendingAuthorization& p = std::get<PendingAuthorization>(pending);
  return Proceed(request, p.params, Csrf{.token = std::string(*csrf_cookie), .issued = false},
                 p.session_id);
}

http::Response HostedPages::Proceed(const http::Request& request,
                                    const core::AuthorizationParams& params, const Csrf& csrf,
                                    const std::optional<std::string>& resumed_session_id) {
  const oauth::AuthorizationService::Validation validation = authorization_.Validate(params);
  if (!validation) return ValidationFailure(request, params, validation.error(), false);
  const oauth::ValidatedAuthorization& authorization = *validation;

  const std::optional<accounts::ActiveSession> session = CurrentSession(request);
  bool login_required;
  if (resumed_session_id) {
    // The user has just authenticated for this very request: prompt=login and max_age are
    // satisfied, provided the browser still holds that session.
    login_required = !session || session->session.session_id != *resumed_session_id;
  } else {
    login_required =
        authorization_.DecideLogin(authorization, session ? &session->session : nullptr) ==
        core::LoginDecision::kLoginRequired;
  }
  if (login_required) {
    if (authorization.request.prompt.none) {
      const core::Error error(core::ErrorCode::kLoginRequired, "the user must sign in");
      return ReturnToClient(request, *authorization.client,
                            authorization_.Reject(authorization, error).redirect_uri, error, false);
    }
    return LoginPage(200, authorization, params, csrf,
                     authorization.request.login_hint.value_or(""), "");
  }

  const oauth::ConsentView consent = authorization_.DescribeConsent(authorization, session->user);
  if (consent.consent_required()) {
    if (authorization.request.prompt.none) {
      const core::Error error(core::ErrorCode::kConsentRequired, "the user must consent");
      return ReturnToClient(request, *authorization.client,
                            authorization_.Reject(authorization, error).redirect_uri, error, false);
    }
    return ConsentPage(authorization, params, csrf, *session, consent);
  }
  const oauth::AuthorizationResponse response = authorization_.Complete(
      authorization,
      oauth::AuthenticatedUser{.user = session->user,
                               .auth_time = session->session.authenticated_at},
      false);
  return RedirectTo(request, response.redirect_uri);
}

http::Response HostedPages::ValidationFailure(const http::Request& request,
                                              const core::AuthorizationParams& params,
                                              const core::AuthorizationError& error,
                                              bool answered) {
  // Only a request whose client was found is redirectable; should the client have gone since,
  // the page below sends the browser nowhere.
  if (const core::Result<std::string> client_id = core::AuthorizationClientId(params);
      error.redirectable && client_id) {
    if (core::Result<std::shared_ptr<const core::Client>> client = clients_.Find(*client_id)) {
      return ReturnToClient(request, **client, authorization_.ErrorRedirect(error), error.error,
                            answered);
    }
  }
  // The client or its redirect URI is not trusted: say so here, and send the browser nowhere.
  return renderer_.MessagePage(
      400, "This sign-in link is not valid",
      "The app that sent you here is not set up correctly, so you cannot continue. "
      "You have not been sent back to it. Contact the app's developer.",
      std::string(error.error.name()) + ": " + error.error.description(), true);
}

http::Response HostedPages::Login(http::Request& request) {
  std::variant<PostedForm, http::Response> posted = ReadPostedForm(request, PendingPurpose::kLogin);
  if (auto* page = std::get_if<http::Response>(&posted)) return std::move(*page);
  const http::FormParams& form = std::get<PostedForm>(posted).form;
  const std::string& csrf = std::get<PostedForm>(posted).csrf;
  const PendingAuthorization& pending = std::get<PostedForm>(posted).pending;

  const oauth::AuthorizationService::Validation validation =
      authorization_.Validate(pending.params);
  if (!validation) return ValidationFailure(request, pending.params, validation.error(), false);
  const Csrf page_csrf{.token = csrf, .issued = false};

  const std::string_view email = form.Get("email").value_or("");
  const std::string_view password = form.Get("password").value_or("");
  if (email.empty() || password.empty()) {
    return LoginPage(400, *validation, pending.params, page_csrf, email,
                     "Enter your email address and password.");
  }
  const auto too_many = [&](int64_t retry_after_seconds) {
    http::Response page = LoginPage(
        429, *validation, pending.params, page_csrf, email,
        "Too many sign-in attempts. Wait " + WaitText(retry_after_seconds) + ", then try again.");
    page.Set("Retry-After", std::to_string(retry_after_seconds));
    return page;
  };
  if (auto admitted = login_limits_.CheckAddress(request); !admitted) {
    return too_many(admitted.error().retry_after_seconds());
  }
  core::Result<accounts::IssuedSession> issued = sessions_.AuthenticatePassword(
      email, password, authorization_.settings().session_ttl_seconds);
  if (!issued) {
    // One message for an unknown email and a wrong password: the page must not reveal which
    // accounts exist.
    if (issued.error().code() == core::ErrorCode::kTooManyRequests) {
      return too_many(std::max<int64_t>(1, issued.error().retry_after_seconds()));
    }
    if (issued.error().code() == core::ErrorCode::kForbidden) {
      // Only said after the right password (accounts::Sessions checks that first).
      return LoginPage(403, *validation, pending.params, page_csrf, email,
                       "This account cannot sign in. Contact your administrator.");
    }
    return LoginPage(401, *validation, pending.params, page_csrf, email,
                     "The email address or password is incorrect.");
  }

  PendingAuthorization resume{.params = pending.params, .session_id = issued->session.session_id};
  const int64_t now = clock_.NowSeconds();
  const std::string location = http::AppendQueryParams(
      kResumePath, {{"pending", seal_.Seal(PendingPurpose::kResume, resume, csrf, now)}});
  http::Response response = RedirectTo(request, location);
  if (const std::optional<std::string_view> previous =
          http::Cookie(request, cookies_.session_name());
      previous && !previous->empty() && *previous != issued->session_token) {
    sessions_.Revoke(*previous);
  }
  response.headers.emplace_back(
      "Set-Cookie", cookies_.Set(cookies_.session_name(), issued->session_token,
                                 std::max<int64_t>(issued->session.expires_at - now, 0)));
  return response;
}

http::Response HostedPages::Consent(http::Request& request) {
  std::variant<PostedForm, http::Response> posted =
      ReadPostedForm(request, PendingPurpose::kConsent);
  if (auto* page = std::get_if<http::Response>(&posted)) return std::move(*page);
  const http::FormParams& form = std::get<PostedForm>(posted).form;
  const PendingAuthorization& pending = std::get<PostedForm>(posted).pending;

  const std::optional<std::string_view> decision = form.Get("decision");
  if (!decision || (*decision != "allow" && *decision != "deny")) {
    return renderer_.MessagePage(400, "Choose Allow or Deny",
                                 "Return to the app and start again to make your choice.", "",
                                 true);
  }
  const std::optional<accounts::ActiveSession> session = CurrentSession(request);
  if (!session || !pending.session_id || session->session.session_id != *pending.session_id) {
    // The consent page was shown to another session (signed out or switched account since).
    return renderer_.MessagePage(
        403, "Your sign-in has changed",
        "For your security, nothing was changed. Return to the app and try again.", "", true);
  }
  const oauth::AuthorizationService::Validation validation =
      authorization_.Validate(pending.params);
  if (!validation) return ValidationFailure(request, pending.params, validation.error(), true);

  if (*decision == "deny") {
    return RedirectTo(request, authorization_
                                   .Reject(*validation, core::Error(core::ErrorCode::kAccessDenied,
                                                                    "the user denied the request"))
                                   .redirect_uri);
  }
  const oauth::AuthorizationResponse response = authorization_.Complete(
      *validation,
      oauth::AuthenticatedUser{.user = session->user,
                               .auth_time = session->session.authenticated_at},
      true);
  return RedirectTo(request, response.redirect_uri);
}

http::Response HostedPages::Stylesheet(http::Request&) const {
  const std::optional<std::string_view> css = renderer_.StaticFile("gatehouse.css");
  http::Response response = http::Response::Text(200, std::string(css.value_or("")));
  response.Set("Content-Type", "text/css; charset=utf-8");
  // The pages link it by a content-hashed URL, so a changed stylesheet is a new URL.
  response.Set("Cache-Control", "public, max-age=31536000, immutable");
  response.Set("X-Content-Type-Options", "nosniff");
  return response;
}

std::variant<HostedPages::PostedForm, http::Response> HostedPages::ReadPostedForm(
    const http::Request& request, PendingPurpose purpose) const {
  if (!http::IsFormContentType(request.Header("content-type").value_or(""))) return CsrfRefusal();
  core::Result<http::FormParams> form = http::ParseForm(request.body, kPendingFormLimits);
  if (!form) return CsrfRefusal();
  std::optional<std::string> csrf = CheckCsrf(request, form->Get("csrf"));
  if (!csrf) return CsrfRefusal();
  std::variant<PendingAuthorization, http::Response> pending =
      OpenPending(purpose, form->Get("pending"), *csrf);
  if (auto* page = std::get_if<http::Response>(&pending)) return std::move(*page);
  return PostedForm{.form = std::move(form).value(),
                    .csrf = std::move(*csrf),
                    .pending = std::move(std::get<PendingAuthorization>(pending))};
}

http::Response HostedPages::CsrfRefusal() const {
  return renderer_.MessagePage(
      403, "We could not verify this request",
      "For your security, nothing was changed. Return to the app and try again.", "", true);
}

HostedPages::Csrf HostedPages::CsrfFor(const http::Request& request) {
  const std::optional<std::string_view> cookie = http::Cookie(request, cookies_.csrf_name());
  if (cookie && IsCsrfTokenShape(*cookie)) return Csrf{.token = std::string(*cookie)};
  return Csrf{.token = crypto::RandomToken(random_), .issued = true};
}

std::optional<std::string> HostedPages::CheckCsrf(
    const http::Request& request, std::optional<std::string_view> form_token) const {
  const std::optional<std::string_view> cookie = http::Cookie(request, cookies_.csrf_name());
  if (!cookie || !form_token || !IsCsrfTokenShape(*cookie) ||
      !crypto::ConstantTimeEquals(*cookie, *form_token)) {
    return std::nullopt;
  }
  return std::string(*cookie);
}

std::variant<PendingAuthorization, http::Response> HostedPages::OpenPending(
    PendingPurpose purpose, std::optional<std::string_view> sealed,
    std::string_view csrf_token) const {
  if (!sealed) {
    return CsrfRefusal();
  }
  auto opened = seal_.Open(purpose, *sealed, csrf_token, clock_.NowSeconds());
  if (auto* pending = std::get_if<PendingAuthorization>(&opened)) return std::move(*pending);
  if (std::get<PendingAuthorizationSeal::OpenFailure>(opened) ==
      PendingAuthorizationSeal::OpenFailure::kExpired) {
    return renderer_.MessagePage(
        400, "This page has expired",
        "Sign-in pages are valid for ten minutes. Return to the app and start "
        "again.",
        "", true);
  }
  return CsrfRefusal();
}

std::optional<accounts::ActiveSession> HostedPages::CurrentSession(const http::Request& request) {
  const std::optional<std::string_view> token = http::Cookie(request, cookies_.session_name());
  if (!token || token->empty()) return std::nullopt;
  core::Result<accounts::ActiveSession> session = sessions_.Authenticate(*token);
  if (!session) return std::nullopt;
  return std::move(session).value();
}

http::Response HostedPages::LoginPage(int status,
                                      const oauth::ValidatedAuthorization& authorization,
                                      const core::AuthorizationParams& params, const Csrf& csrf,
                                      std::string_view email, std::string_view error) {
  const core::Client& client = *authorization.client;
  const std::string name = ShownName(client);
  mustache::data data = ClientHeader(client, authorization_.settings().issuer);
  data.set("email", std::string(email));
  if (!error.empty()) data.set("error", std::string(error));
  data.set("csrf", csrf.token);
  data.set("pending", seal_.Seal(PendingPurpose::kLogin, PendingAuthorization{.params = params},
                                 csrf.token, clock_.NowSeconds()));
  http::Response response = renderer_.Page(status, "login", "Sign in to " + name, std::move(data));
  if (csrf.issued) {
    response.headers.emplace_back("Set-Cookie",
                                  cookies_.Set(cookies_.csrf_name(), csrf.token, std::nullopt));
  }
  return response;
}

http::Response HostedPages::ConsentPage(const oauth::ValidatedAuthorization& authorization,
                                        const core::AuthorizationParams& params, const Csrf& csrf,
                                        const accounts::ActiveSession& session,
                                        const oauth::ConsentView& consent) {
  const core::Client& client = *authorization.client;
  const std::string name = ShownName(client);
  mustache::data data = ClientHeader(client, authorization_.settings().issuer);
  if (std::optional<std::string> publisher = PublisherHost(client)) {
    data.set("publisher_host", *publisher);
  }
  data.set("unverified", IsSelfRegistered(client));
  data.set("account", session.user.email.empty() ? session.user.DisplayName() : session.user.email);
  data.set("loopback_warning", EveryRedirectUriIsLoopback(client));
  data.set("redirect_host", UriHost(authorization.request.redirect_uri));
  mustache::data scopes{mustache::data::type::list};
  for (const oauth::ScopeResult& result : ConsentOrder(consent.scope_results)) {
    mustache::data item;
    item.set("scope", result.scope);
    item.set("description", result.description);
    item.set("is_grantable", result.is_grantable);
    scopes.push_back(item);
  }
  data.set("scopes", scopes);
  mustache::data resources{mustache::data::type::list};
  for (const ResourceView& resource : DescribeResources(authorization.request.resources)) {
    mustache::data item;
    item.set("host", resource.host);
    item.set("uri", resource.uri);
    resources.push_back(item);
  }
  data.set("resources", resources);
  data.set("has_resources", !authorization.request.resources.empty());
  data.set("csrf", csrf.token);
  data.set("pending", seal_.Seal(PendingPurpose::kConsent,
                                 PendingAuthorization{.params = params,
                                                      .session_id = session.session.session_id},
                                 csrf.token, clock_.NowSeconds()));
  http::Response response = renderer_.Page(200, "consent", "Allow " + name + "?", std::move(data));
  if (csrf.issued) {
    response.headers.emplace_back("Set-Cookie",
                                  cookies_.Set(cookies_.csrf_name(), csrf.token, std::nullopt));
  }
  return response;
}

http::Response HostedPages::ReturnToClient(const http::Request& request, const core::Client& client,
                                           std::string_view location, const core::Error& error,
                                           bool answered) const {
  if (answered || !IsSelfRegistered(client)) return RedirectTo(request, location);
  const std::string name = ShownName(client);
  mustache::data data;
  data.set("client_name", name);
  data.set("reason", ReturnReason(error));
  data.set("detail", std::string(error.name()) +
                         (error.description().empty() ? "" : ": " + error.description()));
  data.set("redirect_host", UriHost(location));
  data.set("return_url", std::string(location));
  return renderer_.Page(400, "return_to_app", name + " could not continue", std::move(data));
}

http::Response HostedPages::RedirectTo(const http::Request& request,
                                       std::string_view location) const {
  http::Response response =
      http::Response::Redirect(request.method == "POST" ? 303 : 302, location);
  AddPageSecurityHeaders(response, false);
  return response;
}

}  // namespace gatehouse::ui
