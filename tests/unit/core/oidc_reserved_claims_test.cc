// The claims an ID token template may never set: every OIDC claim Gatehouse puts in ID tokens
// (nonce, at_hash, c_hash, auth_time, azp, sid, acr, amr) and the standard JWT claims are reserved,
// refused by ParseClaimsTemplate and skipped by MergeClaims.

#include <gtest/gtest.h>

#include <string>

#include <boost/json.hpp>

#include "core/claims_template.h"

namespace gatehouse::core {
namespace {
namespace json = boost::json;

constexpr std::string_view kIdTokenClaims[] = {"nonce", "at_hash", "c_hash", "auth_time", "azp",
                                               "sid",   "acr",     "amr",    "iss",       "sub",
                                               "aud",   "exp",     "nbf",    "iat",       "jti"};

TEST(OidcReservedClaimsTest, TemplatesNamingAnIdTokenClaimAreRefused) {
  for (std::string_view claim : kIdTokenClaims) {
    EXPECT_TRUE(IsReservedClaim(claim)) << claim;
    auto parsed = ParseClaimsTemplate(R"({"team": "a", ")" + std::string(claim) + R"(": "x"})");
    ASSERT_FALSE(parsed) << claim;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kBadRequest);
    EXPECT_EQ(parsed.error().description(),
              "the claims template must not set the reserved claim " + std::string(claim));
  }
  // Only top-level names are claims: nested members may use any name.
  EXPECT_TRUE(ParseClaimsTemplate(R"({"session": {"sid": "{{ user.user_id }}", "nonce": 1}})"));
  EXPECT_FALSE(IsReservedClaim("session"));
  EXPECT_FALSE(IsReservedClaim("Nonce"));  // claim names are case-sensitive (RFC 7519 4)
}

TEST(OidcReservedClaimsTest, MergingKeepsEveryIdTokenClaimGatehouseSet) {
  json::object id{{"sub", "user-1"}, {"nonce", "n-1"}, {"at_hash", "h"}, {"email", "a@x"}};
  json::object rendered;
  for (std::string_view claim : kIdTokenClaims) rendered[claim] = "forged";
  rendered["email"] = "forged";
  rendered["team"] = "billing";
  MergeClaims(id, rendered);
  EXPECT_EQ(id.at("sub").as_string(), "user-1");
  EXPECT_EQ(id.at("nonce").as_string(), "n-1");
  EXPECT_EQ(id.at("at_hash").as_string(), "h");
  EXPECT_EQ(id.at("email").as_string(), "a@x");
  for (std::string_view absent : {"c_hash", "sid", "acr", "amr", "azp", "auth_time", "jti"}) {
    EXPECT_FALSE(id.contains(absent)) << absent;
  }
  EXPECT_EQ(id.at("team").as_string(), "billing");
  EXPECT_EQ(id.size(), 5u);
}

TEST(OidcReservedClaimsTest, SizeAndShapeRulesAreTheAccessTokenTemplates) {
  EXPECT_FALSE(ParseClaimsTemplate("[]"));
  EXPECT_FALSE(ParseClaimsTemplate("null"));
  EXPECT_FALSE(ParseClaimsTemplate(""));
  // Exactly the limit is accepted; one byte more is not.
  const std::string prefix = R"({"k":")";
  const std::string suffix = R"("})";
  const std::string at_limit =
      prefix + std::string(kMaxClaimsTemplateBytes - prefix.size() - suffix.size(), 'x') + suffix;
  ASSERT_EQ(at_limit.size(), kMaxClaimsTemplateBytes);
  EXPECT_TRUE(ParseClaimsTemplate(at_limit));
  const std::string over = prefix + "x" + at_limit.substr(prefix.size());
  EXPECT_FALSE(ParseClaimsTemplate(over));
}

}  // namespace
}  // namespace gatehouse::core
