// The M2M management API through the router: create (generated and imported), read without the
// secret, update, search with AND/OR, rotation, delete, and the refusals.

#include "admin/m2m_api.h"

#include "admin_api_test_support.h"

namespace gatehouse::admin {
namespace {
namespace json = boost::json;

class M2mApiTest : public testing::AdminApiTest {
 protected:
  M2mApiTest() { AddM2mRoutes(router_, *api_, clients_); }
  json::object Create(json::object body) {
    auto r = Call("POST", "/v1/m2m/clients", json::value(std::move(body)));
    EXPECT_EQ(r.status, 200) << json::serialize(r.body);
    return r.body.at("m2m_client").as_object();
  }

  accounts::M2mClients clients_{db(), hasher_, clock_, random_, core::Environment::kTest};
};

TEST_F(M2mApiTest, CreatesReadsUpdatesAndDeletes) {
  auto created = Create({{"client_name", "worker"},
                         {"scopes", json::array{"read", "write"}},
                         {"trusted_metadata", json::object{{"team", "ops"}}}});
  const std::string id = Str(created, "client_id");
  EXPECT_TRUE(id.starts_with("m2m-client-test-"));
  const std::string secret = Str(created, "client_secret");
  EXPECT_EQ(Str(created, "client_secret_last_four"), secret.substr(secret.size() - 4));
  EXPECT_EQ(Str(created, "status"), "active");

  auto read = Call("GET", "/v1/m2m/clients/" + id);
  ASSERT_EQ(read.status, 200);
  EXPECT_FALSE(read.body.at("m2m_client").as_object().contains("client_secret"));
  EXPECT_EQ(read.body.at("m2m_client").at("trusted_metadata").at("team").as_string(), "ops");

  auto updated =
      Call("PUT", "/v1/m2m/clients/" + id,
           json::value(json::object{{"status", "inactive"}, {"scopes", json::array{"read"}}}));
  ASSERT_EQ(updated.status, 200);
  EXPECT_EQ(Str(updated.body.at("m2m_client").as_object(), "status"), "inactive");
  EXPECT_EQ(updated.body.at("m2m_client").at("scopes").as_array().size(), 1u);
  EXPECT_EQ(
      Call("PUT", "/v1/m2m/clients/" + id, json::value(json::object{{"status", "paused"}})).status,
      400);
  EXPECT_EQ(Call("PUT", "/v1/m2m/clients/" + id, json::value(json::object{{"client_secret", "x"}}))
                .status,
            400);

  EXPECT_EQ(Call("DELETE", "/v1/m2m/clients/" + id).status, 200);
  EXPECT_EQ(Call("GET", "/v1/m2m/clients/" + id).status, 404);
}

TEST_F(M2mApiTest, RefusesMissingScopesWeakImportsAndCollisions) {
  EXPECT_EQ(Call("POST", "/v1/m2m/clients", json::value(json::object{{"client_name", "x"}})).status,
            400);
  EXPECT_EQ(
      Call("POST", "/v1/m2m/clients",
           json::value(json::object{{"scopes", json::array{"a"}}, {"client_secret", "password"}}))
          .status,
      400);
  EXPECT_EQ(
      Call("POST", "/v1/m2m/clients",
           json::value(json::object{{"scopes", json::array{"a"}}, {"trusted_metadata", "text"}}))
          .status,
      400);
  Create({{"scopes", json::array{"a"}}, {"client_id", "legacy-1"}});
  auto again =
      Call("POST", "/v1/m2m/clients",
           json::value(json::object{{"scopes", json::array{"a"}}, {"client_id", "legacy-1"}}));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Str(again.body, "error_type"), "conflict");
}

TEST_F(M2mApiTest, NamesAndDescriptionsAreDisplayText) {
  for (const char* field : {"client_name", "client_description"}) {
    auto r = Call("POST", "/v1/m2m/clients",
                  json::value(json::object{{field, "wor\xE2\x80\xAEker"},  // U+202E
                                           {"scopes", json::array{"read"}}}));
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_TRUE(Str(r.body, "error_message").starts_with(std::string(field) + " contains U+202E"))
        << json::serialize(r.body);
  }
  auto created = Create({{"client_name", "Café Ünïcode 日本"}, {"scopes", json::array{"read"}}});
  EXPECT_EQ(Str(created, "client_name"), "Café Ünïcode 日本");
  EXPECT_EQ(Call("PUT", "/v1/m2m/clients/" + Str(created, "client_id"),
                 json::value(json::object{{"client_name", "bell\x07"}}))
                .status,
            400);
}

TEST_F(M2mApiTest, SearchesWithOperators) {
  Create({{"client_name", "alpha"}, {"scopes", json::array{"read"}}});
  Create({{"client_name", "beta"}, {"scopes", json::array{"read", "write"}}});
  Create({{"client_name", "gamma"}, {"scopes", json::array{"admin"}}});
  auto search = [&](std::string op, json::array operands) {
    auto r = Call("POST", "/v1/m2m/clients/search",
                  json::value(json::object{
                      {"query", json::object{{"operator", op}, {"operands", operands}}}}));
    EXPECT_EQ(r.status, 200) << json::serialize(r.body);
    std::vector<std::string> names;
    for (const auto& c : r.body.at("m2m_clients").as_array()) {
      names.push_back(Str(c.as_object(), "client_name"));
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  json::object read_scope{{"filter_name", "scopes"}, {"filter_value", json::array{"read"}}};
  json::object gamma{{"filter_name", "client_name"}, {"filter_value", json::array{"gamma"}}};
  json::object beta{{"filter_name", "client_name"}, {"filter_value", json::array{"beta"}}};
  EXPECT_EQ(search("AND", {read_scope, beta}), std::vector<std::string>{"beta"});
  EXPECT_EQ(search("OR", {read_scope, gamma}),
            (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(Call("POST", "/v1/m2m/clients/search",
                 json::value(json::object{{"query", json::object{{"operator", "XOR"}}}}))
                .status,
            400);
  auto page = Call("POST", "/v1/m2m/clients/search", json::value(json::object{{"limit", 2}}));
  EXPECT_EQ(page.body.at("m2m_clients").as_array().size(), 2u);
  EXPECT_EQ(page.body.at("results_metadata").at("total").as_int64(), 3);
  EXPECT_TRUE(page.body.at("results_metadata").at("next_cursor").is_string());
}

TEST_F(M2mApiTest, RotatesSecrets) {
  auto created = Create({{"scopes", json::array{"a"}}});
  const std::string path = "/v1/m2m/clients/" + Str(created, "client_id") + "/secrets/rotate";
  EXPECT_EQ(Call("POST", path, json::value(json::object())).status, 409);
  auto started = Call("POST", path + "/start", json::value(json::object()));
  ASSERT_EQ(started.status, 200);
  const std::string next = Str(started.body.at("m2m_client").as_object(), "next_client_secret");
  EXPECT_EQ(next.size(), 43u);
  auto done = Call("POST", path, json::value(json::object()));
  ASSERT_EQ(done.status, 200);
  EXPECT_EQ(Str(done.body.at("m2m_client").as_object(), "client_secret_last_four"),
            next.substr(next.size() - 4));
  EXPECT_EQ(Call("POST", path + "/cancel", json::value(json::object())).status, 409);
}

}  // namespace
}  // namespace gatehouse::admin
