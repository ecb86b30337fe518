// Custom claims templates: validation and its refusals, rendering of placeholders, and merging that
// never overrides reserved or existing claims.

#include "core/claims_template.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::core {
namespace {
namespace json = boost::json;

json::object Context() {
  return json::parse(R"({
    "user": {"user_id": "user-test-1", "email": "ada@example.com", "roles": ["admin", "viewer"]},
    "organization": {"organization_id": "organization-test-1", "organization_slug": "acme"},
    "client": {"client_id": "connected-app-test-1", "trusted_metadata": {"team": "billing"}}
  })")
      .as_object();
}

json::object Render(std::string_view text) {
  auto parsed = ParseClaimsTemplate(text);
  EXPECT_TRUE(parsed) << parsed.error().description();
  return parsed ? RenderClaimsTemplate(*parsed, Context()) : json::object();
}

TEST(ClaimsTemplateTest, RendersPlaceholdersKeepingTypes) {
  json::object out = Render(R"({
    "email": "{{ user.email }}",
    "roles": "{{user.roles}}",
    "greeting": "hello {{ user.email }} of {{ organization.organization_slug }}",
    "team": "{{ client.trusted_metadata.team }}",
    "nested": {"org": "{{ organization.organization_id }}", "list": ["{{ user.user_id }}", 7]},
    "constant": 42,
    "missing": "{{ user.nickname }}",
    "missing_in_text": "x{{ user.nickname }}y"
  })");
  EXPECT_EQ(out.at("email").as_string(), "ada@example.com");
  ASSERT_TRUE(out.at("roles").is_array());
  EXPECT_EQ(out.at("roles").as_array().size(), 2u);
  EXPECT_EQ(out.at("greeting").as_string(), "hello ada@example.com of acme");
  EXPECT_EQ(out.at("team").as_string(), "billing");
  EXPECT_EQ(out.at("nested").at("org").as_string(), "organization-test-1");
  EXPECT_EQ(out.at("nested").at("list").at(0).as_string(), "user-test-1");
  EXPECT_EQ(out.at("nested").at("list").at(1).as_int64(), 7);
  EXPECT_EQ(out.at("constant").as_int64(), 42);
  EXPECT_TRUE(out.at("missing").is_null());
  EXPECT_EQ(out.at("missing_in_text").as_string(), "xy");
}

TEST(ClaimsTemplateTest, RefusesWhatCannotBeATemplate) {
  auto refused = [](std::string_view text) {
    auto r = ParseClaimsTemplate(text);
    EXPECT_FALSE(r) << text;
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kBadRequest);
    }
    return r ? std::string() : r.error().description();
  };
  refused("[1, 2]");
  refused("not json");
  refused(R"("string")");
  EXPECT_NE(refused(R"({"sub": "{{ user.email }}"})").find("reserved claim sub"),
            std::string::npos);
  for (std::string_view claim :
       {"iss", "aud", "exp", "scope", "client_id", "jti", "organization"}) {
    refused(R"({")" + std::string(claim) + R"(": 1})");
  }
  refused(R"({"a": "{{ user.email"})");
  refused(R"({"a": "{{ secrets.pepper }}"})");
  refused(R"({"a": ["{{ env.HOME }}"]})");
  std::string big = R"({"a": ")" + std::string(kMaxClaimsTemplateBytes, 'x') + R"("})";
  EXPECT_NE(refused(big).find("4096"), std::string::npos);
}

TEST(ClaimsTemplateTest, MergingNeverOverridesReservedOrExistingClaims) {
  json::object claims{{"sub", "user-test-1"}, {"custom", "kept"}};
  MergeClaims(claims, json::object{{"sub", "attacker"},
                                   {"iss", "https://evil.example"},
                                   {"custom", "replaced"},
                                   {"team", "billing"}});
  EXPECT_EQ(claims.at("sub").as_string(), "user-test-1");
  EXPECT_FALSE(claims.contains("iss"));
  EXPECT_EQ(claims.at("custom").as_string(), "kept");
  EXPECT_EQ(claims.at("team").as_string(), "billing");
  EXPECT_TRUE(IsReservedClaim("gh_grant"));
  EXPECT_FALSE(IsReservedClaim("team"));
}

}  // namespace
}  // namespace gatehouse::core
