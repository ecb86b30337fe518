#include "store/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

namespace gatehouse::store {
namespace {

using std::chrono::milliseconds;

// A connection that only records what the pool did to it.
struct FakeConnection {
  int id = 0;
  bool usable = true;
  bool broken = false;
  int recycled = 0;

  bool Usable() { return usable; }
  void Recycle() noexcept { ++recycled; }
  bool Broken() const { return broken; }
};

class ConnectionPoolTest : public ::testing::Test {
 protected:
  ConnectionPool<FakeConnection> MakePool(int size, milliseconds timeout = milliseconds(200)) {
    return ConnectionPool<FakeConnection>(PoolOptions{.size = size, .acquire_timeout = timeout},
                                          [this] {
                                            if (fail_next_open_) {
                                              fail_next_open_ = false;
                                              throw DatabaseError("cannot connect", true);
                                            }
                                            auto conn = std::make_unique<FakeConnection>();
                                            conn->id = ++opened_;
                                            return conn;
                                          });
  }

  std::atomic<int> opened_{0};
  std::atomic<bool> fail_next_open_{false};
};

TEST_F(ConnectionPoolTest, OpensLazilyAndReusesTheWarmestConnection) {
  auto pool = MakePool(3);
  EXPECT_EQ(pool.Stats().size, 0);
  {
    auto a = pool.Borrow();
    auto b = pool.Borrow();
    EXPECT_EQ(a->id, 1);
    EXPECT_EQ(b->id, 2);
    EXPECT_EQ(pool.Stats().size, 2);
    EXPECT_EQ(pool.Stats().in_use, 2);
  }
  EXPECT_EQ(pool.Stats().in_use, 0);
  auto c = pool.Borrow();
  EXPECT_EQ(c->id, 1);  // last returned (a outlived b), first lent
  EXPECT_EQ(c->recycled, 1);
  EXPECT_EQ(opened_.load(), 2);
}

TEST_F(ConnectionPoolTest, TimesOutTransientlyWhenExhausted) {
  auto pool = MakePool(1, milliseconds(50));
  auto held = pool.Borrow();
  const auto start = std::chrono::steady_clock::now();
  try {
    pool.Borrow();
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient());
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(45));
  EXPECT_EQ(pool.Stats().waits, 1);
}

TEST_F(ConnectionPoolTest, AWaiterIsHandedAReturnedConnection) {
  auto pool = MakePool(1, milliseconds(5000));
  std::latch borrowed(1);
  std::thread holder([&] {
    auto held = pool.Borrow();
    borrowed.count_down();
    std::this_thread::sleep_for(milliseconds(30));
  });
  borrowed.wait();
  auto conn = pool.Borrow();
  EXPECT_EQ(conn->id, 1);
  EXPECT_EQ(pool.Stats().waits, 1);
  holder.join();
}

TEST_F(ConnectionPoolTest, ReplacesBrokenAndUnusableConnections) {
  auto pool = MakePool(2);
  {
    auto a = pool.Borrow();
    a->broken = true;  // e.g. the server went away mid-statement
  }
  EXPECT_EQ(pool.Stats().size, 0);
  {
    auto b = pool.Borrow();
    EXPECT_EQ(b->id, 2);
    b->usable = false;  // found dead when next borrowed
  }
  EXPECT_EQ(pool.Stats().size, 1);
  auto c = pool.Borrow();
  EXPECT_EQ(c->id, 3);
  EXPECT_EQ(pool.Stats().size, 1);
  EXPECT_EQ(pool.Stats().in_use, 1);
}

TEST_F(ConnectionPoolTest, AFailedOpenFreesItsSlot) {
  auto pool = MakePool(1);
  fail_next_open_ = true;
  EXPECT_THROW(pool.Borrow(), DatabaseError);
  EXPECT_EQ(pool.Stats().size, 0);
  EXPECT_EQ(pool.Stats().in_use, 0);
  auto conn = pool.Borrow();
  EXPECT_EQ(conn->id, 1);
}

TEST_F(ConnectionPoolTest, NeverExceedsItsSizeUnderContention) {
  auto pool = MakePool(3, milliseconds(5000));
  std::atomic<int> in_use{0};
  std::atomic<int> max_in_use{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto conn = pool.Borrow();
        const int now = ++in_use;
        int seen = max_in_use.load();
        while (now > seen && !max_in_use.compare_exchange_weak(seen, now)) {
        }
        --in_use;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(max_in_use.load(), 3);
  EXPECT_LE(opened_.load(), 3);
  EXPECT_EQ(pool.Stats().in_use, 0);
}

TEST_F(ConnectionPoolTest, RejectsAnEmptyPool) { EXPECT_THROW(MakePool(0), DatabaseError); }

}  // namespace
}  // namespace gatehouse::store
