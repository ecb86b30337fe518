// The Organizations management API: CRUD with unique slugs and validated allowed types, members,
// and the connected apps members have grants with.

#include "admin/organizations_api.h"

#include "admin_api_test_support.h"
#include "store/grant_repository.h"
#include "store/grant_store_fixtures.h"

namespace gatehouse::admin {
namespace {
namespace json = boost::json;

class OrganizationsApiTest : public testing::AdminApiTest {
 protected:
  OrganizationsApiTest() { AddOrganizationRoutes(router_, *api_, {db(), clock_, random_, "test"}); }
  json::object Create(std::string slug, json::object extra = {}) {
    extra["organization_name"] = "Acme";
    extra["organization_slug"] = slug;
    auto r = Call("POST", "/v1/organizations", json::value(extra));
    EXPECT_EQ(r.status, 200) << json::serialize(r.body);
    return r.body.at("organization").as_object();
  }
};

TEST_F(OrganizationsApiTest, CreatesReadsUpdatesDeletes) {
  auto org = Create("acme", {{"third_party_connected_apps_allowed_type", "RESTRICTED"},
                             {"allowed_third_party_connected_apps", json::array{"client-1"}}});
  const std::string id = Str(org, "organization_id");
  EXPECT_TRUE(id.starts_with("organization-test-"));
  EXPECT_EQ(Str(org, "first_party_connected_apps_allowed_type"), "ALL_ALLOWED");
  EXPECT_EQ(Str(org, "third_party_connected_apps_allowed_type"), "RESTRICTED");

  EXPECT_EQ(
      Call("POST", "/v1/organizations",
           json::value(json::object{{"organization_name", "B"}, {"organization_slug", "acme"}}))
          .status,
      409);
  EXPECT_EQ(
      Call("POST", "/v1/organizations",
           json::value(json::object{{"organization_name", "B"}, {"organization_slug", "Bad Slug"}}))
          .status,
      400);
  EXPECT_EQ(Call("POST", "/v1/organizations",
                 json::value(json::object{{"organization_name", "B"},
                                          {"organization_slug", "b"},
                                          {"first_party_connected_apps_allowed_type", "SOME"}}))
                .status,
            400);

  auto put =
      Call("PUT", "/v1/organizations/" + id,
           json::value(json::object{{"organization_name", "Acme Inc"},
                                    {"first_party_connected_apps_allowed_type", "NOT_ALLOWED"}}));
  ASSERT_EQ(put.status, 200);
  EXPECT_EQ(Str(put.body.at("organization").as_object(), "organization_name"), "Acme Inc");
  EXPECT_EQ(Call("GET", "/v1/organizations/" + id).status, 200);
  auto search = Call("POST", "/v1/organizations/search", json::value(json::object()));
  EXPECT_EQ(search.body.at("organizations").as_array().size(), 1u);
  EXPECT_EQ(Call("DELETE", "/v1/organizations/" + id).status, 200);
  EXPECT_EQ(Call("GET", "/v1/organizations/" + id).status, 404);
}

TEST_F(OrganizationsApiTest, OrganizationNamesAreDisplayText) {
  auto refused = Call("POST", "/v1/organizations",
                      json::value(json::object{{"organization_name", "Acme\xE2\x80\xAE"},
                                               {"organization_slug", "acme"}}));
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Str(refused.body, "error_message").starts_with("organization_name contains U+202E"))
      << json::serialize(refused.body);
  auto org = Create("acme");
  auto put = Call("PUT", "/v1/organizations/" + Str(org, "organization_id"),
                  json::value(json::object{{"organization_name", "Ac\xE2\x80\x8Bme"}}));
  EXPECT_EQ(put.status, 400);
  EXPECT_NE(Str(put.body, "error_message").find("organization_name"), std::string::npos);
  auto fine = Call("PUT", "/v1/organizations/" + Str(org, "organization_id"),
                   json::value(json::object{{"organization_name", "Café Ünïcode 日本"}}));
  EXPECT_EQ(fine.status, 200) << json::serialize(fine.body);
}

TEST_F(OrganizationsApiTest, ManagesMembersAndListsConnectedApps) {
  const std::string id = Str(Create("acme"), "organization_id");
  testing::InsertTestUser(db(), "user-1", "a@example.com");
  testing::InsertTestClient(db(), "client-1");
  auto added =
      Call("POST", "/v1/organizations/" + id + "/members",
           json::value(json::object{{"user_id", "user-1"}, {"roles", json::array{"admin"}}}));
  ASSERT_EQ(added.status, 200) << json::serialize(added.body);
  EXPECT_EQ(Call("POST", "/v1/organizations/" + id + "/members",
                 json::value(json::object{{"user_id", "nobody"}}))
                .status,
            404);
  auto read = Call("GET", "/v1/organizations/" + id);
  ASSERT_EQ(read.body.at("members").as_array().size(), 1u);
  EXPECT_EQ(read.body.at("members").at(0).at("roles").at(0).as_string(), "admin");

  store::GrantRepository(db()).Insert(store::GrantRecord{.grant_id = "g1",
                                                         .user_id = "user-1",
                                                         .client_id = "client-1",
                                                         .scope = "openid",
                                                         .resources_json = "[]",
                                                         .auth_time = 1,
                                                         .created_at = 1,
                                                         .revoked_at = std::nullopt});
  auto apps = Call("GET", "/v1/organizations/" + id + "/connected_apps");
  ASSERT_EQ(apps.status, 200);
  ASSERT_EQ(apps.body.at("connected_apps").as_array().size(), 1u);
  EXPECT_EQ(apps.body.at("connected_apps").at(0).at("client_id").as_string(), "client-1");

  EXPECT_EQ(Call("DELETE", "/v1/organizations/" + id + "/members/user-1").status, 200);
  EXPECT_EQ(Call("DELETE", "/v1/organizations/" + id + "/members/user-1").status, 404);
}

}  // namespace
}  // namespace gatehouse::admin
