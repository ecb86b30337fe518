// RevocationEndpoint (RFC 7009): 200 for unknown tokens, only a client's own tokens, grant-level
// revocation reaching introspection and userinfo, and token_type_hint as a mere hint.

#include "oauth/revocation_endpoint.h"

#include <gtest/gtest.h>

#include "token_lifecycle_test_support.h"

namespace gatehouse::oauth {
namespace {

using testing::FormPost;
using testing::JsonBody;
using testing::Str;

class RevocationEndpointTest : public testing::TokenLifecycleTest {
 protected:
  RevocationEndpointTest() {
    AddClient("conf", core::ClientType::kThirdParty);
    AddClient("other", core::ClientType::kThirdParty);
    AddClient("pub", core::ClientType::kThirdPartyPublic);
  }

  void ExpectEmpty200(const http::Response& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(response.body.empty());
    EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  }
};

TEST_F(RevocationEndpointTest, UnknownTokensAre200) {
  ExpectEmpty200(Revoke("no-such-refresh-token", "conf"));
  ExpectEmpty200(Revoke("no.such.jwt", "conf", "access_token"));
  ExpectEmpty200(Revoke("no-such-refresh-token", "pub", "refresh_token"));
}

TEST_F(RevocationEndpointTest, RequiresClientAuthentication) {
  const std::string refresh = Str(Tokens("conf"), "refresh_token");
  http::Response r = revocation_.Handle(FormPost("/v1/oauth2/revoke", {{"token", refresh}}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Str(JsonBody(r), "error"), "invalid_client");
  http::Response wrong = revocation_.Handle(FormPost(
      "/v1/oauth2/revoke", {{"token", refresh}, {"client_id", "conf"}, {"client_secret", "no"}}));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(Active(Introspect(refresh, "conf")));
}

TEST_F(RevocationEndpointTest, RevokingARefreshTokenKillsTheGrantsAccessTokens) {
  const boost::json::object tokens = Tokens("conf", "openid offline_access");
  const std::string access = Str(tokens, "access_token");
  const std::string refresh = Str(tokens, "refresh_token");
  ASSERT_EQ(Userinfo(access).status, 200);

  ExpectEmpty200(Revoke(refresh, "conf", "refresh_token"));
  EXPECT_FALSE(Active(Introspect(refresh, "conf")));
  EXPECT_FALSE(Active(Introspect(access, "conf")));
  EXPECT_EQ(Userinfo(access).status, 401);
  EXPECT_EQ(Refresh("conf", refresh).status, 400);
  ExpectEmpty200(Revoke(refresh, "conf"));  // again: still 200
}

TEST_F(RevocationEndpointTest, RevokingAnAccessTokenRevokesItsGrant) {
  const boost::json::object tokens = Tokens("conf", "openid offline_access");
  const std::string access = Str(tokens, "access_token");
  ExpectEmpty200(Revoke(access, "conf", "access_token"));
  EXPECT_FALSE(Active(Introspect(access, "conf")));
  EXPECT_FALSE(Active(Introspect(Str(tokens, "refresh_token"), "conf")));
  EXPECT_EQ(Userinfo(access).status, 401);
}

TEST_F(RevocationEndpointTest, AClientRevokesOnlyItsOwnTokens) {
  const boost::json::object tokens = Tokens("conf", "openid offline_access");
  const std::string access = Str(tokens, "access_token");
  const std::string refresh = Str(tokens, "refresh_token");
  ExpectEmpty200(Revoke(refresh, "other"));
  ExpectEmpty200(Revoke(access, "other"));
  ExpectEmpty200(Revoke(refresh, "pub"));
  EXPECT_TRUE(Active(Introspect(refresh, "conf")));
  EXPECT_TRUE(Active(Introspect(access, "conf")));
  EXPECT_EQ(Userinfo(access).status, 200);
}

TEST_F(RevocationEndpointTest, TokenTypeHintIsOnlyAHint) {
  const boost::json::object first = Tokens("conf");
  ExpectEmpty200(Revoke(Str(first, "refresh_token"), "conf", "access_token"));
  EXPECT_FALSE(Active(Introspect(Str(first, "access_token"), "conf")));

  const boost::json::object second = Tokens("conf");
  ExpectEmpty200(Revoke(Str(second, "access_token"), "conf", "refresh_token"));
  EXPECT_FALSE(Active(Introspect(Str(second, "access_token"), "conf")));

  const boost::json::object third = Tokens("conf");
  ExpectEmpty200(Revoke(Str(third, "refresh_token"), "conf", "unknown_type"));
  EXPECT_FALSE(Active(Introspect(Str(third, "refresh_token"), "conf")));
}

TEST_F(RevocationEndpointTest, PublicClientsRevokeWithTheirClientIdAlone) {
  const boost::json::object tokens = Tokens("pub");
  const std::string access = Str(tokens, "access_token");
  ASSERT_EQ(Userinfo(access).status, 200);
  ExpectEmpty200(Revoke(Str(tokens, "refresh_token"), "pub"));
  EXPECT_EQ(Userinfo(access).status, 401);
  EXPECT_FALSE(Active(Introspect(access, "conf")));
}

TEST_F(RevocationEndpointTest, MissingTokenIsInvalidRequest) {
  http::Response r = revocation_.Handle(FormPost("/v1/oauth2/revoke", {{"client_id", "pub"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(JsonBody(r), "error"), "invalid_request");
}

}  // namespace
}  // namespace gatehouse::oauth
