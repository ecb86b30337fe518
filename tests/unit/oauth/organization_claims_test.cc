// Access tokens of organization members carry organization {organization_id, slug}, and a client's
// access_token_template_content is rendered into its access tokens without overriding any claim
// Gatehouse sets; organization policies refuse members at authorization with access_denied.

#include <gtest/gtest.h>

#include "accounts/organization_app_policy.h"
#include "flow_test_support.h"
#include "store/organization_repository.h"

namespace gatehouse::oauth {
namespace {
namespace json = boost::json;

class OrganizationClaimsTest : public testing::FlowTest {
 protected:
  OrganizationClaimsTest() : FlowTest({.organizations = &organizations_}) {
    store::OrganizationRepository repo(db());
    EXPECT_EQ(
        repo.Insert(store::Organization{.organization_id = "organization-test-1",
                                        .organization_name = "Acme",
                                        .organization_slug = "acme",
                                        .first_party_connected_apps_allowed_type = "ALL_ALLOWED",
                                        .third_party_connected_apps_allowed_type = "NOT_ALLOWED"}),
        store::OrganizationRepository::WriteOutcome::kDone);
    testing::InsertTestUser(db(), "user-member", "m@example.com");
    users_.Add(core::User{.user_id = "user-member",
                          .email = "m@example.com",
                          .roles = {"admin"},
                          .organization_id = "organization-test-1"});
  }

  void AddTemplatedClient(const std::string& id, core::ClientType type, std::string tmpl) {
    testing::InsertTestClient(db(), id, core::ClientTypeName(type));
    clients_.Add(core::Client{.client_id = id,
                              .client_type = type,
                              .client_name = "Templated",
                              .redirect_uris = {"https://app.example.com/cb"},
                              .access_token_template_content = std::move(tmpl)},
                 std::string(testing::kSecret));
  }

  json::object AccessClaims(const std::string& client_id, const std::string& user_id) {
    auto response = Authorize(Params(client_id, "openid"), user_id);
    EXPECT_TRUE(response.code) << response.redirect_uri;
    http::Response r = Exchange(client_id, response.code.value_or(""));
    EXPECT_EQ(r.status, 200) << r.body;
    return Decode(testing::Str(testing::JsonBody(r), "access_token"), "at+jwt").claims;
  }

  accounts::OrganizationAppPolicy organizations_{db()};
};

TEST_F(OrganizationClaimsTest, MembersTokensNameTheOrganization) {
  AddClient("app", core::ClientType::kFirstParty);
  auto claims = AccessClaims("app", "user-member");
  EXPECT_EQ(claims.at("organization").at("organization_id").as_string(), "organization-test-1");
  EXPECT_EQ(claims.at("organization").at("slug").as_string(), "acme");
  EXPECT_FALSE(AccessClaims("app", "user-1").contains("organization"));
}

TEST_F(OrganizationClaimsTest, TemplateClaimsAreRenderedButNeverOverrideReservedOnes) {
  AddTemplatedClient("templated", core::ClientType::kFirstParty,
                     R"({"email": "{{ user.email }}", "roles": "{{ user.roles }}",
                         "org": "{{ organization.organization_slug }}", "app": "{{ client.client_name }}",
                         "sub": "attacker", "iss": "https://evil.example", "tier": "gold"})");
  auto claims = AccessClaims("templated", "user-member");
  EXPECT_EQ(claims.at("email").as_string(), "m@example.com");
  EXPECT_EQ(claims.at("roles").as_array().at(0).as_string(), "admin");
  EXPECT_EQ(claims.at("org").as_string(), "acme");
  EXPECT_EQ(claims.at("app").as_string(), "Templated");
  EXPECT_EQ(claims.at("tier").as_string(), "gold");
  EXPECT_EQ(claims.at("sub").as_string(), "user-member");
  EXPECT_EQ(claims.at("iss").as_string(), testing::kIssuer);
}

TEST_F(OrganizationClaimsTest, MembersAreRefusedClientsTheirOrganizationDoesNotAllow) {
  AddClient("third", core::ClientType::kThirdParty);
  auto refused = Authorize(Params("third", "openid"), "user-member");
  EXPECT_FALSE(refused.code);
  EXPECT_EQ(testing::QueryParam(refused.redirect_uri, "error"), "access_denied");
  EXPECT_EQ(testing::QueryParam(refused.redirect_uri, "error_description"),
            "the organization acme does not allow third-party connected apps");
  // Users outside the organization are not affected.
  EXPECT_TRUE(Authorize(Params("third", "openid"), "user-1").code);
}

}  // namespace
}  // namespace gatehouse::oauth
