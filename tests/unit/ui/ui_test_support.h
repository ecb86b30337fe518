#pragma once
// Fakes and request helpers for the hosted pages' tests: an in-memory ClientDirectory and
// UserSessions, hand-made http::Requests, a cookie jar that follows Set-Cookie, and a reader for
// hidden form fields. Not thread-safe; one per test.

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounts/client_directory.h"
#include "accounts/user_sessions.h"
#include "core/clock.h"
#include "http/message.h"

namespace gatehouse::testing {

class PageFakeClientDirectory final : public accounts::ClientDirectory {
 public:
  void Put(core::Client client) {
    const std::string id = client.client_id;
    clients_[id] = std::make_shared<const core::Client>(std::move(client));
  }
  core::Result<std::shared_ptr<const core::Client>> Find(std::string_view client_id) override {
    const auto it = clients_.find(std::string(client_id));
    if (it == clients_.end() || it->second->status != core::ClientStatus::kActive) {
      return core::Error(core::ErrorCode::kInvalidClient, "unknown client");
    }
    return it->second;
  }
  bool VerifySecret(const core::Client&, std::string_view) const override { return false; }
  void Invalidate() override {}

 private:
  std::map<std::string, std::shared_ptr<const core::Client>> clients_;
};

class PageFakeUserSessions final : public accounts::UserSessions {
 public:
  explicit PageFakeUserSessions(const core::Clock& clock) : clock_(clock) {}

  void AddUser(core::User user, std::string password) {
    passwords_[user.email] = {user.user_id, std::move(password)};
    users_[user.user_id] = std::move(user);
  }

  core::Result<accounts::IssuedSession> AuthenticatePassword(std::string_view email,
                                                             std::string_view password,
                                                             int64_t duration_seconds) override {
    ++password_attempts;
    const auto it = passwords_.find(std::string(email));
    if (it == passwords_.end() || it->second.second != password) {
      return core::Error(core::ErrorCode::kUnauthorized, "invalid email or password");
    }
    return CreateSession(it->second.first, "password", duration_seconds);
  }
  core::Result<accounts::IssuedSession> CreateSession(std::string_view user_id,
                                                      std::string_view method,
                                                      int64_t duration_seconds) override {
    const int64_t now = clock_.NowSeconds();
    const std::string n = std::to_string(++issued_);
    accounts::IssuedSession issued{
        .session = core::Session{.session_id = "session-" + n,
                                 .user_id = std::string(user_id),
                                 .authenticated_at = now,
                                 .expires_at = now + duration_seconds,
                                 .authentication_method = std::string(method)},
        .user = users_.at(std::string(user_id)),
        .session_token = "token-" + n,
        .session_jwt = ""};
    sessions_[issued.session_token] = issued.session;
    return issued;
  }
  core::Result<accounts::ActiveSession> Authenticate(std::string_view token) override {
    const auto it = sessions_.find(std::string(token));
    if (it == sessions_.end()) return core::Error(core::ErrorCode::kUnauthorized, "no session");
    return accounts::ActiveSession{.session = it->second, .user = users_.at(it->second.user_id)};
  }
  void Revoke(std::string_view token) override { sessions_.erase(std::string(token)); }
  std::optional<core::User> FindUser(std::string_view user_id) override {
    const auto it = users_.find(std::string(user_id));
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }

  bool IsActive(std::string_view token) const { return sessions_.contains(std::string(token)); }
  size_t active_sessions() const { return sessions_.size(); }
  int password_attempts = 0;

 private:
  const core::Clock& clock_;
  std::map<std::string, std::pair<std::string, std::string>> passwords_;  // email -> (id, pw)
  std::map<std::string, core::User> users_;
  std::map<std::string, core::Session> sessions_;
  int issued_ = 0;
};

// Cookies as a browser keeps them: Set-Cookie name=value (Max-Age=0 deletes).
class CookieJar {
 public:
  void Absorb(const http::Response& response) {
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") continue;
      const size_t eq = value.find('=');
      const size_t semi = value.find(';');
      const std::string cookie = value.substr(0, eq);
      const std::string content = value.substr(eq + 1, semi - eq - 1);
      if (value.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(cookie);
      } else {
        cookies_[cookie] = content;
      }
    }
  }
  std::string Header() const {
    std::string header;
    for (const auto& [name, value] : cookies_) {
      if (!header.empty()) header += "; ";
      header += name + "=" + value;
    }
    return header;
  }
  std::optional<std::string> Get(const std::string& name) const {
    const auto it = cookies_.find(name);
    if (it == cookies_.end()) return std::nullopt;
    return it->second;
  }
  void Set(const std::string& name, const std::string& value) { cookies_[name] = value; }
  void Erase(const std::string& name) { cookies_.erase(name); }

 private:
  std::map<std::string, std::string> cookies_;
};

inline http::Request MakeRequest(std::string method, std::string target, std::string cookies = "",
                                 std::string body = "") {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  const size_t q = r.target.find('?');
  r.path = r.target.substr(0, q);
  r.query = q == std::string::npos ? "" : r.target.substr(q + 1);
  if (!cookies.empty()) r.headers.emplace_back("cookie", std::move(cookies));
  if (r.method == "POST") {
    r.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  }
  r.body = std::move(body);
  r.remote_address = "127.0.0.1";
  r.request_id = "req-test";
  return r;
}

// The value of the hidden input `name` in `html`; empty when absent.
inline std::string HiddenField(const std::string& html, const std::string& name) {
  const std::regex pattern("name=\"" + name + "\" value=\"([^\"]*)\"");
  std::smatch match;
  if (!std::regex_search(html, match, pattern)) return "";
  return match[1];
}

inline std::vector<std::string> SetCookies(const http::Response& response) {
  std::vector<std::string> out;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") out.push_back(value);
  }
  return out;
}

}  // namespace gatehouse::testing
