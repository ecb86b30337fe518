// The paging every management list shares: cursors that name the list that issued them, and the
// GET query's limit and cursor read strictly.

#include "admin/list_paging.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace gatehouse::admin {
namespace {

TEST(ListPagingTest, CursorsCarryTheirKeyBackToTheListThatIssuedThem) {
  const auto cursor = NextCursor(kUsersList, std::string("user-test-2"));
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->find("user-test"), std::string::npos) << "opaque to callers";
  auto key = CursorKey(kUsersList, cursor);
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, "user-test-2");
  // A key may hold anything, ':' included (a CIMD client's id is its URL).
  const auto url = NextCursor(kConnectedAppsList, std::string("https://a.example/c:1"));
  EXPECT_EQ(*CursorKey(kConnectedAppsList, url), "https://a.example/c:1");
  EXPECT_EQ(NextCursor(kUsersList, std::nullopt), std::nullopt);
}

TEST(ListPagingTest, NoCursorOrAnEmptyOneIsTheFirstPage) {
  for (const auto& cursor : {std::optional<std::string>(), std::optional<std::string>("")}) {
    auto key = CursorKey(kOrganizationsList, cursor);
    ASSERT_TRUE(key);
    EXPECT_EQ(*key, std::nullopt);
  }
}

TEST(ListPagingTest, RefusesAnotherListsCursorAndAnythingThatIsNoCursor) {
  const auto users = NextCursor(kUsersList, std::string("user-test-2"));
  for (std::string_view list : {kConnectedAppsList, kM2mClientsList, kOrganizationsList}) {
    auto key = CursorKey(list, users);
    ASSERT_FALSE(key) << list;
    EXPECT_EQ(key.error().code(), core::ErrorCode::kBadRequest);
    EXPECT_NE(key.error().description().find("cursor"), std::string::npos);
  }
  for (const std::string& cursor :
       {std::string("!!"), std::string("user-test-2"), crypto::Base64UrlEncode("users"),
        crypto::Base64UrlEncode("users:"), crypto::Base64UrlEncode("usersX:user-test-2"),
        crypto::Base64UrlEncode("m2m_clients:users:x")}) {
    EXPECT_FALSE(CursorKey(kUsersList, cursor)) << cursor;
  }
}

TEST(ListPagingTest, ReadsLimitAndCursorWithTheSearchDefaults) {
  auto none = ReadPageQuery("");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->limit, kDefaultSearchLimit);
  EXPECT_EQ(none->cursor, std::nullopt);
  auto both = ReadPageQuery("limit=2&cursor=abc%2D_");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->limit, 2);
  EXPECT_EQ(both->cursor, "abc-_");
  EXPECT_EQ(ReadPageQuery("limit=1000")->limit, 1000);
  EXPECT_EQ(ReadPageQuery("cursor=")->cursor, std::nullopt);
  EXPECT_EQ(ReadPageQuery("limit=007")->limit, 7);
}

TEST(ListPagingTest, RefusesABadLimitRepeatsAndUnknownParameters) {
  const auto refused = [](std::string_view query, std::string_view mentions) {
    auto page = ReadPageQuery(query);
    ASSERT_FALSE(page) << query;
    EXPECT_EQ(page.error().code(), core::ErrorCode::kBadRequest) << query;
    EXPECT_NE(page.error().description().find(mentions), std::string::npos)
        << query << ": " << page.error().description();
  };
  for (std::string_view limit :
       {"limit=", "limit", "limit=abc", "limit=0", "limit=-1", "limit=1001", "limit=2.5",
        "limit=+2", "limit=%202", "limit=2%20", "limit=0x10", "limit=99999999999999999999",
        "limit=9223372036854775808"}) {
    refused(limit, "limit must be a whole number from 1 to 1000");
  }
  refused("limit=2&limit=2", "limit may be given only once");
  refused("cursor=a&cursor=b", "cursor may be given only once");
  refused("offset=4", "unknown query parameter offset");
  refused("limit=2&email=a%40example.com", "unknown query parameter email");
  refused("limit=%zz", "query string is not valid");
  auto long_name = ReadPageQuery(std::string(500, 'x') + "=1");
  ASSERT_FALSE(long_name);
  EXPECT_LT(long_name.error().description().size(), 200u) << "a caller's name is cut";
}

}  // namespace
}  // namespace gatehouse::admin
