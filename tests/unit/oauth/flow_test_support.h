#pragma once
// A complete authorization code flow without sockets, for the oauth unit suites: a real migrated
// SQLite database in a temporary directory, real SigningKeys (ES256, fast to generate), fakes for
// the two seams other engineers own (ClientDirectory, UserSessions), a FakeClock and FakeRandom,
// and the services under test wired as the application wires them.
//
// Header-only; one FlowTest per test (not thread-safe across tests).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accounts/client_directory.h"
#include "accounts/signing_keys.h"
#include "accounts/user_sessions.h"
#include "core/client.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwt.h"
#include "http/form.h"
#include "oauth/authorization_code_grant.h"
#include "oauth/authorization_service.h"
#include "oauth/refresh_token_grant.h"
#include "oauth/token_endpoint.h"
#include "oauth/token_issuer.h"
#include "oauth/userinfo_endpoint.h"
#include "store/grant_store_fixtures.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::testing {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// A form POST to `path`; `basic` sends client_id:secret in the Authorization header.
inline http::Request FormPost(std::string path, const FormFields& form,
                              std::optional<std::pair<std::string, std::string>> basic = {}) {
  http::Request request;
  request.method = "POST";
  request.path = request.target = std::move(path);
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  if (basic) {
    request.headers.emplace_back(
        "authorization", "Basic " + crypto::Base64Encode(http::UrlEncode(basic->first) + ":" +
                                                         http::UrlEncode(basic->second)));
  }
  std::string body;
  for (const auto& [name, value] : form) {
    if (!body.empty()) body += '&';
    body += http::UrlEncode(name) + "=" + http::UrlEncode(value);
  }
  request.body = std::move(body);
  return request;
}

inline constexpr std::string_view kIssuer = "https://issuer.example.com";
inline constexpr std::string_view kSecret = "correct-horse-battery-staple-secret";
inline constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

class FakeClientDirectory final : public accounts::ClientDirectory {
 public:
  void Add(core::Client client, std::string secret) {
    secrets_[client.client_id] = std::move(secret);
    auto id = client.client_id;
    clients_[id] = std::make_shared<const core::Client>(std::move(client));
  }
  core::Result<std::shared_ptr<const core::Client>> Find(std::string_view client_id) override {
    auto it = clients_.find(std::string(client_id));
    if (it == clients_.end() || it->second->status != core::ClientStatus::kActive) {
      return core::Error(core::ErrorCode::kInvalidClient, "unknown client");
    }
    return it->second;
  }
  bool VerifySecret(const core::Client& client, std::string_view secret) const override {
    if (core::IsPublic(client.client_type)) return false;
    auto it = secrets_.find(client.client_id);
    return it != secrets_.end() && crypto::ConstantTimeEquals(it->second, secret);
  }
  void Invalidate() override {}

 private:
  std::map<std::string, std::shared_ptr<const core::Client>> clients_;
  std::map<std::string, std::string> secrets_;
};

class FakeUserSessions final : public accounts::UserSessions {
 public:
  explicit FakeUserSessions(const core::Clock& clock) : clock_(clock) {}
  void Add(core::User user) { users_[user.user_id] = std::move(user); }
  core::Result<accounts::IssuedSession> AuthenticatePassword(std::string_view, std::string_view,
                                                             int64_t) override {
    return core::Error(core::ErrorCode::kUnauthorized, "invalid email or password");
  }
  core::Result<accounts::IssuedSession> CreateSession(std::string_view user_id,
                                                      std::string_view method,
                                                      int64_t duration) override {
    auto user = FindUser(user_id);
    if (!user) return core::Error(core::ErrorCode::kNotFound, "user not found");
    const int64_t now = clock_.NowSeconds();
    accounts::IssuedSession issued{
        .session = core::Session{.session_id = "session-" + std::to_string(sessions_.size()),
                                 .user_id = user->user_id,
                                 .authenticated_at = now,
                                 .expires_at = now + duration,
                                 .authentication_method = std::string(method)},
        .user = *user,
        .session_token = "token-" + std::to_string(sessions_.size()),
        .session_jwt = ""};
    sessions_[issued.session_token] = accounts::ActiveSession{issued.session, issued.user};
    return issued;
  }
  core::Result<accounts::ActiveSession> Authenticate(std::string_view token) override {
    auto it = sessions_.find(std::string(token));
    if (it == sessions_.end()) return core::Error(core::ErrorCode::kUnauthorized, "bad session");
    return it->second;
  }
  void Revoke(std::string_view token) override { sessions_.erase(std::string(token)); }
  std::optional<core::User> FindUser(std::string_view user_id) override {
    auto it = users_.find(std::string(user_id));
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }

 private:
  const core::Clock& clock_;
  std::map<std::string, core::User> users_;
  std::map<std::string, accounts::ActiveSession> sessions_;
};

inline std::string S256Challenge(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(verifier));
}

inline oauth::ProtocolSettings TestSettings() {
  oauth::ProtocolSettings s;
  s.issuer = std::string(kIssuer);
  s.authorization_code_ttl_seconds = 60;
  s.refresh_grace_seconds = 10;
  return s;
}

inline boost::json::object JsonBody(const http::Response& response) {
  return boost::json::parse(response.body).as_object();
}

inline std::string Str(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The value of query parameter `name` in a redirect URI; empty when absent.
inline std::string QueryParam(const std::string& uri, std::string_view name) {
  const size_t q = uri.find('?');
  if (q == std::string::npos) return "";
  auto form = http::ParseForm(std::string_view(uri).substr(q + 1));
  if (!form) return "";
  auto v = form->Get(name);
  return v ? std::string(*v) : "";
}

// Optional sources a test may give the authorization service and the token issuer (both must
// outlive the fixture's objects; a derived fixture's members do).
struct FlowSources {
  const accounts::OrganizationAppPolicy* organizations = nullptr;
  const accounts::DynamicClientTemplates* dynamic_client_templates = nullptr;
};

class FlowTest : public ::testing::Test {
 protected:
  explicit FlowTest(FlowSources sources = {})
      : test_db_(OpenFreshTestDatabase(store::Engine::kSqlite)),
        settings_(TestSettings()),
        users_(clock_),
        keys_(db(), clock_, random_, std::string(32, 'k'),
              accounts::SigningKeyPolicy{.algorithm = crypto::Algorithm::kEs256}),
        service_(settings_, clients_, db(), clock_, random_, nullptr, sources.organizations),
        issuer_(settings_, keys_, clock_, random_, sources.organizations,
                sources.dynamic_client_templates),
        token_endpoint_(MakeTokenEndpoint()),
        userinfo_(settings_, keys_, users_, db(), clock_) {
    keys_.EnsureKeys();
    AddUser("user-1");
  }

  store::Database& db() { return test_db_->db(); }

  // The token endpoint with the connected apps' grants, as the application wires it (without
  // abuse limits); `scope_policy` is the refresh grant's.
  std::unique_ptr<oauth::TokenEndpoint> MakeTokenEndpoint(
      const accounts::ScopePolicy* scope_policy = nullptr) {
    std::vector<std::unique_ptr<oauth::TokenGrant>> grants;
    grants.push_back(std::make_unique<oauth::AuthorizationCodeGrant>(
        settings_, clients_, users_, db(), issuer_, clock_, random_));
    grants.push_back(std::make_unique<oauth::RefreshTokenGrant>(
        settings_, clients_, users_, db(), issuer_, clock_, random_, scope_policy));
    return std::make_unique<oauth::TokenEndpoint>(std::move(grants));
  }

  void AddUser(const std::string& user_id, std::string status = "active") {
    InsertTestUser(db(), user_id, user_id + "@example.com", status);
    users_.Add(core::User{.user_id = user_id,
                          .email = user_id + "@example.com",
                          .email_verified = true,
                          .first_name = "Ada",
                          .last_name = "Lovelace",
                          .phone_number = "+15555550100",
                          .status = status,
                          .updated_at = 1234});
  }

  void AddClient(const std::string& client_id, core::ClientType type,
                 std::vector<std::string> redirect_uris = {"https://app.example.com/cb"}) {
    InsertTestClient(db(), client_id, core::ClientTypeName(type));
    clients_.Add(core::Client{.client_id = client_id,
                              .client_type = type,
                              .client_name = "App " + client_id,
                              .redirect_uris = std::move(redirect_uris)},
                 core::IsPublic(type) ? "" : std::string(kSecret));
  }

  core::User User(const std::string& user_id = "user-1") { return *users_.FindUser(user_id); }

  // Standard request parameters for `client_id`; PKCE S256 included.
  core::AuthorizationParams Params(const std::string& client_id,
                                   const std::string& scope = "openid offline_access email") {
    return {{"client_id", client_id},
            {"redirect_uri", "https://app.example.com/cb"},
            {"response_type", "code"},
            {"scope", scope},
            {"state", "st-1"},
            {"nonce", "n-1"},
            {"code_challenge", S256Challenge(kVerifier)},
            {"code_challenge_method", "S256"}};
  }

  // Runs validation and completion with consent granted; returns the response.
  oauth::AuthorizationResponse Authorize(const core::AuthorizationParams& params,
                                         const std::string& user_id = "user-1",
                                         bool consent_granted = true) {
    auto validation = service_.Validate(params);
    EXPECT_TRUE(validation) << (validation ? "" : validation.error().error.description());
    return service_.Complete(
        *validation,
        oauth::AuthenticatedUser{.user = User(user_id), .auth_time = clock_.NowSeconds() - 5},
        consent_granted);
  }

  std::string AuthorizeCode(const std::string& client_id,
                            const std::string& scope = "openid offline_access email") {
    auto response = Authorize(Params(client_id, scope));
    EXPECT_TRUE(response.code);
    return response.code.value_or("");
  }

  // POST /v1/oauth2/token with `form`; `basic` sends client_id:secret in the header.
  http::Response Token(const std::vector<std::pair<std::string, std::string>>& form,
                       std::optional<std::pair<std::string, std::string>> basic = std::nullopt) {
    http::Request request = FormPost("/v1/oauth2/token", form, std::move(basic));
    return token_endpoint_->Handle(request);
  }

  // Exchanges `code` as `client_id` (client_secret_post for confidential clients).
  http::Response Exchange(const std::string& client_id, const std::string& code,
                          std::string_view verifier = kVerifier) {
    std::vector<std::pair<std::string, std::string>> form{
        {"grant_type", "authorization_code"},
        {"code", code},
        {"redirect_uri", "https://app.example.com/cb"},
        {"client_id", client_id}};
    if (!verifier.empty()) form.emplace_back("code_verifier", std::string(verifier));
    auto client = clients_.Find(client_id);
    if (client && !core::IsPublic((*client)->client_type)) {
      form.emplace_back("client_secret", std::string(kSecret));
    }
    return Token(form);
  }

  http::Response Refresh(const std::string& client_id, const std::string& refresh_token,
                         std::optional<std::string> scope = std::nullopt) {
    std::vector<std::pair<std::string, std::string>> form{{"grant_type", "refresh_token"},
                                                          {"refresh_token", refresh_token},
                                                          {"client_id", client_id}};
    if (scope) form.emplace_back("scope", *scope);
    auto client = clients_.Find(client_id);
    if (client && !core::IsPublic((*client)->client_type)) {
      form.emplace_back("client_secret", std::string(kSecret));
    }
    return Token(form);
  }

  http::Response Userinfo(const std::string& access_token) {
    http::Request request;
    request.method = "GET";
    request.path = request.target = "/v1/oauth2/userinfo";
    request.headers.emplace_back("authorization", "Bearer " + access_token);
    return userinfo_.Handle(request);
  }

  // Verifies a token we issued and returns it decoded (typ checked when given).
  crypto::DecodedJwt Decode(const std::string& token, std::optional<std::string> typ) {
    crypto::JwtVerifyOptions options;
    options.issuer = std::string(kIssuer);
    options.typ = std::move(typ);
    crypto::JwtVerifier verifier(clock_, options);
    auto decoded = verifier.Verify(token, *keys_.Snapshot());
    EXPECT_TRUE(decoded) << (decoded ? "" : decoded.error().description());
    return decoded ? *decoded : crypto::DecodedJwt{};
  }

  std::unique_ptr<TestDatabase> test_db_;
  FakeClock clock_;
  FakeRandom random_;
  const oauth::ProtocolSettings settings_;
  FakeClientDirectory clients_;
  FakeUserSessions users_;
  accounts::SigningKeys keys_;
  oauth::AuthorizationService service_;
  oauth::TokenIssuer issuer_;
  std::unique_ptr<oauth::TokenEndpoint> token_endpoint_;
  oauth::UserinfoEndpoint userinfo_;
};

}  // namespace gatehouse::testing
