// TokenEndpoint: POST /v1/oauth2/token for authorization_code and refresh_token (CHECKLIST "Token
// endpoint"), driven through AuthorizationService for the codes.

#include "oauth/token_endpoint.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include "flow_test_support.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {
namespace {

using core::ClientType;
using testing::JsonBody;
using testing::kSecret;
using testing::kVerifier;
using testing::Str;

class TokenEndpointTest : public testing::FlowTest {
 protected:
  TokenEndpointTest() {
    AddClient("conf", ClientType::kFirstParty);
    AddClient("conf2", ClientType::kThirdParty);
    AddClient("pub", ClientType::kThirdPartyPublic);
  }

  static std::string Error(const http::Response& r) { return Str(JsonBody(r), "error"); }

  // Token response from a fresh code for `client_id`; asserts success.
  boost::json::object Tokens(const std::string& client_id,
                             const std::string& scope = "openid offline_access email") {
    http::Response r = Exchange(client_id, AuthorizeCode(client_id, scope));
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonBody(r);
  }
};

TEST_F(TokenEndpointTest, ExchangesACodeForTokens) {
  http::Response r = Exchange("conf", AuthorizeCode("conf"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  auto body = JsonBody(r);
  EXPECT_FALSE(Str(body, "access_token").empty());
  EXPECT_EQ(Str(body, "token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in").as_int64(), 3600);
  EXPECT_EQ(Str(body, "scope"), "email offline_access openid");
  EXPECT_EQ(Str(body, "refresh_token").size(), 43u);
  EXPECT_FALSE(Str(body, "id_token").empty());
}

TEST_F(TokenEndpointTest, NoRefreshTokenWithoutOfflineAccessNoIdTokenWithoutOpenid) {
  auto body = Tokens("conf", "email");
  EXPECT_FALSE(body.contains("refresh_token"));
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_TRUE(body.contains("access_token"));
}

TEST_F(TokenEndpointTest, RefreshTokensAreStoredOnlyAsHashes) {
  auto body = Tokens("pub");
  store::RefreshTokenRepository tokens(db());
  EXPECT_FALSE(tokens.Get(Str(body, "refresh_token")));
  EXPECT_TRUE(tokens.Get(crypto::Sha256Hex(Str(body, "refresh_token"))));
}

TEST_F(TokenEndpointTest, ClientSecretBasicWorks) {
  const std::string code = AuthorizeCode("conf");
  http::Response r = Token({{"grant_type", "authorization_code"},
                            {"code", code},
                            {"redirect_uri", "https://app.example.com/cb"},
                            {"code_verifier", std::string(kVerifier)}},
                           std::make_pair("conf", std::string(kSecret)));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(TokenEndpointTest, BasicAndPostTogetherAreInvalidRequest) {
  http::Response r = Token({{"grant_type", "authorization_code"},
                            {"code", AuthorizeCode("conf")},
                            {"client_secret", std::string(kSecret)}},
                           std::make_pair("conf", std::string(kSecret)));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Error(r), "invalid_request");
}

TEST_F(TokenEndpointTest, WrongSecretInHeaderIs401WithWwwAuthenticate) {
  http::Response r = Token({{"grant_type", "authorization_code"}, {"code", AuthorizeCode("conf")}},
                           std::make_pair("conf", std::string("wrong")));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Error(r), "invalid_client");
  ASSERT_TRUE(r.Header("WWW-Authenticate"));
  EXPECT_EQ(r.Header("WWW-Authenticate")->rfind("Basic", 0), 0u);
}

TEST_F(TokenEndpointTest, WrongSecretInBodyIs401WithoutChallenge) {
  http::Response r = Token({{"grant_type", "authorization_code"},
                            {"code", AuthorizeCode("conf")},
                            {"client_id", "conf"},
                            {"client_secret", "wrong"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Error(r), "invalid_client");
  EXPECT_FALSE(r.Header("WWW-Authenticate"));
}

TEST_F(TokenEndpointTest, ConfidentialClientWithoutSecretIsInvalidClient) {
  http::Response r = Token({{"grant_type", "authorization_code"},
                            {"code", AuthorizeCode("conf")},
                            {"client_id", "conf"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Error(r), "invalid_client");
}

TEST_F(TokenEndpointTest, PublicClientSendsClientIdOnlyAndMayNotSendASecret) {
  EXPECT_EQ(Exchange("pub", AuthorizeCode("pub")).status, 200);
  http::Response r = Token({{"grant_type", "authorization_code"},
                            {"code", AuthorizeCode("pub")},
                            {"client_id", "pub"},
                            {"client_secret", "anything"}});
  EXPECT_EQ(Error(r), "invalid_client");
}

TEST_F(TokenEndpointTest, UnknownClientIsInvalidClient) {
  http::Response r =
      Token({{"grant_type", "authorization_code"}, {"code", "x"}, {"client_id", "no"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Error(r), "invalid_client");
}

TEST_F(TokenEndpointTest, OnlyFormEncodedBodies) {
  http::Request request;
  request.method = "POST";
  request.path = request.target = "/v1/oauth2/token";
  request.headers.emplace_back("content-type", "application/json");
  request.body = R"({"grant_type":"authorization_code"})";
  http::Response r = token_endpoint_->Handle(request);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Error(r), "invalid_request");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
}

TEST_F(TokenEndpointTest, RepeatedParametersAreInvalidRequest) {
  const std::string code = AuthorizeCode("pub");
  http::Response r = Token(
      {{"grant_type", "authorization_code"}, {"code", code}, {"code", code}, {"client_id", "pub"}});
  EXPECT_EQ(Error(r), "invalid_request");
}

TEST_F(TokenEndpointTest, UnsupportedGrantTypes) {
  for (const char* type : {"password", "implicit", "urn:example:unknown"}) {
    http::Response r = Token({{"grant_type", type}, {"client_id", "pub"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(Error(r), "unsupported_grant_type") << type;
  }
  http::Response cc = Token({{"grant_type", "client_credentials"}, {"client_id", "conf"}});
  EXPECT_EQ(Error(cc), "unsupported_grant_type");
  EXPECT_EQ(Str(JsonBody(cc), "error_description"), "client_credentials is for M2M clients");
}

// A grant that answers every request with an empty token response.
class FakeGrant final : public TokenGrant {
 public:
  explicit FakeGrant(std::string grant_type) : grant_type_(std::move(grant_type)) {}
  std::string_view grant_type() const override { return grant_type_; }
  core::Result<TokenResponse> Exchange(const TokenRequest&) const override {
    return TokenResponse{};
  }

 private:
  const std::string grant_type_;
};

TEST_F(TokenEndpointTest, ClientCredentialsGoesToTheInstalledM2mHandler) {
  std::vector<std::unique_ptr<TokenGrant>> grants;
  grants.push_back(std::make_unique<FakeGrant>("client_credentials"));
  TokenEndpoint endpoint(std::move(grants));
  http::Request request;
  request.method = "POST";
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.body = "grant_type=client_credentials";
  EXPECT_EQ(endpoint.Handle(request).status, 200);
}

TEST_F(TokenEndpointTest, TwoGrantsForOneGrantTypeAreAStartUpError) {
  std::vector<std::unique_ptr<TokenGrant>> grants;
  grants.push_back(std::make_unique<FakeGrant>("urn:example:grant"));
  grants.push_back(std::make_unique<FakeGrant>("urn:example:grant"));
  EXPECT_THROW(TokenEndpoint{std::move(grants)}, std::invalid_argument);
}

TEST_F(TokenEndpointTest, AnExtensionGrantIsReachedByItsGrantType) {
  std::vector<std::unique_ptr<TokenGrant>> grants;
  grants.push_back(std::make_unique<FakeGrant>("urn:example:grant"));
  TokenEndpoint endpoint(std::move(grants));
  http::Response r =
      endpoint.Handle(testing::FormPost("/v1/oauth2/token", {{"grant_type", "urn:example:grant"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_EQ(Str(JsonBody(r), "token_type"), "Bearer");
  EXPECT_FALSE(JsonBody(r).contains("refresh_token"));
  EXPECT_EQ(Error(endpoint.Handle(
                testing::FormPost("/v1/oauth2/token", {{"grant_type", "authorization_code"}}))),
            "unsupported_grant_type");
}

TEST_F(TokenEndpointTest, CodeReuseIsInvalidGrantAndRevokesTokensFromTheFirstUse) {
  const std::string code = AuthorizeCode("pub");
  http::Response first = Exchange("pub", code);
  ASSERT_EQ(first.status, 200);
  auto tokens = JsonBody(first);
  ASSERT_EQ(Userinfo(Str(tokens, "access_token")).status, 200);

  http::Response second = Exchange("pub", code);
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(Error(second), "invalid_grant");
  EXPECT_EQ(Error(Refresh("pub", Str(tokens, "refresh_token"))), "invalid_grant");
  EXPECT_EQ(Userinfo(Str(tokens, "access_token")).status, 401);
}

TEST_F(TokenEndpointTest, PkceDowngradeIsRefused) {
  auto params = Params("conf");
  params.resize(6);  // a confidential client may omit PKCE at authorize ...
  auto response = Authorize(params);
  ASSERT_TRUE(response.code);
  // ... but then a verifier at the token endpoint is a downgrade / injection signal.
  http::Response r = Exchange("conf", *response.code);
  EXPECT_EQ(Error(r), "invalid_grant");
}

TEST_F(TokenEndpointTest, ConfidentialClientWithoutPkceExchangesWithoutVerifier) {
  auto params = Params("conf");
  params.resize(6);
  auto response = Authorize(params);
  EXPECT_EQ(Exchange("conf", *response.code, "").status, 200);
}

TEST_F(TokenEndpointTest, WrongOrMissingVerifierIsInvalidGrant) {
  EXPECT_EQ(Error(Exchange("pub", AuthorizeCode("pub"), "")), "invalid_grant");
  const std::string other(43, 'a');
  EXPECT_EQ(Error(Exchange("pub", AuthorizeCode("pub"), other)), "invalid_grant");
  EXPECT_EQ(Error(Exchange("pub", AuthorizeCode("pub"), "short")), "invalid_request");
}

TEST_F(TokenEndpointTest, RedirectUriMustMatchExactlyWhenSent) {
  const std::string code = AuthorizeCode("pub");
  http::Response wrong = Token({{"grant_type", "authorization_code"},
                                {"code", code},
                                {"redirect_uri", "https://app.example.com/cb/"},
                                {"client_id", "pub"},
                                {"code_verifier", std::string(kVerifier)}});
  EXPECT_EQ(Error(wrong), "invalid_grant");
  http::Response missing = Token({{"grant_type", "authorization_code"},
                                  {"code", AuthorizeCode("pub")},
                                  {"client_id", "pub"},
                                  {"code_verifier", std::string(kVerifier)}});
  EXPECT_EQ(Error(missing), "invalid_grant");
  // The failed attempts did not consume the first code.
  EXPECT_EQ(Exchange("pub", code).status, 200);
}

TEST_F(TokenEndpointTest, CodeExpiresAfterItsLifetime) {
  const std::string code = AuthorizeCode("pub");
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Error(Exchange("pub", code)), "invalid_grant");
}

TEST_F(TokenEndpointTest, CodeIsBoundToItsClient) {
  const std::string code = AuthorizeCode("conf");
  EXPECT_EQ(Error(Exchange("conf2", code)), "invalid_grant");
  EXPECT_EQ(Exchange("conf", code).status, 200);
}

TEST_F(TokenEndpointTest, PublicRefreshRotatesAndReplayRevokesTheFamily) {
  auto tokens = Tokens("pub");
  const std::string rt1 = Str(tokens, "refresh_token");
  http::Response r1 = Refresh("pub", rt1);
  ASSERT_EQ(r1.status, 200) << r1.body;
  const std::string rt2 = Str(JsonBody(r1), "refresh_token");
  EXPECT_NE(rt1, rt2);
  EXPECT_EQ(store::RefreshTokenRepository(db()).Get(crypto::Sha256Hex(rt1))->replaced_by_hash,
            crypto::Sha256Hex(rt2));

  clock_.Advance(std::chrono::seconds(11));  // past the grace window
  EXPECT_EQ(Error(Refresh("pub", rt1)), "invalid_grant");
  EXPECT_EQ(Error(Refresh("pub", rt2)), "invalid_grant");  // the whole family is dead
  EXPECT_EQ(Userinfo(Str(JsonBody(r1), "access_token")).status, 401);
}

TEST_F(TokenEndpointTest, ThePreviousTokenMayBeRetriedOnceWithinGraceAndTheSuccessorStays) {
  const std::string rt1 = Str(Tokens("pub"), "refresh_token");
  const std::string rt2 = Str(JsonBody(Refresh("pub", rt1)), "refresh_token");
  clock_.Advance(std::chrono::seconds(5));
  http::Response retry = Refresh("pub", rt1);
  ASSERT_EQ(retry.status, 200) << retry.body;
  const std::string rt3 = Str(JsonBody(retry), "refresh_token");
  EXPECT_NE(rt3, rt2);
  EXPECT_NE(rt3, rt1);
  // Two live branches: the successor and the retry's token both rotate on.
  http::Response next = Refresh("pub", rt3);
  ASSERT_EQ(next.status, 200) << next.body;
  const std::string rt4 = Str(JsonBody(next), "refresh_token");
  http::Response successor = Refresh("pub", rt2);
  ASSERT_EQ(successor.status, 200) << successor.body;
  const std::string rt2b = Str(JsonBody(successor), "refresh_token");
  // A second retry of rt1 is a replay: the family goes, every branch of it.
  EXPECT_EQ(Error(Refresh("pub", rt1)), "invalid_grant");
  EXPECT_EQ(Error(Refresh("pub", rt4)), "invalid_grant");
  EXPECT_EQ(Error(Refresh("pub", rt2b)), "invalid_grant");
  EXPECT_EQ(Userinfo(Str(JsonBody(successor), "access_token")).status, 401);
}

TEST_F(TokenEndpointTest, RetryingATokenWhoseSuccessorWasUsedIsAReplay) {
  const std::string rt1 = Str(Tokens("pub"), "refresh_token");
  const std::string rt2 = Str(JsonBody(Refresh("pub", rt1)), "refresh_token");
  http::Response moved = Refresh("pub", rt2);
  ASSERT_EQ(moved.status, 200) << moved.body;
  // Within the window, but rt1 is no longer the exact previous token.
  EXPECT_EQ(Error(Refresh("pub", rt1)), "invalid_grant");
  EXPECT_EQ(Error(Refresh("pub", Str(JsonBody(moved), "refresh_token"))), "invalid_grant");
}

TEST_F(TokenEndpointTest, ConfidentialRefreshKeepsTheTokenAndExtendsIt) {
  const std::string rt = Str(Tokens("conf"), "refresh_token");
  store::RefreshTokenRepository tokens(db());
  const int64_t before = tokens.Get(crypto::Sha256Hex(rt))->expires_at;
  clock_.Advance(std::chrono::seconds(100));
  http::Response r1 = Refresh("conf", rt);
  ASSERT_EQ(r1.status, 200) << r1.body;
  EXPECT_EQ(Str(JsonBody(r1), "refresh_token"), rt);
  EXPECT_EQ(tokens.Get(crypto::Sha256Hex(rt))->expires_at, before + 100);
  clock_.Advance(std::chrono::seconds(100));
  EXPECT_EQ(Refresh("conf", rt).status, 200);
}

TEST_F(TokenEndpointTest, RefreshMayNarrowButNotWidenTheScope) {
  const std::string rt = Str(Tokens("conf"), "refresh_token");
  http::Response narrow = Refresh("conf", rt, "openid");
  ASSERT_EQ(narrow.status, 200);
  EXPECT_EQ(Str(JsonBody(narrow), "scope"), "openid");
  auto claims = Decode(Str(JsonBody(narrow), "access_token"), "at+jwt").claims;
  EXPECT_EQ(Str(claims, "scope"), "openid");
  http::Response wide = Refresh("conf", rt, "openid phone");
  EXPECT_EQ(Error(wide), "invalid_scope");
  // Narrowing once does not shrink the refresh token.
  EXPECT_EQ(Str(JsonBody(Refresh("conf", rt)), "scope"), "email offline_access openid");
}

TEST_F(TokenEndpointTest, RefreshTokenIsBoundToItsClient) {
  const std::string rt = Str(Tokens("conf"), "refresh_token");
  EXPECT_EQ(Error(Refresh("conf2", rt)), "invalid_grant");
  EXPECT_EQ(Error(Refresh("pub", rt)), "invalid_grant");
}

TEST_F(TokenEndpointTest, RevokedGrantStopsRefresh) {
  const std::string rt = Str(Tokens("conf"), "refresh_token");
  auto record = store::RefreshTokenRepository(db()).Get(crypto::Sha256Hex(rt));
  store::GrantRepository(db()).Revoke(record->grant_id, clock_.NowSeconds());
  EXPECT_EQ(Error(Refresh("conf", rt)), "invalid_grant");
}

TEST_F(TokenEndpointTest, RefreshedIdTokenKeepsSubAudAndAuthTime) {
  auto tokens = Tokens("pub");
  auto first = Decode(Str(tokens, "id_token"), std::nullopt).claims;
  clock_.Advance(std::chrono::seconds(30));
  http::Response refreshed = Refresh("pub", Str(tokens, "refresh_token"));
  ASSERT_EQ(refreshed.status, 200);
  auto second = Decode(Str(JsonBody(refreshed), "id_token"), std::nullopt).claims;
  EXPECT_EQ(second.at("sub"), first.at("sub"));
  EXPECT_EQ(second.at("aud"), first.at("aud"));
  EXPECT_EQ(second.at("auth_time"), first.at("auth_time"));
  EXPECT_GT(second.at("iat").as_int64(), first.at("iat").as_int64());
  EXPECT_FALSE(second.contains("nonce"));
}

TEST_F(TokenEndpointTest, ResourceAtTheTokenEndpointPicksAmongTheGrantsResources) {
  auto params = Params("pub");
  params.emplace_back("resource", "https://a.example.com/");
  params.emplace_back("resource", "https://b.example.com/");
  auto response = Authorize(params);
  ASSERT_TRUE(response.code);
  http::Response r = Token({{"grant_type", "authorization_code"},
                            {"code", *response.code},
                            {"redirect_uri", "https://app.example.com/cb"},
                            {"client_id", "pub"},
                            {"code_verifier", std::string(kVerifier)},
                            {"resource", "https://b.example.com/"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto tokens = JsonBody(r);
  EXPECT_EQ(Str(Decode(Str(tokens, "access_token"), "at+jwt").claims, "aud"),
            "https://b.example.com/");

  // On refresh too; a resource outside the grant is invalid_target and consumes nothing.
  http::Response other = Token({{"grant_type", "refresh_token"},
                                {"refresh_token", Str(tokens, "refresh_token")},
                                {"client_id", "pub"},
                                {"resource", "https://c.example.com/"}});
  EXPECT_EQ(Error(other), "invalid_target");
  http::Response all = Refresh("pub", Str(tokens, "refresh_token"));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_TRUE(Decode(Str(JsonBody(all), "access_token"), "at+jwt").claims.at("aud").is_array());
}

TEST_F(TokenEndpointTest, ErrorDescriptionsArePrintableAsciiWithoutQuotes) {
  http::Response r = Token({{"grant_type", "bad\"grant\\\x01\xc3\xa9"}, {"client_id", "pub"}});
  const std::string description = Str(JsonBody(r), "error_description");
  ASSERT_FALSE(description.empty());
  for (char c : description) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') << static_cast<int>(c);
  }
}

}  // namespace
}  // namespace gatehouse::oauth
