// UserinfoEndpoint: Bearer access tokens, claims by scope, revocation through the grant.

#include "oauth/userinfo_endpoint.h"

#include <gtest/gtest.h>

#include "flow_test_support.h"
#include "store/grant_repository.h"

namespace gatehouse::oauth {
namespace {

using testing::JsonBody;
using testing::Str;

class UserinfoEndpointTest : public testing::FlowTest {
 protected:
  UserinfoEndpointTest() { AddClient("pub", core::ClientType::kThirdPartyPublic); }

  boost::json::object Tokens(const std::string& scope) {
    return JsonBody(Exchange("pub", AuthorizeCode("pub", scope)));
  }
};

TEST_F(UserinfoEndpointTest, ReturnsSubAndTheClaimsTheScopeAllows) {
  http::Response r = Userinfo(Str(Tokens("openid email"), "access_token"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  auto body = JsonBody(r);
  EXPECT_EQ(Str(body, "sub"), "user-1");
  EXPECT_EQ(Str(body, "email"), "user-1@example.com");
  EXPECT_FALSE(body.contains("given_name"));
}

TEST_F(UserinfoEndpointTest, AcceptsTheTokenInAFormBody) {
  http::Request request;
  request.method = "POST";
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.body = "access_token=" + Str(Tokens("openid"), "access_token");
  EXPECT_EQ(userinfo_.Handle(request).status, 200);
}

TEST_F(UserinfoEndpointTest, NoTokenIs401WithBearerChallenge) {
  http::Request request;
  request.method = "GET";
  http::Response r = userinfo_.Handle(request);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer");
}

TEST_F(UserinfoEndpointTest, InvalidTokensAre401InvalidToken) {
  const std::string id_token = Str(Tokens("openid"), "id_token");
  for (const std::string& token : {std::string("garbage"), id_token}) {
    http::Response r = Userinfo(token);
    EXPECT_EQ(r.status, 401);
    ASSERT_TRUE(r.Header("WWW-Authenticate"));
    EXPECT_EQ(r.Header("WWW-Authenticate")->rfind("Bearer error=\"invalid_token\"", 0), 0u)
        << *r.Header("WWW-Authenticate");
  }
}

TEST_F(UserinfoEndpointTest, ExpiredTokenIs401) {
  const std::string token = Str(Tokens("openid"), "access_token");
  clock_.Advance(std::chrono::seconds(3600 + 60));
  EXPECT_EQ(Userinfo(token).status, 401);
}

TEST_F(UserinfoEndpointTest, RevokedGrantIs401) {
  const std::string token = Str(Tokens("openid"), "access_token");
  auto claims = Decode(token, "at+jwt").claims;
  store::GrantRepository(db()).Revoke(Str(claims, std::string(kGrantClaim)), clock_.NowSeconds());
  http::Response r = Userinfo(token);
  EXPECT_EQ(r.status, 401);
}

TEST_F(UserinfoEndpointTest, TokenWithoutOpenidIs403InsufficientScope) {
  http::Response r = Userinfo(Str(Tokens("email"), "access_token"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Str(JsonBody(r), "error"), "insufficient_scope");
}

}  // namespace
}  // namespace gatehouse::oauth
