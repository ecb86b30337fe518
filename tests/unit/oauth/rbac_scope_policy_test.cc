// RbacScopePolicy as the authorization flow's ScopePolicy: a user without a permission cannot
// obtain a scope needing it; organization membership roles count; policy changes apply at once in
// this process and through Reload() in others; descriptions and custom scopes.

#include "accounts/rbac_scope_policy.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flow_test_support.h"
#include "store/organization_repository.h"
#include "store/rbac_policy_repository.h"

namespace gatehouse::oauth {
namespace {
namespace json = boost::json;

constexpr std::string_view kPolicy = R"({
  "resources": [{"resource_id": "documents", "actions": ["read", "write"]}],
  "roles": [
    {"role_id": "viewer", "permissions": [{"resource_id": "documents", "actions": ["read"]}]},
    {"role_id": "editor", "permissions": [{"resource_id": "documents", "actions": ["*"]}]}
  ],
  "scopes": [
    {"scope": "read:docs", "description": "Read your documents",
     "permissions": [{"resource_id": "documents", "actions": ["read"]}]},
    {"scope": "write:docs", "permissions": [{"resource_id": "documents", "actions": ["write"]}]}
  ]
})";

class RbacScopePolicyTest : public testing::FlowTest {
 protected:
  RbacScopePolicyTest() {
    EXPECT_TRUE(rbac_.Replace(json::parse(kPolicy)));
    AddClient("app", core::ClientType::kFirstParty);
    AddUserWithRoles("user-viewer", {"viewer"});
    AddUserWithRoles("user-editor", {"editor"});
    AddUserWithRoles("user-none", {});
  }

  // Adds the user, or changes the roles of one added before.
  void AddUserWithRoles(const std::string& id, std::vector<std::string> roles,
                        std::optional<std::string> organization_id = std::nullopt) {
    if (!users_.FindUser(id)) testing::InsertTestUser(db(), id, id + "@example.com");
    users_.Add(core::User{.user_id = id,
                          .email = id + "@example.com",
                          .roles = std::move(roles),
                          .organization_id = std::move(organization_id)});
  }

  // The scope granted by the authorization flow under the RBAC policy.
  std::string GrantedScope(const std::string& user_id, const std::string& scope) {
    auto validation = service_with_rbac_.Validate(Params("app", scope));
    EXPECT_TRUE(validation);
    auto response = service_with_rbac_.Complete(
        *validation, AuthenticatedUser{.user = User(user_id), .auth_time = clock_.NowSeconds()},
        true);
    EXPECT_TRUE(response.code);
    http::Response r = Exchange("app", response.code.value_or(""));
    EXPECT_EQ(r.status, 200) << r.body;
    return testing::Str(testing::JsonBody(r), "scope");
  }

  accounts::RbacScopePolicy rbac_{db(), clock_};
  AuthorizationService service_with_rbac_{settings_, clients_, db(), clock_, random_, &rbac_};
};

TEST_F(RbacScopePolicyTest, ConsentShowsWhichScopesTheUserMayGrant) {
  auto validation = service_with_rbac_.Validate(Params("app", "openid read:docs write:docs"));
  ASSERT_TRUE(validation);
  ConsentView view = service_with_rbac_.DescribeConsent(*validation, User("user-viewer"));
  std::map<std::string, ScopeResult> by_scope;
  for (const auto& r : view.scope_results) by_scope[r.scope] = r;
  EXPECT_TRUE(by_scope["openid"].is_grantable);
  EXPECT_TRUE(by_scope["read:docs"].is_grantable);
  EXPECT_EQ(by_scope["read:docs"].description, "Read your documents");
  EXPECT_FALSE(by_scope["write:docs"].is_grantable);
}

TEST_F(RbacScopePolicyTest, TokensCarryOnlyGrantedScopes) {
  EXPECT_EQ(GrantedScope("user-viewer", "openid read:docs write:docs"), "openid read:docs");
  EXPECT_EQ(GrantedScope("user-editor", "openid read:docs write:docs"),
            "openid read:docs write:docs");
  EXPECT_EQ(GrantedScope("user-none", "openid read:docs write:docs"), "openid");
}

TEST_F(RbacScopePolicyTest, OrganizationMembershipRolesCount) {
  store::OrganizationRepository orgs(db());
  ASSERT_EQ(
      orgs.Insert(store::Organization{
          .organization_id = "org-1", .organization_name = "Acme", .organization_slug = "acme"}),
      store::OrganizationRepository::WriteOutcome::kDone);
  AddUserWithRoles("user-member", {}, "org-1");
  ASSERT_EQ(
      orgs.AddMember({.user_id = "user-member", .organization_id = "org-1", .roles = {"editor"}}),
      store::OrganizationRepository::MemberOutcome::kDone);
  EXPECT_TRUE(rbac_.IsGrantable(User("user-member"), "write:docs"));
  // Cached until the "organizations" cache version moves.
  ASSERT_TRUE(orgs.RemoveMember("org-1", "user-member"));
  EXPECT_TRUE(rbac_.IsGrantable(User("user-member"), "write:docs"));
  rbac_.InvalidateMemberships();
  EXPECT_FALSE(rbac_.IsGrantable(User("user-member"), "write:docs"));
}

TEST_F(RbacScopePolicyTest, PolicyChangesApplyAndReachOtherProcessesOnReload) {
  accounts::RbacScopePolicy other_process(db(), clock_);
  EXPECT_TRUE(other_process.IsGrantable(User("user-viewer"), "read:docs"));
  const uint64_t generation = other_process.generation();
  // The viewer role loses read.
  json::value changed = json::parse(kPolicy);
  changed.at("roles").at(0).at("permissions").at(0).at("actions") = json::array{"write"};
  ASSERT_TRUE(rbac_.Replace(changed));
  EXPECT_FALSE(rbac_.IsGrantable(User("user-viewer"), "read:docs"));
  EXPECT_TRUE(other_process.IsGrantable(User("user-viewer"), "read:docs"));
  other_process.Reload();
  EXPECT_NE(other_process.generation(), generation);
  EXPECT_FALSE(other_process.IsGrantable(User("user-viewer"), "read:docs"));
}

TEST_F(RbacScopePolicyTest, RefreshAfterARoleIsRemovedDropsItsScopes) {
  token_endpoint_ = MakeTokenEndpoint(&rbac_);
  auto validation = service_with_rbac_.Validate(Params("app", "openid offline_access write:docs"));
  ASSERT_TRUE(validation);
  auto response = service_with_rbac_.Complete(
      *validation, AuthenticatedUser{.user = User("user-editor"), .auth_time = clock_.NowSeconds()},
      true);
  http::Response first = Exchange("app", response.code.value_or(""));
  ASSERT_EQ(first.status, 200) << first.body;
  const auto body = testing::JsonBody(first);
  EXPECT_EQ(testing::Str(body, "scope"), "offline_access openid write:docs");
  const std::string refresh_token = testing::Str(body, "refresh_token");

  AddUserWithRoles("user-editor", {"viewer"});  // the editor role is removed
  http::Response refreshed = Refresh("app", refresh_token);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(testing::Str(testing::JsonBody(refreshed), "scope"), "offline_access openid");
  auto claims = Decode(testing::Str(testing::JsonBody(refreshed), "access_token"), "at+jwt").claims;
  EXPECT_EQ(claims.at("scope").as_string(), "offline_access openid");

  AddUserWithRoles("user-editor", {"editor"});  // restored: the grant still holds the scope
  EXPECT_EQ(testing::Str(testing::JsonBody(Refresh("app", refresh_token)), "scope"),
            "offline_access openid write:docs");
}

TEST_F(RbacScopePolicyTest, InvalidPoliciesAreRefusedAndTheOldOneKept) {
  auto refused = rbac_.Replace(json::parse(
      R"({"scopes":[{"scope":"x","permissions":[{"resource_id":"nope","actions":["a"]}]}]})"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kBadRequest);
  EXPECT_EQ(rbac_.CustomScopes(), (std::vector<std::string>{"read:docs", "write:docs"}));
}

TEST_F(RbacScopePolicyTest, BuiltInScopesAreAlwaysGrantableAndDescribed) {
  EXPECT_TRUE(rbac_.IsGrantable(User("user-none"), "email"));
  EXPECT_FALSE(rbac_.Describe("email").empty());
  EXPECT_EQ(rbac_.Describe("unknown:scope"), "Access to unknown:scope");
}

}  // namespace
}  // namespace gatehouse::oauth
