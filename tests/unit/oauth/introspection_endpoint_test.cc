// IntrospectionEndpoint (RFC 7662): caller authentication, the fields of an active token, who may
// introspect whose tokens, and {"active": false} alone for unknown, expired, revoked and foreign
// tokens.

#include "oauth/introspection_endpoint.h"

#include <gtest/gtest.h>

#include "store/grant_repository.h"
#include "token_lifecycle_test_support.h"

namespace gatehouse::oauth {
namespace {

using testing::FormPost;
using testing::JsonBody;
using testing::Str;

class IntrospectionEndpointTest : public testing::TokenLifecycleTest {
 protected:
  IntrospectionEndpointTest() {
    AddClient("conf", core::ClientType::kThirdParty);
    AddClient("rs", core::ClientType::kThirdParty);  // a resource server
    AddClient("pub", core::ClientType::kThirdPartyPublic);
    AddRegisteredClient("dcr");
  }

  // A confidential client that registered itself (Dynamic Client Registration).
  void AddRegisteredClient(const std::string& client_id) {
    testing::InsertTestClient(db(), client_id, "third_party");
    clients_.Add(core::Client{.client_id = client_id,
                              .client_type = core::ClientType::kThirdParty,
                              .creation_method = core::CreationMethod::kDynamicRegistration,
                              .client_name = "Registered " + client_id,
                              .redirect_uris = {"https://app.example.com/cb"}},
                 std::string(testing::kSecret));
  }

  void ExpectExactlyInactive(const http::Response& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("Cache-Control"), "no-store");
    EXPECT_EQ(JsonBody(response), (boost::json::object{{"active", false}}));
  }
};

TEST_F(IntrospectionEndpointTest, RequiresClientAuthentication) {
  const std::string token = Str(Tokens("conf"), "access_token");
  // No credentials at all.
  http::Response none =
      introspection_.Handle(FormPost("/v1/oauth2/introspect", {{"token", token}}));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Str(JsonBody(none), "error"), "invalid_client");
  EXPECT_EQ(none.Header("Cache-Control"), "no-store");
  // A wrong secret in the header.
  http::Response wrong = introspection_.Handle(FormPost("/v1/oauth2/introspect", {{"token", token}},
                                                        std::pair{std::string("conf"), "nope"}));
  EXPECT_EQ(wrong.status, 401);
  ASSERT_TRUE(wrong.Header("WWW-Authenticate"));
  EXPECT_EQ(wrong.Header("WWW-Authenticate")->rfind("Basic", 0), 0u);
  // A public client (client_id only) cannot authenticate.
  http::Response pub = introspection_.Handle(
      FormPost("/v1/oauth2/introspect", {{"token", token}, {"client_id", "pub"}}));
  EXPECT_EQ(pub.status, 401);
  EXPECT_FALSE(JsonBody(pub).contains("active"));
}

TEST_F(IntrospectionEndpointTest, ClientSecretPostAuthenticatesToo) {
  const std::string token = Str(Tokens("conf"), "access_token");
  http::Response r = introspection_.Handle(FormPost(
      "/v1/oauth2/introspect",
      {{"token", token}, {"client_id", "conf"}, {"client_secret", std::string(testing::kSecret)}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Active(r));
}

TEST_F(IntrospectionEndpointTest, ActiveAccessTokenCarriesItsClaims) {
  const std::string token = Str(Tokens("conf", "openid email"), "access_token");
  const boost::json::object claims = Decode(token, "at+jwt").claims;
  http::Response r = Introspect(token, "conf");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  const boost::json::object body = JsonBody(r);
  EXPECT_EQ(body.at("active"), true);
  EXPECT_EQ(Str(body, "token_type"), "Bearer");
  EXPECT_EQ(Str(body, "sub"), "user-1");
  EXPECT_EQ(Str(body, "client_id"), "conf");
  EXPECT_EQ(Str(body, "scope"), Str(claims, "scope"));
  EXPECT_EQ(Str(body, "scope"), "email openid");
  EXPECT_EQ(Str(body, "iss"), testing::kIssuer);
  for (std::string_view name : {"aud", "exp", "iat", "nbf", "jti"}) {
    ASSERT_TRUE(body.contains(name)) << name;
    EXPECT_EQ(body.at(name), claims.at(name)) << name;
  }
  EXPECT_FALSE(body.contains(kGrantClaim));  // private to Gatehouse
}

TEST_F(IntrospectionEndpointTest, ClientsCreatedThroughTheApiMayIntrospectAnyAccessToken) {
  const std::string token = Str(Tokens("conf"), "access_token");
  http::Response r = Introspect(token, "rs");
  EXPECT_TRUE(Active(r)) << r.body;
  EXPECT_EQ(Str(JsonBody(r), "client_id"), "conf");
  // Tokens of registered clients too.
  http::Response registered = Introspect(Str(Tokens("dcr"), "access_token"), "rs");
  EXPECT_TRUE(Active(registered)) << registered.body;
  EXPECT_EQ(Str(JsonBody(registered), "client_id"), "dcr");
}

TEST_F(IntrospectionEndpointTest, RegisteredClientsSeeOnlyTheirOwnAccessTokens) {
  const boost::json::object foreign = Tokens("conf");
  ExpectExactlyInactive(Introspect(Str(foreign, "access_token"), "dcr"));
  ExpectExactlyInactive(Introspect(Str(foreign, "refresh_token"), "dcr"));

  const boost::json::object own = Tokens("dcr");
  http::Response r = Introspect(Str(own, "access_token"), "dcr");
  ASSERT_TRUE(Active(r)) << r.body;
  EXPECT_EQ(Str(JsonBody(r), "client_id"), "dcr");
  EXPECT_EQ(Str(JsonBody(r), "sub"), "user-1");
  EXPECT_TRUE(Active(Introspect(Str(own, "refresh_token"), "dcr")));
}

TEST_F(IntrospectionEndpointTest, ActiveRefreshTokenForItsOwnClient) {
  const boost::json::object tokens = Tokens("conf", "openid offline_access");
  http::Response r = Introspect(Str(tokens, "refresh_token"), "conf");
  ASSERT_TRUE(Active(r)) << r.body;
  const boost::json::object body = JsonBody(r);
  EXPECT_EQ(Str(body, "token_type"), "refresh_token");
  EXPECT_EQ(Str(body, "sub"), "user-1");
  EXPECT_EQ(Str(body, "client_id"), "conf");
  EXPECT_EQ(Str(body, "scope"), "offline_access openid");
  EXPECT_TRUE(body.contains("exp"));
  EXPECT_TRUE(body.contains("iat"));
}

TEST_F(IntrospectionEndpointTest, UnknownTokensAreInactive) {
  for (const std::string& token :
       {std::string("garbage"), std::string("a.b.c"), std::string(5000, 'x')}) {
    ExpectExactlyInactive(Introspect(token, "conf"));
  }
  // An ID token is ours and signed, but it is not an access token.
  ExpectExactlyInactive(Introspect(Str(Tokens("conf"), "id_token"), "conf"));
}

TEST_F(IntrospectionEndpointTest, ExpiredTokensAreInactive) {
  const boost::json::object tokens = Tokens("conf");
  const std::string access = Str(tokens, "access_token");
  const int64_t exp = Decode(access, "at+jwt").claims.at("exp").as_int64();
  clock_.Set(exp - 1);
  EXPECT_TRUE(Active(Introspect(access, "conf")));
  clock_.Set(exp);
  ExpectExactlyInactive(Introspect(access, "conf"));

  const std::string refresh = Str(tokens, "refresh_token");
  EXPECT_TRUE(Active(Introspect(refresh, "conf")));
  clock_.Advance(std::chrono::seconds(settings_.refresh_token_ttl_seconds + 1));
  ExpectExactlyInactive(Introspect(refresh, "conf"));
}

TEST_F(IntrospectionEndpointTest, RevokedTokensAreInactive) {
  const boost::json::object tokens = Tokens("conf");
  const std::string access = Str(tokens, "access_token");
  ASSERT_TRUE(Active(Introspect(access, "conf")));
  store::GrantRepository(db()).Revoke(
      Str(Decode(access, "at+jwt").claims, std::string(kGrantClaim)), clock_.NowSeconds());
  ExpectExactlyInactive(Introspect(access, "conf"));
  ExpectExactlyInactive(Introspect(Str(tokens, "refresh_token"), "conf"));
}

TEST_F(IntrospectionEndpointTest, ForeignRefreshTokensAreInactive) {
  const std::string refresh = Str(Tokens("conf"), "refresh_token");
  ExpectExactlyInactive(Introspect(refresh, "rs"));
  EXPECT_TRUE(Active(Introspect(refresh, "conf")));
}

TEST_F(IntrospectionEndpointTest, TokenTypeHintIsOnlyAHint) {
  const boost::json::object tokens = Tokens("conf");
  EXPECT_TRUE(Active(Introspect(Str(tokens, "access_token"), "conf", "refresh_token")));
  EXPECT_TRUE(Active(Introspect(Str(tokens, "refresh_token"), "conf", "access_token")));
  EXPECT_TRUE(Active(Introspect(Str(tokens, "refresh_token"), "conf", "something_else")));
}

TEST_F(IntrospectionEndpointTest, MissingOrRepeatedTokenIsInvalidRequest) {
  const std::pair<std::string, std::string> basic{"conf", std::string(testing::kSecret)};
  http::Response missing = introspection_.Handle(FormPost("/v1/oauth2/introspect", {}, basic));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Str(JsonBody(missing), "error"), "invalid_request");
  http::Response repeated = introspection_.Handle(
      FormPost("/v1/oauth2/introspect", {{"token", "a"}, {"token", "b"}}, basic));
  EXPECT_EQ(repeated.status, 400);
}

}  // namespace
}  // namespace gatehouse::oauth
