// Store contract: the connection pool is bounded, lazy and fair about waiting; PostgreSQL
// connections killed under the pool are replaced without restarting anything.

#include <algorithm>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::PostgresAdmin;
using ::gatehouse::testing::TestDatabaseOptions;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

class PoolTest : public EngineTest {
 protected:
  TestDatabaseOptions DatabaseOptions() const override {
    return {.pool_size = 2, .acquire_timeout = milliseconds(300)};
  }
};

TEST_P(PoolTest, OpensConnectionsLazily) {
  Database::PoolStats stats = db().Stats();
  EXPECT_EQ(stats.size, 1);  // the one opened to check the URL
  EXPECT_EQ(stats.in_use, 0);
  db().Run([&](Connection&) { db().Run([&](Connection&) { stats = db().Stats(); }); });
  EXPECT_EQ(stats.size, 2);
  EXPECT_EQ(stats.in_use, 2);
  EXPECT_EQ(db().Stats().in_use, 0);
  EXPECT_EQ(db().Stats().size, 2);
}

TEST_P(PoolTest, ExhaustionFailsTransientlyAfterTheTimeout) {
  std::latch holding(2);
  std::latch release(1);
  std::vector<std::thread> holders;
  for (int i = 0; i < 2; ++i) {
    holders.emplace_back([&] {
      db().Run([&](Connection&) {
        holding.count_down();
        release.wait();
      });
    });
  }
  holding.wait();
  const auto start = steady_clock::now();
  try {
    db().Run([](Connection&) { ADD_FAILURE() << "got a connection from an exhausted pool"; });
    ADD_FAILURE() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient());
    EXPECT_NE(std::string(e.what()).find("exhausted"), std::string::npos) << e.what();
  }
  const auto waited = steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(250));
  EXPECT_LT(waited, milliseconds(3000));
  Database::PoolStats stats = db().Stats();
  EXPECT_EQ(stats.size, 2);
  EXPECT_EQ(stats.in_use, 2);
  EXPECT_GE(stats.waits, 1);
  release.count_down();
  for (std::thread& t : holders) t.join();
  EXPECT_TRUE(db().Ping());
}

TEST_P(PoolTest, AWaiterGetsTheNextReleasedConnection) {
  std::latch holding(2);
  std::vector<std::thread> holders;
  for (int i = 0; i < 2; ++i) {
    holders.emplace_back([&] {
      db().Run([&](Connection&) {
        holding.count_down();
        std::this_thread::sleep_for(milliseconds(100));
      });
    });
  }
  holding.wait();
  int64_t one = 0;
  db().Run([&](Connection& c) { one = c.Query("SELECT 1").at(0).Int(0); });
  EXPECT_EQ(one, 1);
  EXPECT_GE(db().Stats().waits, 1);
  for (std::thread& t : holders) t.join();
}

TEST_P(PoolTest, ManyThreadsShareASmallPool) {
  ::gatehouse::testing::RunConcurrently(6, [&](int) {
    for (int i = 0; i < 20; ++i) {
      db().Run([](Connection& c) { EXPECT_EQ(c.Query("SELECT 2").at(0).Int(0), 2); });
    }
  });
  EXPECT_LE(db().Stats().size, 2);
  EXPECT_EQ(db().Stats().in_use, 0);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(PoolTest);

// PostgreSQL only: backends terminated by the server (as in a restart or a failover).
class PostgresReconnectTest : public PoolTest {
 protected:
  // Terminates the gatehouse sessions with these backend pids (other test processes share the
  // server, so never all of them), waits until they are gone, and returns how many it ended.
  int64_t TerminateBackends(const std::vector<int64_t>& pids) {
    std::string list;
    for (int64_t pid : pids) list += (list.empty() ? "" : ", ") + std::to_string(pid);
    int64_t terminated = 0;
    PostgresAdmin().Run([&](Connection& c) {
      terminated = static_cast<int64_t>(
          c.Query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE application_name = 'gatehouse' AND pid <> pg_backend_pid() AND pid IN (" +
                  list + ")")
              .size());
      const auto deadline = steady_clock::now() + std::chrono::seconds(10);
      while (steady_clock::now() < deadline &&
             c.Query("SELECT COUNT(*) FROM pg_stat_activity WHERE pid IN (" + list + ")")
                     .at(0)
                     .Int(0) > 0) {
        std::this_thread::sleep_for(milliseconds(10));
      }
    });
    return terminated;
  }
  static int64_t BackendPid(Connection& c) {
    return c.Query("SELECT pg_backend_pid()").at(0).Int(0);
  }
};

TEST_P(PostgresReconnectTest, IdleConnectionsKilledByTheServerAreReplaced) {
  // Warm both pooled connections (and their prepared statements).
  std::vector<int64_t> pids;
  db().Run([&](Connection& a) {
    pids.push_back(BackendPid(a));
    db().Run([&](Connection& b) { pids.push_back(BackendPid(b)); });
  });
  ASSERT_EQ(db().Stats().size, 2);
  EXPECT_EQ(TerminateBackends(pids), 2);

  // The next call either notices the dead connection when borrowing it and reconnects, or fails
  // transiently (-> 503); either way the one after succeeds. No restart.
  try {
    db().Run([](Connection& c) { EXPECT_EQ(c.Query("SELECT 1").at(0).Int(0), 1); });
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient()) << e.what();
  }
  int64_t value = 0;
  db().Run([&](Connection& c) { value = c.Query("SELECT ?", {int64_t{7}}).at(0).Int(0); });
  EXPECT_EQ(value, 7);
  EXPECT_TRUE(db().Ping());
  EXPECT_LE(db().Stats().size, 2);
  // The new sessions are new backends.
  db().Run([&](Connection& c) {
    EXPECT_EQ(std::find(pids.begin(), pids.end(), BackendPid(c)), pids.end());
  });
}

TEST_P(PostgresReconnectTest, AStatementOnAKilledConnectionFailsTransientlyThenTheNextCallWorks) {
  db().Run([&](Connection& c) {
    EXPECT_EQ(TerminateBackends({BackendPid(c)}), 1);
    try {
      c.Query("SELECT 1");
      ADD_FAILURE() << "a statement on a terminated connection succeeded";
    } catch (const DatabaseError& e) {
      EXPECT_TRUE(e.transient()) << e.what();
    }
  });
  EXPECT_EQ(db().Stats().in_use, 0);
  int64_t value = 0;
  db().Run([&](Connection& c) { value = c.Query("SELECT ?", {int64_t{8}}).at(0).Int(0); });
  EXPECT_EQ(value, 8);
}

TEST_P(PostgresReconnectTest, ATransactionOnAKilledConnectionFailsTransientlyAndIsNotRetried) {
  int attempts = 0;
  try {
    db().Transaction([&](Connection& c) {
      ++attempts;
      TerminateBackends({BackendPid(c)});
      c.Query("SELECT 1");
    });
    ADD_FAILURE() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient()) << e.what();
  }
  EXPECT_EQ(attempts, 1);
  EXPECT_TRUE(db().Ping());
}

INSTANTIATE_TEST_SUITE_P(Engines, PostgresReconnectTest, ::testing::Values(Engine::kPostgres),
                         ::gatehouse::testing::EngineParamName);

}  // namespace
}  // namespace gatehouse::store
