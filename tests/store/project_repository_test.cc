// Store contract: ProjectRepository.

#include "store/project_repository.h"

#include <atomic>
#include <string>

#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;

class ProjectRepositoryTest : public EngineTest {};

TEST_P(ProjectRepositoryTest, IsEmptyBeforeTheFirstStart) {
  EXPECT_EQ(ProjectRepository(db()).Get(), std::nullopt);
}

TEST_P(ProjectRepositoryTest, CreateIfAbsentCreatesTheProjectOnce) {
  ProjectRepository projects(db());
  EXPECT_TRUE(projects.CreateIfAbsent({"project-test-1", "hash-1", 1'700'000'000}));
  EXPECT_FALSE(projects.CreateIfAbsent({"project-test-2", "hash-2", 1'700'000'001}));
  EXPECT_FALSE(projects.CreateIfAbsent({"project-test-1", "hash-3", 1'700'000'002}));
  std::optional<ProjectRecord> project = projects.Get();
  ASSERT_TRUE(project);
  EXPECT_EQ(project->project_id, "project-test-1");
  EXPECT_EQ(project->secret_hash, "hash-1");
  EXPECT_EQ(project->created_at, 1'700'000'000);
}

TEST_P(ProjectRepositoryTest, ExactlyOneOfManyConcurrentStartsCreatesIt) {
  ProjectRepository projects(db());
  std::atomic<int> winners{0};
  std::atomic<int> winner{-1};
  RunConcurrently(6, [&](int i) {
    if (projects.CreateIfAbsent({"project-" + std::to_string(i), "hash", 1})) {
      ++winners;
      winner = i;
    }
  });
  EXPECT_EQ(winners.load(), 1);
  ASSERT_TRUE(projects.Get());
  EXPECT_EQ(projects.Get()->project_id, "project-" + std::to_string(winner.load()));
}

TEST_P(ProjectRepositoryTest, UpdateSecretHashReplacesTheHash) {
  ProjectRepository projects(db());
  ASSERT_TRUE(projects.CreateIfAbsent({"project-test-1", "old", 1}));
  EXPECT_TRUE(projects.UpdateSecretHash("project-test-1", "new"));
  EXPECT_FALSE(projects.UpdateSecretHash("project-unknown", "other"));
  EXPECT_EQ(projects.Get()->secret_hash, "new");
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(ProjectRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
