// SessionExchange: a fresh full_access token of a first-party client becomes a session, once.

#include "oauth/session_exchange.h"

#include <gtest/gtest.h>

#include "store/grant_repository.h"
#include "token_lifecycle_test_support.h"

namespace gatehouse::oauth {
namespace {

using testing::Str;

constexpr int64_t kHour = 3600;

class SessionExchangeTest : public testing::TokenLifecycleTest {
 protected:
  SessionExchangeTest() { AddFirstPartyClient("fp"); }

  std::string FullAccessToken(const std::string& client_id = "fp") {
    return Str(Tokens(client_id, "openid full_access"), "access_token");
  }
};

TEST_F(SessionExchangeTest, AFreshFullAccessTokenBecomesASession) {
  const std::string token = FullAccessToken();
  ASSERT_NE(Str(Decode(token, "at+jwt").claims, "scope").find("full_access"), std::string::npos);
  core::Result<accounts::IssuedSession> issued = exchange_.Exchange(token, kHour);
  ASSERT_TRUE(issued) << issued.error().description();
  EXPECT_EQ(issued->user.user_id, "user-1");
  EXPECT_EQ(issued->session.user_id, "user-1");
  EXPECT_EQ(issued->session.authentication_method, "access_token_exchange");
  EXPECT_EQ(issued->session.expires_at, clock_.NowSeconds() + kHour);
  EXPECT_FALSE(issued->session_token.empty());
}

TEST_F(SessionExchangeTest, ASecondExchangeOfTheSameTokenIsRefused) {
  const std::string token = FullAccessToken();
  ASSERT_TRUE(exchange_.Exchange(token, kHour));
  core::Result<accounts::IssuedSession> again = exchange_.Exchange(token, kHour);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), core::ErrorCode::kInvalidToken);
}

TEST_F(SessionExchangeTest, TokensOlderThanFiveMinutesAreRefused) {
  const std::string token = FullAccessToken();
  clock_.Advance(std::chrono::seconds(kMaxExchangeAgeSeconds + 1));
  core::Result<accounts::IssuedSession> late = exchange_.Exchange(token, kHour);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), core::ErrorCode::kInvalidToken);

  const std::string fresh = FullAccessToken();
  clock_.Advance(std::chrono::seconds(kMaxExchangeAgeSeconds));
  EXPECT_TRUE(exchange_.Exchange(fresh, kHour));  // exactly five minutes is still fresh
}

TEST_F(SessionExchangeTest, TokensWithoutFullAccessAreRefused) {
  const std::string token = Str(Tokens("fp", "openid email"), "access_token");
  core::Result<accounts::IssuedSession> refused = exchange_.Exchange(token, kHour);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kInsufficientScope);
}

TEST_F(SessionExchangeTest, ClientsThatAreNotFirstPartyAreRefused) {
  const std::string token = FullAccessToken();
  // The client has since become third-party: it may no longer exchange.
  clients_.Add(core::Client{.client_id = "fp",
                            .client_type = core::ClientType::kThirdParty,
                            .client_name = "Now third party",
                            .redirect_uris = {"https://app.example.com/cb"}},
               std::string(testing::kSecret));
  core::Result<accounts::IssuedSession> refused = exchange_.Exchange(token, kHour);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kForbidden);
}

TEST_F(SessionExchangeTest, ThirdPartyClientsCannotObtainFullAccessToExchange) {
  AddClient("third", core::ClientType::kThirdParty);
  const std::string token = Str(Tokens("third", "openid"), "access_token");
  core::Result<accounts::IssuedSession> refused = exchange_.Exchange(token, kHour);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().code(), core::ErrorCode::kInvalidToken);
}

TEST_F(SessionExchangeTest, RevokedAndInvalidTokensAreRefused) {
  const std::string token = FullAccessToken();
  store::GrantRepository(db()).Revoke(Str(Decode(token, "at+jwt").claims, std::string(kGrantClaim)),
                                      clock_.NowSeconds());
  core::Result<accounts::IssuedSession> revoked = exchange_.Exchange(token, kHour);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code(), core::ErrorCode::kInvalidToken);
  EXPECT_FALSE(exchange_.Exchange("not-a-token", kHour));
}

}  // namespace
}  // namespace gatehouse::oauth
