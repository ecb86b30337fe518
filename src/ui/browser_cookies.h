#pragma once
// BrowserCookies: the names and attributes of the cookies the hosted pages set.
//
// With an https issuer every cookie is `__Host-<name>; Path=/; Secure; HttpOnly; SameSite=Lax`:
// the __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and
// Path=/, so a sibling subdomain or a plain-http response cannot plant or overwrite it.
// With a plain-http issuer (local development and the test suites on http://127.0.0.1:PORT)
// browsers refuse both Secure and __Host- cookies, so the same names are used without the prefix
// and without Secure; everything else is unchanged. The live environment requires an https issuer
// (config.cc), so this relaxation never reaches production.
//
// Immutable after construction; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::ui {

class BrowserCookies {
 public:
  // Decides by the issuer's scheme (see above).
  explicit BrowserCookies(std::string_view issuer);

  bool secure() const { return secure_; }
  // The signed-in session (the UserSessions session token).
  const std::string& session_name() const { return session_name_; }
  // The anti-CSRF token every hosted form echoes (double submit) and every pending authorization
  // is sealed to.
  const std::string& csrf_name() const { return csrf_name_; }

  // A Set-Cookie value; without `max_age_seconds` the cookie ends with the browser session.
  std::string Set(std::string_view name, std::string_view value,
                  std::optional<int64_t> max_age_seconds) const;
  // A Set-Cookie value that deletes the cookie.
  std::string Clear(std::string_view name) const;

 private:
  bool secure_;
  std::string session_name_;
  std::string csrf_name_;
};

}  // namespace gatehouse::ui
