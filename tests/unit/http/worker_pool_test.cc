#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "core/blocking_scope.h"

namespace gatehouse::http {
namespace {

TEST(WorkerPoolTest, RunsTasks) {
  WorkerPool pool(2, 16);
  std::atomic<int> done{0};
  std::promise<void> all;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(pool.TryPost([&] {
      if (++done == 10) all.set_value();
    }));
  }
  all.get_future().wait();
  EXPECT_EQ(done.load(), 10);
}

TEST(WorkerPoolTest, RefusesWhenQueueIsFullAndAfterStop) {
  WorkerPool pool(1, 1);
  std::promise<void> started;
  std::promise<void> release;
  auto released = release.get_future().share();
  ASSERT_TRUE(pool.TryPost([&started, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // the only thread is busy
  EXPECT_TRUE(pool.TryPost([] {}));
  EXPECT_EQ(pool.queued(), 1u);
  EXPECT_FALSE(pool.TryPost([] {}));
  release.set_value();
  pool.Stop();
  EXPECT_FALSE(pool.TryPost([] {}));
}

// Records how many tasks run at once.
struct Concurrency {
  std::atomic<int> now{0};
  std::atomic<int> most{0};
  void Enter() {
    const int n = ++now;
    int seen = most.load();
    while (n > seen && !most.compare_exchange_weak(seen, n)) {
    }
  }
  void Leave() { --now; }
};

TEST(WorkerPoolTest, RunsAtMostCpuSlotsTasksAtOnce) {
  WorkerPool pool(/*threads=*/4, /*max_queued=*/64, /*cpu_slots=*/2);
  EXPECT_EQ(pool.cpu_slots(), 2u);
  Concurrency concurrency;
  std::atomic<int> done{0};
  std::promise<void> all;
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(pool.TryPost([&] {
      concurrency.Enter();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      concurrency.Leave();
      if (++done == 12) all.set_value();
    }));
  }
  ASSERT_EQ(all.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(concurrency.most.load(), 2);
}

TEST(WorkerPoolTest, ZeroCpuSlotsMeansOnePerCpu) {
  WorkerPool pool(2, 16, 0);
  EXPECT_EQ(pool.cpu_slots(), std::max<size_t>(std::thread::hardware_concurrency(), 1));
}

TEST(WorkerPoolTest, ATaskWaitingInABlockingScopeLendsItsSlot) {
  // One slot: the second task can only run while the first waits inside a BlockingScope. Were
  // the slot not lent, the first would time out waiting for the second.
  WorkerPool pool(/*threads=*/2, /*max_queued=*/16, /*cpu_slots=*/1);
  std::promise<void> second_ran;
  std::promise<bool> first_saw_it;
  ASSERT_TRUE(pool.TryPost([&] {
    core::BlockingScope waiting;
    first_saw_it.set_value(second_ran.get_future().wait_for(std::chrono::seconds(10)) ==
                           std::future_status::ready);
  }));
  ASSERT_TRUE(pool.TryPost([&] {
    EXPECT_EQ(pool.running(), 1u);  // this task only: the first is off the CPU
    second_ran.set_value();
  }));
  auto result = first_saw_it.get_future();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(result.get());
}

TEST(WorkerPoolTest, AThreadBackFromAWaitRunsEvenWhenNoSlotFreesUp) {
  // The first task returns from its wait while the second holds the only slot and will not give
  // it up until the first has finished: after slot_wait the first runs anyway instead of
  // stalling the pool.
  WorkerPool pool(/*threads=*/2, /*max_queued=*/16, /*cpu_slots=*/1,
                  /*slot_wait=*/std::chrono::milliseconds(5));
  std::promise<void> second_started;
  auto second_started_future = second_started.get_future();
  std::promise<void> first_done;
  auto first_done_future = first_done.get_future().share();
  std::promise<bool> second_saw_first;
  ASSERT_TRUE(pool.TryPost([&] {
    {
      core::BlockingScope waiting;
      second_started_future.wait();
    }
    first_done.set_value();
  }));
  ASSERT_TRUE(pool.TryPost([&, first_done_future] {
    second_started.set_value();
    second_saw_first.set_value(first_done_future.wait_for(std::chrono::seconds(10)) ==
                               std::future_status::ready);
  }));
  auto result = second_saw_first.get_future();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(result.get());
}

}  // namespace
}  // namespace gatehouse::http
