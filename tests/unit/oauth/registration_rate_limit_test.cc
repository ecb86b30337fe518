// RegistrationRateLimit: per-address token buckets with a bounded memory.

#include "oauth/registration_rate_limit.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace gatehouse::oauth {
namespace {

TEST(RegistrationRateLimitTest, SpendsTheBurstThenRefillsAtTheRate) {
  testing::FakeClock clock;
  RegistrationRateLimit limit(clock, /*per_minute=*/6, /*burst=*/2);
  EXPECT_TRUE(limit.Admit("a").allowed);
  EXPECT_TRUE(limit.Admit("a").allowed);
  const auto refused = limit.Admit("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 10);  // one token every ten seconds
  EXPECT_TRUE(limit.Admit("b").allowed);       // buckets are per address
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

TEST(RegistrationRateLimitTest, ForgetsIdleAddressesWhenFull) {
  testing::FakeClock clock;
  RegistrationRateLimit limit(clock, 60, 1);
  for (size_t i = 0; i < RegistrationRateLimit::kMaxTrackedAddresses; ++i) {
    ASSERT_TRUE(limit.Admit("10.0." + std::to_string(i)).allowed);
  }
  // Every tracked address has refilled: they are dropped, and a spent address starts afresh
  // only because it was idle long enough to be full again anyway.
  clock.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(limit.Admit("192.0.2.1").allowed);
  EXPECT_TRUE(limit.Admit("10.0.0").allowed);
  EXPECT_FALSE(limit.Admit("10.0.0").allowed);
}

}  // namespace
}  // namespace gatehouse::oauth
