#include "core/nearest_name.h"

#include <gtest/gtest.h>

#include <array>

namespace gatehouse::core {
namespace {

TEST(EditDistanceTest, CountsEachKindOfEditOnce) {
  EXPECT_EQ(EditDistance("listen", "listen"), 0u);
  EXPECT_EQ(EditDistance("listn", "listen"), 1u);    // insertion
  EXPECT_EQ(EditDistance("listeen", "listen"), 1u);  // deletion
  EXPECT_EQ(EditDistance("lusten", "listen"), 1u);   // substitution
  EXPECT_EQ(EditDistance("lsiten", "listen"), 1u);   // adjacent transposition
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(EditDistanceTest, IgnoresAsciiCase) {
  EXPECT_EQ(EditDistance("GATEHOUSE_LISTEN", "gatehouse_listen"), 0u);
}

TEST(NearestNameTest, PicksTheClosestCandidate) {
  constexpr std::array<std::string_view, 3> kNames = {"issuer", "listen", "database_url"};
  EXPECT_EQ(NearestName("listn", kNames), "listen");
  EXPECT_EQ(NearestName("isuer", kNames), "issuer");
  EXPECT_EQ(NearestName("databse_url", kNames), "database_url");
}

TEST(NearestNameTest, TiesGoToTheEarlierCandidate) {
  constexpr std::array<std::string_view, 2> kNames = {"ab", "ba"};
  EXPECT_EQ(NearestName("aa", kNames), "ab");
}

TEST(NearestNameTest, NothingWithoutCandidatesOrBeyondTheLimit) {
  EXPECT_EQ(NearestName("x", std::span<const std::string_view>()), std::nullopt);
  constexpr std::array<std::string_view, 1> kNames = {"listen"};
  EXPECT_EQ(NearestName("completely_different", kNames, 3), std::nullopt);
  EXPECT_EQ(NearestName("listne", kNames, 3), "listen");
}

}  // namespace
}  // namespace gatehouse::core
