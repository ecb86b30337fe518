// /oauth2/logout: OpenID Connect RP-Initiated Logout 1.0. Part of HostedPages (hosted_pages.h).
//
// GET. An id_token_hint counts only when IdTokenHintVerifier accepts it (our signature by any
// published key, our issuer, typ JWT; expired is fine); any other hint is ignored, as if absent.
// A valid hint names the client (a client_id sent beside it must agree). The
// post_logout_redirect_uri must be registered exactly (string comparison, §3) for the client the
// valid hint or client_id names; an unregistered URI or an unattributable one gets an error page
// and signs nobody out. Then:
//  - nobody signed in: nothing to protect; the browser goes to the URI (with `state`) or sees the
//    signed-out page;
//  - a valid hint about the signed-in user: signed out at once, as above;
//  - otherwise (no hint, a forged one, one about another user): a confirmation page whose form
//    posts the same parameters back with the CSRF token. Signing out on a bare GET would let any
//    site sign the user out (an <img> would do).
// POST. The confirmation form: CSRF checked as for the other forms (403 otherwise, nothing
// changes), the destination checked again, then the session is revoked, its cookie cleared, and
// the browser sent (303) to the URI with `state`, or to GET /oauth2/logout, which now finds nobody
// signed in and shows the signed-out page.

#include <utility>
#include <vector>

#include "http/form.h"
#include "ui/client_presentation.h"
#include "ui/hosted_pages.h"

namespace gatehouse::ui {
namespace {

namespace mustache = kainjow::mustache;

std::optional<std::string> Copy(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  return std::string(*value);
}

}  // namespace

http::Response HostedPages::Logout(http::Request& request) {
  core::Result<http::FormParams> query = http::ParseForm(request.query);
  if (!query) {
    return renderer_.MessagePage(
        400, "This sign-out link is not valid",
        "You are still signed in. Return to the app and try again.",
        std::string(query.error().name()) + ": " + query.error().description(), true);
  }
  std::optional<oauth::IdTokenHint> hint;
  if (const std::optional<std::string_view> sent = query->Get("id_token_hint")) {
    if (core::Result<oauth::IdTokenHint> verified = id_token_hints_.Verify(*sent)) {
      hint = std::move(verified).value();
    }
  }
  std::optional<std::string> client_id = Copy(query->Get("client_id"));
  if (hint) {
    if (client_id && *client_id != hint->client_id) {
      return renderer_.MessagePage(400, "This sign-out link is not valid",
                                   "You are still signed in. Return to the app and try again.",
                                   "invalid_request: client_id does not match the id_token_hint",
                                   true);
    }
    client_id = hint->client_id;
  }
  std::variant<std::optional<std::string>, http::Response> destination =
      LogoutDestination(client_id, query->Get("post_logout_redirect_uri"), query->Get("state"));
  if (auto* page = std::get_if<http::Response>(&destination)) return std::move(*page);
  const std::optional<std::string>& location = std::get<std::optional<std::string>>(destination);

  const std::optional<accounts::ActiveSession> session = CurrentSession(request);
  if (!session || (hint && hint->subject == session->user.user_id)) {
    return SignOut(request, location);
  }

  const Csrf csrf = CsrfFor(request);
  mustache::data data;
  data.set("account",
           session->user.email.empty() ? session->user.DisplayName() : session->user.email);
  data.set("account_initial", NameInitial(session->user.email.empty() ? session->user.DisplayName()
                                                                      : session->user.email));
  if (client_id) {
    if (core::Result<std::shared_ptr<const core::Client>> client = clients_.Find(*client_id)) {
      data.set("client_name", ShownName(**client));
    }
    data.set("client_id", *client_id);
  }
  if (location) {
    data.set("post_logout_redirect_uri",
             std::string(query->Get("post_logout_redirect_uri").value_or("")));
  }
  if (const std::optional<std::string_view> state = query->Get("state"); state && location) {
    data.set("state", std::string(*state));
  }
  data.set("csrf", csrf.token);
  http::Response response = renderer_.Page(200, "logout", "Sign out?", std::move(data));
  if (csrf.issued) {
    response.headers.emplace_back("Set-Cookie",
                                  cookies_.Set(cookies_.csrf_name(), csrf.token, std::nullopt));
  }
  return response;
}

http::Response HostedPages::ConfirmLogout(http::Request& request) {
  if (!http::IsFormContentType(request.Header("content-type").value_or(""))) return CsrfRefusal();
  core::Result<http::FormParams> form = http::ParseForm(request.body);
  if (!form || !CheckCsrf(request, form->Get("csrf"))) return CsrfRefusal();
  std::variant<std::optional<std::string>, http::Response> destination = LogoutDestination(
      form->Get("client_id"), form->Get("post_logout_redirect_uri"), form->Get("state"));
  if (auto* page = std::get_if<http::Response>(&destination)) return std::move(*page);
  const std::optional<std::string>& location = std::get<std::optional<std::string>>(destination);
  return SignOut(request, location.value_or(std::string(kLogoutPath)));
}

std::variant<std::optional<std::string>, http::Response> HostedPages::LogoutDestination(
    std::optional<std::string_view> client_id, std::optional<std::string_view> post_logout,
    std::optional<std::string_view> state) {
  if (!post_logout) return std::optional<std::string>();
  if (!client_id) {
    return renderer_.MessagePage(
        400, "This sign-out link is not valid",
        "You are still signed in. The app did not say who it is.",
        "invalid_request: post_logout_redirect_uri requires client_id or a valid "
        "id_token_hint",
        true);
  }
  core::Result<std::shared_ptr<const core::Client>> client = clients_.Find(*client_id);
  bool registered = false;
  if (client) {
    for (const std::string& uri : (*client)->post_logout_redirect_uris) {
      if (uri == *post_logout) registered = true;
    }
  }
  if (!registered) {
    return renderer_.MessagePage(
        400, "This sign-out link is not valid",
        "You are still signed in. The app asked to send you to an address it "
        "has not registered.",
        "invalid_request: post_logout_redirect_uri is not registered for the "
        "client",
        true);
  }
  std::vector<std::pair<std::string, std::string>> params;
  if (state) params.emplace_back("state", std::string(*state));
  return std::optional<std::string>(http::AppendQueryParams(*post_logout, params));
}

http::Response HostedPages::SignOut(const http::Request& request,
                                    const std::optional<std::string>& destination) {
  if (const std::optional<std::string_view> token = http::Cookie(request, cookies_.session_name());
      token && !token->empty()) {
    sessions_.Revoke(*token);
  }
  http::Response response =
      destination
          ? RedirectTo(request, *destination)
          : renderer_.MessagePage(200, "You are signed out",
                                  "You can close this window, or return to the app.", "", false);
  response.headers.emplace_back("Set-Cookie", cookies_.Clear(cookies_.session_name()));
  return response;
}

}  // namespace gatehouse::ui
