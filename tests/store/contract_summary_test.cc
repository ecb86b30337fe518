// Prints, once every store contract case has run, how many ran on each engine, so a run that
// silently skipped PostgreSQL is visible at a glance:
//   store contract: N PostgreSQL cases ran, M SQLite cases ran

#include <gtest/gtest.h>

#include <cstdio>

#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineCasesRun;

class StoreContractSummary : public ::testing::Environment {
 public:
  // Counts only this iteration's cases under --gtest_repeat.
  void SetUp() override {
    postgres_before_ = EngineCasesRun(Engine::kPostgres).load();
    sqlite_before_ = EngineCasesRun(Engine::kSqlite).load();
  }
  void TearDown() override {
    std::printf("store contract: %d PostgreSQL cases ran, %d SQLite cases ran\n",
                EngineCasesRun(Engine::kPostgres).load() - postgres_before_,
                EngineCasesRun(Engine::kSqlite).load() - sqlite_before_);
    std::fflush(stdout);
  }

 private:
  int postgres_before_ = 0;
  int sqlite_before_ = 0;
};

[[maybe_unused]] ::testing::Environment* const kStoreContractSummary =
    ::testing::AddGlobalTestEnvironment(new StoreContractSummary);

}  // namespace
}  // namespace gatehouse::store
