// Store contract suite for the token lifecycle: refresh token lookup joined to its grant,
// single-use session exchange records, connected apps and their revocation — on both engines.

#include "store/token_lifecycle_repository.h"

#include <gtest/gtest.h>

#include "store/consent_repository.h"
#include "store/grant_repository.h"
#include "store/grant_store_fixtures.h"
#include "store/refresh_token_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using testing::InsertTestClient;
using testing::InsertTestUser;

class TokenLifecycleRepositoryTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    InsertTestUser(db(), "user-1", "ada@example.com");
    InsertTestUser(db(), "user-2", "bob@example.com");
    InsertTestClient(db(), "client-a", "third_party");
    InsertTestClient(db(), "client-b", "first_party");
    db().Run([](Connection& c) {
      c.Execute(
          "UPDATE clients SET client_name = 'Beta', logo_url = 'https://b.example/l.png' "
          "WHERE client_id = 'client-b'");
      c.Execute(
          "UPDATE clients SET client_name = 'Alpha', client_description = 'An app' "
          "WHERE client_id = 'client-a'");
    });
  }

  void AddGrant(const std::string& id, const std::string& user, const std::string& client,
                const std::string& scope) {
    GrantRecord record;
    record.grant_id = id;
    record.user_id = user;
    record.client_id = client;
    record.scope = scope;
    record.auth_time = 100;
    record.created_at = 100;
    GrantRepository(db()).Insert(record);
  }

  void AddToken(const std::string& hash, const std::string& grant, const std::string& client) {
    RefreshTokenRecord record;
    record.token_hash = hash;
    record.grant_id = grant;
    record.client_id = client;
    record.scope = "openid offline_access";
    record.created_at = 100;
    record.expires_at = 10'000;
    RefreshTokenRepository(db()).Insert(record);
  }
};

TEST_P(TokenLifecycleRepositoryTest, FindsARefreshTokenWithItsGrant) {
  AddGrant("g-1", "user-1", "client-a", "openid offline_access");
  AddToken("hash-1", "g-1", "client-a");
  RefreshTokenRepository repo(db());
  auto found = repo.GetWithGrant("hash-1");
  ASSERT_TRUE(found && found->grant);
  EXPECT_EQ(found->token.grant_id, "g-1");
  EXPECT_EQ(found->token.client_id, "client-a");
  EXPECT_EQ(found->grant->user_id, "user-1");
  EXPECT_EQ(found->token.expires_at, 10'000);
  EXPECT_FALSE(found->token.revoked_at);
  EXPECT_FALSE(found->grant->revoked_at);
  EXPECT_FALSE(repo.GetWithGrant("hash-2"));

  GrantRepository(db()).Revoke("g-1", 500);
  found = repo.GetWithGrant("hash-1");
  ASSERT_TRUE(found && found->grant);
  EXPECT_EQ(found->grant->revoked_at, 500);
  EXPECT_EQ(found->token.revoked_at, 500);
}

TEST_P(TokenLifecycleRepositoryTest, RecordsAnExchangeOnce) {
  TokenLifecycleRepository repo(db());
  const ExchangedAccessToken exchange{.jti = "jti-1",
                                      .user_id = "user-1",
                                      .client_id = "client-b",
                                      .exchanged_at = 100,
                                      .expires_at = 460};
  EXPECT_TRUE(repo.RecordExchange(exchange));
  EXPECT_FALSE(repo.RecordExchange(exchange));
  ExchangedAccessToken other = exchange;
  other.jti = "jti-2";
  EXPECT_TRUE(repo.RecordExchange(other));
}

TEST_P(TokenLifecycleRepositoryTest, ListsConnectedAppsFromGrantsAndConsents) {
  AddGrant("g-1", "user-1", "client-b", "openid full_access");
  AddGrant("g-2", "user-1", "client-b", "openid email");
  AddGrant("g-3", "user-1", "client-a", "openid");
  AddGrant("g-4", "user-2", "client-a", "openid");
  ConsentRepository(db()).Remember("user-1", "client-a", "openid profile", 100);
  GrantRepository(db()).Revoke("g-2", 150);

  auto apps = TokenLifecycleRepository(db()).ListConnectedApps("user-1");
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].client_id, "client-a");
  EXPECT_EQ(apps[0].client_name, "Alpha");
  EXPECT_EQ(apps[0].client_description, "An app");
  EXPECT_EQ(apps[0].client_type, "third_party");
  EXPECT_EQ(apps[0].scopes_granted, "openid profile");  // the remembered consent
  EXPECT_EQ(apps[1].client_id, "client-b");
  EXPECT_EQ(apps[1].logo_url, "https://b.example/l.png");
  EXPECT_EQ(apps[1].scopes_granted, "openid full_access");  // the revoked grant left out

  EXPECT_TRUE(TokenLifecycleRepository(db()).ListConnectedApps("user-3").empty());
}

TEST_P(TokenLifecycleRepositoryTest, RevokingAConnectedAppRevokesGrantsTokensAndConsent) {
  AddGrant("g-1", "user-1", "client-a", "openid offline_access");
  AddGrant("g-2", "user-1", "client-a", "openid offline_access");
  AddGrant("g-3", "user-1", "client-b", "openid offline_access");
  AddGrant("g-4", "user-2", "client-a", "openid offline_access");
  AddToken("h-1", "g-1", "client-a");
  AddToken("h-3", "g-3", "client-b");
  AddToken("h-4", "g-4", "client-a");
  ConsentRepository(db()).Remember("user-1", "client-a", "openid offline_access", 100);
  ConsentRepository(db()).Remember("user-2", "client-a", "openid offline_access", 100);

  TokenLifecycleRepository repo(db());
  EXPECT_EQ(repo.RevokeConnectedApp("user-1", "client-a", 700), 2);
  GrantRepository grants(db());
  EXPECT_FALSE(grants.IsActive("g-1"));
  EXPECT_FALSE(grants.IsActive("g-2"));
  EXPECT_TRUE(grants.IsActive("g-3"));
  EXPECT_TRUE(grants.IsActive("g-4"));
  EXPECT_EQ(RefreshTokenRepository(db()).Get("h-1")->revoked_at, 700);
  EXPECT_FALSE(RefreshTokenRepository(db()).Get("h-3")->revoked_at);
  EXPECT_FALSE(RefreshTokenRepository(db()).Get("h-4")->revoked_at);
  EXPECT_FALSE(ConsentRepository(db()).Find("user-1", "client-a"));
  EXPECT_TRUE(ConsentRepository(db()).Find("user-2", "client-a"));
  EXPECT_EQ(repo.RevokeConnectedApp("user-1", "client-a", 800), 0);  // idempotent
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(TokenLifecycleRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
