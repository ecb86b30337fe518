// Store contract suite for grants and what hangs off them: authorization codes, refresh tokens and
// remembered consents, on both engines.

#include <gtest/gtest.h>

#include <atomic>

#include "store/authorization_code_repository.h"
#include "store/consent_repository.h"
#include "store/grant_repository.h"
#include "store/grant_store_fixtures.h"
#include "store/refresh_token_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using testing::InsertTestClient;
using testing::InsertTestUser;

class GrantRepositoryTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    InsertTestUser(db(), "user-1", "ada@example.com");
    InsertTestClient(db(), "client-1");
    GrantRepository(db()).Insert(MakeGrant("grant-1"));
  }

  static GrantRecord MakeGrant(std::string id) {
    return GrantRecord{.grant_id = std::move(id),
                       .user_id = "user-1",
                       .client_id = "client-1",
                       .scope = "offline_access openid",
                       .resources_json = R"(["https://api.example.com"])",
                       .auth_time = 100,
                       .created_at = 110,
                       .revoked_at = std::nullopt};
  }

  static AuthorizationCodeRecord MakeCode(std::string hash, int64_t expires_at = 200) {
    return AuthorizationCodeRecord{.code_hash = std::move(hash),
                                   .grant_id = "grant-1",
                                   .client_id = "client-1",
                                   .redirect_uri = "https://app.example.com/cb",
                                   .redirect_uri_sent = true,
                                   .code_challenge = "challenge",
                                   .nonce = "n-1",
                                   .auth_time = 100,
                                   .expires_at = expires_at,
                                   .used_at = std::nullopt};
  }

  static RefreshTokenRecord MakeToken(std::string hash, int64_t expires_at = 10'000) {
    return RefreshTokenRecord{.token_hash = std::move(hash),
                              .grant_id = "grant-1",
                              .client_id = "client-1",
                              .scope = "offline_access openid",
                              .created_at = 110,
                              .expires_at = expires_at,
                              .rotated_at = std::nullopt,
                              .replaced_by_hash = std::nullopt,
                              .grace_used = false,
                              .revoked_at = std::nullopt};
  }
};

TEST_P(GrantRepositoryTest, StoresAndReadsAGrant) {
  GrantRepository grants(db());
  const std::optional<GrantRecord> grant = grants.Get("grant-1");
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->user_id, "user-1");
  EXPECT_EQ(grant->client_id, "client-1");
  EXPECT_EQ(grant->scope, "offline_access openid");
  EXPECT_EQ(grant->resources_json, R"(["https://api.example.com"])");
  EXPECT_EQ(grant->auth_time, 100);
  EXPECT_EQ(grant->created_at, 110);
  EXPECT_FALSE(grant->revoked_at);
  EXPECT_TRUE(grants.IsActive("grant-1"));
  EXPECT_FALSE(grants.IsActive("grant-unknown"));
  EXPECT_FALSE(grants.Get("grant-unknown"));
}

TEST_P(GrantRepositoryTest, RefusesAGrantForAnUnknownUser) {
  GrantRecord grant = MakeGrant("grant-2");
  grant.user_id = "user-nobody";
  // Engines differ in how they classify a foreign-key failure; both refuse the row.
  EXPECT_THROW(GrantRepository(db()).Insert(grant), DatabaseError);
}

TEST_P(GrantRepositoryTest, RevokingAGrantRevokesItsRefreshTokensOnce) {
  GrantRepository grants(db());
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  EXPECT_TRUE(grants.Revoke("grant-1", 500));
  EXPECT_FALSE(grants.Revoke("grant-1", 600));
  EXPECT_FALSE(grants.IsActive("grant-1"));
  EXPECT_EQ(grants.Get("grant-1")->revoked_at, 500);
  EXPECT_EQ(tokens.Get("rt-1")->revoked_at, 500);
}

TEST_P(GrantRepositoryTest, RevokesEveryGrantOfAUserForAClient) {
  GrantRepository grants(db());
  grants.Insert(MakeGrant("grant-2"));
  InsertTestClient(db(), "client-2");
  GrantRecord other = MakeGrant("grant-3");
  other.client_id = "client-2";
  grants.Insert(other);
  RefreshTokenRepository(db()).Insert(MakeToken("rt-1"));
  EXPECT_EQ(grants.RevokeForUserAndClient("user-1", "client-1", 700), 2);
  EXPECT_FALSE(grants.IsActive("grant-1"));
  EXPECT_FALSE(grants.IsActive("grant-2"));
  EXPECT_TRUE(grants.IsActive("grant-3"));
  EXPECT_EQ(RefreshTokenRepository(db()).Get("rt-1")->revoked_at, 700);
}

TEST_P(GrantRepositoryTest, DeletingTheUserDeletesGrantsCodesTokensAndConsents) {
  AuthorizationCodeRepository(db()).Insert(MakeCode("code-1"));
  RefreshTokenRepository(db()).Insert(MakeToken("rt-1"));
  ConsentRepository(db()).Remember("user-1", "client-1", "openid", 120);
  db().Run([](Connection& c) { c.Execute("DELETE FROM users WHERE user_id = ?", {"user-1"}); });
  EXPECT_FALSE(GrantRepository(db()).Get("grant-1"));
  EXPECT_FALSE(AuthorizationCodeRepository(db()).Get("code-1"));
  EXPECT_FALSE(RefreshTokenRepository(db()).Get("rt-1"));
  EXPECT_FALSE(ConsentRepository(db()).Find("user-1", "client-1"));
}

TEST_P(GrantRepositoryTest, DeletingTheClientDeletesItsGrants) {
  db().Run(
      [](Connection& c) { c.Execute("DELETE FROM clients WHERE client_id = ?", {"client-1"}); });
  EXPECT_FALSE(GrantRepository(db()).Get("grant-1"));
}

TEST_P(GrantRepositoryTest, StoresAndReadsACode) {
  AuthorizationCodeRepository codes(db());
  codes.Insert(MakeCode("code-1"));
  const std::optional<AuthorizationCodeRecord> code = codes.Get("code-1");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->grant_id, "grant-1");
  EXPECT_EQ(code->client_id, "client-1");
  EXPECT_EQ(code->redirect_uri, "https://app.example.com/cb");
  EXPECT_TRUE(code->redirect_uri_sent);
  EXPECT_EQ(code->code_challenge, "challenge");
  EXPECT_EQ(code->nonce, "n-1");
  EXPECT_EQ(code->auth_time, 100);
  EXPECT_EQ(code->expires_at, 200);
  EXPECT_FALSE(code->used_at);

  AuthorizationCodeRecord bare = MakeCode("code-2");
  bare.code_challenge.reset();
  bare.nonce.reset();
  bare.redirect_uri_sent = false;
  codes.Insert(bare);
  EXPECT_FALSE(codes.Get("code-2")->code_challenge);
  EXPECT_FALSE(codes.Get("code-2")->nonce);
  EXPECT_FALSE(codes.Get("code-2")->redirect_uri_sent);
}

TEST_P(GrantRepositoryTest, ACodeIsUsedOnce) {
  AuthorizationCodeRepository codes(db());
  codes.Insert(MakeCode("code-1"));
  EXPECT_TRUE(codes.MarkUsed("code-1", 150));
  EXPECT_FALSE(codes.MarkUsed("code-1", 151));
  EXPECT_EQ(codes.Get("code-1")->used_at, 150);
  EXPECT_FALSE(codes.MarkUsed("code-unknown", 150));
}

TEST_P(GrantRepositoryTest, ConcurrentRedemptionsOfACodeHaveOneWinner) {
  AuthorizationCodeRepository codes(db());
  codes.Insert(MakeCode("code-1"));
  std::atomic<int> winners{0};
  testing::RunConcurrently(4, [&](int) {
    if (codes.MarkUsed("code-1", 150)) ++winners;
  });
  EXPECT_EQ(winners.load(), 1);
}

TEST_P(GrantRepositoryTest, DeletesExpiredCodes) {
  AuthorizationCodeRepository codes(db());
  codes.Insert(MakeCode("code-old", 100));
  codes.Insert(MakeCode("code-new", 300));
  EXPECT_EQ(codes.DeleteExpired(200), 1);
  EXPECT_FALSE(codes.Get("code-old"));
  EXPECT_TRUE(codes.Get("code-new"));
}

TEST_P(GrantRepositoryTest, ReadsARefreshTokenWithItsGrantInOneStatement) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  const std::optional<RefreshTokenRepository::WithGrant> found = tokens.GetWithGrant("rt-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->token.token_hash, "rt-1");
  EXPECT_EQ(found->token.grant_id, "grant-1");
  EXPECT_EQ(found->token.expires_at, 10'000);
  EXPECT_FALSE(found->token.revoked_at);
  ASSERT_TRUE(found->grant);
  EXPECT_EQ(found->grant->grant_id, "grant-1");
  EXPECT_EQ(found->grant->user_id, "user-1");
  EXPECT_EQ(found->grant->resources_json, R"(["https://api.example.com"])");
  EXPECT_EQ(found->grant->auth_time, 100);
  EXPECT_FALSE(found->grant->revoked_at);
  EXPECT_FALSE(tokens.GetWithGrant("rt-unknown"));

  ASSERT_TRUE(GrantRepository(db()).Revoke("grant-1", 500));
  const std::optional<RefreshTokenRepository::WithGrant> revoked = tokens.GetWithGrant("rt-1");
  ASSERT_TRUE(revoked && revoked->grant);
  EXPECT_EQ(revoked->grant->revoked_at, 500);
  EXPECT_EQ(revoked->token.revoked_at, 500);
}

TEST_P(GrantRepositoryTest, RotatesARefreshTokenOnce) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  EXPECT_TRUE(tokens.Rotate("rt-1", MakeToken("rt-2"), 300));
  const std::optional<RefreshTokenRecord> old = tokens.Get("rt-1");
  EXPECT_EQ(old->rotated_at, 300);
  EXPECT_EQ(old->replaced_by_hash, "rt-2");
  EXPECT_FALSE(tokens.Get("rt-2")->rotated_at);
  EXPECT_FALSE(tokens.Rotate("rt-1", MakeToken("rt-3"), 301));
  EXPECT_FALSE(tokens.Get("rt-3"));
}

TEST_P(GrantRepositoryTest, ReadsWhetherARotatedTokensSuccessorIsCurrent) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  EXPECT_FALSE(tokens.GetWithGrant("rt-1")->successor_current);  // no successor yet
  ASSERT_TRUE(tokens.Rotate("rt-1", MakeToken("rt-2"), 300));
  EXPECT_TRUE(tokens.GetWithGrant("rt-1")->successor_current);
  EXPECT_FALSE(tokens.GetWithGrant("rt-2")->successor_current);
  ASSERT_TRUE(tokens.Rotate("rt-2", MakeToken("rt-3"), 301));
  EXPECT_FALSE(tokens.GetWithGrant("rt-1")->successor_current);  // rt-2 moved on
  EXPECT_TRUE(tokens.GetWithGrant("rt-2")->successor_current);
  ASSERT_TRUE(GrantRepository(db()).Revoke("grant-1", 302));
  EXPECT_FALSE(tokens.GetWithGrant("rt-2")->successor_current);  // rt-3 revoked
}

TEST_P(GrantRepositoryTest, TheExactPreviousTokenRetriesOnceWithinGraceAndTheSuccessorStays) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  ASSERT_TRUE(tokens.Rotate("rt-1", MakeToken("rt-2"), 300));
  EXPECT_TRUE(tokens.RetryWithinGrace("rt-1", MakeToken("rt-3"), 305, 10));
  const std::optional<RefreshTokenRecord> old = tokens.Get("rt-1");
  EXPECT_TRUE(old->grace_used);
  EXPECT_EQ(old->replaced_by_hash, "rt-2");  // the successor stays the successor
  EXPECT_EQ(old->rotated_at, 300);
  // Two live branches: the successor and the retry's token, each current.
  const std::optional<RefreshTokenRecord> successor = tokens.Get("rt-2");
  EXPECT_FALSE(successor->revoked_at);
  EXPECT_FALSE(successor->rotated_at);
  const std::optional<RefreshTokenRecord> branch = tokens.Get("rt-3");
  ASSERT_TRUE(branch);
  EXPECT_FALSE(branch->revoked_at);
  EXPECT_FALSE(branch->rotated_at);
  EXPECT_TRUE(tokens.Rotate("rt-2", MakeToken("rt-2b"), 306));
  EXPECT_TRUE(tokens.Rotate("rt-3", MakeToken("rt-3b"), 306));
  // The retry was spent.
  EXPECT_FALSE(tokens.RetryWithinGrace("rt-1", MakeToken("rt-4"), 306, 10));
  EXPECT_FALSE(tokens.Get("rt-4"));
}

TEST_P(GrantRepositoryTest, NoGraceRetryAfterTheWindowOrForAnOlderToken) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  ASSERT_TRUE(tokens.Rotate("rt-1", MakeToken("rt-2"), 300));
  EXPECT_FALSE(tokens.RetryWithinGrace("rt-1", MakeToken("rt-x"), 311, 10));
  ASSERT_TRUE(tokens.Rotate("rt-2", MakeToken("rt-3"), 302));
  // rt-1 is no longer the exact previous token: its successor rt-2 was rotated too.
  EXPECT_FALSE(tokens.RetryWithinGrace("rt-1", MakeToken("rt-y"), 303, 10));
  EXPECT_FALSE(tokens.Get("rt-3")->revoked_at);
  EXPECT_FALSE(tokens.Get("rt-1")->grace_used);
  EXPECT_FALSE(tokens.Get("rt-x"));
  EXPECT_FALSE(tokens.Get("rt-y"));
}

TEST_P(GrantRepositoryTest, NoGraceRetryOnceTheFamilyIsRevoked) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  ASSERT_TRUE(tokens.Rotate("rt-1", MakeToken("rt-2"), 300));
  ASSERT_TRUE(GrantRepository(db()).Revoke("grant-1", 301));
  EXPECT_FALSE(tokens.RetryWithinGrace("rt-1", MakeToken("rt-3"), 302, 10));
  EXPECT_FALSE(tokens.Get("rt-3"));
  EXPECT_FALSE(tokens.Get("rt-1")->grace_used);
}

TEST_P(GrantRepositoryTest, ConcurrentGraceRetriesHaveOneWinner) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  ASSERT_TRUE(tokens.Rotate("rt-1", MakeToken("rt-2"), 300));
  std::atomic<int> winners{0};
  testing::RunConcurrently(3, [&](int i) {
    if (tokens.RetryWithinGrace("rt-1", MakeToken("rt-new-" + std::to_string(i)), 301, 10)) {
      ++winners;
    }
  });
  EXPECT_EQ(winners.load(), 1);
  EXPECT_FALSE(tokens.Get("rt-2")->revoked_at);
}

// What the refresh grant does for parallel uses of one token: rotate, and when that loses, try
// the grace retry. The database lets exactly one of each win.
TEST_P(GrantRepositoryTest, ParallelUsesOfOneTokenGetOneRotationAndOneGraceRetry) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  std::atomic<int> rotations{0};
  std::atomic<int> retries{0};
  testing::RunConcurrently(4, [&](int i) {
    if (tokens.Rotate("rt-1", MakeToken("rt-rot-" + std::to_string(i)), 300)) {
      ++rotations;
    } else if (tokens.RetryWithinGrace("rt-1", MakeToken("rt-retry-" + std::to_string(i)), 300,
                                       10)) {
      ++retries;
    }
  });
  EXPECT_EQ(rotations.load(), 1);
  EXPECT_EQ(retries.load(), 1);
}

TEST_P(GrantRepositoryTest, ExtendsACurrentToken) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-1"));
  EXPECT_TRUE(tokens.Extend("rt-1", 20'000));
  EXPECT_EQ(tokens.Get("rt-1")->expires_at, 20'000);
  GrantRepository(db()).Revoke("grant-1", 400);
  EXPECT_FALSE(tokens.Extend("rt-1", 30'000));
}

TEST_P(GrantRepositoryTest, DeletesExpiredRefreshTokens) {
  RefreshTokenRepository tokens(db());
  tokens.Insert(MakeToken("rt-old", 100));
  tokens.Insert(MakeToken("rt-new", 300));
  EXPECT_EQ(tokens.DeleteExpired(200), 1);
  EXPECT_FALSE(tokens.Get("rt-old"));
  EXPECT_TRUE(tokens.Get("rt-new"));
}

TEST_P(GrantRepositoryTest, RemembersConsentPerUserAndClient) {
  ConsentRepository consents(db());
  EXPECT_FALSE(consents.Find("user-1", "client-1"));
  consents.Remember("user-1", "client-1", "openid", 120);
  EXPECT_EQ(consents.Find("user-1", "client-1"), "openid");
  consents.Remember("user-1", "client-1", "email openid", 130);
  EXPECT_EQ(consents.Find("user-1", "client-1"), "email openid");
  EXPECT_TRUE(consents.Forget("user-1", "client-1"));
  EXPECT_FALSE(consents.Forget("user-1", "client-1"));
  EXPECT_FALSE(consents.Find("user-1", "client-1"));
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(GrantRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
