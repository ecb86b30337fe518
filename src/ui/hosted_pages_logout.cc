// GET /oauth2/logout: OpenID Connect RP-Initiated Logout 1.0. Part of HostedPages (hosted_pages.h).
//
// The post_logout_redirect_uri must be registered for the client exactly (string comparison, §3);
// the client is named by client_id or, failing that, by the `aud` of id_token_hint. The hint is
// only used to choose whose registered list to check, so it is decoded without verifying its
// signature: naming a client gains nothing that client_id would not. An unregistered URI or an
// unknown client gets an error page and signs nobody out; otherwise the browser's session is
// revoked, the cookie cleared, and the browser sent to the URI (with `state`) or shown a
// "signed out" page.

#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "http/form.h"
#include "ui/hosted_pages.h"

namespace gatehouse::ui {
namespace {

// The first audience of a JWT's payload, unverified (see above).
std::optional<std::string> UnverifiedAudience(std::string_view jwt) {
  const size_t first = jwt.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = jwt.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::optional<std::string> payload =
      crypto::Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  const boost::json::value claims = boost::json::parse(*payload, ec);
  if (ec || !claims.is_object()) return std::nullopt;
  const boost::json::value* aud = claims.get_object().if_contains("aud");
  if (aud == nullptr) return std::nullopt;
  if (aud->is_string()) return std::string(aud->get_string());
  if (aud->is_array() && !aud->get_array().empty() && aud->get_array()[0].is_string()) {
    return std::string(aud->get_array()[0].get_string());
  }
  return std::nullopt;
}

}  // namespace

http::Response HostedPages::Logout(http::Request& request) {
  core::Result<http::FormParams> query = http::ParseForm(request.query);
  if (!query) {
    return MessagePage(400, "This sign-out link is not valid",
                       "You are still signed in. Return to the app and try again.",
                       std::string(query.error().name()) + ": " + query.error().description(),
                       true);
  }
  const std::optional<std::string_view> post_logout = query->Get("post_logout_redirect_uri");
  std::optional<std::string> destination;
  if (post_logout) {
    std::optional<std::string> client_id;
    if (const std::optional<std::string_view> sent = query->Get("client_id")) {
      client_id = std::string(*sent);
    } else if (const std::optional<std::string_view> hint = query->Get("id_token_hint")) {
      client_id = UnverifiedAudience(*hint);
    }
    if (!client_id) {
      return MessagePage(400, "This sign-out link is not valid",
                         "You are still signed in. The app did not say who it is.",
                         "invalid_request: post_logout_redirect_uri requires client_id or "
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
      return MessagePage(400, "This sign-out link is not valid",
                         "You are still signed in. The app asked to send you to an address it "
                         "has not registered.",
                         "invalid_request: post_logout_redirect_uri is not registered for the "
                         "client",
                         true);
    }
    std::vector<std::pair<std::string, std::string>> params;
    if (const std::optional<std::string_view> state = query->Get("state")) {
      params.emplace_back("state", std::string(*state));
    }
    destination = http::AppendQueryParams(*post_logout, params);
  }

  if (const std::optional<std::string_view> token = http::Cookie(request, cookies_.session_name());
      token && !token->empty()) {
    sessions_.Revoke(*token);
  }
  http::Response response =
      destination ? RedirectTo(request, *destination)
                  : MessagePage(200, "You are signed out",
                                "You can close this window, or return to the app.", "", false);
  response.headers.emplace_back("Set-Cookie", cookies_.Clear(cookies_.session_name()));
  return response;
}

}  // namespace gatehouse::ui
