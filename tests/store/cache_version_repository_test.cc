// Store contract: CacheVersionRepository.

#include "store/cache_version_repository.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;
using Versions = std::vector<std::pair<std::string, int64_t>>;

class CacheVersionRepositoryTest : public EngineTest {};

TEST_P(CacheVersionRepositoryTest, StartsEmpty) {
  EXPECT_TRUE(CacheVersionRepository(db()).ReadAll().empty());
}

TEST_P(CacheVersionRepositoryTest, BumpCreatesThenIncrements) {
  CacheVersionRepository versions(db());
  versions.Bump("clients");
  versions.Bump("signing_keys");
  versions.Bump("clients");
  EXPECT_EQ(versions.ReadAll(), (Versions{{"clients", 2}, {"signing_keys", 1}}));
}

TEST_P(CacheVersionRepositoryTest, BumpCommitsOrRollsBackWithItsTransaction) {
  CacheVersionRepository versions(db());
  db().Transaction([](Connection& c) { CacheVersionRepository::Bump(c, "clients"); });
  EXPECT_THROW(db().Transaction([](Connection& c) {
    CacheVersionRepository::Bump(c, "clients");
    throw std::runtime_error("the change failed");
  }),
               std::runtime_error);
  EXPECT_EQ(versions.ReadAll(), (Versions{{"clients", 1}}));
}

TEST_P(CacheVersionRepositoryTest, ConcurrentBumpsAreAllCounted) {
  CacheVersionRepository versions(db());
  RunConcurrently(4, [&](int) {
    for (int i = 0; i < 25; ++i) versions.Bump("clients");
  });
  EXPECT_EQ(versions.ReadAll(), (Versions{{"clients", 100}}));
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(CacheVersionRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
