#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "store/database.h"

namespace gatehouse::store {
namespace {

TEST(Row, ReadsEachKindOfValue) {
  Row row({Value(), Value(int64_t{-7}), Value(std::string("42")), Value(std::string("x"))});
  ASSERT_EQ(row.size(), 4u);
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));

  EXPECT_EQ(row.Text(0), "");
  EXPECT_EQ(row.OptionalText(0), std::nullopt);
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_EQ(row.OptionalInt(0), std::nullopt);
  EXPECT_FALSE(row.Bool(0));

  EXPECT_EQ(row.Int(1), -7);
  EXPECT_EQ(row.Text(1), "-7");
  EXPECT_EQ(row.OptionalInt(1), -7);
  EXPECT_TRUE(row.Bool(1));

  EXPECT_EQ(row.Int(2), 42);
  EXPECT_EQ(row.Text(2), "42");
  EXPECT_EQ(row.OptionalText(2), "42");

  EXPECT_EQ(row.Text(3), "x");
}

TEST(Row, ParsesOnlyWholeIntegers) {
  Row row({Value(std::string("12abc")), Value(std::string("")), Value(std::string(" 1")),
           Value(std::string("99999999999999999999")), Value(std::string("-9223372036854775808"))});
  EXPECT_THROW(row.Int(0), DatabaseError);
  EXPECT_THROW(row.Int(1), DatabaseError);
  EXPECT_THROW(row.Int(2), DatabaseError);
  EXPECT_THROW(row.Int(3), DatabaseError);  // out of range
  EXPECT_EQ(row.Int(4), std::numeric_limits<int64_t>::min());
}

TEST(Row, IndexOutOfRangeThrows) {
  Row row({Value(int64_t{1})});
  EXPECT_THROW(row.Int(1), std::out_of_range);
  EXPECT_THROW(row.IsNull(1), std::out_of_range);
}

TEST(Nullable, MapsAbsentToNull) {
  EXPECT_TRUE(std::holds_alternative<std::monostate>(Nullable(std::optional<int64_t>())));
  EXPECT_EQ(std::get<int64_t>(Nullable(std::optional<int64_t>(5))), 5);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(Nullable(std::optional<std::string>())));
  EXPECT_EQ(std::get<std::string>(Nullable(std::optional<std::string>("a"))), "a");
}

}  // namespace
}  // namespace gatehouse::store
