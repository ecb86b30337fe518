#include "core/blocking_scope.h"

#include <gtest/gtest.h>

#include <thread>

namespace gatehouse::core {
namespace {

struct CountingHooks : BlockingHooks {
  int begun = 0;
  int ended = 0;
  void BeginBlocking() override { ++begun; }
  void EndBlocking() override { ++ended; }
};

TEST(BlockingScopeTest, OnlyTheOutermostScopeCallsTheHooks) {
  CountingHooks hooks;
  SetThreadBlockingHooks(&hooks);
  {
    BlockingScope outer;
    EXPECT_EQ(hooks.begun, 1);
    {
      BlockingScope nested;
      EXPECT_EQ(hooks.begun, 1);
    }
    EXPECT_EQ(hooks.ended, 0);
  }
  EXPECT_EQ(hooks.ended, 1);
  { BlockingScope again; }
  EXPECT_EQ(hooks.begun, 2);
  EXPECT_EQ(hooks.ended, 2);
  SetThreadBlockingHooks(nullptr);
  { BlockingScope without_hooks; }
  EXPECT_EQ(hooks.begun, 2);
}

TEST(BlockingScopeTest, HooksBelongToTheThreadThatInstalledThem) {
  CountingHooks hooks;
  SetThreadBlockingHooks(&hooks);
  std::thread other([] { BlockingScope elsewhere; });
  other.join();
  EXPECT_EQ(hooks.begun, 0);
  SetThreadBlockingHooks(nullptr);
}

}  // namespace
}  // namespace gatehouse::core
