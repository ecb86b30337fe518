#include "store/database_url.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::store {
namespace {

std::string ErrorOf(std::string_view url) {
  try {
    ParseDatabaseUrl(url);
  } catch (const DatabaseError& e) {
    EXPECT_FALSE(e.transient());
    return e.what();
  }
  ADD_FAILURE() << "accepted " << url;
  return {};
}

TEST(ParseDatabaseUrl, SqliteRelativeAndAbsolutePaths) {
  DatabaseUrl relative = ParseDatabaseUrl("sqlite://./gatehouse.db");
  EXPECT_EQ(relative.engine, Engine::kSqlite);
  EXPECT_EQ(relative.target, "./gatehouse.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite://data/gh.db").target, "data/gh.db");
  DatabaseUrl absolute = ParseDatabaseUrl("sqlite:///var/lib/gatehouse/gh.db");
  EXPECT_EQ(absolute.engine, Engine::kSqlite);
  EXPECT_EQ(absolute.target, "/var/lib/gatehouse/gh.db");
}

TEST(ParseDatabaseUrl, PostgresUrisPassThroughUnchanged) {
  for (const char* url : {"postgres://gatehouse@127.0.0.1:5432/gatehouse",
                          "postgresql://user:secret@db.example.com/gh?sslmode=require",
                          "postgres:///gatehouse?host=/var/run/postgresql"}) {
    DatabaseUrl parsed = ParseDatabaseUrl(url);
    EXPECT_EQ(parsed.engine, Engine::kPostgres) << url;
    EXPECT_EQ(parsed.target, url);
  }
}

TEST(ParseDatabaseUrl, RejectsMalformedUrlsWithOneClearMessage) {
  EXPECT_NE(ErrorOf("").find("empty"), std::string::npos);
  EXPECT_NE(ErrorOf("mysql://localhost/db").find("unsupported scheme 'mysql'"), std::string::npos);
  EXPECT_NE(ErrorOf("gatehouse.db").find("no scheme"), std::string::npos);
  EXPECT_NE(ErrorOf("sqlite://").find("no file path"), std::string::npos);
  EXPECT_NE(ErrorOf("sqlite://:memory:").find("in-memory"), std::string::npos);
  EXPECT_NE(ErrorOf("sqlite://./gh.db?mode=ro").find("plain file path"), std::string::npos);
  EXPECT_NE(ErrorOf("sqlite:///var/lib/").find("directory"), std::string::npos);
  EXPECT_NE(ErrorOf("postgres://host/db?bogus_option=1").find("bogus_option"), std::string::npos);
  EXPECT_NE(ErrorOf("postgres:/db").find("expected 'postgres://'"), std::string::npos);
  EXPECT_NE(ErrorOf("sqlite:gh.db").find("expected 'sqlite://'"), std::string::npos);
  for (std::string_view url : {"sqlite:gh.db", "SQLITE://x.db", "postgres:/db"}) {
    EXPECT_NE(ErrorOf(url).find("invalid database_url"), std::string::npos) << url;
  }
  // One line.
  EXPECT_EQ(ErrorOf("postgres://host/db?bogus_option=1").find('\n'), std::string::npos);
}

TEST(ParseDatabaseUrl, ErrorsNeverShowThePassword) {
  const std::string error = ErrorOf("postgres://admin:hunter2@db/gh?bogus=1");
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
  EXPECT_NE(error.find("admin:***@db"), std::string::npos) << error;
}

TEST(RedactDatabaseUrl, HidesPasswordsOnly) {
  EXPECT_EQ(RedactDatabaseUrl("postgres://u:p%40ss@h:5432/db"), "postgres://u:***@h:5432/db");
  EXPECT_EQ(RedactDatabaseUrl("postgres://u@h:5432/db"), "postgres://u@h:5432/db");
  EXPECT_EQ(RedactDatabaseUrl("postgres://h:5432/db"), "postgres://h:5432/db");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://h/db?user=u&password=secret&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactDatabaseUrl("postgres://h/db?password=secret"), "postgres://h/db?password=***");
  EXPECT_EQ(RedactDatabaseUrl("sqlite://./gh.db"), "sqlite://./gh.db");
}

TEST(OpenDatabase, ReportsAnUnopenableSqliteFile) {
  try {
    OpenDatabase("sqlite:///nonexistent-directory/gh.db", 2);
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-directory/gh.db"), std::string::npos)
        << e.what();
  }
}

TEST(OpenDatabase, ReportsAnUnreachablePostgresServerAsTransient) {
  try {
    // Port 1 on loopback: refused at once.
    OpenDatabase("postgres://gatehouse:pw@127.0.0.1:1/gatehouse", 2);
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient());
    EXPECT_EQ(std::string(e.what()).find(":pw@"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot connect to PostgreSQL"), std::string::npos);
  }
}

TEST(OpenDatabase, RejectsAPoolOfNoConnections) {
  EXPECT_THROW(OpenDatabase("sqlite:///tmp/never-created.db", 0), DatabaseError);
}

}  // namespace
}  // namespace gatehouse::store
