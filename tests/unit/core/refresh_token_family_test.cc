#include "core/refresh_token_family.h"

#include <gtest/gtest.h>

namespace gatehouse::core {
namespace {

constexpr int64_t kNow = 1'000'000;
constexpr int64_t kTtl = 30 * 24 * 3600;
constexpr int64_t kGrace = 10;

const RefreshTokenFamily kFamily(RefreshTokenFamilySettings{.token_ttl_seconds = kTtl,
                                                            .grace_seconds = kGrace});

RefreshTokenState Current() { return RefreshTokenState{.expires_at = kNow + 100}; }

// The exact previous token: rotated at `rotated_at`, its successor still current.
RefreshTokenState RotatedAt(int64_t rotated_at) {
  RefreshTokenState token = Current();
  token.rotated_at = rotated_at;
  token.successor_current = true;
  return token;
}

std::string Description(const RefreshDecision& decision) {
  return decision.error ? decision.error->description() : "";
}

TEST(RefreshTokenFamilyTest, RevokedAndExpiredTokensAreRefusedForEveryClient) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kThirdPartyPublic}) {
    RefreshTokenState revoked = Current();
    revoked.revoked_at = kNow - 1;
    RefreshDecision decision = kFamily.Decide(revoked, type, kNow);
    EXPECT_EQ(decision.step, RefreshStep::kRefuse);
    ASSERT_TRUE(decision.error);
    EXPECT_EQ(decision.error->code(), ErrorCode::kInvalidGrant);
    EXPECT_EQ(Description(decision), "the refresh token has been revoked");

    RefreshTokenState expired = Current();
    expired.expires_at = kNow;  // the expiry instant itself is too late
    decision = kFamily.Decide(expired, type, kNow);
    EXPECT_EQ(decision.step, RefreshStep::kRefuse);
    EXPECT_EQ(Description(decision), "the refresh token has expired");
  }
}

TEST(RefreshTokenFamilyTest, RevocationIsReportedBeforeExpiry) {
  RefreshTokenState token = Current();
  token.revoked_at = kNow - 5;
  token.expires_at = kNow - 1;
  EXPECT_EQ(Description(kFamily.Decide(token, ClientType::kFirstParty, kNow)),
            "the refresh token has been revoked");
}

TEST(RefreshTokenFamilyTest, ConfidentialClientsKeepTheirTokenAndExtendIt) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kThirdParty}) {
    RefreshDecision decision = kFamily.Decide(Current(), type, kNow);
    EXPECT_EQ(decision.step, RefreshStep::kKeep);
    EXPECT_EQ(decision.expires_at, kNow + kTtl);
    EXPECT_FALSE(decision.error);
  }
}

TEST(RefreshTokenFamilyTest, PublicClientsRotateACurrentToken) {
  for (ClientType type : {ClientType::kFirstPartyPublic, ClientType::kThirdPartyPublic}) {
    RefreshDecision decision = kFamily.Decide(Current(), type, kNow);
    EXPECT_EQ(decision.step, RefreshStep::kRotate);
    EXPECT_EQ(decision.expires_at, kNow + kTtl);
  }
}

TEST(RefreshTokenFamilyTest, TheImmediatelyPreviousTokenMayRetryWithinGraceInclusive) {
  for (int64_t rotated_at : {kNow, kNow - 5, kNow - kGrace}) {
    RefreshDecision decision =
        kFamily.Decide(RotatedAt(rotated_at), ClientType::kThirdPartyPublic, kNow);
    EXPECT_EQ(decision.step, RefreshStep::kRetryWithinGrace) << rotated_at;
    EXPECT_EQ(decision.expires_at, kNow + kTtl);
  }
}

TEST(RefreshTokenFamilyTest, ARotatedTokenPastGraceIsAReplayThatRevokesTheFamily) {
  RefreshDecision decision =
      kFamily.Decide(RotatedAt(kNow - kGrace - 1), ClientType::kThirdPartyPublic, kNow);
  EXPECT_EQ(decision.step, RefreshStep::kRevokeFamily);
  ASSERT_TRUE(decision.error);
  EXPECT_EQ(decision.error->code(), ErrorCode::kInvalidGrant);
  EXPECT_EQ(Description(decision), "the refresh token was already used");
}

TEST(RefreshTokenFamilyTest, TheGraceRetryIsSpentAfterOneUse) {
  RefreshTokenState token = RotatedAt(kNow - 1);
  token.grace_used = true;
  EXPECT_EQ(kFamily.Decide(token, ClientType::kFirstPartyPublic, kNow).step,
            RefreshStep::kRevokeFamily);
}

TEST(RefreshTokenFamilyTest, ATokenWhoseSuccessorMovedOnIsNotThePreviousTokenAndIsAReplay) {
  // Its successor was rotated (or revoked): within the window or not, a use is a replay.
  RefreshTokenState token = RotatedAt(kNow - 1);
  token.successor_current = false;
  const RefreshDecision decision = kFamily.Decide(token, ClientType::kThirdPartyPublic, kNow);
  EXPECT_EQ(decision.step, RefreshStep::kRevokeFamily);
  EXPECT_EQ(Description(decision), "the refresh token was already used");
}

TEST(RefreshTokenFamilyTest, ATokenIssuedByAGraceRetryHasItsOwnRotationAndGraceRetry) {
  // The retry's token starts a branch of its own: current, it rotates; once rotated, it has its
  // own single grace retry, whatever its parent's state.
  EXPECT_EQ(kFamily.Decide(Current(), ClientType::kThirdPartyPublic, kNow).step,
            RefreshStep::kRotate);
  EXPECT_EQ(kFamily.Decide(RotatedAt(kNow), ClientType::kThirdPartyPublic, kNow).step,
            RefreshStep::kRetryWithinGrace);
}

// Parallel uses of one token against a store that lets one rotation and one grace retry win, as
// the conditional UPDATEs do: whatever the order, the original use and at most one grace retry
// succeed and every other use revokes the family.
TEST(RefreshTokenFamilyTest, ParallelUsesGetTheOriginalAndAtMostOneGraceRetry) {
  // Each of 20 requests read the token either before the rotation (current) or after it.
  for (int read_before_rotation = 1; read_before_rotation <= 20; ++read_before_rotation) {
    bool rotated = false;
    bool retried = false;
    int successes = 0;
    int revocations = 0;
    for (int i = 0; i < 20; ++i) {
      RefreshTokenState read = i < read_before_rotation ? Current() : RotatedAt(kNow);
      if (retried && i >= read_before_rotation) read.grace_used = true;
      RefreshDecision decision = kFamily.Decide(read, ClientType::kThirdPartyPublic, kNow);
      for (;;) {
        if (decision.step == RefreshStep::kRotate && !rotated) {
          rotated = true;
          ++successes;
          break;
        }
        if (decision.step == RefreshStep::kRetryWithinGrace && rotated && !retried) {
          retried = true;
          ++successes;
          break;
        }
        if (!IsStoreStep(decision.step)) break;
        decision = kFamily.AfterLostRace(decision);
      }
      if (decision.step == RefreshStep::kRevokeFamily) ++revocations;
    }
    EXPECT_EQ(successes, 2) << read_before_rotation;
    EXPECT_EQ(revocations, 18) << read_before_rotation;
  }
}

TEST(RefreshTokenFamilyTest, ZeroGraceAllowsOnlyTheSameSecond) {
  const RefreshTokenFamily strict(
      RefreshTokenFamilySettings{.token_ttl_seconds = kTtl, .grace_seconds = 0});
  EXPECT_EQ(strict.Decide(RotatedAt(kNow), ClientType::kThirdPartyPublic, kNow).step,
            RefreshStep::kRetryWithinGrace);
  EXPECT_EQ(strict.Decide(RotatedAt(kNow - 1), ClientType::kThirdPartyPublic, kNow).step,
            RefreshStep::kRevokeFamily);
}

TEST(RefreshTokenFamilyTest, ALostRotationBecomesAGraceRetryWithTheSameExpiry) {
  const RefreshDecision rotate = kFamily.Decide(Current(), ClientType::kThirdPartyPublic, kNow);
  const RefreshDecision next = kFamily.AfterLostRace(rotate);
  EXPECT_EQ(next.step, RefreshStep::kRetryWithinGrace);
  EXPECT_EQ(next.expires_at, rotate.expires_at);
}

TEST(RefreshTokenFamilyTest, ALostGraceRetryIsAReplay) {
  const RefreshDecision next = kFamily.AfterLostRace(
      kFamily.Decide(RotatedAt(kNow - 1), ClientType::kThirdPartyPublic, kNow));
  EXPECT_EQ(next.step, RefreshStep::kRevokeFamily);
  EXPECT_EQ(Description(next), "the refresh token was already used");
}

TEST(RefreshTokenFamilyTest, ALostKeepIsRefusedWithoutRevokingTheFamily) {
  const RefreshDecision next =
      kFamily.AfterLostRace(kFamily.Decide(Current(), ClientType::kFirstParty, kNow));
  EXPECT_EQ(next.step, RefreshStep::kRefuse);
  EXPECT_EQ(Description(next), "the refresh token is no longer valid");
}

TEST(RefreshTokenFamilyTest,
     AConfidentialClientPresentingARotatedTokenIsKeptThenRefusedByTheStore) {
  // Confidential tokens never rotate; the store's extend finds such a token not current.
  const RefreshDecision keep = kFamily.Decide(RotatedAt(kNow - 1), ClientType::kFirstParty, kNow);
  EXPECT_EQ(keep.step, RefreshStep::kKeep);
  EXPECT_EQ(kFamily.AfterLostRace(keep).step, RefreshStep::kRefuse);
}

}  // namespace
}  // namespace gatehouse::core
