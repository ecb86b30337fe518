// Store contract: LoginThrottleRepository.

#include "store/login_throttle_repository.h"

#include <thread>
#include <vector>

#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;

constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kWindow = 900;

class LoginThrottleRepositoryTest : public EngineTest {};

TEST_P(LoginThrottleRepositoryTest, CountsFailuresWithinTheWindow) {
  LoginThrottleRepository throttles(db());
  EXPECT_FALSE(throttles.Get("h1"));
  LoginThrottleRecord first = throttles.RecordFailure("h1", kNow, kWindow);
  EXPECT_EQ(first.failures, 1);
  EXPECT_EQ(first.window_started_at, kNow);
  EXPECT_EQ(first.locked_until, 0);
  EXPECT_EQ(throttles.RecordFailure("h1", kNow + 10, kWindow).failures, 2);
  LoginThrottleRecord third = throttles.RecordFailure("h1", kNow + kWindow - 1, kWindow);
  EXPECT_EQ(third.failures, 3);
  EXPECT_EQ(third.window_started_at, kNow);
  EXPECT_EQ(throttles.RecordFailure("h2", kNow, kWindow).failures, 1);  // per name
  std::optional<LoginThrottleRecord> read = throttles.Get("h1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->failures, 3);
}

TEST_P(LoginThrottleRepositoryTest, AWindowThatEndedStartsAfresh) {
  LoginThrottleRepository throttles(db());
  throttles.RecordFailure("h1", kNow, kWindow);
  throttles.RecordFailure("h1", kNow + 1, kWindow);
  LoginThrottleRecord fresh = throttles.RecordFailure("h1", kNow + kWindow, kWindow);
  EXPECT_EQ(fresh.failures, 1);
  EXPECT_EQ(fresh.window_started_at, kNow + kWindow);
}

TEST_P(LoginThrottleRepositoryTest, LockAndClear) {
  LoginThrottleRepository throttles(db());
  throttles.RecordFailure("h1", kNow, kWindow);
  throttles.Lock("h1", kNow + 60, kNow + 60);
  ASSERT_TRUE(throttles.Get("h1"));
  EXPECT_EQ(throttles.Get("h1")->locked_until, kNow + 60);
  // Counting more failures keeps the lock.
  EXPECT_EQ(throttles.RecordFailure("h1", kNow + 1, kWindow).locked_until, kNow + 60);
  throttles.Clear("h1");
  EXPECT_FALSE(throttles.Get("h1"));
  throttles.Clear("never-failed");  // no row: nothing to do, no error
}

TEST_P(LoginThrottleRepositoryTest, ConcurrentFailuresAreAllCounted) {
  LoginThrottleRepository throttles(db());
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) throttles.RecordFailure("shared", kNow, kWindow);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(throttles.Get("shared")->failures, kThreads * kEach);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(LoginThrottleRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
