// The Connected Apps management API through the router, as the server dispatches it, over a real
// SQLite database: authentication, each client type, validation errors, read/update/delete,
// search pagination and secret rotation.

#include "admin/connected_apps_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/claims_template.h"
#include "crypto/encoding.h"
#include "store/project_repository.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::admin {
namespace {
namespace json = boost::json;

struct Reply {
  int status;
  json::object body;
  http::Response response;
};

class ConnectedAppsApiTest : public ::testing::Test {
 protected:
  ConnectedAppsApiTest() {
    store::ProjectRepository(test_db_->db())
        .CreateIfAbsent({"project-test-1", hasher_.Hash("project-secret"), 1});
    api_ = std::make_unique<ManagementApi>(test_db_->db(), hasher_);
    AddConnectedAppsRoutes(router_, *api_, registry_);
  }

  Reply Call(std::string method, std::string path, std::optional<json::value> body = std::nullopt,
             std::optional<std::string> credentials = "project-test-1:project-secret") {
    http::Request q;
    q.method = std::move(method);
    q.path = q.target = std::move(path);
    if (body) q.body = json::serialize(*body);
    q.request_id = "req-1";
    q.headers.emplace_back("content-type", "application/json");
    if (credentials) {
      q.headers.emplace_back("authorization", "Basic " + crypto::Base64Encode(*credentials));
    }
    http::Response r = router_.Dispatch(q);
    json::object o = json::parse(r.body).as_object();
    return Reply{r.status, std::move(o), std::move(r)};
  }
  Reply Create(json::object body) {
    return Call("POST", "/v1/connected_apps/clients", json::value(std::move(body)));
  }
  static json::object App(const Reply& r) { return r.body.at("connected_app").as_object(); }
  static std::string Str(const json::object& o, std::string_view k) {
    const auto* v = o.if_contains(k);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  static std::string Path(const Reply& created, std::string_view suffix = "") {
    return "/v1/connected_apps/clients/" + Str(App(created), "client_id") + std::string(suffix);
  }

  std::unique_ptr<testing::TestDatabase> test_db_ =
      testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  accounts::SecretHasher hasher_{"pepper"};
  accounts::ClientRegistry registry_{test_db_->db(), hasher_, clock_, random_,
                                     core::Environment::kTest};
  std::unique_ptr<ManagementApi> api_;
  http::Router router_;
};

TEST_F(ConnectedAppsApiTest, RequiresProjectCredentials) {
  const json::object body{{"client_type", "third_party"}};
  Reply none = Call("POST", "/v1/connected_apps/clients", json::value(body), std::nullopt);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Str(none.body, "error_type"), "unauthorized");
  EXPECT_TRUE(none.response.Header("WWW-Authenticate"));
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients", json::value(body),
                 std::string("project-test-1:wrong"))
                .status,
            401);
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients", json::value(body),
                 std::string("project-other:project-secret"))
                .status,
            401);
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients/search", json::object{}, std::nullopt).status,
            401);
  EXPECT_EQ(Call("GET", "/v1/connected_apps/clients/x", std::nullopt, std::nullopt).status, 401);
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 0);
}

TEST_F(ConnectedAppsApiTest, CreatesEachClientTypeShowingTheSecretOnce) {
  for (const char* type :
       {"first_party", "first_party_public", "third_party", "third_party_public"}) {
    Reply r = Create({{"client_type", type},
                      {"client_name", "App"},
                      {"client_description", "An app"},
                      {"redirect_urls", json::array{"https://app.example/cb"}},
                      {"post_logout_redirect_urls", json::array{"https://app.example/bye"}},
                      {"logo_url", "https://app.example/logo.png"},
                      {"access_token_expiry_minutes", 30},
                      {"access_token_custom_audience", "https://api.example"},
                      {"access_token_template_content", R"({"team":"a"})"}});
    ASSERT_EQ(r.status, 200) << type << " " << json::serialize(r.body);
    EXPECT_EQ(r.body.at("status_code").as_int64(), 200);
    EXPECT_EQ(Str(r.body, "request_id"), "req-1");
    const json::object app = App(r);
    EXPECT_EQ(Str(app, "client_type"), type);
    EXPECT_TRUE(Str(app, "client_id").starts_with("connected-app-test-"));
    EXPECT_EQ(Str(app, "client_name"), "App");
    EXPECT_EQ(Str(app, "client_description"), "An app");
    EXPECT_EQ(app.at("redirect_urls").as_array().at(0).as_string(), "https://app.example/cb");
    EXPECT_EQ(app.at("post_logout_redirect_urls").as_array().size(), 1u);
    EXPECT_EQ(app.at("access_token_expiry_minutes").as_int64(), 30);
    EXPECT_EQ(Str(app, "access_token_custom_audience"), "https://api.example");
    EXPECT_EQ(Str(app, "access_token_template_content"), R"({"team":"a"})");
    EXPECT_EQ(Str(app, "creation_method"), "api");
    const bool confidential = std::string_view(type).find("public") == std::string_view::npos;
    EXPECT_EQ(app.contains("client_secret"), confidential) << type;
    if (confidential) {
      const std::string secret = Str(app, "client_secret");
      EXPECT_EQ(Str(app, "client_secret_last_four"), secret.substr(secret.size() - 4));
      EXPECT_EQ(Str(app, "token_endpoint_auth_method"), "client_secret_basic");
    } else {
      EXPECT_TRUE(app.at("client_secret_last_four").is_null());
      EXPECT_EQ(Str(app, "token_endpoint_auth_method"), "none");
    }
    Reply read = Call("GET", Path(r));
    ASSERT_EQ(read.status, 200);
    EXPECT_FALSE(App(read).contains("client_secret"));
    if (confidential) {
      EXPECT_EQ(read.response.body.find(Str(app, "client_secret")), std::string::npos);
    }
    EXPECT_EQ(Str(App(read), "client_secret_last_four"), Str(app, "client_secret_last_four"));
  }
}

TEST_F(ConnectedAppsApiTest, RefusesInvalidCreations) {
  struct Case {
    json::object body;
    const char* error_type;
  };
  const Case cases[] = {
      {{}, "bad_request"},
      {{{"client_type", "second_party"}}, "bad_request"},
      {{{"client_type", "third_party"}, {"full_access_allowed", true}}, "bad_request"},
      {{{"client_type", "third_party_public"}, {"bypass_consent_for_offline_access", true}},
       "bad_request"},
      {{{"client_type", "first_party"}, {"access_token_template_content", "[1]"}}, "bad_request"},
      {{{"client_type", "first_party"}, {"access_token_template_content", 7}}, "bad_request"},
      {{{"client_type", "first_party"},
        {"access_token_template_content",
         "{\"k\":\"" + std::string(core::kMaxClaimsTemplateBytes, 'x') + "\"}"}},
       "bad_request"},
      {{{"client_type", "first_party"},
        {"redirect_urls", json::array{"https://ok.example/cb", "javascript:alert(1)"}}},
       "invalid_redirect_uri"},
      {{{"client_type", "third_party"}, {"redirect_urls", json::array{"http://evil.example/cb"}}},
       "invalid_redirect_uri"},
      {{{"client_type", "third_party"}, {"post_logout_redirect_urls", json::array{"data:x"}}},
       "invalid_redirect_uri"},
      {{{"client_type", "third_party"}, {"redirect_urls", "https://x.example/cb"}}, "bad_request"},
      {{{"client_type", "third_party"}, {"client_secret", "mine"}}, "bad_request"},
      {{{"client_type", "third_party"}, {"client_id", "mine"}}, "bad_request"},
  };
  for (const auto& c : cases) {
    Reply r = Create(c.body);
    EXPECT_EQ(r.status, 400) << json::serialize(c.body);
    EXPECT_EQ(Str(r.body, "error_type"), c.error_type) << json::serialize(c.body);
    EXPECT_FALSE(Str(r.body, "error_message").empty());
  }
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 0);

  Reply first = Create({{"client_type", "first_party"},
                        {"full_access_allowed", true},
                        {"bypass_consent_for_offline_access", true},
                        {"access_token_template_content", json::object{{"k", "v"}}}});
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(App(first).at("full_access_allowed").as_bool());
  EXPECT_EQ(Str(App(first), "access_token_template_content"), R"({"k":"v"})");
}

TEST_F(ConnectedAppsApiTest, UpdatesNamedFieldsButNeverTypeIdOrSecrets) {
  Reply created = Create({{"client_type", "third_party"},
                          {"client_name", "Before"},
                          {"redirect_urls", json::array{"https://app.example/cb"}}});
  const std::string path = Path(created);
  Reply updated = Call("PUT", path,
                       json::object{{"client_name", "After"},
                                    {"redirect_urls", json::array{"https://app.example/new"}}});
  ASSERT_EQ(updated.status, 200) << json::serialize(updated.body);
  EXPECT_EQ(Str(App(updated), "client_name"), "After");
  EXPECT_EQ(App(updated).at("redirect_urls").as_array().at(0).as_string(),
            "https://app.example/new");
  EXPECT_EQ(Str(App(updated), "client_secret_last_four"),
            Str(App(created), "client_secret_last_four"));

  Reply type = Call("PUT", path, json::object{{"client_type", "first_party"}});
  EXPECT_EQ(type.status, 400);
  EXPECT_NE(Str(type.body, "error_message").find("client_type"), std::string::npos);
  EXPECT_EQ(Call("PUT", path, json::object{{"client_type", "third_party"}}).status, 200);
  EXPECT_EQ(Call("PUT", path, json::object{{"client_id", "other"}}).status, 400);
  EXPECT_EQ(Call("PUT", path, json::object{{"client_secret", "x"}}).status, 400);
  EXPECT_EQ(Call("PUT", path, json::object{{"full_access_allowed", true}}).status, 400);
  Reply bad_uri = Call("PUT", path, json::object{{"redirect_urls", json::array{"ftp://x/cb"}}});
  EXPECT_EQ(Str(bad_uri.body, "error_type"), "invalid_redirect_uri");
  EXPECT_EQ(Call("PUT", "/v1/connected_apps/clients/connected-app-test-none",
                 json::object{{"client_name", "x"}})
                .status,
            404);
  EXPECT_EQ(Str(App(Call("GET", path)), "client_name"), "After");
}

TEST_F(ConnectedAppsApiTest, ApplicationTypeDefaultsByClientTypeAndMayBeSetOrReset) {
  for (const auto& [type, expected] :
       {std::pair{"first_party", "web"}, std::pair{"third_party", "web"},
        std::pair{"first_party_public", "native"}, std::pair{"third_party_public", "native"}}) {
    Reply r = Create({{"client_type", type}});
    ASSERT_EQ(r.status, 200) << json::serialize(r.body);
    EXPECT_EQ(Str(App(r), "application_type"), expected) << type;
    EXPECT_EQ(Str(App(Create({{"client_type", type}, {"application_type", nullptr}})),
                  "application_type"),
              expected)
        << type;
  }
  Reply native = Create({{"client_type", "third_party"}, {"application_type", "native"}});
  ASSERT_EQ(native.status, 200) << json::serialize(native.body);
  EXPECT_EQ(Str(App(native), "application_type"), "native");
  EXPECT_EQ(Str(Create({{"client_type", "third_party"}, {"application_type", "desktop"}}).body,
                "error_type"),
            "bad_request");

  Reply pub = Create({{"client_type", "third_party_public"}});
  const std::string path = Path(pub);
  Reply web = Call("PUT", path, json::object{{"application_type", "web"}});
  ASSERT_EQ(web.status, 200) << json::serialize(web.body);
  EXPECT_EQ(Str(App(web), "application_type"), "web");
  EXPECT_EQ(
      Str(App(Call("PUT", path, json::object{{"client_name", "Renamed"}})), "application_type"),
      "web");  // fields a PUT does not name keep their value
  Reply reset = Call("PUT", path, json::object{{"application_type", nullptr}});
  ASSERT_EQ(reset.status, 200) << json::serialize(reset.body);
  EXPECT_EQ(Str(App(reset), "application_type"), "native");
}

TEST_F(ConnectedAppsApiTest, DeleteRemovesTheClient) {
  Reply created = Create({{"client_type", "first_party_public"}});
  const std::string id = Str(App(created), "client_id");
  ASSERT_TRUE(registry_.Find(id));
  Reply deleted = Call("DELETE", Path(created));
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(Str(deleted.body, "client_id"), id);
  EXPECT_EQ(Call("GET", Path(created)).status, 404);
  EXPECT_EQ(Str(Call("GET", Path(created)).body, "error_type"), "not_found");
  EXPECT_FALSE(registry_.Find(id));
  EXPECT_EQ(Call("DELETE", Path(created)).status, 404);
}

TEST_F(ConnectedAppsApiTest, SearchPaginatesWithACursor) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Str(App(Create({{"client_type", "third_party_public"}})), "client_id"));
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> seen;
  json::object request{{"limit", 2}};
  for (int page = 0; page < 5; ++page) {
    Reply r = Call("POST", "/v1/connected_apps/clients/search", json::value(request));
    ASSERT_EQ(r.status, 200) << json::serialize(r.body);
    const auto& meta = r.body.at("results_metadata").as_object();
    EXPECT_EQ(meta.at("total").as_int64(), 5);
    for (const auto& app : r.body.at("connected_apps").as_array()) {
      seen.push_back(Str(app.as_object(), "client_id"));
      EXPECT_FALSE(app.as_object().contains("client_secret"));
    }
    if (meta.at("next_cursor").is_null()) break;
    request["cursor"] = meta.at("next_cursor");
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients/search", json::object{{"limit", 0}}).status,
            400);
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients/search", json::object{{"limit", 5000}}).status,
            400);
  Reply all = Call("POST", "/v1/connected_apps/clients/search", json::object{});
  EXPECT_EQ(all.body.at("connected_apps").as_array().size(), 5u);
}

TEST_F(ConnectedAppsApiTest, RotatesSecretsWithBothValidInBetween) {
  Reply created = Create({{"client_type", "first_party"}});
  const std::string id = Str(App(created), "client_id");
  const std::string old_secret = Str(App(created), "client_secret");

  Reply early = Call("POST", Path(created, "/secrets/rotate"));
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(Call("POST", Path(created, "/secrets/rotate/cancel")).status, 409);

  Reply start = Call("POST", Path(created, "/secrets/rotate/start"));
  ASSERT_EQ(start.status, 200) << json::serialize(start.body);
  const std::string next = Str(App(start), "next_client_secret");
  ASSERT_EQ(next.size(), 43u);
  EXPECT_EQ(Str(App(start), "next_client_secret_last_four"), next.substr(39));
  EXPECT_EQ(Call("POST", Path(created, "/secrets/rotate/start")).status, 409);
  EXPECT_FALSE(App(Call("GET", Path(created))).contains("next_client_secret"));

  auto during = registry_.Find(id);
  EXPECT_TRUE(registry_.VerifySecret(**during, old_secret));
  EXPECT_TRUE(registry_.VerifySecret(**during, next));

  Reply done = Call("POST", Path(created, "/secrets/rotate"));
  ASSERT_EQ(done.status, 200);
  EXPECT_EQ(Str(App(done), "client_secret_last_four"), next.substr(39));
  EXPECT_TRUE(App(done).at("next_client_secret_last_four").is_null());
  auto after = registry_.Find(id);
  EXPECT_FALSE(registry_.VerifySecret(**after, old_secret));
  EXPECT_TRUE(registry_.VerifySecret(**after, next));

  Reply again = Call("POST", Path(created, "/secrets/rotate/start"));
  const std::string discarded = Str(App(again), "next_client_secret");
  ASSERT_EQ(Call("POST", Path(created, "/secrets/rotate/cancel")).status, 200);
  EXPECT_FALSE(registry_.VerifySecret(**registry_.Find(id), discarded));
  EXPECT_TRUE(registry_.VerifySecret(**registry_.Find(id), next));

  Reply pub = Create({{"client_type", "third_party_public"}});
  Reply refused = Call("POST", Path(pub, "/secrets/rotate/start"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(Str(refused.body, "error_message").find("public"), std::string::npos);
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients/nope/secrets/rotate/start").status, 404);
}

TEST_F(ConnectedAppsApiTest, RefusesUnknownFieldsNamingThemAndChangesNothing) {
  Reply refused = Create({{"client_type", "third_party"},
                          {"client_name", "RFC 7591 spelling"},
                          {"redirect_uris", json::array{"https://app.example/cb"}}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(Str(refused.body, "error_type"), "bad_request");
  EXPECT_EQ(Str(refused.body, "request_id"), "req-1");
  EXPECT_EQ(Str(refused.body, "error_message"),
            R"(unknown field "redirect_uris" (did you mean "redirect_urls"?))");
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 0);

  Reply created = Create({{"client_type", "third_party"}, {"client_name", "Before"}});
  ASSERT_EQ(created.status, 200);
  Reply update = Call("PUT", Path(created),
                      json::object{{"client_name", "After"}, {"logo_uri", "https://x/l.png"}});
  EXPECT_EQ(update.status, 400);
  EXPECT_EQ(Str(update.body, "error_message"),
            R"(unknown field "logo_uri" (did you mean "logo_url"?))");
  EXPECT_EQ(Str(App(Call("GET", Path(created))), "client_name"), "Before");
  EXPECT_EQ(Call("POST", "/v1/connected_apps/clients/search", json::object{{"query", "x"}}).status,
            400);
}

TEST_F(ConnectedAppsApiTest, CreationMethodIsRefusedForWhatItIs) {
  Reply created = Create({{"client_type", "first_party"}});
  for (Reply r : {Create({{"client_type", "first_party"}, {"creation_method", "api"}}),
                  Call("PUT", Path(created), json::object{{"creation_method", "api"}})}) {
    EXPECT_EQ(r.status, 400);
    const std::string message = Str(r.body, "error_message");
    EXPECT_TRUE(message.starts_with("creation_method cannot be set: Gatehouse records how"))
        << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
  }
}

TEST_F(ConnectedAppsApiTest, TimesAreRfc3339) {
  Reply created = Create({{"client_type", "first_party"}});
  ASSERT_EQ(created.status, 200);
  const std::string now = Rfc3339(clock_.NowSeconds());
  EXPECT_EQ(Str(App(created), "created_at"), now);
  EXPECT_EQ(Str(App(created), "updated_at"), now);
  EXPECT_EQ(Str(App(Call("GET", Path(created))), "created_at"), now);
  Reply found = Call("POST", "/v1/connected_apps/clients/search", json::object{});
  EXPECT_EQ(Str(found.body.at("connected_apps").as_array().at(0).as_object(), "updated_at"), now);
}

}  // namespace
}  // namespace gatehouse::admin
