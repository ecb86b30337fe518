#include "ui/browser_cookies.h"

namespace gatehouse::ui {
namespace {

std::string NameFor(bool secure, std::string_view base) {
  return (secure ? "__Host-" : "") + std::string(base);
}

}  // namespace

BrowserCookies::BrowserCookies(std::string_view issuer)
    : secure_(!issuer.starts_with("http://")),
      session_name_(NameFor(secure_, "gatehouse_session")),
      csrf_name_(NameFor(secure_, "gatehouse_csrf")) {}

std::string BrowserCookies::Set(std::string_view name, std::string_view value,
                                std::optional<int64_t> max_age_seconds) const {
  std::string cookie = std::string(name) + "=" + std::string(value) + "; Path=/";
  if (max_age_seconds) cookie += "; Max-Age=" + std::to_string(*max_age_seconds);
  cookie += "; HttpOnly";
  if (secure_) cookie += "; Secure";
  cookie += "; SameSite=Lax";
  return cookie;
}

std::string BrowserCookies::Clear(std::string_view name) const { return Set(name, "", 0); }

}  // namespace gatehouse::ui
