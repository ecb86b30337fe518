// Claims templates through the management API, as the server dispatches it: a connected app's
// id_token_template_content (written, returned by GET, cleared, refused when bad), and the
// project's templates for dynamic clients at /v1/connected_apps/dynamic_client_settings.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "accounts/client_registry.h"
#include "accounts/dynamic_client_templates.h"
#include "admin/connected_apps_api.h"
#include "admin/dynamic_client_settings_api.h"
#include "admin_api_test_support.h"
#include "core/claims_template.h"

namespace gatehouse::admin {
namespace {
namespace json = boost::json;
using testing::ApiReply;

constexpr std::string_view kSettings = "/v1/connected_apps/dynamic_client_settings";

class ClaimsTemplatesApiTest : public testing::AdminApiTest {
 protected:
  ClaimsTemplatesApiTest() {
    AddConnectedAppsRoutes(router_, *api_, registry_);
    AddDynamicClientSettingsRoutes(router_, *api_, templates_);
  }

  static json::object Settings(const ApiReply& r) {
    return r.body.at("dynamic_client_settings").as_object();
  }
  static json::object App(const ApiReply& r) { return r.body.at("connected_app").as_object(); }

  static std::string Oversized() {
    return "{\"k\":\"" + std::string(core::kMaxClaimsTemplateBytes, 'x') + "\"}";
  }

  accounts::ClientRegistry registry_{db(), hasher_, clock_, random_, core::Environment::kTest};
  accounts::DynamicClientTemplates templates_{db(), clock_, "project-test-1"};
};

TEST_F(ClaimsTemplatesApiTest, ConnectedAppIdTokenTemplateIsWrittenReadAndCleared) {
  ApiReply created =
      Call("POST", "/v1/connected_apps/clients",
           json::object{{"client_type", "first_party"},
                        {"redirect_urls", json::array{"https://app.example/cb"}},
                        {"id_token_template_content", R"({"team":"{{ user.email }}"})"}});
  ASSERT_EQ(created.status, 200) << json::serialize(created.body);
  const std::string id = Str(App(created), "client_id");
  EXPECT_EQ(Str(App(created), "id_token_template_content"), R"({"team":"{{ user.email }}"})");
  EXPECT_TRUE(App(created).at("access_token_template_content").is_null());

  const std::string path = "/v1/connected_apps/clients/" + id;
  ApiReply read = Call("GET", path);
  EXPECT_EQ(Str(App(read), "id_token_template_content"), R"({"team":"{{ user.email }}"})");

  // The JSON object form is stored as its text; other fields are left alone.
  ApiReply updated =
      Call("PUT", path, json::object{{"id_token_template_content", json::object{{"k", "v"}}}});
  ASSERT_EQ(updated.status, 200) << json::serialize(updated.body);
  EXPECT_EQ(Str(App(Call("GET", path)), "id_token_template_content"), R"({"k":"v"})");
  ASSERT_EQ(Call("PUT", path, json::object{{"client_name", "Renamed"}}).status, 200);
  EXPECT_EQ(Str(App(Call("GET", path)), "id_token_template_content"), R"({"k":"v"})");

  ASSERT_EQ(Call("PUT", path, json::object{{"id_token_template_content", nullptr}}).status, 200);
  EXPECT_TRUE(App(Call("GET", path)).at("id_token_template_content").is_null());
}

TEST_F(ClaimsTemplatesApiTest, BadConnectedAppIdTokenTemplatesAreRefusedWith400) {
  for (const json::value& bad :
       {json::value("[1]"), json::value(7), json::value(json::array{1}), json::value(Oversized()),
        json::value(R"({"nonce":"x"})"), json::value(json::object{{"at_hash", "x"}}),
        json::value(R"({"sid":"x"})")}) {
    ApiReply r = Call("POST", "/v1/connected_apps/clients",
                      json::object{{"client_type", "first_party"},
                                   {"redirect_urls", json::array{"https://app.example/cb"}},
                                   {"id_token_template_content", bad}});
    EXPECT_EQ(r.status, 400) << json::serialize(bad);
    EXPECT_EQ(Str(r.body, "error_type"), "bad_request") << json::serialize(bad);
    EXPECT_NE(Str(r.body, "error_message").find("id_token_template_content"), std::string::npos)
        << Str(r.body, "error_message");
  }
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 0);
}

TEST_F(ClaimsTemplatesApiTest, DynamicClientSettingsAreReadAndPartiallyUpdated) {
  ApiReply empty = Call("GET", std::string(kSettings));
  ASSERT_EQ(empty.status, 200) << json::serialize(empty.body);
  EXPECT_TRUE(Settings(empty).at("access_token_template_content").is_null());
  EXPECT_TRUE(Settings(empty).at("id_token_template_content").is_null());
  // Never written: no time to show.
  EXPECT_TRUE(Settings(empty).at("updated_at").is_null());

  ApiReply put = Call("PUT", std::string(kSettings),
                      json::object{{"access_token_template_content",
                                    json::object{{"tier", "agent"}, {"who", "{{ user.user_id }}"}}},
                                   {"id_token_template_content", R"({"kind":"dynamic"})"}});
  ASSERT_EQ(put.status, 200) << json::serialize(put.body);
  EXPECT_EQ(Str(Settings(put), "access_token_template_content"),
            R"({"tier":"agent","who":"{{ user.user_id }}"})");
  EXPECT_EQ(Str(Settings(put), "id_token_template_content"), R"({"kind":"dynamic"})");
  EXPECT_EQ(Str(Settings(put), "updated_at"), Rfc3339(clock_.NowSeconds()));
  EXPECT_EQ(Settings(Call("GET", std::string(kSettings))), Settings(put));
  EXPECT_TRUE(templates_.Current()->access_token);

  // Only the named field changes; null (or "") clears one.
  ASSERT_EQ(
      Call("PUT", std::string(kSettings), json::object{{"id_token_template_content", ""}}).status,
      200);
  json::object now = Settings(Call("GET", std::string(kSettings)));
  EXPECT_TRUE(now.at("id_token_template_content").is_null());
  EXPECT_EQ(Str(now, "access_token_template_content"),
            R"({"tier":"agent","who":"{{ user.user_id }}"})");
  ASSERT_EQ(
      Call("PUT", std::string(kSettings), json::object{{"access_token_template_content", nullptr}})
          .status,
      200);
  EXPECT_FALSE(templates_.Current()->access_token);
}

TEST_F(ClaimsTemplatesApiTest, BadDynamicClientTemplatesAreRefusedAndNothingChanges) {
  ASSERT_EQ(Call("PUT", std::string(kSettings),
                 json::object{{"access_token_template_content", R"({"tier":"agent"})"}})
                .status,
            200);
  const json::object before = Settings(Call("GET", std::string(kSettings)));
  const std::vector<std::pair<json::object, std::string>> cases = {
      {{{"access_token_template_content", "[1,2]"}}, "access_token_template_content"},
      {{{"access_token_template_content", 5}}, "access_token_template_content"},
      {{{"access_token_template_content", Oversized()}}, "4096"},
      {{{"access_token_template_content", R"({"scope":"x"})"}}, "reserved claim scope"},
      {{{"id_token_template_content", R"({"nonce":"x"})"}}, "reserved claim nonce"},
      {{{"id_token_template_content", json::object{{"c_hash", "x"}}}}, "reserved claim c_hash"},
      {{{"id_token_template_content", R"({"a":"{{ secrets.key }}"})"}}, "placeholder"},
      // A good access template does not carry a bad ID token template through.
      {{{"access_token_template_content", R"({"tier":"new"})"},
        {"id_token_template_content", "not json"}},
       "id_token_template_content"},
      {{{"template", "{}"}}, "unknown field \"template\""},
  };
  for (const auto& [body, message] : cases) {
    ApiReply r = Call("PUT", std::string(kSettings), json::value(body));
    EXPECT_EQ(r.status, 400) << json::serialize(body);
    EXPECT_EQ(Str(r.body, "error_type"), "bad_request");
    EXPECT_NE(Str(r.body, "error_message").find(message), std::string::npos)
        << Str(r.body, "error_message");
  }
  EXPECT_EQ(Settings(Call("GET", std::string(kSettings))), before);
}

TEST_F(ClaimsTemplatesApiTest, DynamicClientSettingsNeedTheProjectCredentials) {
  http::Request q;
  q.method = "GET";
  q.path = q.target = std::string(kSettings);
  q.request_id = "req-1";
  EXPECT_EQ(router_.Dispatch(q).status, 401);
}

}  // namespace
}  // namespace gatehouse::admin
