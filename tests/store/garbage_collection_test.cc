// Store contract suite for garbage collection: only what is expired goes, in bounded batches, on
// both engines.

#include "store/garbage_collection.h"

#include "store/login_throttle_repository.h"

#include <gtest/gtest.h>

#include "store/authorization_code_repository.h"
#include "store/grant_repository.h"
#include "store/grant_store_fixtures.h"
#include "store/refresh_token_repository.h"
#include "store/store_test_support.h"
#include "store/token_lifecycle_repository.h"

namespace gatehouse::store {
namespace {

using testing::InsertTestClient;
using testing::InsertTestUser;

constexpr int64_t kRetention = 1000;
constexpr int64_t kNow = 100'000;

class GarbageCollectionTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    InsertTestUser(db(), "user-1");
    InsertTestClient(db(), "client-1");
  }

  void AddGrant(const std::string& id, int64_t created_at,
                std::optional<int64_t> revoked_at = std::nullopt) {
    GrantRecord record;
    record.grant_id = id;
    record.user_id = "user-1";
    record.client_id = "client-1";
    record.scope = "openid";
    record.auth_time = created_at;
    record.created_at = created_at;
    record.revoked_at = revoked_at;
    GrantRepository(db()).Insert(record);
  }
  void AddCode(const std::string& hash, const std::string& grant, int64_t expires_at) {
    AuthorizationCodeRecord record;
    record.code_hash = hash;
    record.grant_id = grant;
    record.client_id = "client-1";
    record.redirect_uri = "https://app.example.com/cb";
    record.expires_at = expires_at;
    AuthorizationCodeRepository(db()).Insert(record);
  }
  void AddToken(const std::string& hash, const std::string& grant, int64_t expires_at) {
    RefreshTokenRecord record;
    record.token_hash = hash;
    record.grant_id = grant;
    record.client_id = "client-1";
    record.scope = "openid";
    record.created_at = 1;
    record.expires_at = expires_at;
    RefreshTokenRepository(db()).Insert(record);
  }
  void AddSession(const std::string& id, int64_t expires_at) {
    db().Run([&](Connection& c) {
      c.Execute(
          "INSERT INTO sessions (session_id, token_hash, user_id, authentication_method, "
          "authenticated_at, created_at, expires_at, revoked_at) "
          "VALUES (?, ?, 'user-1', 'password', 1, 1, ?, NULL)",
          {id, "hash-" + id, expires_at});
    });
  }
  int64_t Count(const std::string& table) {
    int64_t n = 0;
    db().Run([&](Connection& c) { n = c.Query("SELECT COUNT(*) FROM " + table).front().Int(0); });
    return n;
  }
  bool Has(const std::string& table, const std::string& key, const std::string& value) {
    bool found = false;
    db().Run([&](Connection& c) {
      found = !c.Query("SELECT 1 FROM " + table + " WHERE " + key + " = ?", {value}).empty();
    });
    return found;
  }
  GarbageCollectionReport Collect(int64_t batch_size = 1000) {
    return GarbageCollection(db(),
                             GarbageCollectionOptions{.access_token_retention_seconds = kRetention,
                                                      .batch_size = batch_size})
        .Collect(kNow);
  }
};

TEST_P(GarbageCollectionTest, DeletesExpiredCodesSessionsAndExchangesOnly) {
  AddGrant("g-live", kNow - 10);
  AddCode("code-old", "g-live", kNow - 1);
  AddCode("code-new", "g-live", kNow + 60);
  AddSession("s-old", kNow);
  AddSession("s-new", kNow + 1);
  TokenLifecycleRepository exchanges(db());
  exchanges.RecordExchange({"jti-old", "user-1", "client-1", 1, kNow - 1});
  exchanges.RecordExchange({"jti-new", "user-1", "client-1", 1, kNow + 1});

  const GarbageCollectionReport report = Collect();
  EXPECT_TRUE(report.finished);
  EXPECT_EQ(report.authorization_codes, 1);
  EXPECT_EQ(report.sessions, 1);
  EXPECT_EQ(report.exchanged_access_tokens, 1);
  EXPECT_TRUE(Has("authorization_codes", "code_hash", "code-new"));
  EXPECT_FALSE(Has("authorization_codes", "code_hash", "code-old"));
  EXPECT_TRUE(Has("sessions", "session_id", "s-new"));
  EXPECT_FALSE(Has("sessions", "session_id", "s-old"));
  EXPECT_TRUE(Has("exchanged_access_tokens", "jti", "jti-new"));
  EXPECT_FALSE(Has("exchanged_access_tokens", "jti", "jti-old"));
  EXPECT_TRUE(Has("grants", "grant_id", "g-live"));
}

TEST_P(GarbageCollectionTest, DeletesLoginThrottlesOnceTheyNoLongerCount) {
  LoginThrottleRepository throttles(db());
  throttles.RecordFailure("old", kNow - 100, 60);     // window ended 40 s ago
  throttles.RecordFailure("locked", kNow - 100, 60);  // window ended, lock still running
  throttles.Lock("locked", kNow + 30, kNow + 30);
  throttles.RecordFailure("recent", kNow - 10, 60);
  EXPECT_EQ(Collect().login_throttles, 1);
  EXPECT_FALSE(throttles.Get("old"));
  EXPECT_TRUE(throttles.Get("locked"));
  EXPECT_TRUE(throttles.Get("recent"));
}

TEST_P(GarbageCollectionTest, IdleGrantsAreFoundInBoundedBatchesAcrossRuns) {
  // 7 old grants, every other one idle; batches of 2 keys; a budget that allows one batch a run.
  for (int i = 0; i < 7; ++i) {
    const std::string id = "g-" + std::to_string(i);
    AddGrant(id, kNow - kRetention - 100 + i / 2);  // some share a created_at
    if (i % 2 == 1) AddToken("rt-" + std::to_string(i), id, kNow + 100);
  }
  GarbageCollectionOptions options{.access_token_retention_seconds = kRetention,
                                   .batch_size = 2,
                                   .time_budget = std::chrono::milliseconds(0)};
  int64_t deleted = 0;
  int runs = 0;
  do {
    GarbageCollectionReport report = GarbageCollection(db(), options).Collect(kNow);
    deleted += report.grants;
    options.idle_grant_cursor = report.idle_grant_cursor;
    ++runs;
  } while (options.idle_grant_cursor != std::pair<int64_t, std::string>{} && runs < 10);
  EXPECT_EQ(deleted, 4);  // g-0, g-2, g-4, g-6
  EXPECT_GE(runs, 3);     // bounded: one batch of 2 keys per run
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Has("grants", "grant_id", "g-" + std::to_string(i)), i % 2 == 1) << i;
  }
}

TEST_P(GarbageCollectionTest, KeepsRefreshTokensForTheRetentionAfterExpiry) {
  AddGrant("g-1", 1);
  AddToken("rt-gone", "g-1", kNow - kRetention - 1);
  AddToken("rt-retained", "g-1", kNow - 1);  // expired, but access tokens from it may live
  AddToken("rt-live", "g-1", kNow + 100);
  EXPECT_EQ(Collect().refresh_tokens, 1);
  EXPECT_FALSE(Has("refresh_tokens", "token_hash", "rt-gone"));
  EXPECT_TRUE(Has("refresh_tokens", "token_hash", "rt-retained"));
  EXPECT_TRUE(Has("refresh_tokens", "token_hash", "rt-live"));
  EXPECT_TRUE(Has("grants", "grant_id", "g-1"));
}

TEST_P(GarbageCollectionTest, DeletesGrantsOnlyAfterTheirAccessTokensExpired) {
  AddGrant("revoked-long-ago", 1, kNow - kRetention - 1);
  AddGrant("revoked-recently", 1, kNow - 10);
  AddGrant("idle-old", kNow - kRetention - 1);        // nothing under it any more
  AddGrant("idle-recent", kNow - kRetention + 10);    // its access tokens may still live
  AddGrant("old-with-token", kNow - kRetention - 1);  // a live refresh token
  AddToken("rt", "old-with-token", kNow + 100);
  AddGrant("old-with-code", kNow - kRetention - 1);  // an unexpired code
  AddCode("code", "old-with-code", kNow + 30);
  AddToken("rt-under-revoked", "revoked-long-ago", kNow + 100);

  EXPECT_EQ(Collect().grants, 2);
  EXPECT_FALSE(Has("grants", "grant_id", "revoked-long-ago"));
  EXPECT_FALSE(Has("refresh_tokens", "token_hash", "rt-under-revoked"));  // cascade
  EXPECT_FALSE(Has("grants", "grant_id", "idle-old"));
  EXPECT_TRUE(Has("grants", "grant_id", "revoked-recently"));
  EXPECT_TRUE(Has("grants", "grant_id", "idle-recent"));
  EXPECT_TRUE(Has("grants", "grant_id", "old-with-token"));
  EXPECT_TRUE(Has("grants", "grant_id", "old-with-code"));
}

TEST_P(GarbageCollectionTest, DeletesInBatchesUntilDone) {
  AddGrant("g-1", kNow - 10);
  for (int i = 0; i < 7; ++i) AddCode("code-" + std::to_string(i), "g-1", kNow - 1 - i);
  AddCode("code-live", "g-1", kNow + 10);
  const GarbageCollectionReport report = Collect(/*batch_size=*/3);
  EXPECT_TRUE(report.finished);
  EXPECT_EQ(report.authorization_codes, 7);
  EXPECT_EQ(Count("authorization_codes"), 1);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(GarbageCollectionTest);

}  // namespace
}  // namespace gatehouse::store
