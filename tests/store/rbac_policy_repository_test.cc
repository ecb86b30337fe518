// Store contract: RbacPolicyRepository (one document, replaced by Put, which bumps the
// "rbac_policy" cache version) on both engines.

#include "store/rbac_policy_repository.h"

#include "store/cache_version_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

class RbacPolicyRepositoryTest : public ::gatehouse::testing::EngineTest {};

int64_t Version(Database& db) {
  for (const auto& [name, v] : CacheVersionRepository(db).ReadAll()) {
    if (name == kRbacPolicyCacheName) return v;
  }
  return 0;
}

TEST_P(RbacPolicyRepositoryTest, StoresAndReplacesThePolicy) {
  RbacPolicyRepository repo(db());
  EXPECT_FALSE(repo.Get());
  repo.Put(R"({"resources":[]})", 1);
  EXPECT_EQ(repo.Get(), R"({"resources":[]})");
  EXPECT_EQ(Version(db()), 1);
  repo.Put(R"({"roles":[]})", 2);
  EXPECT_EQ(repo.Get(), R"({"roles":[]})");
  EXPECT_EQ(Version(db()), 2);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(RbacPolicyRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
