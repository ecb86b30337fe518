#include "core/resource_indicator.h"

#include <gtest/gtest.h>

namespace gatehouse::core {
namespace {

using Resources = std::vector<std::string>;

TEST(ResourceIndicatorTest, AbsoluteUrisAreAccepted) {
  auto result = ValidateResources(
      {"https://api.example.com", "https://api.example.com/mcp?v=2", "urn:example:resource"});
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, (Resources{"https://api.example.com", "https://api.example.com/mcp?v=2",
                                "urn:example:resource"}));
}

TEST(ResourceIndicatorTest, NoResourceIsAnEmptyList) {
  auto result = ValidateResources({});
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->empty());
}

TEST(ResourceIndicatorTest, RelativeUrisAreInvalidTarget) {
  for (std::string_view value : {"/api", "api.example.com", "//api.example.com/x", ""}) {
    auto result = ValidateResources({value});
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidTarget);
  }
}

TEST(ResourceIndicatorTest, MalformedUrisAreInvalidTarget) {
  for (std::string_view value :
       {"https://api.example.com/a b", "https://[::1/x", "https://a/%zz"}) {
    auto result = ValidateResources({value});
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidTarget);
  }
}

TEST(ResourceIndicatorTest, FragmentIsInvalidTarget) {
  for (std::string_view value : {"https://api.example.com/#x", "https://api.example.com#"}) {
    auto result = ValidateResources({value});
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidTarget);
    EXPECT_NE(result.error().description().find("fragment"), std::string::npos);
  }
}

TEST(ResourceIndicatorTest, OneBadValueFailsTheWholeRequest) {
  auto result = ValidateResources({"https://api.example.com", "/relative"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidTarget);
}

TEST(ResourceIndicatorTest, MayRepeatAndIsDeduplicatedPreservingOrder) {
  auto result = ValidateResources({"https://b.example.com", "https://a.example.com",
                                   "https://b.example.com", "https://a.example.com"});
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, (Resources{"https://b.example.com", "https://a.example.com"}));
}

TEST(ResourceIndicatorTest, ComparesAsExactStrings) {
  auto result = ValidateResources(
      {"https://api.example.com", "https://API.example.com", "https://api.example.com/"});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->size(), 3u);
}

}  // namespace
}  // namespace gatehouse::core
