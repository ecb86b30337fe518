#include "core/mutex.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <thread>

namespace gatehouse::core {
namespace {

// Whether another thread can take `mu` now (TryLock on a mutex this thread holds is undefined).
bool FreeForAnotherThread(Mutex& mu) {
  return std::async(std::launch::async,
                    [&mu] {
                      if (!mu.TryLock()) return false;
                      mu.Unlock();
                      return true;
                    })
      .get();
}

TEST(MutexTest, MutexLockHoldsTheMutexForItsScope) {
  Mutex mu;
  {
    MutexLock lock(mu);
    EXPECT_FALSE(FreeForAnotherThread(mu));
  }
  EXPECT_TRUE(FreeForAnotherThread(mu));
}

TEST(MutexTest, UniqueLockUnlocksAndRelocks) {
  Mutex mu;
  {
    UniqueLock lock(mu);
    EXPECT_FALSE(FreeForAnotherThread(mu));
    lock.Unlock();
    EXPECT_TRUE(FreeForAnotherThread(mu));
    lock.Lock();
    EXPECT_FALSE(FreeForAnotherThread(mu));
  }
  EXPECT_TRUE(FreeForAnotherThread(mu));
}

TEST(MutexTest, UniqueLockLeftUnlockedReleasesNothingTwice) {
  Mutex mu;
  {
    UniqueLock lock(mu);
    lock.Unlock();
  }
  EXPECT_TRUE(FreeForAnotherThread(mu));
}

struct Mailbox {
  Mutex mu;
  std::condition_variable changed;
  int value GUARDED_BY(mu) = 0;
};

TEST(MutexTest, ConditionVariableWaitsThroughUniqueLock) {
  Mailbox box;
  std::thread writer([&box] {
    MutexLock lock(box.mu);
    box.value = 42;
    box.changed.notify_one();
  });
  {
    UniqueLock lock(box.mu);
    box.changed.wait(lock.native(), [&box]() REQUIRES(box.mu) { return box.value != 0; });
    EXPECT_EQ(box.value, 42);
  }
  writer.join();
}

}  // namespace
}  // namespace gatehouse::core
