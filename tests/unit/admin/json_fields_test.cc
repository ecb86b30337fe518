// The management API's shared field rules: which body fields an endpoint knows (and how an
// unknown one is named and a near miss suggested), and the one time format of its answers.

#include "admin/json_fields.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace gatehouse::admin {
namespace {
namespace json = boost::json;

json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

TEST(BodyFieldsTest, KnownFieldsPassWhateverTheirValues) {
  const BodyFields fields{"client_name", "redirect_urls", "trusted_metadata"};
  EXPECT_EQ(fields.UnknownField(json::object{}), std::nullopt);
  EXPECT_EQ(fields.UnknownField(Parse(R"({"client_name":"x","redirect_urls":[],
                                           "trusted_metadata":{"anything":{"goes":1}}})")),
            std::nullopt);
  // Types are the readers' business: a known field of the wrong type is not "unknown".
  EXPECT_EQ(fields.UnknownField(Parse(R"({"client_name":5})")), std::nullopt);
}

TEST(BodyFieldsTest, AnUnknownFieldIsNamedAndANearMissSuggested) {
  const BodyFields fields{"client_name", "redirect_urls", "password", "scopes"};
  EXPECT_EQ(fields.UnknownField(Parse(R"({"client_name":"x","redirect_uris":[]})")),
            R"(unknown field "redirect_uris" (did you mean "redirect_urls"?))");
  EXPECT_EQ(fields.UnknownField(Parse(R"({"pasword":"x"})")),
            R"(unknown field "pasword" (did you mean "password"?))");
  // Two swapped letters are one typo.
  EXPECT_EQ(fields.UnknownField(Parse(R"({"passwrod":"x"})")),
            R"(unknown field "passwrod" (did you mean "password"?))");
  EXPECT_EQ(fields.UnknownField(Parse(R"({"scope":"a b"})")),
            R"(unknown field "scope" (did you mean "scopes"?))");
  // Nothing close: no suggestion, rather than a misleading one.
  EXPECT_EQ(fields.UnknownField(Parse(R"({"nickname":"x"})")), R"(unknown field "nickname")");
  EXPECT_EQ(fields.UnknownField(Parse(R"({"id":"x"})")), R"(unknown field "id")");
}

TEST(BodyFieldsTest, NoFieldsMeansAnEmptyBody) {
  EXPECT_EQ(BodyFields{}.UnknownField(json::object{}), std::nullopt);
  EXPECT_EQ(BodyFields{}.UnknownField(Parse(R"({"client_id":"x"})")),
            R"(unknown field "client_id")");
}

TEST(BodyFieldsTest, WithAddsFieldsToACopy) {
  const BodyFields create{"email"};
  const BodyFields update = create.With({"remove_password"});
  EXPECT_EQ(update.UnknownField(Parse(R"({"email":"a","remove_password":true})")), std::nullopt);
  EXPECT_NE(create.UnknownField(Parse(R"({"remove_password":true})")), std::nullopt);
}

TEST(BodyFieldsTest, NestedObjectsAndArraysOfObjectsAreCheckedWithTheirPaths) {
  const BodyFields permission{"resource_id", "actions"};
  const BodyFields policy =
      BodyFields{}
          .WithObject("resources", {"resource_id", "description", "actions"})
          .WithObject("roles", BodyFields{"role_id"}.WithObject("permissions", permission));
  const BodyFields body = policy.WithObject("policy", policy);
  EXPECT_EQ(body.UnknownField(Parse(R"({"policy":{"resources":[{"resource_id":"d","actions":[]}],
      "roles":[{"role_id":"r","permissions":[{"resource_id":"d","actions":["read"]}]}]}})")),
            std::nullopt);
  EXPECT_EQ(body.UnknownField(Parse(R"({"policy":{"roles":[{"role_id":"a"},
      {"role_id":"b","permissions":[{"resource_id":"d","action":["read"]}]}]}})")),
            R"(unknown field "policy.roles[1].permissions[0].action" (did you mean "actions"?))");
  EXPECT_EQ(body.UnknownField(Parse(R"({"resources":[{"resource_id":"d","color":"red"}]})")),
            R"(unknown field "resources[0].color")");
  EXPECT_EQ(BodyFields{"email"}
                .WithObject("name", {"first_name", "last_name"})
                .UnknownField(Parse(R"({"name":{"first_name":"A","middle_name":"B"}})")),
            R"(unknown field "name.middle_name")");
  // Values that are not objects are left to the readers to refuse with their type message.
  EXPECT_EQ(body.UnknownField(Parse(R"({"roles":"admin","resources":[1,"x",null]})")),
            std::nullopt);
}

TEST(BodyFieldsTest, TheShownPathIsPrintableAndBounded) {
  const BodyFields fields{"email"};
  json::object body;
  body["e\"vil\n\\x\xc3\xa9"] = 1;
  EXPECT_EQ(fields.UnknownField(body), R"(unknown field "e?vil??x??")");
  json::object long_body;
  long_body[std::string(1000, 'a')] = 1;
  const std::optional<std::string> message = fields.UnknownField(long_body);
  ASSERT_TRUE(message);
  EXPECT_EQ(*message,
            "unknown field \"" + std::string(BodyFields::kMaxShownPathBytes, 'a') + "...\"");
}

TEST(Rfc3339Test, FormatsUnixSecondsAsUtc) {
  EXPECT_EQ(Rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Rfc3339(1796391174), "2026-12-04T13:32:54Z");
  EXPECT_EQ(Rfc3339(951782400), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace gatehouse::admin
