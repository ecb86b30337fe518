// LookupCache: hits, negative entries and their bound, and fills that race an invalidation.

#include "accounts/lookup_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::accounts {
namespace {

constexpr int64_t kNow = 1'700'000'000;

// A table of names by id that counts how often the cache reads it.
struct FakeTable {
  std::optional<std::string> Load(std::string_view id) {
    ++loads;
    if (id.starts_with("known-")) return "name of " + std::string(id);
    return std::nullopt;
  }
  int loads = 0;
};

class LookupCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<const std::string> Find(std::string_view id, int64_t now = kNow) {
    return cache_.Find(id, now, [&] { return table_.Load(id); });
  }

  LookupCache<std::string> cache_;
  FakeTable table_;
};

TEST_F(LookupCacheTest, AMissLoadsOnceAndLaterCallsShareTheValue) {
  const auto first = Find("known-1");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first, "name of known-1");
  const auto second = Find("known-1", kNow + 86400);  // found rows do not expire
  EXPECT_EQ(second.get(), first.get());
  EXPECT_EQ(table_.loads, 1);
}

TEST_F(LookupCacheTest, UnknownIdsAreRememberedForTheNegativeTtl) {
  EXPECT_EQ(Find("unknown-1"), nullptr);
  EXPECT_EQ(Find("unknown-1", kNow + kNegativeTtlSeconds - 1), nullptr);
  EXPECT_EQ(table_.loads, 1);
  EXPECT_EQ(Find("unknown-1", kNow + kNegativeTtlSeconds), nullptr);
  EXPECT_EQ(table_.loads, 2);
}

TEST_F(LookupCacheTest, InvalidateDropsFoundAndUnknownEntries) {
  ASSERT_NE(Find("known-1"), nullptr);
  ASSERT_EQ(Find("unknown-1"), nullptr);
  cache_.Invalidate();
  Find("known-1");
  Find("unknown-1");
  EXPECT_EQ(table_.loads, 4);
}

TEST_F(LookupCacheTest, AFillThatReadBeforeAnInvalidationIsReturnedButNotStored) {
  // The write (and its Invalidate) lands while the loader is reading the old row.
  const auto stale = cache_.Find("known-1", kNow, [&] {
    cache_.Invalidate();
    return table_.Load("known-1");
  });
  ASSERT_NE(stale, nullptr);
  EXPECT_EQ(*stale, "name of known-1");
  Find("known-1");
  EXPECT_EQ(table_.loads, 2);  // nothing was cached by the racing fill

  const auto unknown = cache_.Find("unknown-1", kNow, [&] {
    cache_.Invalidate();
    return table_.Load("unknown-1");
  });
  EXPECT_EQ(unknown, nullptr);
  Find("unknown-1");
  EXPECT_EQ(table_.loads, 4);
}

TEST_F(LookupCacheTest, TooManyUnknownIdsDropTheUnknownOnesButKeepFoundRows) {
  ASSERT_NE(Find("known-1"), nullptr);
  for (size_t i = 0; i < kMaxNegativeEntries; ++i) Find("unknown-" + std::to_string(i));
  ASSERT_EQ(table_.loads, 1 + static_cast<int>(kMaxNegativeEntries));
  Find("unknown-0");  // still remembered
  EXPECT_EQ(table_.loads, 1 + static_cast<int>(kMaxNegativeEntries));

  Find("unknown-one-too-many");  // drops every unknown entry, then remembers this one
  const int after_reset = table_.loads;
  Find("unknown-one-too-many");
  Find("known-1");
  EXPECT_EQ(table_.loads, after_reset);
  Find("unknown-0");
  EXPECT_EQ(table_.loads, after_reset + 1);
}

TEST_F(LookupCacheTest, ALoaderErrorPropagatesAndStoresNothing) {
  EXPECT_THROW(
      cache_.Find("known-1", kNow,
                  []() -> std::optional<std::string> { throw std::runtime_error("down"); }),
      std::runtime_error);
  ASSERT_NE(Find("known-1"), nullptr);
  EXPECT_EQ(table_.loads, 1);
}

}  // namespace
}  // namespace gatehouse::accounts
