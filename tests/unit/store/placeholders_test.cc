#include "store/postgres/placeholders.h"

#include <gtest/gtest.h>

namespace gatehouse::store::postgres {
namespace {

std::string Rewrite(std::string_view sql) { return RewritePlaceholders(sql).sql; }

TEST(RewritePlaceholders, NumbersPlaceholdersInOrder) {
  RewrittenSql r = RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)");
  EXPECT_EQ(r.sql, "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(r.placeholder_count, 3);
}

TEST(RewritePlaceholders, LeavesStatementsWithoutPlaceholdersAlone) {
  RewrittenSql r = RewritePlaceholders("SELECT 1");
  EXPECT_EQ(r.sql, "SELECT 1");
  EXPECT_EQ(r.placeholder_count, 0);
  EXPECT_EQ(RewritePlaceholders("").placeholder_count, 0);
}

TEST(RewritePlaceholders, SkipsSingleQuotedLiterals) {
  EXPECT_EQ(Rewrite("SELECT '?', ?"), "SELECT '?', $1");
  EXPECT_EQ(Rewrite("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(Rewrite("SELECT '', ?, ''''"), "SELECT '', $1, ''''");
  EXPECT_EQ(Rewrite("WHERE a = 'x?y' AND b = ?"), "WHERE a = 'x?y' AND b = $1");
}

TEST(RewritePlaceholders, SkipsEscapeStringsWithBackslashes) {
  EXPECT_EQ(Rewrite(R"(SELECT E'\'?', ?)"), R"(SELECT E'\'?', $1)");
  // Outside E'' a backslash is an ordinary character.
  EXPECT_EQ(Rewrite(R"(SELECT '\', ?)"), R"(SELECT '\', $1)");
  // An identifier ending in e is not an escape-string prefix.
  EXPECT_EQ(Rewrite(R"(SELECT name'\', ?)"), R"(SELECT name'\', $1)");
}

TEST(RewritePlaceholders, SkipsQuotedIdentifiersAndComments) {
  EXPECT_EQ(Rewrite(R"(SELECT ? AS "what?")"), R"(SELECT $1 AS "what?")");
  EXPECT_EQ(Rewrite("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(Rewrite("SELECT /* ? /* nested ? */ ? */ ?"), "SELECT /* ? /* nested ? */ ? */ $1");
  EXPECT_EQ(Rewrite("SELECT 10 / ?, 3 - ?"), "SELECT 10 / $1, 3 - $2");
}

TEST(RewritePlaceholders, SkipsDollarQuotedStrings) {
  EXPECT_EQ(Rewrite("SELECT $$?$$, ?"), "SELECT $$?$$, $1");
  EXPECT_EQ(Rewrite("SELECT $tag$ ? $$ ? $tag$, ?"), "SELECT $tag$ ? $$ ? $tag$, $1");
  // $1 is a positional parameter, not a quote; identifiers may contain $.
  EXPECT_EQ(Rewrite("SELECT $1, a$b, ?"), "SELECT $1, a$b, $1");
}

TEST(RewritePlaceholders, UnterminatedQuotesRunToTheEnd) {
  EXPECT_EQ(Rewrite("SELECT 'open ?"), "SELECT 'open ?");
  EXPECT_EQ(Rewrite("SELECT \"open ?"), "SELECT \"open ?");
  EXPECT_EQ(Rewrite("SELECT /* open ?"), "SELECT /* open ?");
  EXPECT_EQ(Rewrite("SELECT $q$ open ?"), "SELECT $q$ open ?");
}

TEST(RewritePlaceholders, CountsBeyondNine) {
  std::string sql;
  for (int i = 0; i < 12; ++i) sql += "?,";
  RewrittenSql r = RewritePlaceholders(sql);
  EXPECT_EQ(r.placeholder_count, 12);
  EXPECT_EQ(r.sql, "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,");
}

}  // namespace
}  // namespace gatehouse::store::postgres
