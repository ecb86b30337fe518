// JSON request bodies: shape, NUL, range and size rules.

#include "http/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::http {
namespace {

constexpr JsonFieldLimit kFields[] = {
    {.name = "name", .max_bytes = 8},
    {.name = "tags", .max_bytes = 4, .max_items = 3},
    {.name = "metadata", .max_bytes = 20},
};
constexpr JsonLimits kLimits{
    .string_bytes = 16, .array_items = 5, .object_members = 6, .fields = kFields};

std::string Problem(std::string_view body) {
  auto parsed = ParseJsonObjectBody(body, kLimits);
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code(), core::ErrorCode::kBadRequest);
  return parsed.error().description();
}

TEST(JsonBodyTest, AcceptsAnObjectWithinTheLimits) {
  auto parsed = ParseJsonObjectBody(
      R"({"name":"12345678","tags":["a","bcde"],"other":"0123456789abcdef","n":1.5,)"
      R"("metadata":{"k":"v"},"nested":{"name":"short"}})",
      kLimits);
  ASSERT_TRUE(parsed) << parsed.error().description();
  EXPECT_EQ(parsed->at("name").as_string(), "12345678");
}

TEST(JsonBodyTest, RefusesWhatIsNotAFiniteNulFreeObject) {
  EXPECT_EQ(Problem("[1]"), "request body must be a JSON object");
  EXPECT_EQ(Problem("{"), "request body is not valid JSON");
  EXPECT_EQ(Problem(R"({"n":1e400})"), "n is out of range");
  EXPECT_EQ(Problem(R"({"name":"a\u0000b"})"), "name has a NUL character");
  EXPECT_EQ(Problem(R"({"a\u0000":1})"), "a member name has a NUL character");
  EXPECT_EQ(Problem(R"({"metadata":{"x":1e400}})"), "metadata is out of range");
}

TEST(JsonBodyTest, EveryFieldHasAMaximum) {
  EXPECT_EQ(Problem(R"({"name":"123456789"})"), "name is longer than 8 bytes");
  EXPECT_EQ(Problem(R"({"other":"0123456789abcdefg"})"), "other is longer than 16 bytes");
  EXPECT_EQ(Problem(R"({"tags":["a","b","c","d"]})"), "tags has more than 3 items");
  EXPECT_EQ(Problem(R"({"tags":["abcde"]})"), "tags is longer than 4 bytes");
  EXPECT_EQ(Problem(R"({"list":[1,2,3,4,5,6]})"), "list has more than 5 items");
  EXPECT_EQ(Problem(R"({"metadata":{"key":"a long enough value"}})"),
            "metadata is larger than 20 bytes");
  // Limits apply by member name at any depth, and to objects inside arrays.
  EXPECT_EQ(Problem(R"({"outer":{"name":"123456789"}})"), "name is longer than 8 bytes");
  EXPECT_EQ(Problem(R"({"items":[{"name":"123456789"}]})"), "name is longer than 8 bytes");
  EXPECT_EQ(Problem(R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7})"),
            "an object has more than 6 members");
}

}  // namespace
}  // namespace gatehouse::http
