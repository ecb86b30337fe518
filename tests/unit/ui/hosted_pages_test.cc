// HostedPages over a real AuthorizationService (temporary SQLite database), with fake clients and
// user sessions, driven by hand-made requests the way a browser would send them.
#include "ui/hosted_pages.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "crypto/jwt.h"
#include "crypto/keyring.h"
#include "crypto/signing_key.h"
#include "http/form.h"
#include "store/client_repository.h"
#include "store/store_test_support.h"
#include "store/user_repository.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"
#include "ui_test_support.h"

namespace gatehouse::ui {
namespace {

using testing::CookieJar;
using testing::HiddenField;
using testing::MakeRequest;
using testing::SetCookies;

constexpr std::string_view kIssuer = "https://auth.example.com";

core::Client WebClient() {
  return core::Client{.client_id = "connected-app-test-web",
                      .client_type = core::ClientType::kThirdParty,
                      .client_name = "Acme Planner",
                      .redirect_uris = {"https://planner.example.org/callback"},
                      .post_logout_redirect_uris = {"https://planner.example.org/bye"},
                      .logo_url = "https://planner.example.org/logo.png"};
}

core::Client LoopbackClient() {
  return core::Client{.client_id = "connected-app-test-cli",
                      .client_type = core::ClientType::kThirdPartyPublic,
                      .client_name = "Acme CLI",
                      .redirect_uris = {"http://127.0.0.1/callback", "http://[::1]/callback"},
                      .application_type = core::ApplicationType::kNative};
}

core::Client CimdClient() {
  return core::Client{.client_id = "https://tools.example.net/agent/client.json",
                      .client_type = core::ClientType::kThirdPartyPublic,
                      .creation_method = core::CreationMethod::kClientIdMetadataDocument,
                      .client_name = "Agent <b>Tool</b>",
                      .redirect_uris = {"https://tools.example.net/agent/callback"},
                      .client_id_metadata_url = "https://tools.example.net/agent/client.json"};
}

// Registered by itself (RFC 7591): its redirect URI and logo are whatever it chose.
core::Client SelfRegisteredClient() {
  return core::Client{.client_id = "connected-app-test-dcr",
                      .client_type = core::ClientType::kThirdPartyPublic,
                      .creation_method = core::CreationMethod::kDynamicRegistration,
                      .client_name = "Helpful Agent",
                      .redirect_uris = {"https://evil.example/cb"},
                      .logo_url = "https://tracker.evil.example/logo.png"};
}

// The issuer's signing key, for ID tokens given back as id_token_hint.
const crypto::SigningKey& IssuerKey() {
  static const crypto::SigningKey key = crypto::SigningKey::Generate(crypto::Algorithm::kEs256);
  return key;
}

// A valid S256 challenge (RFC 7636 appendix B).
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

class HostedPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
    settings_.issuer = std::string(kIssuer);
    for (const core::Client& c :
         {WebClient(), LoopbackClient(), CimdClient(), SelfRegisteredClient()}) {
      clients_.Put(c);
      store::ClientRepository(test_db_->db()).Insert(c);
    }
    user_ = core::User{.user_id = "user-test-1", .email = "ada@example.com", .first_name = "Ada"};
    store::UserRepository(test_db_->db())
        .Insert(store::UserRecord{.user = user_, .password_hash = std::nullopt});
    sessions_.AddUser(user_, "correct horse");
    service_ = std::make_unique<oauth::AuthorizationService>(settings_, clients_, test_db_->db(),
                                                             clock_, random_);
    keyring_ =
        crypto::Keyring::Create({{IssuerKey(), crypto::KeyState::kCurrent, 0}}, clock_.NowSeconds())
            .value();
    pages_ = std::make_unique<HostedPages>(*service_, clients_, sessions_, std::string(32, 'k'),
                                           clock_, random_, Keys());
  }

  oauth::IdTokenHintVerifier::KeyringSource Keys() {
    return [this] { return keyring_; };
  }

  // An ID token as the token endpoint issues it, signed by `key`.
  std::string IdToken(const crypto::SigningKey& key = IssuerKey(),
                      std::string_view client_id = "connected-app-test-web",
                      std::string_view subject = "user-test-1") const {
    const int64_t now = clock_.NowSeconds();
    return crypto::SignJwt(key, "JWT",
                           boost::json::object{{"iss", kIssuer},
                                               {"sub", subject},
                                               {"aud", client_id},
                                               {"azp", client_id},
                                               {"iat", now},
                                               {"exp", now + 3600}});
  }

  static std::string DcrQuery(std::string extra = "") {
    return "response_type=code&client_id=connected-app-test-dcr&redirect_uri=" +
           http::UrlEncode("https://evil.example/cb") +
           "&scope=openid&state=xyz&code_challenge=" + std::string(kChallenge) +
           "&code_challenge_method=S256" + extra;
  }

  static std::string WebQuery(std::string extra = "") {
    return "response_type=code&client_id=connected-app-test-web&redirect_uri=" +
           http::UrlEncode("https://planner.example.org/callback") +
           "&scope=openid%20profile&state=xyz" + extra;
  }

  http::Response Get(const std::string& target) {
    http::Request r = MakeRequest("GET", target, jar_.Header());
    http::Response response = Dispatch(r);
    jar_.Absorb(response);
    return response;
  }
  http::Response Post(const std::string& path, const std::string& body) {
    http::Request r = MakeRequest("POST", path, jar_.Header(), body);
    http::Response response = Dispatch(r);
    jar_.Absorb(response);
    return response;
  }
  http::Response Dispatch(http::Request& r) {
    if (r.path == kAuthorizePath) return pages_->Authorize(r);
    if (r.path == kResumePath) return pages_->Resume(r);
    if (r.path == kLoginPath) return pages_->Login(r);
    if (r.path == kConsentPath) return pages_->Consent(r);
    if (r.path == kLogoutPath)
      return r.method == "POST" ? pages_->ConfirmLogout(r) : pages_->Logout(r);
    return pages_->Stylesheet(r);
  }

  // Signs in through the login page; returns the response to the login POST.
  http::Response SignIn(const std::string& query, const std::string& password = "correct horse") {
    const http::Response login = Get("/oauth2/authorize?" + query);
    EXPECT_EQ(login.status, 200);
    return Post("/oauth2/login",
                "csrf=" + HiddenField(login.body, "csrf") +
                    "&pending=" + HiddenField(login.body, "pending") +
                    "&email=ada%40example.com&password=" + http::UrlEncode(password));
  }

  // Signs in and follows the redirect to the page after login.
  http::Response SignInAndResume(const std::string& query) {
    const http::Response login = SignIn(query);
    EXPECT_EQ(login.status, 303);
    return Get(std::string(login.Header("Location").value_or("")));
  }

  static std::string ConsentBody(const http::Response& consent, std::string_view decision) {
    return "csrf=" + HiddenField(consent.body, "csrf") +
           "&pending=" + HiddenField(consent.body, "pending") +
           "&decision=" + std::string(decision);
  }

  static void ExpectPageHeaders(const http::Response& r) {
    EXPECT_EQ(r.Header("X-Frame-Options").value_or(""), "DENY");
    EXPECT_NE(r.Header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(r.Header("Content-Security-Policy").value_or("").find("unsafe-inline"),
              std::string::npos);
    EXPECT_EQ(r.Header("Cache-Control").value_or(""), "no-store");
    EXPECT_EQ(r.Header("Referrer-Policy").value_or(""), "no-referrer");
    EXPECT_FALSE(r.Header("Access-Control-Allow-Origin").has_value());
  }

  testing::FakeClock clock_;
  testing::FakeRandom random_;
  oauth::ProtocolSettings settings_;
  std::unique_ptr<testing::TestDatabase> test_db_;
  testing::PageFakeClientDirectory clients_;
  testing::PageFakeUserSessions sessions_{clock_};
  core::User user_;
  std::unique_ptr<oauth::AuthorizationService> service_;
  std::shared_ptr<const crypto::Keyring> keyring_;
  std::unique_ptr<HostedPages> pages_;
  CookieJar jar_;
};

TEST_F(HostedPagesTest, UnknownClientGetsAnErrorPageNotARedirect) {
  const http::Response r = Get(
      "/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=https%3A%2F%2Fevil.example"
      "%2Fcb&state=xyz");
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.Header("Location").has_value());
  EXPECT_NE(r.body.find("invalid_client"), std::string::npos);
  EXPECT_EQ(r.body.find("evil.example"), std::string::npos);
  ExpectPageHeaders(r);
}

TEST_F(HostedPagesTest, UnregisteredRedirectUriGetsAnErrorPageNotARedirect) {
  const http::Response r =
      Get("/oauth2/authorize?response_type=code&client_id=connected-app-test-web&scope=openid"
          "&redirect_uri=https%3A%2F%2Fevil.example%2Fcallback&state=xyz");
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.Header("Location").has_value());
  EXPECT_EQ(r.body.find("evil.example"), std::string::npos);
  ExpectPageHeaders(r);
}

TEST_F(HostedPagesTest, RedirectableErrorGoesBackWithStateAndIss) {
  const http::Response r =
      Get("/oauth2/authorize?response_type=token&client_id=connected-app-test-web&state=xyz"
          "&redirect_uri=https%3A%2F%2Fplanner.example.org%2Fcallback");
  EXPECT_EQ(r.status, 302);
  const std::string location(r.Header("Location").value_or(""));
  EXPECT_TRUE(
      location.starts_with("https://planner.example.org/callback?error="
                           "unsupported_response_type"))
      << location;
  EXPECT_NE(location.find("state=xyz"), std::string::npos);
  EXPECT_NE(location.find("iss=https%3A%2F%2Fauth.example.com"), std::string::npos);
  ExpectPageHeaders(r);
}

TEST_F(HostedPagesTest, LoginPageHasCsrfCookieWithHostPrefixAndSecureAttributes) {
  const http::Response r = Get("/oauth2/authorize?" + WebQuery());
  ASSERT_EQ(r.status, 200);
  ExpectPageHeaders(r);
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("Acme Planner"), std::string::npos);
  EXPECT_NE(r.body.find("type=\"password\""), std::string::npos);
  const std::vector<std::string> cookies = SetCookies(r);
  ASSERT_EQ(cookies.size(), 1u);
  const std::string& c = cookies[0];
  EXPECT_TRUE(c.starts_with("__Host-gatehouse_csrf=")) << c;
  EXPECT_NE(c.find("; Path=/"), std::string::npos);
  EXPECT_NE(c.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("; Secure"), std::string::npos);
  EXPECT_NE(c.find("; SameSite=Lax"), std::string::npos);
  EXPECT_EQ(c.find("Domain"), std::string::npos);
  EXPECT_EQ(HiddenField(r.body, "csrf"), jar_.Get("__Host-gatehouse_csrf").value_or("-"));
  EXPECT_FALSE(HiddenField(r.body, "pending").empty());
}

TEST_F(HostedPagesTest, PlainHttpIssuerDropsTheHostPrefixAndSecure) {
  settings_.issuer = "http://127.0.0.1:8080";
  HostedPages pages(*service_, clients_, sessions_, std::string(32, 'k'), clock_, random_, Keys());
  http::Request request = MakeRequest("GET", "/oauth2/authorize?" + WebQuery());
  const http::Response r = pages.Authorize(request);
  const std::vector<std::string> cookies = SetCookies(r);
  ASSERT_EQ(cookies.size(), 1u);
  EXPECT_TRUE(cookies[0].starts_with("gatehouse_csrf=")) << cookies[0];
  EXPECT_EQ(cookies[0].find("Secure"), std::string::npos);
  EXPECT_NE(cookies[0].find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookies[0].find("SameSite=Lax"), std::string::npos);
}

TEST_F(HostedPagesTest, SignInThenConsentThenCodeWithStateAndIss) {
  const http::Response login = SignIn(WebQuery());
  ASSERT_EQ(login.status, 303);
  ExpectPageHeaders(login);
  EXPECT_TRUE(std::string(login.Header("Location").value_or("")).starts_with(kResumePath));
  bool session_cookie = false;
  for (const std::string& c : SetCookies(login)) {
    if (!c.starts_with("__Host-gatehouse_session=token-")) continue;
    session_cookie = true;
    EXPECT_NE(c.find("; Path=/"), std::string::npos);
    EXPECT_NE(c.find("; HttpOnly"), std::string::npos);
    EXPECT_NE(c.find("; Secure"), std::string::npos);
    EXPECT_NE(c.find("; SameSite=Lax"), std::string::npos);
    EXPECT_NE(c.find("; Max-Age=604800"), std::string::npos);
  }
  EXPECT_TRUE(session_cookie);

  const http::Response consent = Get(std::string(login.Header("Location").value_or("")));
  ASSERT_EQ(consent.status, 200) << consent.body;
  ExpectPageHeaders(consent);
  EXPECT_NE(consent.body.find("Acme Planner"), std::string::npos);
  EXPECT_NE(consent.body.find("planner.example.org"), std::string::npos);
  EXPECT_NE(consent.body.find("ada@example.com"), std::string::npos);

  const http::Response done = Post("/oauth2/consent", ConsentBody(consent, "allow"));
  ASSERT_EQ(done.status, 303);
  ExpectPageHeaders(done);
  const std::string location(done.Header("Location").value_or(""));
  EXPECT_TRUE(location.starts_with("https://planner.example.org/callback?code=")) << location;
  EXPECT_NE(location.find("&state=xyz&iss=https%3A%2F%2Fauth.example.com"), std::string::npos);

  // Consent is remembered: the next request with the session goes straight back with a code.
  const http::Response again = Get("/oauth2/authorize?" + WebQuery());
  EXPECT_EQ(again.status, 302);
  EXPECT_NE(std::string(again.Header("Location").value_or("")).find("code="), std::string::npos);
}

TEST_F(HostedPagesTest, FormPostToTheAuthorizationEndpointWorksLikeGet) {
  const http::Response r = Post("/oauth2/authorize", WebQuery());
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("type=\"password\""), std::string::npos);
}

TEST_F(HostedPagesTest, WrongPasswordAndUnknownEmailGetTheSameGenericMessage) {
  const http::Response wrong = SignIn(WebQuery(), "wrong");
  EXPECT_EQ(wrong.status, 401);
  ExpectPageHeaders(wrong);
  EXPECT_NE(wrong.body.find("The email address or password is incorrect."), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"ada@example.com\""), std::string::npos);
  EXPECT_FALSE(HiddenField(wrong.body, "pending").empty());

  const http::Response login = Get("/oauth2/authorize?" + WebQuery());
  const http::Response unknown =
      Post("/oauth2/login", "csrf=" + HiddenField(login.body, "csrf") +
                                "&pending=" + HiddenField(login.body, "pending") +
                                "&email=nobody%40example.com&password=wrong");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(unknown.body.find("The email address or password is incorrect."), std::string::npos);
  EXPECT_EQ(sessions_.active_sessions(), 0u);

  // The re-rendered form still works.
  const http::Response retry =
      Post("/oauth2/login", "csrf=" + HiddenField(wrong.body, "csrf") +
                                "&pending=" + HiddenField(wrong.body, "pending") +
                                "&email=ada%40example.com&password=correct%20horse");
  EXPECT_EQ(retry.status, 303);
}

TEST_F(HostedPagesTest, LoginWithoutOrWithMismatchedCsrfIsRefused) {
  const http::Response login = Get("/oauth2/authorize?" + WebQuery());
  const std::string pending = HiddenField(login.body, "pending");
  const std::string credentials = "&email=ada%40example.com&password=correct%20horse";

  const http::Response missing = Post("/oauth2/login", "pending=" + pending + credentials);
  EXPECT_EQ(missing.status, 403);
  ExpectPageHeaders(missing);

  const http::Response mismatched =
      Post("/oauth2/login",
           "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&pending=" + pending + credentials);
  EXPECT_EQ(mismatched.status, 403);

  // A cross-site form: right field, but the browser has another CSRF cookie.
  jar_.Set("__Host-gatehouse_csrf", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  const http::Response cross_site =
      Post("/oauth2/login",
           "csrf=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB&pending=" + pending + credentials);
  EXPECT_EQ(cross_site.status, 403);
  EXPECT_EQ(sessions_.password_attempts, 0);
  EXPECT_EQ(sessions_.active_sessions(), 0u);
}

TEST_F(HostedPagesTest, ConsentWithoutCsrfIsRefusedAndIssuesNothing) {
  const http::Response consent = SignInAndResume(WebQuery());
  ASSERT_EQ(consent.status, 200);
  const std::string pending = HiddenField(consent.body, "pending");

  const http::Response missing = Post("/oauth2/consent", "pending=" + pending + "&decision=allow");
  EXPECT_EQ(missing.status, 403);
  EXPECT_FALSE(missing.Header("Location").has_value());

  jar_.Erase("__Host-gatehouse_csrf");
  const http::Response no_cookie = Post("/oauth2/consent", ConsentBody(consent, "allow"));
  EXPECT_EQ(no_cookie.status, 403);
  EXPECT_FALSE(no_cookie.Header("Location").has_value());
}

TEST_F(HostedPagesTest, ResumeLinkWorksOnlyInTheBrowserThatSignedIn) {
  const http::Response login = SignIn(WebQuery());
  ASSERT_EQ(login.status, 303);
  const std::string resume(login.Header("Location").value_or(""));
  // Another browser (no cookies) following the same link gets nothing.
  http::Request elsewhere = MakeRequest("GET", resume);
  const http::Response refused = pages_->Resume(elsewhere);
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(refused.Header("Location").has_value());
  EXPECT_EQ(refused.body.find("name=\"decision\""), std::string::npos);
  // An altered value does not open either.
  const http::Response altered = Get(resume.substr(0, resume.size() - 2) + "AA");
  EXPECT_EQ(altered.status, 403);
  EXPECT_EQ(Get(resume).status, 200);
}

TEST_F(HostedPagesTest, DenyRedirectsWithAccessDeniedStateAndIss) {
  const http::Response consent = SignInAndResume(WebQuery());
  const http::Response denied = Post("/oauth2/consent", ConsentBody(consent, "deny"));
  ASSERT_EQ(denied.status, 303);
  const std::string location(denied.Header("Location").value_or(""));
  EXPECT_TRUE(location.starts_with("https://planner.example.org/callback?error=access_denied"))
      << location;
  EXPECT_NE(location.find("state=xyz"), std::string::npos);
  EXPECT_NE(location.find("iss=https%3A%2F%2Fauth.example.com"), std::string::npos);
  EXPECT_EQ(location.find("code="), std::string::npos);
}

TEST_F(HostedPagesTest, PromptNoneWithoutSessionRedirectsLoginRequired) {
  const http::Response r = Get("/oauth2/authorize?" + WebQuery("&prompt=none"));
  ASSERT_EQ(r.status, 302);
  const std::string location(r.Header("Location").value_or(""));
  EXPECT_TRUE(location.starts_with("https://planner.example.org/callback?error=login_required"))
      << location;
  EXPECT_NE(location.find("state=xyz"), std::string::npos);
  EXPECT_NE(location.find("iss="), std::string::npos);
}

TEST_F(HostedPagesTest, PromptNoneWithSessionButNoConsentRedirectsConsentRequired) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const http::Response r = Get("/oauth2/authorize?" + WebQuery("&prompt=none"));
  ASSERT_EQ(r.status, 302);
  const std::string location(r.Header("Location").value_or(""));
  EXPECT_TRUE(location.starts_with("https://planner.example.org/callback?error=consent_required"))
      << location;
  EXPECT_NE(location.find("state=xyz"), std::string::npos);
}

TEST_F(HostedPagesTest, PromptLoginAsksAgainButDoesNotLoopAfterSigningIn) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const http::Response again = Get("/oauth2/authorize?" + WebQuery("&prompt=login"));
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("type=\"password\""), std::string::npos);
  const http::Response consent = SignInAndResume(WebQuery("&prompt=login"));
  EXPECT_EQ(consent.status, 200);
  EXPECT_NE(consent.body.find("name=\"decision\""), std::string::npos);
}

TEST_F(HostedPagesTest, ConsentPageShowsScopesAndRedirectHostWithoutLoopbackWarning) {
  const http::Response consent = SignInAndResume(WebQuery());
  ASSERT_EQ(consent.status, 200);
  EXPECT_NE(consent.body.find("You will be sent to <strong>planner.example.org</strong>"),
            std::string::npos);
  EXPECT_NE(consent.body.find(std::string(core::BuiltInScopeDescription("profile"))),
            std::string::npos);
  EXPECT_NE(consent.body.find(">profile<"), std::string::npos);
  EXPECT_NE(consent.body.find(">openid<"), std::string::npos);
  EXPECT_NE(consent.body.find("src=\"https://planner.example.org/logo.png\""), std::string::npos);
  EXPECT_EQ(consent.body.find("runs on your own device"), std::string::npos);
  EXPECT_EQ(consent.body.find("Published by"), std::string::npos);
}

TEST_F(HostedPagesTest, ConsentPageListsBuiltInScopesInDesignOrderThenCustomOnes) {
  const http::Response consent =
      SignInAndResume("response_type=code&client_id=connected-app-test-web&redirect_uri=" +
                      http::UrlEncode("https://planner.example.org/callback") +
                      "&scope=read%3Aplans%20email%20openid%20offline_access");
  ASSERT_EQ(consent.status, 200) << consent.body;
  const size_t openid = consent.body.find(">openid<");
  const size_t email = consent.body.find(">email<");
  const size_t offline = consent.body.find(">offline_access<");
  const size_t custom = consent.body.find(">read:plans<");
  ASSERT_NE(custom, std::string::npos);
  EXPECT_LT(openid, email);
  EXPECT_LT(email, offline);
  EXPECT_LT(offline, custom);
}

TEST_F(HostedPagesTest, ConsentPageWarnsWhenEveryRedirectUriIsLoopback) {
  const http::Response consent = SignInAndResume(
      "response_type=code&client_id=connected-app-test-cli&redirect_uri=" +
      http::UrlEncode("http://127.0.0.1:53682/callback") + "&scope=profile&state=s1" +
      "&code_challenge=" + std::string(kChallenge) + "&code_challenge_method=S256");
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_NE(consent.body.find("This app runs on your own device."), std::string::npos);
  EXPECT_NE(consent.body.find("Make sure you started it"), std::string::npos) << consent.body;
  EXPECT_NE(consent.body.find("You will be sent to <strong>127.0.0.1</strong>"), std::string::npos);
}

TEST_F(HostedPagesTest, ConsentPageNamesTheCimdPublisherAndEscapesTheClientName) {
  const http::Response consent = SignInAndResume(
      "response_type=code&client_id=" +
      http::UrlEncode("https://tools.example.net/agent/client.json") +
      "&scope=profile&code_challenge=" + std::string(kChallenge) + "&code_challenge_method=S256");
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_NE(consent.body.find("Published by <strong>tools.example.net</strong>"),
            std::string::npos);
  EXPECT_EQ(consent.body.find("<b>Tool</b>"), std::string::npos);
  EXPECT_NE(consent.body.find("Agent &lt;b&gt;Tool&lt;/b&gt;"), std::string::npos);
}

TEST_F(HostedPagesTest, ExpiredConsentPageIsRefused) {
  const http::Response consent = SignInAndResume(WebQuery());
  clock_.Advance(std::chrono::minutes(11));
  const http::Response late = Post("/oauth2/consent", ConsentBody(consent, "allow"));
  EXPECT_EQ(late.status, 400);
  EXPECT_FALSE(late.Header("Location").has_value());
  EXPECT_NE(late.body.find("expired"), std::string::npos);
}

TEST_F(HostedPagesTest, ConsentFromAnotherSessionIsRefused) {
  const http::Response consent = SignInAndResume(WebQuery());
  ASSERT_EQ(SignIn(WebQuery("&prompt=login")).status, 303);  // a new session replaces the first
  const http::Response r = Post("/oauth2/consent", ConsentBody(consent, "allow"));
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(r.Header("Location").has_value());
}

TEST_F(HostedPagesTest, PendingStateIsSharedByEveryProcessWithTheSameKey) {
  const http::Response login = Get("/oauth2/authorize?" + WebQuery());
  // A second process: its own service and pages, the same key, the same database.
  HostedPages other(*service_, clients_, sessions_, std::string(32, 'k'), clock_, random_, Keys());
  http::Request request = MakeRequest("POST", "/oauth2/login", jar_.Header(),
                                      "csrf=" + HiddenField(login.body, "csrf") +
                                          "&pending=" + HiddenField(login.body, "pending") +
                                          "&email=ada%40example.com&password=correct%20horse");
  EXPECT_EQ(other.Login(request).status, 303);

  HostedPages foreign(*service_, clients_, sessions_, std::string(32, 'x'), clock_, random_,
                      Keys());
  http::Request replay = MakeRequest("POST", "/oauth2/login", jar_.Header(),
                                     "csrf=" + HiddenField(login.body, "csrf") +
                                         "&pending=" + HiddenField(login.body, "pending") +
                                         "&email=ada%40example.com&password=correct%20horse");
  EXPECT_EQ(foreign.Login(replay).status, 403);
}

TEST_F(HostedPagesTest, LogoutRevokesTheSessionAndRedirectsToARegisteredUriWithState) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  ASSERT_TRUE(sessions_.IsActive(token));
  // Issue 14: only a valid id_token_hint signs out without asking (client_id alone asks first).
  const http::Response r =
      Get("/oauth2/logout?id_token_hint=" + IdToken() + "&state=bye1&post_logout_redirect_uri=" +
          http::UrlEncode("https://planner.example.org/bye"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location").value_or(""), "https://planner.example.org/bye?state=bye1");
  EXPECT_FALSE(sessions_.IsActive(token));
  EXPECT_FALSE(jar_.Get("__Host-gatehouse_session").has_value());
  ExpectPageHeaders(r);
}

TEST_F(HostedPagesTest, LogoutRefusesAnUnregisteredUriAndKeepsTheSession) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response r =
      Get("/oauth2/logout?client_id=connected-app-test-web"
          "&post_logout_redirect_uri=" +
          http::UrlEncode("https://evil.example/bye"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.Header("Location").has_value());
  EXPECT_TRUE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, LogoutWithoutDestinationShowsTheSignedOutPage) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  // Issue 14: a bare GET asks first; the confirmation form's POST leads to the signed-out page.
  const http::Response confirm = Get("/oauth2/logout");
  ASSERT_EQ(confirm.status, 200);
  const http::Response posted = Post("/oauth2/logout", "csrf=" + HiddenField(confirm.body, "csrf"));
  ASSERT_EQ(posted.status, 303);
  const http::Response r = Get(std::string(posted.Header("Location").value_or("")));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("You are signed out"), std::string::npos);
  EXPECT_EQ(sessions_.active_sessions(), 0u);
  ExpectPageHeaders(r);
}

TEST_F(HostedPagesTest, StylesheetIsCachedForAYearAndLinkedByItsHash) {
  http::Request request = MakeRequest("GET", "/static/gatehouse.css");
  const http::Response css = pages_->Stylesheet(request);
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("Content-Type").value_or(""), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  EXPECT_NE(css.body.find(".card"), std::string::npos);
  const http::Response page = Get("/oauth2/authorize?" + WebQuery());
  EXPECT_NE(page.body.find("href=\"/static/gatehouse.css?v="), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos);
}

TEST_F(HostedPagesTest, RoutesServeNoCorsOnTheAuthorizationEndpoint) {
  http::Router router;
  pages_->AddRoutes(router);
  http::Request request = MakeRequest("GET", "/oauth2/authorize?" + WebQuery());
  request.headers.emplace_back("origin", "https://other.example");
  const http::Response r = router.Dispatch(request);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.Header("Access-Control-Allow-Origin").has_value());
  http::Request preflight = MakeRequest("OPTIONS", "/oauth2/authorize");
  preflight.headers.emplace_back("origin", "https://other.example");
  preflight.headers.emplace_back("access-control-request-method", "POST");
  EXPECT_FALSE(router.Dispatch(preflight).Header("Access-Control-Allow-Origin").has_value());
}

// --- Issue 14, item 1: self-registered clients and open redirects (RFC 9700 §4.11.2) -------------

TEST_F(HostedPagesTest, SelfRegisteredClientErrorIsAPageWithALinkNotARedirect) {
  const http::Response r =
      Get("/oauth2/authorize?response_type=token&client_id=connected-app-test-dcr&state=xyz"
          "&redirect_uri=" +
          http::UrlEncode("https://evil.example/cb"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.Header("Location").has_value());
  ExpectPageHeaders(r);
  EXPECT_NE(r.body.find("Helpful Agent"), std::string::npos);
  EXPECT_NE(r.body.find("Return to evil.example"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"https://evil.example/cb?error=unsupported_response_type"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("state=xyz"), std::string::npos);
  EXPECT_NE(r.body.find("iss=https%3A%2F%2Fauth.example.com"), std::string::npos);
}

TEST_F(HostedPagesTest, SelfRegisteredClientPromptNoneIsAPageWithOrWithoutASession) {
  const http::Response no_session = Get("/oauth2/authorize?" + DcrQuery("&prompt=none"));
  EXPECT_EQ(no_session.status, 400);
  EXPECT_FALSE(no_session.Header("Location").has_value());
  EXPECT_NE(no_session.body.find("error=login_required"), std::string::npos);

  ASSERT_EQ(SignIn(DcrQuery()).status, 303);
  const http::Response no_consent = Get("/oauth2/authorize?" + DcrQuery("&prompt=none"));
  EXPECT_EQ(no_consent.status, 400);
  EXPECT_FALSE(no_consent.Header("Location").has_value());
  EXPECT_NE(no_consent.body.find("error=consent_required"), std::string::npos);
}

TEST_F(HostedPagesTest, SelfRegisteredClientIsRedirectedOnceTheUserHasAnswered) {
  const http::Response consent = SignInAndResume(DcrQuery());
  ASSERT_EQ(consent.status, 200) << consent.body;
  const http::Response denied = Post("/oauth2/consent", ConsentBody(consent, "deny"));
  EXPECT_EQ(denied.status, 303);
  EXPECT_TRUE(std::string(denied.Header("Location").value_or(""))
                  .starts_with("https://evil.example/cb?error=access_denied"));

  const http::Response again = Get("/oauth2/authorize?" + DcrQuery());
  const http::Response allowed = Post("/oauth2/consent", ConsentBody(again, "allow"));
  EXPECT_EQ(allowed.status, 303);
  EXPECT_TRUE(std::string(allowed.Header("Location").value_or(""))
                  .starts_with("https://evil.example/cb?code="));
  // The consent is remembered: the next request returns a code without a page, as for any client.
  const http::Response silent = Get("/oauth2/authorize?" + DcrQuery("&prompt=none"));
  EXPECT_EQ(silent.status, 302);
  EXPECT_NE(std::string(silent.Header("Location").value_or("")).find("code="), std::string::npos);
}

// --- Issue 14, item 5: what the consent page shows ---------------------------------------------

TEST_F(HostedPagesTest, ConsentPageMarksSelfRegisteredAppsAndLoadsNoThirdPartyLogo) {
  const http::Response consent = SignInAndResume(DcrQuery());
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_NE(consent.body.find("Unverified app"), std::string::npos);
  EXPECT_EQ(consent.body.find("tracker.evil.example"), std::string::npos);
  EXPECT_EQ(consent.body.find("<img"), std::string::npos);
  EXPECT_NE(consent.body.find("aria-hidden=\"true\">H</div>"), std::string::npos) << consent.body;

  const http::Response managed = Get("/oauth2/authorize?" + WebQuery());  // signed in already
  ASSERT_EQ(managed.status, 200);
  EXPECT_EQ(managed.body.find("Unverified"), std::string::npos);
}

TEST_F(HostedPagesTest, ConsentPageKeepsTheInitialUnderALogo) {
  const http::Response consent = SignInAndResume(WebQuery());
  ASSERT_EQ(consent.status, 200);
  EXPECT_NE(consent.body.find("aria-hidden=\"true\">A<img class=\"logo-image\" "
                              "src=\"https://planner.example.org/logo.png\""),
            std::string::npos)
      << consent.body;
  EXPECT_NE(consent.body.find("data-initial=\"A\""), std::string::npos);
}

TEST_F(HostedPagesTest, ConsentPageListsTheResourcesByHost) {
  const http::Response consent = SignInAndResume(
      WebQuery("&resource=" + http::UrlEncode("https://notes.example.com/mcp") +
               "&resource=" + http::UrlEncode("https://files.example.org:8443/api")));
  ASSERT_EQ(consent.status, 200) << consent.body;
  const size_t notes = consent.body.find(">notes.example.com<");
  const size_t files = consent.body.find(">files.example.org<");
  ASSERT_NE(notes, std::string::npos) << consent.body;
  ASSERT_NE(files, std::string::npos);
  EXPECT_LT(notes, files);
  EXPECT_NE(consent.body.find("https://files.example.org:8443/api"), std::string::npos)
      << consent.body;

  const http::Response without = Get("/oauth2/authorize?" + WebQuery());  // signed in already
  ASSERT_EQ(without.status, 200);
  EXPECT_EQ(without.body.find("Where it can use this access"), std::string::npos);
}

// --- Issue 14, item 8: logout
// ----------------------------------------------------------------------

TEST_F(HostedPagesTest, BareLogoutAsksForConfirmationAndKeepsTheSession) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response r = Get("/oauth2/logout");
  EXPECT_EQ(r.status, 200);
  ExpectPageHeaders(r);
  EXPECT_NE(r.body.find("action=\"/oauth2/logout\""), std::string::npos);
  EXPECT_NE(r.body.find("ada@example.com"), std::string::npos);
  EXPECT_EQ(HiddenField(r.body, "csrf"), jar_.Get("__Host-gatehouse_csrf").value_or("-"));
  EXPECT_TRUE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, ConfirmedLogoutWithTheCsrfTokenSignsOutAndGoesToTheRegisteredUri) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response page =
      Get("/oauth2/logout?client_id=connected-app-test-web&state=s%201&post_logout_redirect_uri=" +
          http::UrlEncode("https://planner.example.org/bye"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(sessions_.IsActive(token));
  EXPECT_NE(page.body.find("Acme Planner"), std::string::npos);
  const std::string fields =
      "&client_id=" + HiddenField(page.body, "client_id") +
      "&state=" + http::UrlEncode(HiddenField(page.body, "state")) +
      "&post_logout_redirect_uri=" + http::UrlEncode("https://planner.example.org/bye");

  const http::Response forged = Post("/oauth2/logout", "csrf=" + std::string(43, 'A') + fields);
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(sessions_.IsActive(token));
  const http::Response missing = Post("/oauth2/logout", fields.substr(1));
  EXPECT_EQ(missing.status, 403);
  EXPECT_TRUE(sessions_.IsActive(token));

  const http::Response r =
      Post("/oauth2/logout", "csrf=" + HiddenField(page.body, "csrf") + fields);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("Location").value_or(""), "https://planner.example.org/bye?state=s%201");
  EXPECT_FALSE(sessions_.IsActive(token));
  EXPECT_FALSE(jar_.Get("__Host-gatehouse_session").has_value());
}

TEST_F(HostedPagesTest, ConfirmedLogoutChecksTheDestinationAgain) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response page = Get("/oauth2/logout");
  const http::Response r =
      Post("/oauth2/logout", "csrf=" + HiddenField(page.body, "csrf") +
                                 "&client_id=connected-app-test-web&post_logout_redirect_uri=" +
                                 http::UrlEncode("https://evil.example/bye"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.Header("Location").has_value());
  EXPECT_TRUE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, AForgedHintIsTreatedAsNoHint) {
  const crypto::SigningKey foreign = crypto::SigningKey::Generate(crypto::Algorithm::kEs256);
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const std::string bye =
      "&post_logout_redirect_uri=" + http::UrlEncode("https://planner.example.org/bye");
  for (const std::string& query :
       {"id_token_hint=" + IdToken(foreign), "id_token_hint=" + IdToken(foreign) + bye,
        "id_token_hint=garbage&client_id=connected-app-test-web" + bye}) {
    const http::Response r = Get("/oauth2/logout?" + query);
    EXPECT_FALSE(r.Header("Location").has_value()) << query;
    EXPECT_TRUE(sessions_.IsActive(token)) << query;
  }
  // With client_id it is the confirmation page; without, the destination has no owner.
  EXPECT_EQ(Get("/oauth2/logout?id_token_hint=" + IdToken(foreign)).status, 200);
  EXPECT_EQ(Get("/oauth2/logout?id_token_hint=" + IdToken(foreign) + bye).status, 400);
}

TEST_F(HostedPagesTest, AValidExpiredHintSignsOutWithoutConfirmation) {
  const std::string hint = IdToken();
  clock_.Advance(std::chrono::hours(48));
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response r = Get("/oauth2/logout?id_token_hint=" + hint);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("You are signed out"), std::string::npos);
  EXPECT_FALSE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, AHintAboutAnotherUserAsksFirst) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response r = Get("/oauth2/logout?id_token_hint=" +
                               IdToken(IssuerKey(), "connected-app-test-web", "user-someone-else"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("action=\"/oauth2/logout\""), std::string::npos);
  EXPECT_TRUE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, AHintAndAClientIdMustAgree) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response r =
      Get("/oauth2/logout?client_id=connected-app-test-cli&id_token_hint=" + IdToken());
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, AValidHintWithAnUnregisteredUriIsRefused) {
  ASSERT_EQ(SignIn(WebQuery()).status, 303);
  const std::string token = jar_.Get("__Host-gatehouse_session").value_or("");
  const http::Response r =
      Get("/oauth2/logout?id_token_hint=" + IdToken() +
          "&post_logout_redirect_uri=" + http::UrlEncode("https://planner.example.org/bye/"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.Header("Location").has_value());
  EXPECT_TRUE(sessions_.IsActive(token));
}

TEST_F(HostedPagesTest, WithNobodySignedInLogoutGoesStraightToTheRegisteredUri) {
  const http::Response r =
      Get("/oauth2/logout?client_id=connected-app-test-web&state=x&post_logout_redirect_uri=" +
          http::UrlEncode("https://planner.example.org/bye"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location").value_or(""), "https://planner.example.org/bye?state=x");
}

TEST_F(HostedPagesTest, LogoutConfirmationIsRouted) {
  http::Router router;
  pages_->AddRoutes(router);
  http::Request request = MakeRequest("POST", "/oauth2/logout", "", "csrf=x");
  EXPECT_EQ(router.Dispatch(request).status, 403);
}

}  // namespace
}  // namespace gatehouse::ui
