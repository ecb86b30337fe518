#include "store/statement_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::store {
namespace {

TEST(StatementMap, FindsByStringView) {
  StatementMap<int> map;
  map.emplace("SELECT 1", 1);
  const std::string_view key = "SELECT 1";
  ASSERT_NE(map.find(key), map.end());
  EXPECT_EQ(map.find(key)->second, 1);
  EXPECT_EQ(map.find(std::string_view("SELECT 2")), map.end());
}

TEST(SqlForMessage, CollapsesWhitespaceAndTruncates) {
  EXPECT_EQ(SqlForMessage("  SELECT a,\n\t b   FROM t  "), "SELECT a, b FROM t");
  const std::string long_sql = "SELECT " + std::string(400, 'x');
  const std::string shown = SqlForMessage(long_sql);
  EXPECT_EQ(shown.size(), 163u);
  EXPECT_TRUE(shown.ends_with("..."));
}

}  // namespace
}  // namespace gatehouse::store
