#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

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

}  // namespace
}  // namespace gatehouse::http
