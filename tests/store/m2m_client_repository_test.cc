// Store contract: M2mClientRepository (CRUD, scope index, search with AND/OR filters and cursor,
// secret rotation, cache version bumps) on both engines.

#include "store/m2m_client_repository.h"

#include <algorithm>

#include "store/cache_version_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;

M2mClient Client(std::string id, std::string name, std::vector<std::string> scopes) {
  return M2mClient{.client_id = std::move(id),
                   .client_name = std::move(name),
                   .client_description = "worker",
                   .scopes = std::move(scopes),
                   .trusted_metadata_json = R"({"team":"ops"})",
                   .status = "active",
                   .secret_hash = "hash-1",
                   .secret_last_four = "abcd",
                   .created_at = 100,
                   .updated_at = 100};
}

int64_t Version(Database& db) {
  for (const auto& [name, v] : CacheVersionRepository(db).ReadAll()) {
    if (name == kM2mClientsCacheName) return v;
  }
  return 0;
}

std::vector<std::string> Ids(const M2mClientPage& page) {
  std::vector<std::string> ids;
  for (const auto& c : page.clients) ids.push_back(c.client_id);
  return ids;
}

class M2mClientRepositoryTest : public EngineTest {};

TEST_P(M2mClientRepositoryTest, InsertsFindsUpdatesAndDeletes) {
  M2mClientRepository repo(db());
  repo.Insert(Client("m2m-1", "Billing", {"read:users", "write:users"}));
  EXPECT_EQ(Version(db()), 1);
  auto found = repo.Find("m2m-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->client_name, "Billing");
  EXPECT_EQ(found->scopes, (std::vector<std::string>{"read:users", "write:users"}));
  EXPECT_EQ(found->trusted_metadata_json, R"({"team":"ops"})");
  EXPECT_FALSE(found->next_secret_hash);
  EXPECT_FALSE(repo.Find("m2m-2"));

  found->client_name = "Billing 2";
  found->status = "inactive";
  found->scopes = {"read:users"};
  found->updated_at = 200;
  EXPECT_TRUE(repo.Update(*found));
  EXPECT_EQ(Version(db()), 2);
  auto updated = repo.Find("m2m-1");
  EXPECT_EQ(updated->client_name, "Billing 2");
  EXPECT_EQ(updated->status, "inactive");
  EXPECT_EQ(updated->scopes, std::vector<std::string>{"read:users"});
  EXPECT_EQ(updated->created_at, 100);
  EXPECT_EQ(updated->updated_at, 200);
  EXPECT_FALSE(repo.Update(Client("absent", "x", {"a"})));

  EXPECT_TRUE(repo.Delete("m2m-1"));
  EXPECT_FALSE(repo.Delete("m2m-1"));
  EXPECT_FALSE(repo.Find("m2m-1"));
  EXPECT_EQ(Version(db()), 3);
}

TEST_P(M2mClientRepositoryTest, DuplicateIdIsAConstraintViolation) {
  M2mClientRepository repo(db());
  repo.Insert(Client("m2m-1", "A", {"a"}));
  EXPECT_THROW(repo.Insert(Client("m2m-1", "B", {"b"})), ConstraintViolation);
}

TEST_P(M2mClientRepositoryTest, SearchFiltersWithAndOr) {
  M2mClientRepository repo(db());
  repo.Insert(Client("m2m-a", "Alpha", {"read", "write"}));
  repo.Insert(Client("m2m-b", "Beta", {"read"}));
  repo.Insert(Client("m2m-c", "Gamma", {"admin"}));

  M2mSearchQuery all;
  EXPECT_EQ(Ids(repo.Search(all)), (std::vector<std::string>{"m2m-a", "m2m-b", "m2m-c"}));

  M2mSearchQuery by_scope{.filters = {{M2mSearchFilter::Field::kScopes, {"read"}}}};
  auto page = repo.Search(by_scope);
  EXPECT_EQ(Ids(page), (std::vector<std::string>{"m2m-a", "m2m-b"}));
  EXPECT_EQ(page.total, 2);

  M2mSearchQuery and_query{.match_all = true,
                           .filters = {{M2mSearchFilter::Field::kScopes, {"read"}},
                                       {M2mSearchFilter::Field::kClientName, {"Beta"}}}};
  EXPECT_EQ(Ids(repo.Search(and_query)), std::vector<std::string>{"m2m-b"});

  M2mSearchQuery or_query{.match_all = false,
                          .filters = {{M2mSearchFilter::Field::kClientId, {"m2m-c"}},
                                      {M2mSearchFilter::Field::kClientName, {"Alpha", "Nope"}}}};
  EXPECT_EQ(Ids(repo.Search(or_query)), (std::vector<std::string>{"m2m-a", "m2m-c"}));
}

TEST_P(M2mClientRepositoryTest, SearchPagesWithACursor) {
  M2mClientRepository repo(db());
  for (const char* id : {"m2m-1", "m2m-2", "m2m-3"}) repo.Insert(Client(id, id, {"s"}));
  auto first = repo.Search(M2mSearchQuery{.limit = 2});
  EXPECT_EQ(Ids(first), (std::vector<std::string>{"m2m-1", "m2m-2"}));
  ASSERT_TRUE(first.next_cursor);
  EXPECT_EQ(first.total, 3);
  auto second = repo.Search(M2mSearchQuery{.after = first.next_cursor, .limit = 2});
  EXPECT_EQ(Ids(second), std::vector<std::string>{"m2m-3"});
  EXPECT_FALSE(second.next_cursor);
}

TEST_P(M2mClientRepositoryTest, RotatesSecretsInOrder) {
  M2mClientRepository repo(db());
  repo.Insert(Client("m2m-1", "A", {"a"}));
  EXPECT_EQ(repo.CompleteSecretRotation("m2m-1", 2), RotationOutcome::kNotStarted);
  EXPECT_EQ(repo.CancelSecretRotation("m2m-1", 2), RotationOutcome::kNotStarted);
  EXPECT_EQ(repo.StartSecretRotation("m2m-1", "hash-2", "wxyz", 2), RotationOutcome::kDone);
  EXPECT_EQ(repo.StartSecretRotation("m2m-1", "hash-3", "0000", 2),
            RotationOutcome::kAlreadyStarted);
  EXPECT_EQ(repo.Find("m2m-1")->next_secret_hash, "hash-2");
  EXPECT_EQ(repo.CompleteSecretRotation("m2m-1", 3), RotationOutcome::kDone);
  auto done = repo.Find("m2m-1");
  EXPECT_EQ(done->secret_hash, "hash-2");
  EXPECT_EQ(done->secret_last_four, "wxyz");
  EXPECT_FALSE(done->next_secret_hash);
  EXPECT_EQ(repo.StartSecretRotation("m2m-1", "hash-4", "4444", 4), RotationOutcome::kDone);
  EXPECT_EQ(repo.CancelSecretRotation("m2m-1", 5), RotationOutcome::kDone);
  EXPECT_EQ(repo.Find("m2m-1")->secret_hash, "hash-2");
  EXPECT_FALSE(repo.Find("m2m-1")->next_secret_hash);
  EXPECT_EQ(repo.StartSecretRotation("absent", "h", "l", 1), RotationOutcome::kNotFound);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(M2mClientRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
