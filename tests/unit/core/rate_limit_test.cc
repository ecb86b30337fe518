// RateLimit: per-key token buckets with a bounded memory.

#include "core/rate_limit.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace gatehouse::core {
namespace {

TEST(RateLimitTest, SpendsTheBurstThenRefillsAtTheRate) {
  testing::FakeClock clock;
  RateLimit limit(clock, /*per_minute=*/6, /*burst=*/2);
  EXPECT_TRUE(limit.Admit("a").allowed);
  EXPECT_TRUE(limit.Admit("a").allowed);
  const auto refused = limit.Admit("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 10);  // one token every ten seconds
  EXPECT_TRUE(limit.Admit("b").allowed);       // buckets are per key
  clock.Advance(std::chrono::seconds(4));
  EXPECT_EQ(limit.Admit("a").retry_after_seconds, 6);
  clock.Advance(std::chrono::seconds(6));
  EXPECT_TRUE(limit.Admit("a").allowed);
  EXPECT_FALSE(limit.Admit("a").allowed);
  clock.Advance(std::chrono::minutes(10));  // refills to the burst, never beyond
  EXPECT_TRUE(limit.Admit("a").allowed);
  EXPECT_TRUE(limit.Admit("a").allowed);
  EXPECT_FALSE(limit.Admit("a").allowed);
}

TEST(RateLimitTest, BurstDefaultsToAMinutesWorth) {
  testing::FakeClock clock;
  RateLimit limit(clock, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limit.Admit("k").allowed) << i;
  const auto refused = limit.Admit("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 20);
}

TEST(RateLimitTest, ZeroTurnsTheLimitOff) {
  testing::FakeClock clock;
  RateLimit limit(clock, 0);
  EXPECT_FALSE(limit.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limit.Admit("k").allowed);
}

TEST(RateLimitTest, ForgetsIdleKeysWhenFull) {
  testing::FakeClock clock;
  RateLimit limit(clock, 60, 1);
  for (size_t i = 0; i < RateLimit::kMaxTrackedKeys; ++i) {
    ASSERT_TRUE(limit.Admit("10.0." + std::to_string(i)).allowed);
  }
  // Every tracked key has refilled: they are dropped, and a spent key starts afresh only
  // because it was idle long enough to be full again anyway.
  clock.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(limit.Admit("192.0.2.1").allowed);
  EXPECT_TRUE(limit.Admit("10.0.0").allowed);
  EXPECT_FALSE(limit.Admit("10.0.0").allowed);
}

TEST(RateLimitTest, MemoryStaysBoundedWhileEveryKeyIsSpending) {
  testing::FakeClock clock;
  RateLimit limit(clock, 1, 1);
  // Twice the capacity of distinct keys, none refilling: the table is reset instead of growing,
  // and limiting works again right after.
  for (size_t i = 0; i < 2 * RateLimit::kMaxTrackedKeys; ++i) {
    ASSERT_TRUE(limit.Admit("k" + std::to_string(i)).allowed);
  }
  EXPECT_FALSE(limit.Admit("k" + std::to_string(2 * RateLimit::kMaxTrackedKeys - 1)).allowed);
}

}  // namespace
}  // namespace gatehouse::core
