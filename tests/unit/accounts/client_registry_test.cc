// ClientRegistry: validation rules, secrets, rotation and the ClientDirectory cache, over a real
// SQLite database.

#include "accounts/client_registry.h"

#include <gtest/gtest.h>

#include "core/claims_template.h"
#include "store/cache_version_repository.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::accounts {
namespace {

class CountingMetadataSource final : public ClientMetadataSource {
 public:
  core::Result<std::shared_ptr<const core::Client>> Resolve(std::string_view url) override {
    ++calls;
    return std::make_shared<const core::Client>(
        core::Client{.client_id = std::string(url),
                     .client_type = core::ClientType::kThirdPartyPublic,
                     .creation_method = core::CreationMethod::kClientIdMetadataDocument});
  }
  int calls = 0;
};

class ClientRegistryTest : public ::testing::Test {
 protected:
  core::Client Draft(core::ClientType type) {
    return core::Client{
        .client_type = type, .client_name = "App", .redirect_uris = {"https://app.example/cb"}};
  }
  store::Database& db() { return test_db_->db(); }

  std::unique_ptr<testing::TestDatabase> test_db_ =
      testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  SecretHasher hasher_{"pepper"};
  ClientRegistry registry_{db(), hasher_, clock_, random_, core::Environment::kTest};
};

TEST_F(ClientRegistryTest, CreatesEveryClientTypeWithSecretsOnlyForConfidentialOnes) {
  for (auto type : {core::ClientType::kFirstParty, core::ClientType::kFirstPartyPublic,
                    core::ClientType::kThirdParty, core::ClientType::kThirdPartyPublic}) {
    auto created = registry_.Create(Draft(type));
    ASSERT_TRUE(created) << created.error().description();
    EXPECT_TRUE(created->client.client_id.starts_with("connected-app-test-"));
    EXPECT_EQ(created->client.client_type, type);
    EXPECT_EQ(created->client.created_at, 1'700'000'000);
    if (core::IsPublic(type)) {
      EXPECT_EQ(created->client_secret, std::nullopt);
      EXPECT_TRUE(created->client.secret_hash.empty());
    } else {
      ASSERT_TRUE(created->client_secret);
      EXPECT_EQ(created->client_secret->size(), 43u);  // 256 bits, base64url
      EXPECT_EQ(created->client.secret_hash, hasher_.Hash(*created->client_secret));
      EXPECT_EQ(created->client.secret_last_four, created->client_secret->substr(39));
      EXPECT_TRUE(registry_.VerifySecret(created->client, *created->client_secret));
      EXPECT_FALSE(registry_.VerifySecret(created->client, "wrong"));
    }
    EXPECT_EQ(*registry_.Get(created->client.client_id), created->client);
  }
}

TEST_F(ClientRegistryTest, FirstPartyFlagsAreRefusedForThirdPartyClients) {
  core::Client full = Draft(core::ClientType::kThirdParty);
  full.full_access_allowed = true;
  auto r = registry_.Create(full);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::kBadRequest);
  EXPECT_NE(r.error().description().find("full_access_allowed"), std::string::npos);

  core::Client bypass = Draft(core::ClientType::kThirdPartyPublic);
  bypass.bypass_consent_for_offline_access = true;
  ASSERT_FALSE(registry_.Create(bypass));

  core::Client first = Draft(core::ClientType::kFirstPartyPublic);
  first.full_access_allowed = first.bypass_consent_for_offline_access = true;
  EXPECT_TRUE(registry_.Create(first));
}

TEST_F(ClientRegistryTest, TemplateMustBeASmallJsonObject) {
  core::Client c = Draft(core::ClientType::kFirstParty);
  c.access_token_template_content = "[1,2]";
  EXPECT_FALSE(registry_.Create(c));
  c.access_token_template_content = "{not json";
  EXPECT_FALSE(registry_.Create(c));
  c.access_token_template_content =
      "{\"k\":\"" + std::string(core::kMaxClaimsTemplateBytes, 'x') + "\"}";
  auto big = registry_.Create(c);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().description().find("4096"), std::string::npos);
  c.access_token_template_content = R"({"team":"{{user.team}}"})";
  EXPECT_TRUE(registry_.Create(c));
}

TEST_F(ClientRegistryTest, NamesAndDescriptionsAreDisplayText) {
  core::Client c = Draft(core::ClientType::kThirdParty);
  c.client_name = "Invoice\xE2\x80\xAEgnp.exe";  // U+202E right-to-left override
  auto name = registry_.Create(c);
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().code(), core::ErrorCode::kBadRequest);
  EXPECT_NE(name.error().description().find("client_name"), std::string::npos);

  c.client_name = "Café Ünïcode 日本";
  c.client_description = "Pay\xE2\x80\x8Bpal";  // U+200B zero-width space
  auto description = registry_.Create(c);
  ASSERT_FALSE(description);
  EXPECT_NE(description.error().description().find("client_description"), std::string::npos);

  c.client_description = "Ça marche";
  auto created = registry_.Create(c);
  ASSERT_TRUE(created) << created.error().description();
  core::Client changed = created->client;
  changed.client_name = "two\nlines";
  EXPECT_EQ(registry_.Update(changed).error().code(), core::ErrorCode::kBadRequest);
}

TEST_F(ClientRegistryTest, RedirectUrlsFollowTheRegistrationPolicy) {
  core::Client c = Draft(core::ClientType::kThirdParty);
  c.redirect_uris = {"https://app.example/cb", "javascript:alert(1)"};
  auto r = registry_.Create(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidRedirectUri);
  EXPECT_NE(r.error().description().find("javascript"), std::string::npos);

  c.redirect_uris = {"https://app.example/cb#frag"};
  EXPECT_FALSE(registry_.Create(c));
  c.redirect_uris = {"https://app.example/cb"};
  c.post_logout_redirect_uris = {"http://evil.example/bye"};
  auto logout = registry_.Create(c);
  ASSERT_FALSE(logout);
  EXPECT_NE(logout.error().description().find("post_logout_redirect_urls"), std::string::npos);

  core::Client native = Draft(core::ClientType::kThirdPartyPublic);
  native.redirect_uris = {"http://127.0.0.1/cb", "com.example.app:/cb"};
  EXPECT_TRUE(registry_.Create(native));
}

TEST_F(ClientRegistryTest, LiveEnvironmentRefusesLoopbackForConfidentialClients) {
  ClientRegistry registry(db(), hasher_, clock_, random_, core::Environment::kLive);
  core::Client c = Draft(core::ClientType::kFirstParty);
  c.redirect_uris = {"http://localhost:3000/cb"};
  EXPECT_FALSE(registry.Create(c));
  auto ok = registry.Create(Draft(core::ClientType::kFirstParty));
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->client.client_id.starts_with("connected-app-live-"));
}

TEST_F(ClientRegistryTest, UpdateKeepsTypeAndSecretsAndValidates) {
  auto created = registry_.Create(Draft(core::ClientType::kFirstParty));
  ASSERT_TRUE(created);
  core::Client changed = created->client;
  changed.client_name = "Renamed";
  clock_.Advance(std::chrono::seconds(5));
  auto updated = registry_.Update(changed);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->client_name, "Renamed");
  EXPECT_EQ(updated->updated_at, 1'700'000'005);
  EXPECT_TRUE(registry_.VerifySecret(*updated, *created->client_secret));

  changed.redirect_uris = {"ftp://x/cb"};
  EXPECT_EQ(registry_.Update(changed).error().code(), core::ErrorCode::kInvalidRedirectUri);
  changed = created->client;
  changed.client_id = "connected-app-test-missing";
  EXPECT_EQ(registry_.Update(changed).error().code(), core::ErrorCode::kNotFound);
}

TEST_F(ClientRegistryTest, RotationKeepsBothSecretsValidUntilCompleted) {
  auto created = registry_.Create(Draft(core::ClientType::kThirdParty));
  ASSERT_TRUE(created);
  const std::string id = created->client.client_id;
  const std::string old_secret = *created->client_secret;

  EXPECT_EQ(registry_.CompleteSecretRotation(id).error().code(), core::ErrorCode::kConflict);
  auto next = registry_.StartSecretRotation(id);
  ASSERT_TRUE(next);
  EXPECT_NE(*next, old_secret);
  EXPECT_EQ(registry_.StartSecretRotation(id).error().code(), core::ErrorCode::kConflict);
  auto during = registry_.Find(id);
  ASSERT_TRUE(during);
  EXPECT_TRUE(registry_.VerifySecret(**during, old_secret));
  EXPECT_TRUE(registry_.VerifySecret(**during, *next));

  auto done = registry_.CompleteSecretRotation(id);
  ASSERT_TRUE(done);
  auto after = registry_.Find(id);
  EXPECT_FALSE(registry_.VerifySecret(**after, old_secret));
  EXPECT_TRUE(registry_.VerifySecret(**after, *next));
  EXPECT_EQ((*after)->secret_last_four, next->substr(next->size() - 4));

  auto again = registry_.StartSecretRotation(id);
  ASSERT_TRUE(again);
  ASSERT_TRUE(registry_.CancelSecretRotation(id));
  EXPECT_FALSE(registry_.VerifySecret(**registry_.Find(id), *again));
  EXPECT_TRUE(registry_.VerifySecret(**registry_.Find(id), *next));
  EXPECT_EQ(registry_.CancelSecretRotation(id).error().code(), core::ErrorCode::kConflict);

  auto pub = registry_.Create(Draft(core::ClientType::kThirdPartyPublic));
  EXPECT_EQ(registry_.StartSecretRotation(pub->client.client_id).error().code(),
            core::ErrorCode::kBadRequest);
  EXPECT_EQ(registry_.StartSecretRotation("nope").error().code(), core::ErrorCode::kNotFound);
}

TEST_F(ClientRegistryTest, FindServesFromTheCacheUntilInvalidated) {
  auto created = registry_.Create(Draft(core::ClientType::kThirdParty));
  const std::string id = created->client.client_id;
  auto first = registry_.Find(id);
  ASSERT_TRUE(first);
  // A change behind the registry's back (another process) is not seen until Invalidate().
  core::Client renamed = created->client;
  renamed.client_name = "Renamed elsewhere";
  ASSERT_TRUE(store::ClientRepository(db()).UpdateMetadata(renamed));
  EXPECT_EQ((*registry_.Find(id))->client_name, "App");
  EXPECT_EQ(registry_.Find(id)->get(), first->get());
  registry_.Invalidate();
  EXPECT_EQ((*registry_.Find(id))->client_name, "Renamed elsewhere");
}

TEST_F(ClientRegistryTest, UnknownIdsAreCachedBrieflyAndDroppedOnInvalidate) {
  auto missing = registry_.Find("connected-app-test-later");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), core::ErrorCode::kInvalidClient);
  store::ClientRepository(db()).Insert(core::Client{.client_id = "connected-app-test-later",
                                                    .client_type = core::ClientType::kThirdParty});
  EXPECT_FALSE(registry_.Find("connected-app-test-later"));  // negative entry still cached
  clock_.Advance(std::chrono::seconds(kNegativeTtlSeconds + 1));
  EXPECT_TRUE(registry_.Find("connected-app-test-later"));  // expired

  EXPECT_FALSE(registry_.Find("connected-app-test-other"));
  store::ClientRepository(db()).Insert(core::Client{.client_id = "connected-app-test-other",
                                                    .client_type = core::ClientType::kThirdParty});
  registry_.Invalidate();
  EXPECT_TRUE(registry_.Find("connected-app-test-other"));
}

TEST_F(ClientRegistryTest, DeletedAndDisabledClientsAreInvalidClients) {
  auto created = registry_.Create(Draft(core::ClientType::kThirdParty));
  const std::string id = created->client.client_id;
  ASSERT_TRUE(registry_.Find(id));
  core::Client disabled = created->client;
  disabled.status = core::ClientStatus::kDisabled;
  ASSERT_TRUE(registry_.Update(disabled));
  auto r = registry_.Find(id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidClient);
  EXPECT_TRUE(registry_.Get(id));  // the management view still sees it

  ASSERT_TRUE(registry_.Delete(id));
  EXPECT_FALSE(registry_.Find(id));
  EXPECT_EQ(registry_.Delete(id).error().code(), core::ErrorCode::kNotFound);
}

TEST_F(ClientRegistryTest, EveryWriteBumpsTheClientsCacheVersion) {
  store::CacheVersionRepository versions(db());
  auto version = [&] {
    for (const auto& [name, v] : versions.ReadAll()) {
      if (name == "clients") return v;
    }
    return int64_t{0};
  };
  const int64_t before = version();
  auto created = registry_.Create(Draft(core::ClientType::kThirdParty));
  EXPECT_EQ(version(), before + 1);
  ASSERT_TRUE(registry_.StartSecretRotation(created->client.client_id));
  EXPECT_EQ(version(), before + 2);
  ASSERT_TRUE(registry_.Delete(created->client.client_id));
  EXPECT_EQ(version(), before + 3);
}

TEST_F(ClientRegistryTest, HttpsClientIdsGoToTheMetadataSourceOnlyWhenCimdIsOn) {
  const std::string url = "https://app.example/client.json";
  EXPECT_EQ(registry_.Find(url).error().code(), core::ErrorCode::kInvalidClient);
  CountingMetadataSource source;
  ClientRegistry with_cimd(db(), hasher_, clock_, random_, core::Environment::kTest, &source);
  auto found = with_cimd.Find(url);
  ASSERT_TRUE(found);
  EXPECT_EQ((*found)->client_id, url);
  EXPECT_EQ(source.calls, 1);

  // CIMD off: the composition root passes no metadata source.
  ClientRegistry without_cimd(db(), hasher_, clock_, random_, core::Environment::kTest);
  EXPECT_FALSE(without_cimd.Find(url));
  EXPECT_EQ(source.calls, 1);
}

TEST_F(ClientRegistryTest, PublicClientsNeverVerifyASecret) {
  core::Client pub{.client_type = core::ClientType::kThirdPartyPublic};
  EXPECT_FALSE(registry_.VerifySecret(pub, ""));
  pub.secret_hash = hasher_.Hash("x");  // even with a stray hash
  EXPECT_FALSE(registry_.VerifySecret(pub, "x"));
}

}  // namespace
}  // namespace gatehouse::accounts
