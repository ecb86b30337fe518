#include "core/scope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse::core {
namespace {

ScopeSet Scopes(std::string_view text) {
  Result<ScopeSet> parsed = ScopeSet::Parse(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : ScopeSet();
}

TEST(ScopeSetTest, ParsesSpaceDelimitedTokens) {
  const ScopeSet scopes = Scopes("openid profile email");
  EXPECT_EQ(scopes.size(), 3u);
  EXPECT_TRUE(scopes.Contains("openid"));
  EXPECT_TRUE(scopes.Contains("profile"));
  EXPECT_TRUE(scopes.Contains("email"));
}

TEST(ScopeSetTest, PrintsInStableSortedOrder) {
  EXPECT_EQ(Scopes("profile openid email").ToString(), "email openid profile");
  EXPECT_EQ(Scopes("email openid profile").ToString(), Scopes("openid profile email").ToString());
  EXPECT_EQ(Scopes("b a B A").ToString(), "A B a b");  // byte order
}

TEST(ScopeSetTest, RepeatedTokensCollapse) {
  const ScopeSet scopes = Scopes("openid openid profile openid");
  EXPECT_EQ(scopes.size(), 2u);
  EXPECT_EQ(scopes.ToString(), "openid profile");
}

TEST(ScopeSetTest, ToleratesExtraSpacesBetweenAndAroundTokens) {
  EXPECT_EQ(Scopes("  openid   profile ").ToString(), "openid profile");
  EXPECT_EQ(Scopes(" openid").ToString(), "openid");
}

TEST(ScopeSetTest, EmptyOrBlankTextIsTheEmptySet) {
  EXPECT_TRUE(Scopes("").empty());
  EXPECT_TRUE(Scopes("   ").empty());
  EXPECT_EQ(Scopes("").ToString(), "");
}

TEST(ScopeSetTest, AcceptsEveryScopeTokenCharacter) {
  std::string all;
  for (int c = 0x21; c <= 0x7e; ++c) {
    if (c != '"' && c != '\\') all += static_cast<char>(c);
  }
  const ScopeSet scopes = Scopes(all);
  EXPECT_EQ(scopes.size(), 1u);
  EXPECT_TRUE(scopes.Contains(all));
  EXPECT_TRUE(ScopeSet::Parse("read:users write:users https://api.example.com/x"));
}

TEST(ScopeSetTest, RejectsQuoteAndBackslash) {
  for (const char* text : {"open\"id", "openid \"", "a\\b", "\\"}) {
    auto parsed = ScopeSet::Parse(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidScope);
  }
}

TEST(ScopeSetTest, RejectsControlCharactersTabsAndNewlines) {
  for (std::string text :
       {std::string("openid\tprofile"), std::string("openid\nprofile"), std::string("openid\r"),
        std::string("a\x7f"), std::string("a\0b", 3), std::string("\x01")}) {
    auto parsed = ScopeSet::Parse(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidScope);
  }
}

TEST(ScopeSetTest, RejectsNonAsciiCharacters) {
  auto parsed = ScopeSet::Parse("caf\xc3\xa9 openid");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidScope);
}

TEST(ScopeSetTest, ValidatesSingleTokens) {
  EXPECT_TRUE(ScopeSet::IsValidToken("openid"));
  EXPECT_FALSE(ScopeSet::IsValidToken(""));
  EXPECT_FALSE(ScopeSet::IsValidToken("open id"));
  EXPECT_FALSE(ScopeSet::IsValidToken("a\"b"));
}

TEST(ScopeSetTest, ContainsIsExact) {
  const ScopeSet scopes = Scopes("openid profile");
  EXPECT_FALSE(scopes.Contains("OpenID"));
  EXPECT_FALSE(scopes.Contains("open"));
  EXPECT_FALSE(scopes.Contains(""));
}

TEST(ScopeSetTest, SubsetRelation) {
  const ScopeSet granted = Scopes("openid profile email");
  EXPECT_TRUE(Scopes("openid email").IsSubsetOf(granted));
  EXPECT_TRUE(granted.IsSubsetOf(granted));
  EXPECT_TRUE(ScopeSet().IsSubsetOf(granted));
  EXPECT_TRUE(ScopeSet().IsSubsetOf(ScopeSet()));
  EXPECT_FALSE(Scopes("openid offline_access").IsSubsetOf(granted));
  EXPECT_FALSE(granted.IsSubsetOf(ScopeSet()));
}

TEST(ScopeSetTest, UnionIntersectionAndDifference) {
  const ScopeSet a = Scopes("openid profile");
  const ScopeSet b = Scopes("profile email");
  EXPECT_EQ(a.Union(b).ToString(), "email openid profile");
  EXPECT_EQ(a.Intersect(b).ToString(), "profile");
  EXPECT_EQ(b.Difference(a).ToString(), "email");
  EXPECT_TRUE(a.Intersect(Scopes("phone")).empty());
  EXPECT_EQ(a.Union(ScopeSet()), a);
}

TEST(ScopeSetTest, IteratesInSortedOrder) {
  std::vector<std::string> seen;
  for (const std::string& scope : Scopes("phone email openid")) seen.push_back(scope);
  EXPECT_EQ(seen, (std::vector<std::string>{"email", "openid", "phone"}));
}

TEST(ScopeSetTest, EqualityIsSetEquality) {
  EXPECT_EQ(Scopes("a b"), Scopes("b a a"));
  EXPECT_NE(Scopes("a b"), Scopes("a"));
}

TEST(BuiltInScopeTest, TheSixBuiltInScopes) {
  const auto built_ins = BuiltInScopes();
  EXPECT_EQ(std::vector<std::string_view>(built_ins.begin(), built_ins.end()),
            (std::vector<std::string_view>{"openid", "profile", "email", "phone", "offline_access",
                                           "full_access"}));
  for (std::string_view scope : built_ins) {
    EXPECT_TRUE(IsBuiltInScope(scope));
    EXPECT_TRUE(ScopeSet::IsValidToken(scope));
  }
}

TEST(BuiltInScopeTest, EveryBuiltInScopeHasADescription) {
  for (std::string_view scope : BuiltInScopes()) {
    EXPECT_FALSE(BuiltInScopeDescription(scope).empty()) << scope;
  }
  EXPECT_NE(BuiltInScopeDescription("email").find("email"), std::string_view::npos);
}

TEST(BuiltInScopeTest, CustomScopesHaveNoBuiltInDescription) {
  EXPECT_FALSE(IsBuiltInScope("read:users"));
  EXPECT_TRUE(BuiltInScopeDescription("read:users").empty());
  EXPECT_TRUE(BuiltInScopeDescription("OPENID").empty());
}

}  // namespace
}  // namespace gatehouse::core
