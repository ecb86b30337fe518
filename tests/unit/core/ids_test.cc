#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "support/fake_random.h"

namespace gatehouse::core {
namespace {

TEST(IdsTest, UuidIsVersion4InCanonicalForm) {
  testing::FakeRandom random(7);
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(std::regex_match(NewUuid(random), v4));
}

TEST(IdsTest, IdsCarryPrefixAndEnvironmentAndAreDistinct) {
  testing::FakeRandom random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewId(random, "connected-app", "test");
    EXPECT_EQ(id.rfind("connected-app-test-", 0), 0u);
    EXPECT_NE(id.rfind("https://", 0), 0u);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace gatehouse::core
