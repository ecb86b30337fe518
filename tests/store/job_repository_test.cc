// Store contract: JobRepository.

#include "store/job_repository.h"

#include <atomic>
#include <string>

#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;

class JobRepositoryTest : public EngineTest {};

TEST_P(JobRepositoryTest, ANewJobIsDueAtOnce) {
  JobRepository jobs(db());
  EXPECT_EQ(jobs.Get("key_rotation"), std::nullopt);
  EXPECT_TRUE(jobs.TryClaim("key_rotation", 1000, 1600, "process-a"));
  std::optional<JobRecord> job = jobs.Get("key_rotation");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->name, "key_rotation");
  EXPECT_EQ(job->next_run_at, 1600);
  EXPECT_EQ(job->owner, "process-a");
}

TEST_P(JobRepositoryTest, AJobIsClaimedAgainOnlyWhenDue) {
  JobRepository jobs(db());
  ASSERT_TRUE(jobs.TryClaim("gc", 1000, 1600, "process-a"));
  EXPECT_FALSE(jobs.TryClaim("gc", 1599, 2200, "process-b"));
  EXPECT_EQ(jobs.Get("gc")->owner, "process-a");
  EXPECT_EQ(jobs.Get("gc")->next_run_at, 1600);
  EXPECT_TRUE(jobs.TryClaim("gc", 1600, 2200, "process-b"));
  EXPECT_EQ(jobs.Get("gc")->owner, "process-b");
  EXPECT_EQ(jobs.Get("gc")->next_run_at, 2200);
  // Jobs are independent.
  EXPECT_TRUE(jobs.TryClaim("key_rotation", 1601, 5000, "process-a"));
}

TEST_P(JobRepositoryTest, ExactlyOneOfConcurrentClaimersWins) {
  JobRepository jobs(db());
  for (int round = 0; round < 10; ++round) {
    const std::string name = "job-" + std::to_string(round);
    // First run (the row does not exist yet), then a due re-run of the existing row.
    for (int64_t now : {int64_t{1000}, int64_t{2000}}) {
      std::atomic<int> winners{0};
      RunConcurrently(4, [&](int i) {
        if (jobs.TryClaim(name, now, now + 600, "process-" + std::to_string(i))) ++winners;
      });
      EXPECT_EQ(winners.load(), 1) << name << " at " << now;
      EXPECT_EQ(jobs.Get(name)->next_run_at, now + 600);
    }
  }
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(JobRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
