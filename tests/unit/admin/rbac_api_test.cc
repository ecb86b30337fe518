// The RBAC policy management API: GET the (empty) policy, PUT a valid one (wrapped or bare), and
// 400 for unknown resource or action references.

#include "admin/rbac_api.h"

#include "admin_api_test_support.h"

namespace gatehouse::admin {
namespace {
namespace json = boost::json;

class RbacApiTest : public testing::AdminApiTest {
 protected:
  RbacApiTest() { AddRbacRoutes(router_, *api_, rbac_); }
  accounts::RbacScopePolicy rbac_{db(), clock_};
};

const json::value kPolicy = json::parse(R"({
  "resources": [{"resource_id": "documents", "description": "Docs", "actions": ["read"]}],
  "roles": [{"role_id": "viewer", "description": "", "permissions":
             [{"resource_id": "documents", "actions": ["*"]}]}],
  "scopes": [{"scope": "read:docs", "description": "Read docs", "permissions":
              [{"resource_id": "documents", "actions": ["read"]}]}]
})");

TEST_F(RbacApiTest, ReadsAndReplacesThePolicy) {
  auto empty = Call("GET", "/v1/rbac/policy");
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.body.at("policy").at("scopes").as_array().empty());

  auto put = Call("PUT", "/v1/rbac/policy", json::value(json::object{{"policy", kPolicy}}));
  ASSERT_EQ(put.status, 200) << json::serialize(put.body);
  auto read = Call("GET", "/v1/rbac/policy");
  EXPECT_EQ(json::serialize(read.body.at("policy")), json::serialize(put.body.at("policy")));
  EXPECT_EQ(read.body.at("policy").at("scopes").at(0).at("scope").as_string(), "read:docs");
  EXPECT_EQ(rbac_.CustomScopes(), std::vector<std::string>{"read:docs"});

  EXPECT_EQ(Call("PUT", "/v1/rbac/policy", kPolicy).status, 200);  // unwrapped
}

TEST_F(RbacApiTest, RefusesUnknownReferences) {
  json::value bad = kPolicy;
  bad.at("roles").at(0).at("permissions").at(0).at("resource_id") = "nope";
  auto r = Call("PUT", "/v1/rbac/policy", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r.body, "error_type"), "bad_request");
  EXPECT_NE(Str(r.body, "error_message").find("unknown resource nope"), std::string::npos);

  json::value bad_action = kPolicy;
  bad_action.at("scopes").at(0).at("permissions").at(0).at("actions") = json::array{"write"};
  EXPECT_EQ(Call("PUT", "/v1/rbac/policy", bad_action).status, 400);
  EXPECT_TRUE(rbac_.CustomScopes().empty());
}

TEST_F(RbacApiTest, RefusesFieldsThePolicyDoesNotDefineAtAnyDepth) {
  json::value typo = kPolicy;
  typo.at("scopes").at(0).at("permissions").at(0).as_object()["action"] = json::array{"read"};
  auto r = Call("PUT", "/v1/rbac/policy", json::value(json::object{{"policy", typo}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r.body, "error_message"),
            R"(unknown field "policy.scopes[0].permissions[0].action" (did you mean "actions"?))");

  json::value extra = kPolicy;
  extra.as_object()["version"] = 2;
  EXPECT_EQ(Str(Call("PUT", "/v1/rbac/policy", extra).body, "error_message"),
            R"(unknown field "version")");

  json::object both{{"policy", kPolicy}, {"scopes", json::array{}}};
  auto mixed = Call("PUT", "/v1/rbac/policy", json::value(both));
  EXPECT_EQ(mixed.status, 400);
  EXPECT_NE(Str(mixed.body, "error_message").find("not both"), std::string::npos);
  EXPECT_TRUE(rbac_.CustomScopes().empty());
}

}  // namespace
}  // namespace gatehouse::admin
