#pragma once
// Fresh, isolated, migrated databases for suites that run against both engines: the store
// contract suite, and the repository and integration suites that build on it.
//
//   class ClientRepositoryTest : public gatehouse::testing::EngineTest {};
//   TEST_P(ClientRepositoryTest, CreatesAClient) { store::ClientRepository repo(db()); ... }
//   GATEHOUSE_INSTANTIATE_ENGINE_TEST(ClientRepositoryTest);   // cases .../Sqlite, .../Postgres
//
// Each test gets a database of its own, migrated to the latest schema:
//  - SQLite: a file in a fresh temporary directory, removed afterwards;
//  - PostgreSQL: a fresh schema (CREATE SCHEMA gh_t_...) in the database named by the environment
//    variable GATEHOUSE_TEST_POSTGRES_URL (scripts/with-postgres starts a throw-away server and
//    exports it), made the connections' only search_path, and dropped afterwards (CASCADE).
//    A schema costs milliseconds where CREATE DATABASE costs most of a second. Tests that act on
//    server sessions (pg_terminate_backend) must select them by pid: other test processes share
//    the server and the database.
// Without GATEHOUSE_TEST_POSTGRES_URL the PostgreSQL cases are skipped with a message saying so,
// or fail when GATEHOUSE_REQUIRE_POSTGRES=1 (scripts/test sets it, so CI never skips them).
//
// Header-only because it needs gh_store, which gh_test_support does not link.
// Thread-safety: a TestDatabase belongs to one test; PostgresAdmin() is shared and thread-safe.
// Failures: OpenFreshTestDatabase throws (std::runtime_error, store::DatabaseError).

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <latch>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/database_url.h"
#include "store/migrations.h"

namespace gatehouse::store {
// Lets GoogleTest print "Postgres" rather than the enum's bytes in failure messages.
inline void PrintTo(Engine engine, std::ostream* os) {
  *os << (engine == Engine::kSqlite ? "Sqlite" : "Postgres");
}
}  // namespace gatehouse::store

namespace gatehouse::testing {

inline constexpr store::Engine kAllEngines[] = {store::Engine::kSqlite, store::Engine::kPostgres};

inline std::string_view EngineName(store::Engine engine) {
  return engine == store::Engine::kSqlite ? "Sqlite" : "Postgres";
}

inline std::string EngineParamName(const ::testing::TestParamInfo<store::Engine>& info) {
  return std::string(EngineName(info.param));
}

// Instantiates an EngineTest subclass for both engines, named .../Sqlite and .../Postgres.
#define GATEHOUSE_INSTANTIATE_ENGINE_TEST(suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Engines, suite, ::testing::ValuesIn(::gatehouse::testing::kAllEngines), \
                           ::gatehouse::testing::EngineParamName)

// GATEHOUSE_TEST_POSTGRES_URL, when set and not empty.
inline std::optional<std::string> PostgresBaseUrl() {
  const char* url = std::getenv("GATEHOUSE_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

inline bool PostgresRequired() {
  const char* required = std::getenv("GATEHOUSE_REQUIRE_POSTGRES");
  return required != nullptr && std::string_view(required) == "1";
}

// A connection pool to the server's database (GATEHOUSE_TEST_POSTGRES_URL) outside any test
// schema, for creating and dropping test schemas and for fault injection (pg_terminate_backend).
// Opened on first use.
inline store::Database& PostgresAdmin() {
  static const std::unique_ptr<store::Database> admin = [] {
    const std::optional<std::string> url = PostgresBaseUrl();
    if (!url) throw std::runtime_error("GATEHOUSE_TEST_POSTGRES_URL is not set");
    return store::OpenDatabase(*url, store::PoolOptions{.size = 2});
  }();
  return *admin;
}

// `base` (a postgres:// URI) with the session's search_path set to `schema` only, so unqualified
// names resolve to, and CREATE TABLE creates in, that schema.
inline std::string PostgresUrlWithSchema(std::string_view base, std::string_view schema) {
  std::string url(base);
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "options=-csearch_path%3D";
  url += schema;
  return url;
}

struct TestDatabaseOptions {
  int pool_size = 4;
  std::chrono::milliseconds acquire_timeout{5000};
  bool migrate = true;  // apply every migration before the test
};

// A database that exists for one test. Destroying it closes the Database and deletes the data.
class TestDatabase {
 public:
  TestDatabase(store::Engine engine, const TestDatabaseOptions& options) : engine_(engine) {
    if (engine == store::Engine::kSqlite) {
      const char* tmp = std::getenv("TMPDIR");
      std::string pattern =
          std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/gatehouse-store-XXXXXX";
      if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
      }
      directory_ = pattern;
      name_ = directory_ + "/gatehouse.db";
      url_ = "sqlite://" + name_;
    } else {
      const std::optional<std::string> base = PostgresBaseUrl();
      if (!base) throw std::runtime_error("GATEHOUSE_TEST_POSTGRES_URL is not set");
      static std::atomic<int> counter{0};
      name_ = "gh_t_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
              std::to_string(std::random_device{}() % 100000);
      PostgresAdmin().Run(
          [this](store::Connection& c) { c.ExecuteScript("CREATE SCHEMA " + name_); });
      url_ = PostgresUrlWithSchema(*base, name_);
    }
    try {
      db_ = OpenAnother(store::PoolOptions{.size = options.pool_size,
                                           .acquire_timeout = options.acquire_timeout});
      if (options.migrate) store::ApplyMigrations(*db_);
    } catch (...) {
      Cleanup();
      throw;
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase() { Cleanup(); }

  store::Database& db() { return *db_; }
  store::Engine engine() const { return engine_; }
  // The database_url of this database, e.g. to start a gatehouse process on it.
  const std::string& url() const { return url_; }
  // SQLite: the file path; PostgreSQL: the schema name.
  const std::string& name() const { return name_; }

  // Another Database on the same data, as a second gatehouse process would have. Destroy it
  // before this TestDatabase.
  std::unique_ptr<store::Database> OpenAnother(const store::PoolOptions& options) const {
    return store::OpenDatabase(url_, options);
  }

 private:
  void Cleanup() noexcept {
    db_.reset();
    try {
      if (engine_ == store::Engine::kSqlite) {
        if (!directory_.empty()) std::filesystem::remove_all(directory_);
      } else {
        PostgresAdmin().Run([this](store::Connection& c) {
          c.ExecuteScript("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
        });
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not remove test database " << name_ << ": " << e.what();
    }
  }

  store::Engine engine_;
  std::string directory_;
  std::string name_;
  std::string url_;
  std::unique_ptr<store::Database> db_;
};

inline std::unique_ptr<TestDatabase> OpenFreshTestDatabase(
    store::Engine engine, const TestDatabaseOptions& options = {}) {
  return std::make_unique<TestDatabase>(engine, options);
}

// How many engine cases of this run were executed: their database opened and they were not
// skipped. Counted by EngineTest, read by the suite's one-line summary.
inline std::atomic<int>& EngineCasesRun(store::Engine engine) {
  static std::atomic<int> counts[2];
  return counts[engine == store::Engine::kSqlite ? 0 : 1];
}

// Base fixture of every suite parameterized by engine: a fresh database per test. A subclass that
// overrides SetUp calls EngineTest::SetUp() first and returns if IsSkipped() || HasFatalFailure().
class EngineTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  // Override to change the pool or skip migrations.
  virtual TestDatabaseOptions DatabaseOptions() const { return {}; }

  void SetUp() override {
    if (GetParam() == store::Engine::kPostgres && !PostgresBaseUrl()) {
      if (PostgresRequired()) {
        GTEST_FAIL()
            << "PostgreSQL case cannot run: GATEHOUSE_REQUIRE_POSTGRES=1 but "
               "GATEHOUSE_TEST_POSTGRES_URL is not set (run through scripts/with-postgres)";
      }
      GTEST_SKIP() << "PostgreSQL case skipped: GATEHOUSE_TEST_POSTGRES_URL is not set (run "
                      "through scripts/with-postgres to include it)";
    }
    test_db_ = OpenFreshTestDatabase(GetParam(), DatabaseOptions());
  }
  void TearDown() override {
    if (test_db_ != nullptr && !IsSkipped()) ++EngineCasesRun(GetParam());
    test_db_.reset();
  }

  store::Engine engine() const { return GetParam(); }
  store::Database& db() { return test_db_->db(); }
  TestDatabase& test_db() { return *test_db_; }

 private:
  std::unique_ptr<TestDatabase> test_db_;
};

// Runs fn(0) ... fn(n - 1) on n threads released at the same instant; rethrows the first
// exception any of them threw once all have finished.
inline void RunConcurrently(int n, const std::function<void(int)>& fn) {
  std::latch start(n);
  std::vector<std::exception_ptr> errors(static_cast<size_t>(n));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        fn(i);
      } catch (...) {
        errors[static_cast<size_t>(i)] = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace gatehouse::testing
