// core::RbacPolicy: parsing and its refusals, wildcard matching, is_grantable.

#include "core/rbac_policy.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::core {
namespace {

constexpr std::string_view kPolicy = R"({
  "resources": [
    {"resource_id": "documents", "description": "Docs", "actions": ["read", "write", "delete"]},
    {"resource_id": "billing", "actions": ["read", "pay"]}
  ],
  "roles": [
    {"role_id": "viewer", "permissions": [{"resource_id": "documents", "actions": ["read"]}]},
    {"role_id": "editor", "permissions": [{"resource_id": "documents", "actions": ["read", "write"]}]},
    {"role_id": "admin", "permissions": [{"resource_id": "documents", "actions": ["*"]},
                                          {"resource_id": "billing", "actions": ["*"]}]},
    {"role_id": "accountant", "permissions": [{"resource_id": "billing", "actions": ["read", "pay"]}]}
  ],
  "scopes": [
    {"scope": "read:docs", "description": "Read your documents",
     "permissions": [{"resource_id": "documents", "actions": ["read"]}]},
    {"scope": "write:docs", "permissions": [{"resource_id": "documents", "actions": ["read", "write"]}]},
    {"scope": "manage:docs", "permissions": [{"resource_id": "documents", "actions": ["*"]}]},
    {"scope": "billing", "permissions": [{"resource_id": "billing", "actions": ["*"]}]},
    {"scope": "ping"}
  ]
})";

RbacPolicy Policy() {
  auto parsed = RbacPolicy::ParseText(kPolicy);
  EXPECT_TRUE(parsed) << parsed.error().description();
  return *parsed;
}

std::string ErrorOf(std::string_view text) {
  auto parsed = RbacPolicy::ParseText(text);
  EXPECT_FALSE(parsed);
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code(), ErrorCode::kBadRequest);
  return parsed.error().description();
}

TEST(RbacPolicyTest, ParsesAndRoundTrips) {
  RbacPolicy policy = Policy();
  EXPECT_EQ(policy.resources().size(), 2u);
  EXPECT_EQ(policy.roles().size(), 4u);
  EXPECT_EQ(policy.scopes().size(), 5u);
  EXPECT_EQ(policy.FindScope("read:docs")->description, "Read your documents");
  auto again = RbacPolicy::Parse(boost::json::value(policy.ToJson()));
  ASSERT_TRUE(again);
  EXPECT_EQ(boost::json::serialize(again->ToJson()), boost::json::serialize(policy.ToJson()));
  EXPECT_TRUE(RbacPolicy::ParseText("{}"));
}

TEST(RbacPolicyTest, RefusesUnknownReferencesAndDuplicates) {
  EXPECT_NE(
      ErrorOf(R"({"roles":[{"role_id":"r","permissions":[{"resource_id":"x","actions":["a"]}]}]})")
          .find("unknown resource x"),
      std::string::npos);
  EXPECT_NE(ErrorOf(R"({"resources":[{"resource_id":"x","actions":["a"]}],
                        "scopes":[{"scope":"s","permissions":[{"resource_id":"x","actions":["b"]}]}]})")
                .find("unknown action b"),
            std::string::npos);
  ErrorOf(
      R"({"resources":[{"resource_id":"x","actions":["a"]},{"resource_id":"x","actions":[]}]})");
  ErrorOf(R"({"resources":[{"resource_id":"x","actions":["a","a"]}]})");
  ErrorOf(R"({"resources":[{"resource_id":"x","actions":["*"]}]})");
  ErrorOf(R"({"roles":[{"role_id":"r"},{"role_id":"r"}]})");
  ErrorOf(R"({"scopes":[{"scope":"openid"}]})");
  ErrorOf(R"({"scopes":[{"scope":"bad scope"}]})");
  ErrorOf(R"({"scopes":[{"scope":"s"},{"scope":"s"}]})");
  ErrorOf(R"({"resources":[{"resource_id":"x","actions":["a"]}],
              "roles":[{"role_id":"r","permissions":[{"resource_id":"x","actions":[]}]}]})");
  ErrorOf(R"({"resources":{}})");
  ErrorOf(R"([])");
  ErrorOf("not json");
}

TEST(RbacPolicyTest, DescriptionsAreDisplayText) {
  // U+202E right-to-left override, U+200B zero-width space, a line feed.
  EXPECT_EQ(ErrorOf(R"({"scopes":[{"scope":"a"},{"scope":"b","description":"Read\u202Esoc"}]})"),
            "scopes[1].description contains U+202E, a bidirectional control character, which a "
            "displayed name or description may not hold");
  EXPECT_NE(ErrorOf(R"({"roles":[{"role_id":"r","description":"Ad\u200Bmin"}]})")
                .find("roles[0].description contains U+200B"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"resources":[{"resource_id":"x","description":"a\nb","actions":["a"]}]})")
                .find("resources[0].description contains U+000A"),
            std::string::npos);
  auto fine = RbacPolicy::ParseText(
      R"({"scopes":[{"scope":"read:docs","description":"Lire vos documents — 書類を読む"}]})");
  ASSERT_TRUE(fine) << fine.error().description();
  EXPECT_EQ(fine->FindScope("read:docs")->description, "Lire vos documents — 書類を読む");
}

// A policy stored before the display-text rule still loads, so its scopes stay guarded by their
// permissions instead of becoming unknown (and so grantable).
TEST(RbacPolicyTest, AStoredPolicyLoadsWithoutTheDisplayTextCheck) {
  const std::string stored = R"({"resources":[{"resource_id":"docs","actions":["read"]}],)"
                             R"("scopes":[{"scope":"read:docs","description":"Read\u202Esoc",)"
                             R"("permissions":[{"resource_id":"docs","actions":["read"]}]}]})";
  EXPECT_FALSE(RbacPolicy::ParseText(stored));
  auto loaded = RbacPolicy::ParseText(stored, RbacPolicy::DisplayText::kAlreadyChecked);
  ASSERT_TRUE(loaded) << loaded.error().description();
  ASSERT_NE(loaded->FindScope("read:docs"), nullptr);
  EXPECT_FALSE(loaded->FindScope("read:docs")->permissions.empty());
}

TEST(RbacPolicyTest, RolesMustCoverEveryPermissionOfAScope) {
  RbacPolicy policy = Policy();
  EXPECT_TRUE(policy.IsGrantable({"viewer"}, "read:docs"));
  EXPECT_FALSE(policy.IsGrantable({"viewer"}, "write:docs"));
  EXPECT_TRUE(policy.IsGrantable({"editor"}, "write:docs"));
  EXPECT_FALSE(policy.IsGrantable({}, "read:docs"));
  EXPECT_FALSE(policy.IsGrantable({"no-such-role"}, "read:docs"));
  // Permissions may come from several roles together.
  EXPECT_TRUE(policy.IsGrantable({"viewer", "accountant"}, "billing"));
  EXPECT_FALSE(policy.IsGrantable({"viewer"}, "billing"));
}

TEST(RbacPolicyTest, WildcardsMatchEveryAction) {
  RbacPolicy policy = Policy();
  // A role's "*" covers any action and a scope's "*".
  EXPECT_TRUE(policy.HasPermission({"admin"}, "documents", "delete"));
  EXPECT_TRUE(policy.IsGrantable({"admin"}, "manage:docs"));
  // A scope's "*" needs every action: editor lacks delete.
  EXPECT_FALSE(policy.IsGrantable({"editor"}, "manage:docs"));
  // Every action listed one by one also covers "*".
  EXPECT_TRUE(policy.IsGrantable({"accountant"}, "billing"));
}

TEST(RbacPolicyTest, ScopesWithoutPermissionsAndUndefinedScopesAskForNothing) {
  RbacPolicy policy = Policy();
  EXPECT_TRUE(policy.IsGrantable({}, "ping"));
  EXPECT_TRUE(policy.IsGrantable({}, "not-in-policy"));
}

}  // namespace
}  // namespace gatehouse::core
