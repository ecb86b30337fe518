// OrganizationAppPolicy: each allowed-type value for first- and third-party clients, users without
// an organization, and the cache with its invalidation.

#include "accounts/organization_app_policy.h"

#include <gtest/gtest.h>

#include "store/grant_store_fixtures.h"
#include "store/store_test_support.h"

namespace gatehouse::accounts {
namespace {

core::Client ClientOf(std::string id, core::ClientType type) {
  core::Client c;
  c.client_id = std::move(id);
  c.client_type = type;
  return c;
}

store::Organization Org(std::string first, std::string third) {
  return store::Organization{.organization_id = "org-1",
                             .organization_name = "Acme",
                             .organization_slug = "acme",
                             .first_party_connected_apps_allowed_type = std::move(first),
                             .third_party_connected_apps_allowed_type = std::move(third),
                             .allowed_first_party_connected_apps = {"fp-allowed"},
                             .allowed_third_party_connected_apps = {"tp-allowed"}};
}

const core::Client kFirst = ClientOf("fp-other", core::ClientType::kFirstParty);
const core::Client kFirstPublic = ClientOf("fp-allowed", core::ClientType::kFirstPartyPublic);
const core::Client kThird = ClientOf("tp-other", core::ClientType::kThirdParty);
const core::Client kThirdPublic = ClientOf("tp-allowed", core::ClientType::kThirdPartyPublic);

TEST(OrganizationAllowsClientTest, AllAllowed) {
  auto org = Org("ALL_ALLOWED", "ALL_ALLOWED");
  for (const auto* c : {&kFirst, &kFirstPublic, &kThird, &kThirdPublic}) {
    EXPECT_TRUE(OrganizationAllowsClient(org, *c)) << c->client_id;
  }
}

TEST(OrganizationAllowsClientTest, RestrictedAllowsOnlyListedClients) {
  auto org = Org("RESTRICTED", "RESTRICTED");
  EXPECT_TRUE(OrganizationAllowsClient(org, kFirstPublic));
  EXPECT_TRUE(OrganizationAllowsClient(org, kThirdPublic));
  auto refused = OrganizationAllowsClient(org, kFirst);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kAccessDenied);
  EXPECT_EQ(refused.error().description(),
            "the organization acme only allows selected first-party connected apps, not this one");
  EXPECT_FALSE(OrganizationAllowsClient(org, kThird));
  // A third-party id on the first-party list does not count.
  auto crossed = Org("RESTRICTED", "RESTRICTED");
  crossed.allowed_first_party_connected_apps = {"tp-other"};
  EXPECT_FALSE(OrganizationAllowsClient(crossed, kThird));
}

TEST(OrganizationAllowsClientTest, NotAllowedRefusesTheKind) {
  auto org = Org("ALL_ALLOWED", "NOT_ALLOWED");
  EXPECT_TRUE(OrganizationAllowsClient(org, kFirst));
  auto refused = OrganizationAllowsClient(org, kThirdPublic);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().description(),
            "the organization acme does not allow third-party connected apps");
  EXPECT_FALSE(OrganizationAllowsClient(Org("NOT_ALLOWED", "ALL_ALLOWED"), kFirstPublic));
}

TEST(OrganizationAppPolicyTest, ChecksTheUsersOrganizationAndCachesIt) {
  auto test_db = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  store::OrganizationRepository repo(test_db->db());
  ASSERT_EQ(repo.Insert(Org("ALL_ALLOWED", "NOT_ALLOWED")),
            store::OrganizationRepository::WriteOutcome::kDone);
  OrganizationAppPolicy policy(test_db->db());
  core::User member{.user_id = "user-1", .organization_id = "org-1"};
  core::User loner{.user_id = "user-2"};
  core::User orphan{.user_id = "user-3", .organization_id = "org-gone"};
  EXPECT_FALSE(policy.Check(member, kThird));
  EXPECT_TRUE(policy.Check(member, kFirst));
  EXPECT_TRUE(policy.Check(loner, kThird));
  EXPECT_TRUE(policy.Check(orphan, kThird));

  auto changed = Org("ALL_ALLOWED", "ALL_ALLOWED");
  ASSERT_EQ(repo.Update(changed), store::OrganizationRepository::WriteOutcome::kDone);
  EXPECT_FALSE(policy.Check(member, kThird));  // cached
  policy.Invalidate();
  EXPECT_TRUE(policy.Check(member, kThird));
}

}  // namespace
}  // namespace gatehouse::accounts
