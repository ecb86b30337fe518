#include "ui/account_pages.h"

#include <utility>

#include "core/client.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "http/form.h"
#include "store/token_lifecycle_repository.h"
#include "ui/page_security.h"

namespace gatehouse::ui {
namespace {

namespace mustache = kainjow::mustache;

}  // namespace

AccountPages::AccountPages(accounts::UserSessions& sessions, store::Database& db,
                           std::string_view issuer, const core::Clock& clock, core::Random& random)
    : sessions_(sessions),
      db_(db),
      clock_(clock),
      random_(random),
      cookies_(issuer),
      renderer_(issuer, true) {}

void AccountPages::AddRoutes(http::Router& router) {
  router.Add("GET", kConnectedAppsPath, [this](http::Request& r) { return ConnectedApps(r); });
  router.Add("POST", kRevokeConnectedAppPath,
             [this](http::Request& r) { return RevokeConnectedApp(r); });
}

http::Response AccountPages::ConnectedApps(const http::Request& request) {
  const std::optional<accounts::ActiveSession> session = CurrentSession(request);
  if (!session) {
    return renderer_.MessagePage(
        401, "Sign in to see your connected apps",
        "Sign in to an app that uses this account, then come back to this page.");
  }
  std::string csrf;
  bool issued = false;
  if (const std::optional<std::string_view> cookie = http::Cookie(request, cookies_.csrf_name());
      cookie && IsCsrfTokenShape(*cookie)) {
    csrf = std::string(*cookie);
  } else {
    csrf = crypto::RandomToken(random_);
    issued = true;
  }

  mustache::data apps{mustache::data::type::list};
  for (const store::ConnectedApp& app :
       store::TokenLifecycleRepository(db_).ListConnectedApps(session->user.user_id)) {
    mustache::data item;
    item.set("client_id", app.client_id);
    item.set("client_name", app.client_name.empty() ? app.client_id : app.client_name);
    if (!app.client_description.empty()) item.set("client_description", app.client_description);
    item.set("scopes_granted", app.scopes_granted);
    apps.push_back(item);
  }
  mustache::data data;
  data.set("apps", apps);
  data.set("csrf", csrf);
  data.set("account",
           session->user.email.empty() ? session->user.DisplayName() : session->user.email);
  const core::Result<http::FormParams> query = http::ParseForm(request.query);
  data.set("revoked", query && query->Get("revoked") == std::optional<std::string_view>("1"));
  http::Response response =
      renderer_.Page(200, "account_connected_apps", "Connected apps", std::move(data));
  if (issued) {
    response.headers.emplace_back("Set-Cookie",
                                  cookies_.Set(cookies_.csrf_name(), csrf, std::nullopt));
  }
  return response;
}

http::Response AccountPages::RevokeConnectedApp(const http::Request& request) {
  const auto refusal = [this] {
    return renderer_.MessagePage(
        403, "We could not verify this request",
        "For your security, nothing was changed. Open your connected apps and try "
        "again.");
  };
  if (!http::IsFormContentType(request.Header("content-type").value_or(""))) return refusal();
  const core::Result<http::FormParams> form = http::ParseForm(request.body);
  if (!form) return refusal();
  const std::optional<std::string_view> cookie = http::Cookie(request, cookies_.csrf_name());
  const std::optional<std::string_view> token = form->Get("csrf");
  if (!cookie || !token || !IsCsrfTokenShape(*cookie) ||
      !crypto::ConstantTimeEquals(*cookie, *token)) {
    return refusal();
  }
  const std::optional<accounts::ActiveSession> session = CurrentSession(request);
  if (!session) return refusal();
  const std::optional<std::string_view> client_id = form->Get("client_id");
  if (!client_id || client_id->empty()) {
    return renderer_.MessagePage(400, "Choose an app",
                                 "Open your connected apps and choose one to revoke.");
  }
  store::TokenLifecycleRepository(db_).RevokeConnectedApp(session->user.user_id, *client_id,
                                                          clock_.NowSeconds());
  http::Response response =
      http::Response::Redirect(303, std::string(kConnectedAppsPath) + "?revoked=1");
  AddPageSecurityHeaders(response, true);
  return response;
}

std::optional<accounts::ActiveSession> AccountPages::CurrentSession(const http::Request& request) {
  const std::optional<std::string_view> token = http::Cookie(request, cookies_.session_name());
  if (!token || token->empty()) return std::nullopt;
  core::Result<accounts::ActiveSession> session = sessions_.Authenticate(*token);
  if (!session) return std::nullopt;
  return std::move(session).value();
}

}  // namespace gatehouse::ui
