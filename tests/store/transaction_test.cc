// Store contract: Transaction commits, rolls back, isolates and serializes the same way on both
// engines; PostgreSQL retries serialization failures and deadlocks.

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <thread>

#include "store/database.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;

struct Oops {};

class TransactionTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db().Run([](Connection& c) {
      c.ExecuteScript("CREATE TABLE counters (name TEXT NOT NULL PRIMARY KEY, n BIGINT NOT NULL)");
      c.Execute("INSERT INTO counters (name, n) VALUES ('x', 0)");
    });
  }

  int64_t Count(std::string_view where = "1 = 1") {
    int64_t n = -1;
    db().Run([&](Connection& c) {
      n = c.Query("SELECT COUNT(*) FROM counters WHERE " + std::string(where)).at(0).Int(0);
    });
    return n;
  }
  int64_t Counter(std::string_view name) {
    int64_t n = -1;
    db().Run([&](Connection& c) {
      n = c.Query("SELECT n FROM counters WHERE name = ?", {std::string(name)}).at(0).Int(0);
    });
    return n;
  }
};

TEST_P(TransactionTest, CommitsWhenTheFunctionReturns) {
  db().Transaction([](Connection& c) {
    c.Execute("INSERT INTO counters (name, n) VALUES ('y', 1)");
    c.Execute("UPDATE counters SET n = 5 WHERE name = 'x'");
  });
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(Counter("x"), 5);
}

TEST_P(TransactionTest, RollsBackAndRethrowsWhenTheFunctionThrows) {
  EXPECT_THROW(db().Transaction([](Connection& c) {
    c.Execute("INSERT INTO counters (name, n) VALUES ('y', 1)");
    c.Execute("UPDATE counters SET n = 5 WHERE name = 'x'");
    throw Oops{};
  }),
               Oops);
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(Counter("x"), 0);
  // The connection went back to the pool clean.
  db().Transaction([](Connection& c) { c.Execute("UPDATE counters SET n = 1 WHERE name = 'x'"); });
  EXPECT_EQ(Counter("x"), 1);
}

TEST_P(TransactionTest, RollsBackOnADatabaseErrorInside) {
  EXPECT_THROW(db().Transaction([](Connection& c) {
    c.Execute("INSERT INTO counters (name, n) VALUES ('y', 1)");
    c.Execute("INSERT INTO counters (name, n) VALUES ('x', 1)");  // duplicate
  }),
               ConstraintViolation);
  EXPECT_EQ(Count(), 1);
}

TEST_P(TransactionTest, ASwallowedStatementFailureStillAbortsTheTransaction) {
  // PostgreSQL aborts a transaction at its first failed statement; SQLite is made to agree, so
  // code that catches an error inside Transaction and carries on fails on both engines alike.
  try {
    db().Transaction([](Connection& c) {
      c.Execute("INSERT INTO counters (name, n) VALUES ('y', 1)");
      try {
        c.Execute("INSERT INTO counters (name, n) VALUES ('x', 1)");
      } catch (const ConstraintViolation&) {
      }
      EXPECT_THROW(c.Execute("INSERT INTO counters (name, n) VALUES ('z', 1)"), DatabaseError);
    });
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_FALSE(dynamic_cast<const ConstraintViolation*>(&e));
  }
  EXPECT_EQ(Count(), 1);
}

TEST_P(TransactionTest, UncommittedWritesAreInvisibleToOtherConnections) {
  std::latch written(1);
  std::latch checked(1);
  std::thread writer([&] {
    db().Transaction([&](Connection& c) {
      c.Execute("INSERT INTO counters (name, n) VALUES ('y', 1)");
      written.count_down();
      checked.wait();
    });
  });
  written.wait();
  const int64_t seen_during = Count();
  checked.count_down();
  writer.join();
  EXPECT_EQ(seen_during, 1);
  EXPECT_EQ(Count(), 2);
}

TEST_P(TransactionTest, ConflictingWritersWaitForEachOther) {
  std::latch first_wrote(1);
  std::atomic<bool> first_committing{false};
  std::thread first([&] {
    db().Transaction([&](Connection& c) {
      c.Execute("UPDATE counters SET n = n + 1 WHERE name = 'x'");
      first_wrote.count_down();
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      first_committing = true;
    });
  });
  first_wrote.wait();
  bool second_saw_first_done = false;
  db().Transaction([&](Connection& c) {
    c.Execute("UPDATE counters SET n = n + 1 WHERE name = 'x'");
    second_saw_first_done = first_committing.load();
  });
  first.join();
  EXPECT_TRUE(second_saw_first_done);
  EXPECT_EQ(Counter("x"), 2);
}

TEST_P(TransactionTest, ConcurrentIncrementsAreNotLost) {
  RunConcurrently(4, [&](int) {
    for (int i = 0; i < 25; ++i) {
      db().Transaction(
          [](Connection& c) { c.Execute("UPDATE counters SET n = n + 1 WHERE name = 'x'"); });
    }
  });
  EXPECT_EQ(Counter("x"), 100);
}

TEST_P(TransactionTest, RunNeverLeavesATransactionOpen) {
  auto single = test_db().OpenAnother(PoolOptions{.size = 1});
  EXPECT_THROW(single->Run([](Connection& c) {
    c.ExecuteScript("BEGIN");
    c.Execute("INSERT INTO counters (name, n) VALUES ('y', 1)");
    throw std::runtime_error("abandoned");
  }),
               std::runtime_error);
  // Same (only) connection: the abandoned transaction was rolled back, a new one can begin.
  single->Transaction(
      [](Connection& c) { c.Execute("UPDATE counters SET n = 3 WHERE name = 'x'"); });
  single.reset();
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(Counter("x"), 3);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(TransactionTest);

// PostgreSQL only: serialization failures and deadlocks re-run the function.
class PostgresTransactionTest : public TransactionTest {};

TEST_P(PostgresTransactionTest, RetriesASerializationFailure) {
  int attempts = 0;
  db().Transaction([&](Connection& c) {
    ++attempts;
    c.ExecuteScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    c.Query("SELECT n FROM counters WHERE name = 'x'");  // takes the snapshot
    if (attempts == 1) {
      db().Run([](Connection& other) {
        other.Execute("UPDATE counters SET n = n + 10 WHERE name = 'x'");
      });
    }
    c.Execute("UPDATE counters SET n = n + 1 WHERE name = 'x'");  // 40001 on the first attempt
  });
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Counter("x"), 11);
}

TEST_P(PostgresTransactionTest, GivesUpAfterThreeAttempts) {
  int attempts = 0;
  try {
    db().Transaction([&](Connection& c) {
      ++attempts;
      c.ExecuteScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      c.Query("SELECT n FROM counters WHERE name = 'x'");
      db().Run([](Connection& other) {
        other.Execute("UPDATE counters SET n = n + 10 WHERE name = 'x'");
      });
      c.Execute("UPDATE counters SET n = n + 1 WHERE name = 'x'");
    });
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient());
  }
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(Counter("x"), 30);
}

TEST_P(PostgresTransactionTest, RetriesTheLoserOfADeadlock) {
  db().Run([](Connection& c) { c.Execute("INSERT INTO counters (name, n) VALUES ('y', 0)"); });
  std::latch both_hold_one(2);
  std::atomic<int> attempts{0};
  RunConcurrently(2, [&](int i) {
    bool first_attempt = true;
    db().Transaction([&](Connection& c) {
      ++attempts;
      c.ExecuteScript("SET LOCAL deadlock_timeout = '20ms'");
      c.Execute("UPDATE counters SET n = n + 1 WHERE name = ?", {i == 0 ? "x" : "y"});
      if (first_attempt) {
        first_attempt = false;
        both_hold_one.arrive_and_wait();
      }
      c.Execute("UPDATE counters SET n = n + 1 WHERE name = ?", {i == 0 ? "y" : "x"});
    });
  });
  // At least one retry of the deadlock's loser (3 attempts; on a loaded machine PostgreSQL may
  // pick a loser again on the retry), and each transaction applied exactly once.
  EXPECT_GE(attempts.load(), 3);
  EXPECT_EQ(Counter("x"), 2);
  EXPECT_EQ(Counter("y"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, PostgresTransactionTest, ::testing::Values(Engine::kPostgres),
                         ::gatehouse::testing::EngineParamName);

}  // namespace
}  // namespace gatehouse::store
