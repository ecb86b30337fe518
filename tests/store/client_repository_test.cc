// Store contract: ClientRepository (clients, secret rotation, registrations and their tokens).

#include "store/client_repository.h"

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded_file.h"
#include "store/cache_version_repository.h"
#include "store/migrations.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;
using ::gatehouse::testing::RunConcurrently;

core::Client Confidential(std::string id) {
  return core::Client{
      .client_id = std::move(id),
      .client_type = core::ClientType::kFirstParty,
      .client_name = "Billing",
      .client_description = "Internal billing console",
      .redirect_uris = {"https://billing.example/cb", "https://billing.example/cb2"},
      .post_logout_redirect_uris = {"https://billing.example/bye"},
      .logo_url = "https://billing.example/logo.png",
      .full_access_allowed = true,
      .bypass_consent_for_offline_access = true,
      .access_token_expiry_minutes = 15,
      .access_token_custom_audience = "https://api.example",
      .access_token_template_content = R"({"team":"billing"})",
      .secret_hash = "hash-1",
      .secret_last_four = "abcd",
      .created_at = 1'700'000'000,
      .updated_at = 1'700'000'000,
  };
}

core::Client Public(std::string id) {
  return core::Client{.client_id = std::move(id),
                      .client_type = core::ClientType::kThirdPartyPublic,
                      .creation_method = core::CreationMethod::kDynamicRegistration,
                      .client_name = "CLI",
                      .redirect_uris = {"http://127.0.0.1/cb"},
                      .application_type = core::ApplicationType::kNative,
                      .created_at = 5,
                      .updated_at = 5};
}

int64_t ClientsVersion(Database& db) {
  for (const auto& [name, version] : CacheVersionRepository(db).ReadAll()) {
    if (name == kClientsCacheName) return version;
  }
  return 0;
}

class ClientRepositoryTest : public EngineTest {};

TEST_P(ClientRepositoryTest, InsertedClientsReadBackFieldForField) {
  ClientRepository clients(db());
  clients.Insert(Confidential("connected-app-test-1"));
  clients.Insert(Public("connected-app-test-2"));
  EXPECT_EQ(clients.Find("connected-app-test-1"), Confidential("connected-app-test-1"));
  EXPECT_EQ(clients.Find("connected-app-test-2"), Public("connected-app-test-2"));
  EXPECT_EQ(clients.Find("connected-app-test-3"), std::nullopt);
}

TEST_P(ClientRepositoryTest, DuplicateIdIsAConstraintViolation) {
  ClientRepository clients(db());
  clients.Insert(Confidential("a"));
  EXPECT_THROW(clients.Insert(Public("a")), ConstraintViolation);
}

TEST_P(ClientRepositoryTest, EveryWriteBumpsTheClientsCacheVersion) {
  ClientRepository clients(db());
  int64_t v = ClientsVersion(db());
  auto bumped = [&] {
    const int64_t now = ClientsVersion(db());
    const bool moved = now > v;
    v = now;
    return moved;
  };
  clients.Insert(Confidential("a"));
  EXPECT_TRUE(bumped());
  core::Client changed = Confidential("a");
  changed.client_name = "Renamed";
  EXPECT_TRUE(clients.UpdateMetadata(changed));
  EXPECT_TRUE(bumped());
  EXPECT_EQ(clients.StartSecretRotation("a", "hash-2", "wxyz", 6), RotationOutcome::kDone);
  EXPECT_TRUE(bumped());
  EXPECT_EQ(clients.CancelSecretRotation("a", 7), RotationOutcome::kDone);
  EXPECT_TRUE(bumped());
  clients.UpsertMetadataClient(Public("https://app.example/client.json"));
  EXPECT_TRUE(bumped());
  EXPECT_TRUE(clients.Delete("a"));
  EXPECT_TRUE(bumped());
  EXPECT_FALSE(clients.Delete("a"));
  EXPECT_FALSE(bumped());
}

TEST_P(ClientRepositoryTest, UpdateMetadataKeepsTypeSecretsAndCreation) {
  ClientRepository clients(db());
  clients.Insert(Confidential("a"));
  core::Client changed = Public("a");  // a different type and no secret
  changed.client_name = "New name";
  changed.redirect_uris = {"https://new.example/cb"};
  changed.updated_at = 99;
  ASSERT_TRUE(clients.UpdateMetadata(changed));
  const core::Client stored = *clients.Find("a");
  EXPECT_EQ(stored.client_type, core::ClientType::kFirstParty);
  EXPECT_EQ(stored.creation_method, core::CreationMethod::kApi);
  EXPECT_EQ(stored.secret_hash, "hash-1");
  EXPECT_EQ(stored.created_at, 1'700'000'000);
  EXPECT_EQ(stored.client_name, "New name");
  EXPECT_EQ(stored.redirect_uris, std::vector<std::string>{"https://new.example/cb"});
  EXPECT_EQ(stored.access_token_template_content, std::nullopt);
  EXPECT_EQ(stored.updated_at, 99);
  EXPECT_FALSE(clients.UpdateMetadata(Public("missing")));
}

TEST_P(ClientRepositoryTest, SearchPagesByClientIdWithACursor) {
  ClientRepository clients(db());
  for (const char* id : {"c", "a", "e", "b", "d"}) clients.Insert(Public(id));
  ClientPage first = clients.Search(std::nullopt, 2);
  ASSERT_EQ(first.clients.size(), 2u);
  EXPECT_EQ(first.clients[0].client_id, "a");
  EXPECT_EQ(first.clients[1].client_id, "b");
  EXPECT_EQ(first.total, 5);
  ASSERT_EQ(first.next_cursor, "b");
  ClientPage second = clients.Search(first.next_cursor, 2);
  ASSERT_EQ(second.clients.size(), 2u);
  EXPECT_EQ(second.clients[0].client_id, "c");
  ClientPage last = clients.Search(second.next_cursor, 2);
  ASSERT_EQ(last.clients.size(), 1u);
  EXPECT_EQ(last.clients[0].client_id, "e");
  EXPECT_EQ(last.next_cursor, std::nullopt);
  EXPECT_EQ(clients.Search(std::nullopt, 5).next_cursor, std::nullopt);
}

TEST_P(ClientRepositoryTest, SecretRotationStartCompleteCancel) {
  ClientRepository clients(db());
  clients.Insert(Confidential("a"));
  EXPECT_EQ(clients.CompleteSecretRotation("a", 2), RotationOutcome::kNotStarted);
  EXPECT_EQ(clients.CancelSecretRotation("a", 2), RotationOutcome::kNotStarted);
  EXPECT_EQ(clients.StartSecretRotation("a", "hash-2", "wxyz", 2), RotationOutcome::kDone);
  EXPECT_EQ(clients.StartSecretRotation("a", "hash-3", "zzzz", 2),
            RotationOutcome::kAlreadyStarted);
  core::Client during = *clients.Find("a");
  EXPECT_EQ(during.secret_hash, "hash-1");
  EXPECT_EQ(during.next_secret_hash, "hash-2");
  EXPECT_EQ(during.next_secret_last_four, "wxyz");
  EXPECT_EQ(clients.CompleteSecretRotation("a", 3), RotationOutcome::kDone);
  core::Client after = *clients.Find("a");
  EXPECT_EQ(after.secret_hash, "hash-2");
  EXPECT_EQ(after.secret_last_four, "wxyz");
  EXPECT_EQ(after.next_secret_hash, std::nullopt);
  EXPECT_EQ(after.updated_at, 3);

  EXPECT_EQ(clients.StartSecretRotation("a", "hash-4", "qqqq", 4), RotationOutcome::kDone);
  EXPECT_EQ(clients.CancelSecretRotation("a", 5), RotationOutcome::kDone);
  EXPECT_EQ(clients.Find("a")->secret_hash, "hash-2");
  EXPECT_EQ(clients.Find("a")->next_secret_hash, std::nullopt);

  clients.Insert(Public("p"));
  EXPECT_EQ(clients.StartSecretRotation("p", "h", "1234", 1), RotationOutcome::kPublicClient);
  EXPECT_EQ(clients.StartSecretRotation("zz", "h", "1234", 1), RotationOutcome::kNotFound);
}

TEST_P(ClientRepositoryTest, ConcurrentRotationStartsLetExactlyOneWin) {
  ClientRepository clients(db());
  clients.Insert(Confidential("a"));
  std::atomic<int> won{0};
  RunConcurrently(4, [&](int i) {
    if (clients.StartSecretRotation("a", "next-" + std::to_string(i), "1234", 1) ==
        RotationOutcome::kDone) {
      ++won;
    }
  });
  EXPECT_EQ(won.load(), 1);
}

TEST_P(ClientRepositoryTest, UpsertMetadataClientInsertsThenReplaces) {
  ClientRepository clients(db());
  core::Client cimd = Public("https://app.example/client.json");
  cimd.creation_method = core::CreationMethod::kClientIdMetadataDocument;
  cimd.client_id_metadata_url = cimd.client_id;
  clients.UpsertMetadataClient(cimd);
  EXPECT_EQ(clients.Find(cimd.client_id), cimd);
  cimd.client_name = "Renamed";
  cimd.updated_at = 50;
  clients.UpsertMetadataClient(cimd);
  EXPECT_EQ(clients.Find(cimd.client_id)->client_name, "Renamed");
  EXPECT_EQ(clients.Find(cimd.client_id)->created_at, 5);

  clients.Insert(Public("https://app.example/registered"));  // not from a document
  core::Client other = cimd;
  other.client_id = "https://app.example/registered";
  EXPECT_THROW(clients.UpsertMetadataClient(other), ConstraintViolation);
  EXPECT_EQ(clients.Find(other.client_id)->creation_method,
            core::CreationMethod::kDynamicRegistration);
}

TEST_P(ClientRepositoryTest, RegistrationsStoreMetadataDedupHashAndTokens) {
  ClientRepository clients(db());
  Registration r{Public("dcr-1"), R"({"client_name":"CLI"})", "dedup-1"};
  clients.InsertRegistration(r, std::string("token-hash-1"));
  std::optional<Registration> read = clients.FindRegistration("dcr-1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->client, r.client);
  EXPECT_EQ(read->metadata_json, r.metadata_json);
  EXPECT_EQ(read->dedup_hash, "dedup-1");
  EXPECT_EQ(clients.FindByDedupHash("dedup-1"), "dcr-1");
  EXPECT_EQ(clients.FindByDedupHash("dedup-2"), std::nullopt);
  EXPECT_EQ(clients.FindClientByRegistrationToken("token-hash-1"), "dcr-1");
  EXPECT_EQ(clients.FindClientByRegistrationToken("token-hash-x"), std::nullopt);

  clients.Insert(Confidential("api-1"));
  EXPECT_EQ(clients.FindRegistration("api-1"), std::nullopt);  // not a registration

  Registration twin{Public("dcr-2"), "{}", "dedup-1"};
  EXPECT_THROW(clients.InsertRegistration(twin, std::nullopt), ConstraintViolation);
  EXPECT_EQ(clients.Find("dcr-2"), std::nullopt);  // rolled back
}

TEST_P(ClientRepositoryTest, UpdateRegistrationLeavesTheDedupPool) {
  ClientRepository clients(db());
  clients.InsertRegistration({Public("dcr-1"), "{}", "dedup-1"}, std::nullopt);
  core::Client changed = Public("dcr-1");
  changed.client_name = "Changed";
  EXPECT_TRUE(clients.UpdateRegistration(changed, R"({"client_name":"Changed"})"));
  EXPECT_EQ(clients.FindByDedupHash("dedup-1"), std::nullopt);
  EXPECT_EQ(clients.FindRegistration("dcr-1")->metadata_json, R"({"client_name":"Changed"})");
  EXPECT_EQ(clients.Find("dcr-1")->client_name, "Changed");
  EXPECT_FALSE(clients.UpdateRegistration(Public("missing"), "{}"));
}

TEST_P(ClientRepositoryTest, TheLastRegistrationTokenRemovedDeletesTheClient) {
  ClientRepository clients(db());
  clients.InsertRegistration({Public("dcr-1"), "{}", "dedup-1"}, std::string("t1"));
  clients.AddRegistrationToken("dcr-1", "t2", 6);
  EXPECT_EQ(clients.CountRegistrationTokens("dcr-1"), 2);
  EXPECT_FALSE(clients.RemoveRegistrationToken("dcr-1", "t1"));
  EXPECT_TRUE(clients.Find("dcr-1"));
  EXPECT_EQ(clients.FindClientByRegistrationToken("t1"), std::nullopt);
  EXPECT_FALSE(clients.RemoveRegistrationToken("other", "t2"));  // token of another client
  EXPECT_TRUE(clients.RemoveRegistrationToken("dcr-1", "t2"));
  EXPECT_EQ(clients.Find("dcr-1"), std::nullopt);
}

TEST_P(ClientRepositoryTest, DeletingAClientCascadesToItsRegistrationTokens) {
  ClientRepository clients(db());
  clients.InsertRegistration({Public("dcr-1"), "{}", std::nullopt}, std::string("t1"));
  EXPECT_TRUE(clients.Delete("dcr-1"));
  EXPECT_EQ(clients.FindClientByRegistrationToken("t1"), std::nullopt);
  EXPECT_EQ(clients.CountRegistrationTokens("dcr-1"), 0);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(ClientRepositoryTest);

// Migration 0010: public clients created through the management API were stored as web, a
// default that decided nothing until application_type decided loopback port matching.
class ClientApplicationTypeMigrationTest : public EngineTest {
 protected:
  ::gatehouse::testing::TestDatabaseOptions DatabaseOptions() const override {
    return {.migrate = false};
  }
};

TEST_P(ClientApplicationTypeMigrationTest, PublicApiClientsBecomeNativeAndNothingElseChanges) {
  std::vector<core::EmbeddedFile> before;
  for (const core::EmbeddedFile& file : Migrations()) {
    if (file.name < std::string_view("0010")) before.push_back(file);
  }
  ApplyMigrations(db(), before, ::gatehouse::testing::FakeClock(1'700'000'000));

  auto client = [](std::string id, core::ClientType type, core::CreationMethod method,
                   core::ApplicationType application_type) {
    return core::Client{.client_id = std::move(id),
                        .client_type = type,
                        .creation_method = method,
                        .client_name = "App",
                        .redirect_uris = {"http://127.0.0.1/cb"},
                        .application_type = application_type};
  };
  using core::ApplicationType;
  using core::ClientType;
  using core::CreationMethod;
  ClientRepository clients(db());
  clients.Insert(client("api-first-public", ClientType::kFirstPartyPublic, CreationMethod::kApi,
                        ApplicationType::kWeb));
  clients.Insert(client("api-third-public", ClientType::kThirdPartyPublic, CreationMethod::kApi,
                        ApplicationType::kWeb));
  clients.Insert(client("api-confidential", ClientType::kThirdParty, CreationMethod::kApi,
                        ApplicationType::kWeb));
  clients.Insert(client("api-confidential-native", ClientType::kFirstParty, CreationMethod::kApi,
                        ApplicationType::kNative));
  clients.Insert(client("dcr-public", ClientType::kThirdPartyPublic,
                        CreationMethod::kDynamicRegistration, ApplicationType::kWeb));
  clients.Insert(client("cimd-public", ClientType::kThirdPartyPublic,
                        CreationMethod::kClientIdMetadataDocument, ApplicationType::kWeb));

  ApplyMigrations(db());
  auto type_of = [&](const std::string& id) { return clients.Find(id)->application_type; };
  EXPECT_EQ(type_of("api-first-public"), ApplicationType::kNative);
  EXPECT_EQ(type_of("api-third-public"), ApplicationType::kNative);
  EXPECT_EQ(type_of("api-confidential"), ApplicationType::kWeb);
  EXPECT_EQ(type_of("api-confidential-native"), ApplicationType::kNative);
  EXPECT_EQ(type_of("dcr-public"), ApplicationType::kWeb);
  EXPECT_EQ(type_of("cimd-public"), ApplicationType::kWeb);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(ClientApplicationTypeMigrationTest);

}  // namespace
}  // namespace gatehouse::store
