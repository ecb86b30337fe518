// A user's connected apps and their revocation through the management API, and session exchange,
// over the real authorization flow (FlowTest): revoking a connected app kills its tokens and makes
// the next authorization ask for consent again.

#include "admin/connected_apps_consent_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "admin/session_exchange_api.h"
#include "store/project_repository.h"
#include "unit/oauth/token_lifecycle_test_support.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using testing::Str;

struct Reply {
  int status;
  json::object body;
};

class ConnectedAppsConsentApiTest : public testing::TokenLifecycleTest {
 protected:
  ConnectedAppsConsentApiTest() {
    store::ProjectRepository(db()).CreateIfAbsent({"project-test-1", hasher_.Hash("secret"), 1});
    api_ = std::make_unique<ManagementApi>(db(), hasher_);
    AddUserConnectedAppsRoutes(router_, *api_, users_, db(), clock_);
    AddSessionExchangeRoute(router_, *api_, exchange_, 3600);
    AddClient("third", core::ClientType::kThirdParty);
    AddFirstPartyClient("fp");
  }

  Reply Call(std::string method, std::string path, json::object body = {},
             bool authenticated = true) {
    http::Request q;
    q.method = std::move(method);
    q.path = q.target = std::move(path);
    q.request_id = "req-1";
    if (q.method == "POST") {
      q.headers.emplace_back("content-type", "application/json");
      q.body = json::serialize(body);
    }
    if (authenticated) {
      q.headers.emplace_back("authorization",
                             "Basic " + crypto::Base64Encode("project-test-1:secret"));
    }
    http::Response r = router_.Dispatch(q);
    json::value v = json::parse(r.body);
    return Reply{r.status, v.is_object() ? v.as_object() : json::object{}};
  }

  accounts::SecretHasher hasher_{"pepper"};
  std::unique_ptr<ManagementApi> api_;
  http::Router router_;
};

TEST_F(ConnectedAppsConsentApiTest, ListsTheUsersConnectedApps) {
  Tokens("third", "openid email");
  Reply r = Call("GET", "/v1/users/user-1/connected_apps");
  ASSERT_EQ(r.status, 200) << json::serialize(r.body);
  const json::array& apps = r.body.at("connected_apps").as_array();
  ASSERT_EQ(apps.size(), 1u);
  const json::object& app = apps[0].as_object();
  EXPECT_EQ(Str(app, "client_id"), "third");
  EXPECT_EQ(Str(app, "client_name"), "Test app");
  EXPECT_EQ(Str(app, "client_type"), "third_party");
  EXPECT_EQ(Str(app, "scopes_granted"), "email openid");
  EXPECT_TRUE(app.contains("client_description"));
  EXPECT_TRUE(app.contains("logo_url"));
}

TEST_F(ConnectedAppsConsentApiTest, RequiresProjectAuthenticationAndAKnownUser) {
  EXPECT_EQ(Call("GET", "/v1/users/user-1/connected_apps", {}, false).status, 401);
  EXPECT_EQ(Call("GET", "/v1/users/nobody/connected_apps").status, 404);
  EXPECT_EQ(Call("POST", "/v1/users/nobody/connected_apps/third/revoke").status, 404);
}

TEST_F(ConnectedAppsConsentApiTest, RevokingKillsTokensAndTheNextAuthorizationAsksForConsent) {
  const json::object tokens = Tokens("third", "openid offline_access");
  const std::string access = Str(tokens, "access_token");
  auto validation = service_.Validate(Params("third", "openid offline_access"));
  ASSERT_TRUE(validation);
  ASSERT_EQ(service_.DescribeConsent(*validation, User()).decision,
            core::ConsentDecision::kNotRequired);

  Reply r = Call("POST", "/v1/users/user-1/connected_apps/third/revoke");
  ASSERT_EQ(r.status, 200) << json::serialize(r.body);
  EXPECT_EQ(r.body.at("revoked_grants").as_int64(), 1);

  EXPECT_EQ(service_.DescribeConsent(*validation, User()).decision,
            core::ConsentDecision::kRequired);
  EXPECT_FALSE(Active(Introspect(access, "third")));
  EXPECT_FALSE(Active(Introspect(Str(tokens, "refresh_token"), "third")));
  EXPECT_EQ(Userinfo(access).status, 401);
  EXPECT_TRUE(
      Call("GET", "/v1/users/user-1/connected_apps").body.at("connected_apps").as_array().empty());
  // Nothing left to revoke: still 200.
  EXPECT_EQ(Call("POST", "/v1/users/user-1/connected_apps/third/revoke").status, 200);
}

TEST_F(ConnectedAppsConsentApiTest, ExchangesAFullAccessTokenForASessionOnce) {
  const std::string token = Str(Tokens("fp", "openid full_access"), "access_token");
  Reply r = Call("POST", "/v1/sessions/exchange_access_token",
                 {{"access_token", token}, {"session_duration_minutes", 60}});
  ASSERT_EQ(r.status, 200) << json::serialize(r.body);
  EXPECT_EQ(Str(r.body, "user_id"), "user-1");
  EXPECT_FALSE(Str(r.body, "session_token").empty());
  EXPECT_TRUE(r.body.contains("session_jwt"));
  EXPECT_EQ(Str(r.body.at("session").as_object(), "user_id"), "user-1");
  EXPECT_EQ(Str(r.body.at("user").as_object(), "user_id"), "user-1");

  Reply again = Call("POST", "/v1/sessions/exchange_access_token", {{"access_token", token}});
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(Str(again.body, "error_type"), "invalid_token");
}

TEST_F(ConnectedAppsConsentApiTest, ExchangeRefusalsAreClearErrors) {
  const std::string no_full_access = Str(Tokens("fp", "openid"), "access_token");
  Reply scope =
      Call("POST", "/v1/sessions/exchange_access_token", {{"access_token", no_full_access}});
  EXPECT_EQ(scope.status, 403);
  EXPECT_EQ(Call("POST", "/v1/sessions/exchange_access_token", {}).status, 400);
  const std::string token = Str(Tokens("fp", "openid full_access"), "access_token");
  EXPECT_EQ(Call("POST", "/v1/sessions/exchange_access_token",
                 {{"access_token", token}, {"session_duration_minutes", 1}})
                .status,
            400);
}

}  // namespace
}  // namespace gatehouse::admin
