// Store contract: migrations apply in order, once, atomically per file, also when several
// processes start at the same moment.

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/embedded_file.h"
#include "store/migrations.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;
using ::gatehouse::testing::TestDatabaseOptions;

class MigrationsTest : public EngineTest {
 protected:
  TestDatabaseOptions DatabaseOptions() const override { return {.migrate = false}; }

  int64_t Scalar(const std::string& sql) {
    int64_t n = -1;
    db().Run([&](Connection& c) { n = c.Query(sql).at(0).Int(0); });
    return n;
  }

  const gatehouse::testing::FakeClock clock_{1'700'000'000};
};

std::vector<std::string> AllNames() {
  std::vector<std::string> names;
  for (const core::EmbeddedFile& f : Migrations()) names.emplace_back(f.name);
  return names;
}

TEST(MigrationFiles, AreSortedAndWellNamed) {
  const std::vector<std::string> names = AllNames();
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "0001_foundation.sql");
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_P(MigrationsTest, AppliesEveryPendingFileOnce) {
  EXPECT_EQ(PendingMigrations(db()), AllNames());
  ApplyMigrations(db());
  EXPECT_TRUE(PendingMigrations(db()).empty());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(AllNames().size()));
  Rows first;
  db().Run([&](Connection& c) {
    first = c.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  });
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0].Int(0), 1);
  EXPECT_EQ(first[0].Text(1), "0001_foundation.sql");
  EXPECT_GT(first[0].Int(2), 1'600'000'000);
  // The schema is there.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM signing_keys"), 0);

  ApplyMigrations(db());  // idempotent
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(AllNames().size()));
}

TEST_P(MigrationsTest, ConcurrentStartsApplyEachFileExactlyOnce) {
  // Files whose double application would show: 0002 and 0003 append a row each.
  const core::EmbeddedFile files[] = {
      {"0001_log.sql", "CREATE TABLE migration_log (n BIGINT NOT NULL);"},
      {"0002_two.sql", "INSERT INTO migration_log (n) VALUES (2);"},
      {"0003_three.sql", "INSERT INTO migration_log (n) VALUES (3);"},
  };
  // Two Database objects (as two processes would have), two threads on each.
  std::unique_ptr<Database> other = test_db().OpenAnother(PoolOptions{.size = 2});
  RunConcurrently(4, [&](int i) { ApplyMigrations(i % 2 == 0 ? db() : *other, files, clock_); });
  other.reset();
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM migration_log"), 2);
  EXPECT_EQ(Scalar("SELECT SUM(n) FROM migration_log"), 5);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations WHERE version <= 3"), 3);
  EXPECT_EQ(Scalar("SELECT applied_at FROM schema_migrations WHERE version = 2"), 1'700'000'000);
}

TEST_P(MigrationsTest, ConcurrentStartsBuildTheRealSchemaOnce) {
  std::unique_ptr<Database> other = test_db().OpenAnother(PoolOptions{.size = 2});
  RunConcurrently(4, [&](int i) { ApplyMigrations(i % 2 == 0 ? db() : *other); });
  other.reset();
  EXPECT_TRUE(PendingMigrations(db()).empty());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(AllNames().size()));
}

TEST_P(MigrationsTest, AFailingFileIsRolledBackAndNamed) {
  const core::EmbeddedFile files[] = {
      {"0001_ok.sql", "CREATE TABLE first_table (a TEXT);"},
      {"0002_broken.sql",
       "CREATE TABLE half_done (a TEXT);\nINSERT INTO no_such_table (a) VALUES ('x');"},
      {"0003_later.sql", "CREATE TABLE later_table (a TEXT);"},
  };
  try {
    ApplyMigrations(db(), files, clock_);
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("0002_broken.sql"), std::string::npos) << e.what();
  }
  EXPECT_EQ(PendingMigrations(db(), files),
            (std::vector<std::string>{"0002_broken.sql", "0003_later.sql"}));
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM first_table"), 0);
  // The half-applied file left nothing behind (DDL is transactional on both engines).
  db().Run([](Connection& c) { EXPECT_THROW(c.Query("SELECT a FROM half_done"), DatabaseError); });
}

TEST_P(MigrationsTest, VersionsUnknownToThisBinaryAreIgnored) {
  ApplyMigrations(db());
  db().Run([](Connection& c) {
    c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, ?, 0)",
              {"9999_from_a_newer_release.sql"});
  });
  EXPECT_NO_THROW(ApplyMigrations(db()));
  EXPECT_TRUE(PendingMigrations(db()).empty());
}

TEST_P(MigrationsTest, BadlyNamedFilesAreRejected) {
  const core::EmbeddedFile unnamed[] = {{"foundation.sql", "SELECT 1;"}};
  EXPECT_THROW(ApplyMigrations(db(), unnamed, clock_), std::invalid_argument);
  const core::EmbeddedFile duplicate[] = {{"0001_a.sql", "SELECT 1;"}, {"0001_b.sql", "SELECT 1;"}};
  EXPECT_THROW(ApplyMigrations(db(), duplicate, clock_), std::invalid_argument);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(MigrationsTest);

}  // namespace
}  // namespace gatehouse::store
