// Store contract: SigningKeyRepository.

#include "store/signing_key_repository.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/cache_version_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;

SigningKeyRecord Key(std::string kid, std::string_view state, int64_t created_at,
                     std::optional<int64_t> publish_until = std::nullopt) {
  return SigningKeyRecord{.kid = std::move(kid),
                          .alg = "RS256",
                          .state = std::string(state),
                          .private_key_enc = "ZW5jcnlwdGVk",
                          .public_jwk = R"({"kty":"RSA","n":"abc","e":"AQAB"})",
                          .created_at = created_at,
                          .activated_at = std::nullopt,
                          .retired_at = std::nullopt,
                          .publish_until = publish_until};
}

std::vector<std::string> Kids(const std::vector<SigningKeyRecord>& keys) {
  std::vector<std::string> kids;
  for (const SigningKeyRecord& k : keys) kids.push_back(k.kid);
  return kids;
}

class SigningKeyRepositoryTest : public EngineTest {
 protected:
  int64_t KeysCacheVersion() {
    for (const auto& [name, version] : CacheVersionRepository(db()).ReadAll()) {
      if (name == kSigningKeysCacheName) return version;
    }
    return 0;
  }
};

TEST_P(SigningKeyRepositoryTest, InsertedKeysReadBackExactly) {
  SigningKeyRepository keys(db());
  SigningKeyRecord full = Key("k1", kKeyStateRetired, 100, 900);
  full.alg = "ES256";
  full.activated_at = 200;
  full.retired_at = 300;
  keys.Insert(full);
  keys.Insert(Key("k2", kKeyStateNext, 150));

  std::optional<SigningKeyRecord> k1 = keys.Get("k1");
  ASSERT_TRUE(k1);
  EXPECT_EQ(k1->kid, "k1");
  EXPECT_EQ(k1->alg, "ES256");
  EXPECT_EQ(k1->state, "retired");
  EXPECT_EQ(k1->private_key_enc, "ZW5jcnlwdGVk");
  EXPECT_EQ(k1->public_jwk, R"({"kty":"RSA","n":"abc","e":"AQAB"})");
  EXPECT_EQ(k1->created_at, 100);
  EXPECT_EQ(k1->activated_at, 200);
  EXPECT_EQ(k1->retired_at, 300);
  EXPECT_EQ(k1->publish_until, 900);

  std::optional<SigningKeyRecord> k2 = keys.Get("k2");
  ASSERT_TRUE(k2);
  EXPECT_EQ(k2->activated_at, std::nullopt);
  EXPECT_EQ(k2->retired_at, std::nullopt);
  EXPECT_EQ(k2->publish_until, std::nullopt);

  EXPECT_EQ(keys.Get("k3"), std::nullopt);
  EXPECT_EQ(Kids(keys.ListAll()), (std::vector<std::string>{"k1", "k2"}));
}

TEST_P(SigningKeyRepositoryTest, ADuplicateKidIsAConstraintViolation) {
  SigningKeyRepository keys(db());
  keys.Insert(Key("k1", kKeyStateNext, 100));
  EXPECT_THROW(keys.Insert(Key("k1", kKeyStateCurrent, 200)), ConstraintViolation);
  EXPECT_EQ(keys.Get("k1")->state, "next");
  EXPECT_EQ(KeysCacheVersion(), 1);  // the failed insert announced nothing
}

TEST_P(SigningKeyRepositoryTest, ListPublishedHoldsNextCurrentAndUnexpiredRetiredKeys) {
  SigningKeyRepository keys(db());
  keys.Insert(Key("retired-live", kKeyStateRetired, 10, 1001));
  keys.Insert(Key("retired-expiring-now", kKeyStateRetired, 20, 1000));
  keys.Insert(Key("retired-expired", kKeyStateRetired, 30, 500));
  keys.Insert(Key("retired-no-deadline", kKeyStateRetired, 40));
  keys.Insert(Key("current", kKeyStateCurrent, 50));
  keys.Insert(Key("next", kKeyStateNext, 60));
  EXPECT_EQ(Kids(keys.ListPublished(1000)),
            (std::vector<std::string>{"retired-live", "current", "next"}));
  EXPECT_EQ(Kids(keys.ListPublished(1001)), (std::vector<std::string>{"current", "next"}));
}

TEST_P(SigningKeyRepositoryTest, TransitionStateIsACompareAndSet) {
  SigningKeyRepository keys(db());
  keys.Insert(Key("k1", kKeyStateNext, 100));

  EXPECT_TRUE(keys.TransitionState("k1", kKeyStateNext, kKeyStateCurrent, 200, std::nullopt));
  EXPECT_EQ(keys.Get("k1")->state, "current");
  EXPECT_EQ(keys.Get("k1")->activated_at, 200);
  // Not in the expected state any more: no change.
  EXPECT_FALSE(keys.TransitionState("k1", kKeyStateNext, kKeyStateCurrent, 250, std::nullopt));
  EXPECT_EQ(keys.Get("k1")->activated_at, 200);
  EXPECT_FALSE(keys.TransitionState("nope", kKeyStateNext, kKeyStateCurrent, 250, std::nullopt));

  EXPECT_TRUE(keys.TransitionState("k1", kKeyStateCurrent, kKeyStateRetired, 300, 5000));
  std::optional<SigningKeyRecord> k1 = keys.Get("k1");
  EXPECT_EQ(k1->state, "retired");
  EXPECT_EQ(k1->activated_at, 200);
  EXPECT_EQ(k1->retired_at, 300);
  EXPECT_EQ(k1->publish_until, 5000);

  EXPECT_THROW(keys.TransitionState("k1", "retired", "deleted", 1, std::nullopt),
               std::invalid_argument);
  EXPECT_THROW(keys.Insert(Key("k2", "active", 1)), std::invalid_argument);
}

TEST_P(SigningKeyRepositoryTest, ExactlyOneOfConcurrentTransitionsWins) {
  SigningKeyRepository keys(db());
  for (int round = 0; round < 10; ++round) {
    const std::string kid = "k" + std::to_string(round);
    keys.Insert(Key(kid, kKeyStateNext, round));
    std::atomic<int> winners{0};
    RunConcurrently(4, [&](int i) {
      if (keys.TransitionState(kid, kKeyStateNext, kKeyStateCurrent, 1000 + i, std::nullopt)) {
        ++winners;
      }
    });
    EXPECT_EQ(winners.load(), 1) << kid;
    EXPECT_EQ(keys.Get(kid)->state, "current");
  }
}

TEST_P(SigningKeyRepositoryTest, DeleteExpiredRemovesOnlyUnpublishedRetiredKeys) {
  SigningKeyRepository keys(db());
  keys.Insert(Key("retired-live", kKeyStateRetired, 10, 1001));
  keys.Insert(Key("retired-expired", kKeyStateRetired, 20, 1000));
  keys.Insert(Key("retired-no-deadline", kKeyStateRetired, 30));
  keys.Insert(Key("current", kKeyStateCurrent, 40));
  keys.Insert(Key("next", kKeyStateNext, 50));
  EXPECT_EQ(keys.DeleteExpired(1000), 2);
  EXPECT_EQ(Kids(keys.ListAll()), (std::vector<std::string>{"retired-live", "current", "next"}));
  EXPECT_EQ(keys.DeleteExpired(1000), 0);
}

TEST_P(SigningKeyRepositoryTest, EveryChangeBumpsTheCacheVersion) {
  SigningKeyRepository keys(db());
  EXPECT_EQ(KeysCacheVersion(), 0);
  keys.Insert(Key("k1", kKeyStateNext, 100));
  EXPECT_EQ(KeysCacheVersion(), 1);
  EXPECT_TRUE(keys.TransitionState("k1", kKeyStateNext, kKeyStateCurrent, 200, std::nullopt));
  EXPECT_EQ(KeysCacheVersion(), 2);
  EXPECT_FALSE(keys.TransitionState("k1", kKeyStateNext, kKeyStateCurrent, 200, std::nullopt));
  EXPECT_EQ(KeysCacheVersion(), 2);  // nothing changed, nothing announced
  EXPECT_TRUE(keys.TransitionState("k1", kKeyStateCurrent, kKeyStateRetired, 300, 400));
  EXPECT_EQ(KeysCacheVersion(), 3);
  EXPECT_EQ(keys.DeleteExpired(399), 0);
  EXPECT_EQ(KeysCacheVersion(), 3);
  EXPECT_EQ(keys.DeleteExpired(400), 1);
  EXPECT_EQ(KeysCacheVersion(), 4);
}

TEST_P(SigningKeyRepositoryTest, ARotationComposesInOneTransaction) {
  SigningKeyRepository keys(db());
  keys.Insert(Key("old", kKeyStateCurrent, 100));
  keys.Insert(Key("new", kKeyStateNext, 200));
  const int64_t version = KeysCacheVersion();

  // A rotation that fails half-way changes nothing.
  EXPECT_THROW(db().Transaction([](Connection& c) {
    ASSERT_TRUE(SigningKeyRepository::TransitionState(c, "new", kKeyStateNext, kKeyStateCurrent,
                                                      300, std::nullopt));
    throw std::runtime_error("crash between the two steps");
  }),
               std::runtime_error);
  EXPECT_EQ(keys.Get("new")->state, "next");
  EXPECT_EQ(KeysCacheVersion(), version);

  db().Transaction([](Connection& c) {
    ASSERT_TRUE(SigningKeyRepository::TransitionState(c, "new", kKeyStateNext, kKeyStateCurrent,
                                                      300, std::nullopt));
    ASSERT_TRUE(SigningKeyRepository::TransitionState(c, "old", kKeyStateCurrent, kKeyStateRetired,
                                                      300, 3900));
    SigningKeyRepository::Insert(c, Key("newer", kKeyStateNext, 300));
  });
  EXPECT_EQ(keys.Get("new")->state, "current");
  EXPECT_EQ(keys.Get("old")->state, "retired");
  EXPECT_EQ(Kids(keys.ListPublished(301)), (std::vector<std::string>{"old", "new", "newer"}));
  EXPECT_GT(KeysCacheVersion(), version);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(SigningKeyRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
