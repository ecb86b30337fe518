// TokenIssuer: RFC 9068 access tokens and OIDC ID tokens (CHECKLIST "Tokens").

#include "oauth/token_issuer.h"

#include <gtest/gtest.h>

#include "flow_test_support.h"

namespace gatehouse::oauth {
namespace {

using testing::Str;

class TokenIssuerTest : public testing::FlowTest {
 protected:
  core::Client client_{.client_id = "client-1", .client_type = core::ClientType::kThirdParty};

  IssuedTokens Issue(const std::string& scope, std::vector<std::string> resources = {},
                     std::optional<std::string> nonce = "n-1") {
    const core::User user = User();
    auto issued = issuer_.Issue(TokenContext{.client = client_,
                                             .user = user,
                                             .grant_id = "grant-9",
                                             .scope = core::ScopeSet::Parse(scope).value(),
                                             .resources = std::move(resources),
                                             .auth_time = 1'699'999'000,
                                             .nonce = std::move(nonce)});
    EXPECT_TRUE(issued);
    return *issued;
  }
};

TEST_F(TokenIssuerTest, AccessTokenHeaderAndClaimsFollowRfc9068) {
  IssuedTokens tokens = Issue("openid email");
  crypto::DecodedJwt jwt = Decode(tokens.access_token.token, "at+jwt");
  EXPECT_EQ(Str(jwt.header, "typ"), "at+jwt");
  EXPECT_EQ(jwt.kid, keys_.Snapshot()->Current()->kid());
  const auto& c = jwt.claims;
  EXPECT_EQ(Str(c, "iss"), testing::kIssuer);
  EXPECT_EQ(Str(c, "sub"), "user-1");
  EXPECT_EQ(Str(c, "aud"), testing::kIssuer);  // the default audience
  EXPECT_EQ(Str(c, "client_id"), "client-1");
  EXPECT_EQ(Str(c, "scope"), "email openid");
  const int64_t now = clock_.NowSeconds();
  EXPECT_EQ(c.at("iat").as_int64(), now);
  EXPECT_EQ(c.at("nbf").as_int64(), now);
  EXPECT_EQ(c.at("exp").as_int64(), now + 3600);
  EXPECT_EQ(Str(c, "jti").size(), 22u);
  EXPECT_EQ(Str(c, std::string(kGrantClaim)), "grant-9");
  EXPECT_EQ(tokens.access_token.expires_in, 3600);
}

TEST_F(TokenIssuerTest, JtiIsUniquePerToken) {
  EXPECT_NE(Str(Decode(Issue("openid").access_token.token, "at+jwt").claims, "jti"),
            Str(Decode(Issue("openid").access_token.token, "at+jwt").claims, "jti"));
}

TEST_F(TokenIssuerTest, AudienceIsTheRequestedResources) {
  auto one = Decode(Issue("openid", {"https://api.example.com/"}).access_token.token, "at+jwt");
  EXPECT_EQ(Str(one.claims, "aud"), "https://api.example.com/");
  auto two = Decode(
      Issue("openid", {"https://a.example.com/", "https://b.example.com/"}).access_token.token,
      "at+jwt");
  ASSERT_TRUE(two.claims.at("aud").is_array());
  EXPECT_EQ(two.claims.at("aud").as_array().size(), 2u);
}

TEST_F(TokenIssuerTest, CustomAudienceAndExpiryFromTheClient) {
  client_.access_token_custom_audience = "https://custom.example.com";
  client_.access_token_expiry_minutes = 5;
  IssuedTokens tokens = Issue("openid");
  auto jwt = Decode(tokens.access_token.token, "at+jwt");
  EXPECT_EQ(Str(jwt.claims, "aud"), "https://custom.example.com");
  EXPECT_EQ(tokens.access_token.expires_in, 300);
}

TEST_F(TokenIssuerTest, IdTokenCarriesNonceAtHashAndAuthTime) {
  IssuedTokens tokens = Issue("openid");
  ASSERT_TRUE(tokens.id_token);
  crypto::DecodedJwt jwt = Decode(*tokens.id_token, "JWT");
  EXPECT_EQ(jwt.kid, keys_.Snapshot()->Current()->kid());
  const auto& c = jwt.claims;
  EXPECT_EQ(Str(c, "iss"), testing::kIssuer);
  EXPECT_EQ(Str(c, "sub"), "user-1");
  EXPECT_EQ(Str(c, "aud"), "client-1");
  EXPECT_EQ(Str(c, "nonce"), "n-1");
  EXPECT_EQ(c.at("auth_time").as_int64(), 1'699'999'000);
  EXPECT_EQ(c.at("exp").as_int64(), clock_.NowSeconds() + 3600);
  EXPECT_EQ(Str(c, "at_hash"), crypto::AtHash(tokens.access_token.token, jwt.alg));
  // Without profile/email/phone, no user claims.
  EXPECT_FALSE(c.contains("email"));
  EXPECT_FALSE(c.contains("name"));
}

TEST_F(TokenIssuerTest, NoIdTokenWithoutOpenidAndNoNonceWhenNoneWasSent) {
  EXPECT_FALSE(Issue("email").id_token);
  auto jwt = Decode(*Issue("openid", {}, std::nullopt).id_token, "JWT");
  EXPECT_FALSE(jwt.claims.contains("nonce"));
}

TEST_F(TokenIssuerTest, UserClaimsFollowTheScope) {
  auto c = Decode(*Issue("openid profile email phone").id_token, "JWT").claims;
  EXPECT_EQ(Str(c, "name"), "Ada Lovelace");
  EXPECT_EQ(Str(c, "given_name"), "Ada");
  EXPECT_EQ(Str(c, "family_name"), "Lovelace");
  EXPECT_EQ(Str(c, "email"), "user-1@example.com");
  EXPECT_TRUE(c.at("email_verified").as_bool());
  EXPECT_EQ(Str(c, "phone_number"), "+15555550100");
  auto only_email = Decode(*Issue("openid email").id_token, "JWT").claims;
  EXPECT_TRUE(only_email.contains("email"));
  EXPECT_FALSE(only_email.contains("phone_number"));
  EXPECT_FALSE(only_email.contains("given_name"));
}

}  // namespace
}  // namespace gatehouse::oauth
