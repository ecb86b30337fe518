#include <gtest/gtest.h>

#include "oauth/cimd/freshness.h"

namespace gatehouse::oauth::cimd {
namespace {

const CacheBounds kBounds{.min_seconds = 60, .max_seconds = 86400, .default_seconds = 300};

TEST(CimdFreshness, MaxAgeWithinBoundsIsHonoured) {
  EXPECT_EQ(FreshnessSeconds("max-age=600", kBounds), 600);
  EXPECT_EQ(FreshnessSeconds("public, max-age=3600", kBounds), 3600);
  EXPECT_EQ(FreshnessSeconds("Max-Age=\"120\"", kBounds), 120);
  EXPECT_EQ(FreshnessSeconds(" max-age = 900 , must-revalidate", kBounds), 900);
}

TEST(CimdFreshness, MaxAgeIsClamped) {
  EXPECT_EQ(FreshnessSeconds("max-age=0", kBounds), 60);
  EXPECT_EQ(FreshnessSeconds("max-age=5", kBounds), 60);
  EXPECT_EQ(FreshnessSeconds("max-age=999999999", kBounds), 86400);
  EXPECT_EQ(FreshnessSeconds("max-age=99999999999999999999999", kBounds), 86400);
}

TEST(CimdFreshness, NoStoreAndNoCacheGiveTheMinimum) {
  EXPECT_EQ(FreshnessSeconds("no-store", kBounds), 60);
  EXPECT_EQ(FreshnessSeconds("max-age=3600, no-cache", kBounds), 60);
  EXPECT_EQ(FreshnessSeconds("NO-STORE", kBounds), 60);
}

TEST(CimdFreshness, AbsentOrUnparsableGivesTheDefault) {
  EXPECT_EQ(FreshnessSeconds("", kBounds), 300);
  EXPECT_EQ(FreshnessSeconds("public", kBounds), 300);
  EXPECT_EQ(FreshnessSeconds("max-age=-5", kBounds), 300);
  EXPECT_EQ(FreshnessSeconds("max-age=abc", kBounds), 300);
  EXPECT_EQ(FreshnessSeconds("max-age", kBounds), 300);
}

TEST(CimdFreshness, SmallestMaxAgeWins) {
  EXPECT_EQ(FreshnessSeconds("max-age=900, max-age=120", kBounds), 120);
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
