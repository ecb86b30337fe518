// Store contract: OrganizationRepository (CRUD, unique slugs, membership mirrored into
// users.organization_id, connected apps of members) on both engines.

#include "store/organization_repository.h"

#include "store/grant_repository.h"
#include "store/grant_store_fixtures.h"
#include "store/store_test_support.h"
#include "store/user_repository.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::InsertTestClient;
using ::gatehouse::testing::InsertTestUser;

Organization Org(std::string id, std::string slug) {
  return Organization{.organization_id = std::move(id),
                      .organization_name = "Acme",
                      .organization_slug = std::move(slug),
                      .first_party_connected_apps_allowed_type = "ALL_ALLOWED",
                      .third_party_connected_apps_allowed_type = "RESTRICTED",
                      .allowed_third_party_connected_apps = {"client-1"},
                      .created_at = 10,
                      .updated_at = 10};
}

class OrganizationRepositoryTest : public ::gatehouse::testing::EngineTest {};

TEST_P(OrganizationRepositoryTest, CreatesReadsUpdatesDeletes) {
  OrganizationRepository repo(db());
  EXPECT_EQ(repo.Insert(Org("org-1", "acme")), OrganizationRepository::WriteOutcome::kDone);
  EXPECT_EQ(repo.Insert(Org("org-2", "acme")),
            OrganizationRepository::WriteOutcome::kDuplicateSlug);
  auto org = repo.Get("org-1");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->third_party_connected_apps_allowed_type, "RESTRICTED");
  EXPECT_EQ(org->allowed_third_party_connected_apps, std::vector<std::string>{"client-1"});

  EXPECT_EQ(repo.Insert(Org("org-2", "other")), OrganizationRepository::WriteOutcome::kDone);
  org->organization_slug = "other";
  EXPECT_EQ(repo.Update(*org), OrganizationRepository::WriteOutcome::kDuplicateSlug);
  org->organization_slug = "acme-inc";
  org->organization_name = "Acme Inc";
  EXPECT_EQ(repo.Update(*org), OrganizationRepository::WriteOutcome::kDone);
  EXPECT_EQ(repo.Get("org-1")->organization_name, "Acme Inc");
  EXPECT_EQ(repo.Update(Org("absent", "z")), OrganizationRepository::WriteOutcome::kNotFound);

  auto page = repo.List(std::nullopt, 1);
  ASSERT_EQ(page.organizations.size(), 1u);
  EXPECT_EQ(page.total, 2);
  ASSERT_TRUE(page.next_cursor);
  EXPECT_EQ(repo.List(page.next_cursor, 1).organizations.at(0).organization_id, "org-2");

  EXPECT_TRUE(repo.Delete("org-1"));
  EXPECT_FALSE(repo.Delete("org-1"));
  EXPECT_FALSE(repo.Get("org-1"));
}

TEST_P(OrganizationRepositoryTest, MembershipIsMirroredIntoTheUser) {
  OrganizationRepository repo(db());
  UserRepository users(db());
  InsertTestUser(db(), "user-1", "a@example.com");
  ASSERT_EQ(repo.Insert(Org("org-1", "acme")), OrganizationRepository::WriteOutcome::kDone);
  ASSERT_EQ(repo.Insert(Org("org-2", "beta")), OrganizationRepository::WriteOutcome::kDone);

  EXPECT_EQ(repo.AddMember({.user_id = "user-1", .organization_id = "absent"}),
            OrganizationRepository::MemberOutcome::kOrganizationNotFound);
  EXPECT_EQ(repo.AddMember({.user_id = "nobody", .organization_id = "org-1"}),
            OrganizationRepository::MemberOutcome::kUserNotFound);
  EXPECT_EQ(
      repo.AddMember(
          {.user_id = "user-1", .organization_id = "org-1", .roles = {"admin"}, .created_at = 5}),
      OrganizationRepository::MemberOutcome::kDone);
  EXPECT_EQ(users.Get("user-1")->user.organization_id, "org-1");
  EXPECT_EQ(repo.MembershipOf("user-1")->roles, std::vector<std::string>{"admin"});
  EXPECT_EQ(repo.OrganizationOf("user-1")->organization_slug, "acme");
  EXPECT_EQ(repo.Members("org-1").size(), 1u);

  // Moving to another organization replaces the membership.
  EXPECT_EQ(repo.AddMember({.user_id = "user-1", .organization_id = "org-2", .roles = {}}),
            OrganizationRepository::MemberOutcome::kDone);
  EXPECT_EQ(users.Get("user-1")->user.organization_id, "org-2");
  EXPECT_TRUE(repo.Members("org-1").empty());

  EXPECT_FALSE(repo.RemoveMember("org-1", "user-1"));
  EXPECT_TRUE(repo.RemoveMember("org-2", "user-1"));
  EXPECT_FALSE(users.Get("user-1")->user.organization_id);
  EXPECT_FALSE(repo.MembershipOf("user-1"));

  ASSERT_EQ(repo.AddMember({.user_id = "user-1", .organization_id = "org-2"}),
            OrganizationRepository::MemberOutcome::kDone);
  EXPECT_TRUE(repo.Delete("org-2"));
  EXPECT_FALSE(users.Get("user-1")->user.organization_id);
  EXPECT_FALSE(repo.MembershipOf("user-1"));
}

TEST_P(OrganizationRepositoryTest, ListsTheConnectedAppsOfMembers) {
  OrganizationRepository repo(db());
  InsertTestUser(db(), "user-1", "a@example.com");
  InsertTestUser(db(), "user-2", "b@example.com");
  InsertTestUser(db(), "user-3", "c@example.com");
  InsertTestClient(db(), "client-1");
  InsertTestClient(db(), "client-2");
  ASSERT_EQ(repo.Insert(Org("org-1", "acme")), OrganizationRepository::WriteOutcome::kDone);
  for (const char* u : {"user-1", "user-2"}) {
    ASSERT_EQ(repo.AddMember({.user_id = u, .organization_id = "org-1"}),
              OrganizationRepository::MemberOutcome::kDone);
  }
  GrantRepository grants(db());
  auto grant = [&](std::string id, std::string user, std::string client) {
    grants.Insert(GrantRecord{.grant_id = std::move(id),
                              .user_id = std::move(user),
                              .client_id = std::move(client),
                              .scope = "openid",
                              .resources_json = "[]",
                              .auth_time = 1,
                              .created_at = 1,
                              .revoked_at = std::nullopt});
  };
  grant("g1", "user-1", "client-1");
  grant("g2", "user-2", "client-1");
  grant("g3", "user-3", "client-2");  // not a member
  grant("g4", "user-2", "client-2");
  grants.Revoke("g4", 2);
  auto apps = repo.ConnectedApps("org-1");
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].client_id, "client-1");
  EXPECT_EQ(apps[0].members_with_grants, 2);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(OrganizationRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
