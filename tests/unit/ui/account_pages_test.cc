// AccountPages: the signed-in user's connected apps are listed and revocable, with CSRF enforced;
// after revocation the next authorization asks for consent again. Uses the UI suite's own fakes
// (ui_test_support.h) over a real migrated SQLite database.

#include "ui/account_pages.h"

#include <gtest/gtest.h>

#include <memory>

#include "oauth/authorization_service.h"
#include "store/consent_repository.h"
#include "store/grant_repository.h"
#include "store/grant_store_fixtures.h"
#include "store/store_test_support.h"
#include "store/token_lifecycle_repository.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"
#include "ui_test_support.h"

namespace gatehouse::ui {
namespace {

constexpr std::string_view kIssuer = "https://auth.example.com";

class AccountPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
    settings_.issuer = std::string(kIssuer);
    testing::InsertTestUser(db(), "user-1", "ada@example.com");
    testing::InsertTestClient(db(), "third", "third_party");
    clients_.Put(core::Client{.client_id = "third",
                              .client_type = core::ClientType::kThirdParty,
                              .client_name = "Test app",
                              .redirect_uris = {"https://app.example.com/cb"}});
    sessions_.AddUser(core::User{.user_id = "user-1", .email = "ada@example.com"}, "pw");
    // A connected app: a grant and the remembered consent, as the authorization flow leaves them.
    store::GrantRecord grant;
    grant.grant_id = "grant-1";
    grant.user_id = "user-1";
    grant.client_id = "third";
    grant.scope = "email openid";
    store::GrantRepository(db()).Insert(grant);
    store::ConsentRepository(db()).Remember("user-1", "third", "email openid", 1);
    session_token_ = sessions_.CreateSession("user-1", "password", 3600)->session_token;
    service_ =
        std::make_unique<oauth::AuthorizationService>(settings_, clients_, db(), clock_, random_);
    pages_ = std::make_unique<AccountPages>(sessions_, db(), kIssuer, clock_, random_);
  }

  store::Database& db() { return test_db_->db(); }

  std::string Cookies(bool with_session, const std::string& csrf) const {
    std::string cookies;
    if (with_session) cookies = pages_->cookies().session_name() + "=" + session_token_;
    if (!csrf.empty()) {
      if (!cookies.empty()) cookies += "; ";
      cookies += pages_->cookies().csrf_name() + "=" + csrf;
    }
    return cookies;
  }

  http::Response Get(bool with_session = true, const std::string& csrf = "") {
    return pages_->ConnectedApps(
        testing::MakeRequest("GET", std::string(kConnectedAppsPath), Cookies(with_session, csrf)));
  }

  http::Response PostRevoke(const std::string& cookie_csrf, const std::string& form_csrf,
                            bool with_session = true) {
    std::string body = "client_id=third";
    if (!form_csrf.empty()) body += "&csrf=" + form_csrf;
    return pages_->RevokeConnectedApp(testing::MakeRequest(
        "POST", std::string(kRevokeConnectedAppPath), Cookies(with_session, cookie_csrf), body));
  }

  // The CSRF token the page issued in its Set-Cookie.
  std::string IssuedCsrf(const http::Response& response) const {
    const std::string prefix = pages_->cookies().csrf_name() + "=";
    for (const std::string& cookie : testing::SetCookies(response)) {
      if (cookie.rfind(prefix, 0) == 0) {
        return cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
      }
    }
    return "";
  }

  bool Connected() {
    return !store::TokenLifecycleRepository(db()).ListConnectedApps("user-1").empty();
  }

  core::ConsentDecision ConsentDecision() {
    auto validation =
        service_->Validate({{"client_id", "third"},
                            {"redirect_uri", "https://app.example.com/cb"},
                            {"response_type", "code"},
                            {"scope", "openid email"},
                            {"code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
                            {"state", "st"},
                            {"code_challenge_method", "S256"}});
    EXPECT_TRUE(validation) << (validation ? ""
                                           : std::string(validation.error().error.name()) + " " +
                                                 validation.error().error.description());
    return service_->DescribeConsent(*validation, *sessions_.FindUser("user-1")).decision;
  }

  std::unique_ptr<testing::TestDatabase> test_db_;
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  oauth::ProtocolSettings settings_;
  testing::PageFakeClientDirectory clients_;
  testing::PageFakeUserSessions sessions_{clock_};
  std::unique_ptr<oauth::AuthorizationService> service_;
  std::unique_ptr<AccountPages> pages_;
  std::string session_token_;
};

TEST_F(AccountPagesTest, ListsTheSignedInUsersConnectedApps) {
  http::Response r = Get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Test app"), std::string::npos);
  EXPECT_NE(r.body.find("email openid"), std::string::npos);
  EXPECT_EQ(testing::HiddenField(r.body, "client_id"), "third");
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  const std::string csrf = IssuedCsrf(r);
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(testing::HiddenField(r.body, "csrf"), csrf);
  // With the cookie present, the page reuses it rather than issuing another.
  EXPECT_TRUE(IssuedCsrf(Get(true, csrf)).empty());
}

TEST_F(AccountPagesTest, WithoutASessionThePageAsksToSignIn) {
  http::Response r = Get(/*with_session=*/false);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(testing::HiddenField(r.body, "client_id").empty());
}

TEST_F(AccountPagesTest, RevokingRequiresAMatchingCsrfToken) {
  const std::string csrf = IssuedCsrf(Get());
  ASSERT_FALSE(csrf.empty());
  const std::string other(csrf.size(), 'A');
  EXPECT_EQ(PostRevoke(csrf, "").status, 403);     // no form token
  EXPECT_EQ(PostRevoke("", csrf).status, 403);     // no cookie
  EXPECT_EQ(PostRevoke(csrf, other).status, 403);  // mismatch
  EXPECT_EQ(PostRevoke(csrf, csrf, /*with_session=*/false).status, 403);
  EXPECT_TRUE(Connected());
  EXPECT_EQ(ConsentDecision(), core::ConsentDecision::kNotRequired);
}

TEST_F(AccountPagesTest, RevokingRemovesTheAppAndTheNextAuthorizationAsksForConsent) {
  ASSERT_EQ(ConsentDecision(), core::ConsentDecision::kNotRequired);
  const std::string csrf = IssuedCsrf(Get());
  http::Response r = PostRevoke(csrf, csrf);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), std::string(kConnectedAppsPath) + "?revoked=1");
  EXPECT_FALSE(Connected());
  EXPECT_FALSE(store::GrantRepository(db()).IsActive("grant-1"));
  EXPECT_EQ(ConsentDecision(), core::ConsentDecision::kRequired);
  EXPECT_TRUE(testing::HiddenField(Get(true, csrf).body, "client_id").empty());
}

}  // namespace
}  // namespace gatehouse::ui
