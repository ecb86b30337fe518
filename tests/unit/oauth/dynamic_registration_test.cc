// Dynamic Client Registration (RFC 7591) and its management protocol (RFC 7592), through the
// router as a server would dispatch them, over a real SQLite database.

#include "oauth/dynamic_registration.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "http/router.h"
#include "oauth/registration_metadata.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::oauth {
namespace {
namespace json = boost::json;

constexpr std::string_view kMcpClient = R"({
  "client_name": "MCP Inspector",
  "redirect_uris": ["http://127.0.0.1:6274/oauth/callback"],
  "token_endpoint_auth_method": "none",
  "grant_types": ["authorization_code", "refresh_token"],
  "response_types": ["code"]
})";

struct Reply {
  int status;
  json::object body;
  http::Response response;
};

class DynamicRegistrationTest : public ::testing::Test {
 protected:
  DynamicRegistrationTest() { AddDynamicRegistrationRoutes(router_, dcr_, settings_); }

  Reply Call(std::string method, std::string path, std::string body = {},
             std::optional<std::string> bearer = std::nullopt, std::string address = "192.0.2.1") {
    http::Request q;
    q.method = std::move(method);
    q.path = q.target = std::move(path);
    q.body = std::move(body);
    q.remote_address = std::move(address);
    q.request_id = "req-1";
    q.headers.emplace_back("content-type", "application/json");
    if (bearer) q.headers.emplace_back("authorization", "Bearer " + *bearer);
    http::Response r = router_.Dispatch(q);
    json::object o;
    if (!r.body.empty()) o = json::parse(r.body).as_object();
    return Reply{r.status, std::move(o), std::move(r)};
  }
  Reply Register(std::string body, std::string address = "192.0.2.1") {
    return Call("POST", "/v1/oauth2/register", std::move(body), std::nullopt, std::move(address));
  }
  static std::string Str(const json::object& o, std::string_view k) {
    const auto* v = o.if_contains(k);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  static std::string ClientPath(const Reply& r) {
    return "/v1/oauth2/register/" + Str(r.body, "client_id");
  }

  std::unique_ptr<testing::TestDatabase> test_db_ =
      testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  accounts::SecretHasher hasher_{"pepper"};
  ProtocolSettings settings_ = [] {
    ProtocolSettings s;
    s.issuer = "https://auth.example";
    return s;
  }();
  accounts::ClientRegistry registry_{test_db_->db(), hasher_, clock_, random_,
                                     core::Environment::kTest};
  core::RateLimit rate_limit_{clock_, 20, 20};
  DynamicRegistration dcr_{settings_, registry_, {.per_address = &rate_limit_}};
  http::Router router_;
};

TEST_F(DynamicRegistrationTest, RegistersAPublicClientAndEchoesItsMetadata) {
  Reply r = Register(std::string(kMcpClient));
  ASSERT_EQ(r.status, 201) << json::serialize(r.body);
  EXPECT_TRUE(Str(r.body, "client_id").starts_with("connected-app-test-"));
  EXPECT_EQ(r.body.at("client_id_issued_at").as_int64(), 1'700'000'000);
  EXPECT_EQ(Str(r.body, "client_name"), "MCP Inspector");
  EXPECT_EQ(Str(r.body, "token_endpoint_auth_method"), "none");
  EXPECT_EQ(Str(r.body, "application_type"), "native");  // inferred from the loopback URI
  EXPECT_EQ(r.body.at("redirect_uris").as_array().at(0).as_string(),
            "http://127.0.0.1:6274/oauth/callback");
  EXPECT_EQ(r.body.at("grant_types").as_array().size(), 2u);
  EXPECT_FALSE(r.body.contains("client_secret"));
  EXPECT_FALSE(r.body.contains("client_secret_expires_at"));
  EXPECT_FALSE(Str(r.body, "registration_access_token").empty());
  EXPECT_EQ(Str(r.body, "registration_client_uri"),
            "https://auth.example/v1/oauth2/register/" + Str(r.body, "client_id"));
  EXPECT_EQ(r.response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(r.response.Header("Access-Control-Allow-Origin"), "*");

  auto client = registry_.Find(Str(r.body, "client_id"));
  ASSERT_TRUE(client);
  EXPECT_EQ((*client)->client_type, core::ClientType::kThirdPartyPublic);
  EXPECT_EQ((*client)->creation_method, core::CreationMethod::kDynamicRegistration);
}

TEST_F(DynamicRegistrationTest, ConfidentialRegistrationsGetASecretAndAlwaysANewId) {
  const std::string body =
      R"({"redirect_uris":["https://app.example/cb"],"client_name":"Web app"})";
  Reply a = Register(body);
  ASSERT_EQ(a.status, 201) << json::serialize(a.body);
  EXPECT_EQ(Str(a.body, "token_endpoint_auth_method"), "client_secret_basic");  // the default
  EXPECT_EQ(Str(a.body, "application_type"), "web");
  ASSERT_FALSE(Str(a.body, "client_secret").empty());
  EXPECT_EQ(a.body.at("client_secret_expires_at").as_int64(), 0);
  auto client = registry_.Find(Str(a.body, "client_id"));
  ASSERT_TRUE(client);
  EXPECT_EQ((*client)->client_type, core::ClientType::kThirdParty);
  EXPECT_TRUE(registry_.VerifySecret(**client, Str(a.body, "client_secret")));

  Reply b = Register(body);
  ASSERT_EQ(b.status, 201);
  EXPECT_NE(Str(a.body, "client_id"), Str(b.body, "client_id"));

  Reply post = Register(
      R"({"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"client_secret_post"})");
  ASSERT_EQ(post.status, 201);
  EXPECT_EQ(Str(post.body, "token_endpoint_auth_method"), "client_secret_post");
}

TEST_F(DynamicRegistrationTest, IdenticalPublicRegistrationsShareAClientId) {
  Reply a = Register(std::string(kMcpClient));
  // Same metadata, members and array entries in another order.
  Reply b = Register(R"({"response_types":["code"],"grant_types":["refresh_token",
      "authorization_code"],"token_endpoint_auth_method":"none",
      "redirect_uris":["http://127.0.0.1:6274/oauth/callback"],"client_name":"MCP Inspector",
      "unknown_member":{"ignored":true}})");
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_EQ(Str(a.body, "client_id"), Str(b.body, "client_id"));
  // Each registrant holds a token of its own; both are valid.
  EXPECT_NE(Str(a.body, "registration_access_token"), Str(b.body, "registration_access_token"));
  EXPECT_EQ(Call("GET", ClientPath(a), {}, Str(a.body, "registration_access_token")).status, 200);
  EXPECT_EQ(Call("GET", ClientPath(b), {}, Str(b.body, "registration_access_token")).status, 200);

  Reply other = Register(R"({"client_name":"Other","redirect_uris":["http://127.0.0.1/cb"],
      "token_endpoint_auth_method":"none"})");
  EXPECT_NE(Str(other.body, "client_id"), Str(a.body, "client_id"));
}

TEST_F(DynamicRegistrationTest, ConcurrentIdenticalRegistrationsYieldOneClient) {
  std::vector<std::string> ids(6);
  testing::RunConcurrently(6, [&](int i) {
    Reply r = Register(std::string(kMcpClient), "198.51.100." + std::to_string(i));
    ASSERT_EQ(r.status, 201) << json::serialize(r.body);
    ids[static_cast<size_t>(i)] = Str(r.body, "client_id");
  });
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 1);
  EXPECT_EQ(registry_.repository().CountRegistrationTokens(ids[0]), 6);
}

TEST_F(DynamicRegistrationTest, DedupHashIgnoresOrderButNotContent) {
  auto parse = [](std::string_view s) {
    auto m = ParseRegistrationMetadata(json::parse(s).as_object(), core::Environment::kTest);
    EXPECT_TRUE(m);
    return RegistrationDedupHash(m->registered);
  };
  const std::string base = parse(kMcpClient);
  EXPECT_EQ(base, parse(R"({"token_endpoint_auth_method":"none","client_name":"MCP Inspector",
      "grant_types":["refresh_token","authorization_code","refresh_token"],
      "redirect_uris":["http://127.0.0.1:6274/oauth/callback"]})"));
  EXPECT_NE(base, parse(R"({"token_endpoint_auth_method":"none","client_name":"MCP Inspector2",
      "grant_types":["refresh_token","authorization_code"],
      "redirect_uris":["http://127.0.0.1:6274/oauth/callback"]})"));
}

TEST_F(DynamicRegistrationTest, UnknownMembersAreIgnoredAndNotEchoed) {
  Reply r = Register(R"({"redirect_uris":["https://app.example/cb"],"frobnicate":42,
      "client_uri":"https://app.example","logo_uri":"https://app.example/l.png",
      "tos_uri":"https://app.example/tos","policy_uri":"https://app.example/p",
      "contacts":["ops@app.example"],"scope":"openid profile","software_id":"s-1",
      "software_version":"2.0"})");
  ASSERT_EQ(r.status, 201) << json::serialize(r.body);
  EXPECT_FALSE(r.body.contains("frobnicate"));
  for (const char* k : {"client_uri", "logo_uri", "tos_uri", "policy_uri", "scope", "software_id",
                        "software_version"}) {
    EXPECT_FALSE(Str(r.body, k).empty()) << k;
  }
  EXPECT_EQ(r.body.at("contacts").as_array().size(), 1u);
  auto client = registry_.Find(Str(r.body, "client_id"));
  EXPECT_EQ((*client)->logo_url, "https://app.example/l.png");
  EXPECT_EQ((*client)->client_uri, "https://app.example");
}

TEST_F(DynamicRegistrationTest, InvalidMetadataIsRefusedInTheOAuthShape) {
  struct Case {
    const char* body;
    const char* error;
  };
  const Case cases[] = {
      {R"({"client_name":"no uris"})", "invalid_redirect_uri"},
      {R"({"redirect_uris":[]})", "invalid_redirect_uri"},
      {R"({"redirect_uris":"https://app.example/cb"})", "invalid_redirect_uri"},
      {R"j({"redirect_uris":["javascript:alert(1)"],"token_endpoint_auth_method":"none"})j",
       "invalid_redirect_uri"},
      {R"({"redirect_uris":["https://app.example/cb#x"]})", "invalid_redirect_uri"},
      {R"({"redirect_uris":["http://evil.example/cb"],"token_endpoint_auth_method":"none"})",
       "invalid_redirect_uri"},
      {R"({"redirect_uris":["https://a.example/cb","http://127.0.0.1/cb"],
           "application_type":"web","token_endpoint_auth_method":"none"})",
       "invalid_redirect_uri"},
      {R"({"redirect_uris":["https://a.example/cb","com.example.app:/cb"],
           "application_type":"web"})",
       "invalid_redirect_uri"},
      {R"({"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"private_key_jwt"})",
       "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"grant_types":["client_credentials"]})",
       "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"grant_types":["refresh_token"]})",
       "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"response_types":["token"]})",
       "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"application_type":"desktop"})",
       "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"client_name":7})", "invalid_client_metadata"},
      {R"({"redirect_uris":["https://a.example/cb"],"logo_uri":"javascript:x"})",
       "invalid_client_metadata"},
      {R"(["not","an","object"])", "invalid_client_metadata"},
      {R"({broken)", "invalid_client_metadata"},
  };
  for (const auto& c : cases) {
    Reply r = Register(c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(Str(r.body, "error"), c.error) << c.body;
    EXPECT_FALSE(Str(r.body, "error_description").empty()) << c.body;
  }
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 0);
}

// oidc-agent declares web for its loopback and private-use URIs; under web it could never be
// used, so it is registered (and answered) as the native app it is.
TEST_F(DynamicRegistrationTest, AWebDeclarationWithOnlyNativeRedirectUrisRegistersANativeApp) {
  Reply r = Register(R"({"application_type":"web","client_name":"oidc-agent:test",
      "response_types":["code"],"grant_types":["refresh_token","authorization_code"],
      "scope":"openid profile offline_access",
      "redirect_uris":["http://localhost:4242","http://localhost:29871","http://localhost:8080",
                       "edu.kit.data.oidc-agent:/redirect"]})");
  ASSERT_EQ(r.status, 201) << json::serialize(r.body);
  EXPECT_EQ(Str(r.body, "application_type"), "native");
  EXPECT_EQ(Str(r.body, "token_endpoint_auth_method"), "client_secret_basic");
  EXPECT_FALSE(Str(r.body, "client_secret").empty());
  auto client = registry_.Find(Str(r.body, "client_id"));
  ASSERT_TRUE(client);
  EXPECT_EQ((*client)->application_type, core::ApplicationType::kNative);

  Reply read = Call("GET", ClientPath(r), {}, Str(r.body, "registration_access_token"));
  ASSERT_EQ(read.status, 200) << json::serialize(read.body);
  EXPECT_EQ(Str(read.body, "application_type"), "native");
}

TEST_F(DynamicRegistrationTest, WithoutADeclarationPublicAndNonHttpsRegistrationsAreNative) {
  struct Case {
    const char* body;
    const char* application_type;
  };
  const Case cases[] = {
      {R"({"redirect_uris":["http://localhost:4242"]})", "native"},
      {R"({"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"none"})",
       "native"},
      {R"({"redirect_uris":["https://app.example/cb","http://127.0.0.1/cb"]})", "native"},
      {R"({"redirect_uris":["https://app.example/cb"]})", "web"},
      {R"({"redirect_uris":["https://app.example/cb"],"application_type":"web"})", "web"},
      {R"({"redirect_uris":["https://app.example/cb"],"application_type":"native"})", "native"},
  };
  for (const auto& c : cases) {
    Reply r = Register(c.body);
    ASSERT_EQ(r.status, 201) << c.body << " " << json::serialize(r.body);
    EXPECT_EQ(Str(r.body, "application_type"), c.application_type) << c.body;
    auto client = registry_.Find(Str(r.body, "client_id"));
    ASSERT_TRUE(client);
    EXPECT_EQ(core::ApplicationTypeName((*client)->application_type), c.application_type) << c.body;
  }
}

TEST_F(DynamicRegistrationTest, NativeApplicationsMayUsePrivateUseSchemes) {
  Reply r = Register(R"({"redirect_uris":["com.example.app:/oauth"],"application_type":"native",
      "token_endpoint_auth_method":"none"})");
  EXPECT_EQ(r.status, 201) << json::serialize(r.body);
}

TEST_F(DynamicRegistrationTest, RegistrationManagementReadsUpdatesAndDeletes) {
  Reply reg = Register(R"({"redirect_uris":["https://app.example/cb"],"client_name":"Before"})");
  ASSERT_EQ(reg.status, 201);
  const std::string token = Str(reg.body, "registration_access_token");
  const std::string path = ClientPath(reg);
  const std::string id = Str(reg.body, "client_id");

  Reply read = Call("GET", path, {}, token);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(Str(read.body, "client_name"), "Before");
  EXPECT_FALSE(read.body.contains("registration_access_token"));
  EXPECT_FALSE(read.body.contains("client_secret"));

  Reply wrong = Call("GET", path, {}, std::string("not-the-token"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Str(wrong.body, "error"), "invalid_token");
  EXPECT_TRUE(wrong.response.Header("WWW-Authenticate"));
  EXPECT_EQ(Call("GET", path).status, 401);
  // A valid token for another client does not open this one.
  Reply other = Register(R"({"redirect_uris":["https://other.example/cb"]})");
  EXPECT_EQ(Call("GET", path, {}, Str(other.body, "registration_access_token")).status, 401);

  const std::string update =
      R"({"client_id":")" + id +
      R"(","redirect_uris":["https://app.example/new"],"client_name":"After"})";
  EXPECT_EQ(Call("PUT", path, update, std::string("wrong")).status, 401);
  Reply updated = Call("PUT", path, update, token);
  ASSERT_EQ(updated.status, 200) << json::serialize(updated.body);
  EXPECT_EQ(Str(updated.body, "client_name"), "After");
  EXPECT_EQ((*registry_.Find(id))->redirect_uris,
            std::vector<std::string>{"https://app.example/new"});

  Reply mismatched =
      Call("PUT", path, R"({"client_id":"other","redirect_uris":["https://a.example/cb"]})", token);
  EXPECT_EQ(mismatched.status, 400);
  Reply to_public =
      Call("PUT", path,
           R"({"client_id":")" + id +
               R"(","redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"none"})",
           token);
  EXPECT_EQ(Str(to_public.body, "error"), "invalid_client_metadata");
  Reply bad_secret =
      Call("PUT", path,
           R"({"client_id":")" + id +
               R"(","client_secret":"nope","redirect_uris":["https://a.example/cb"]})",
           token);
  EXPECT_EQ(Str(bad_secret.body, "error"), "invalid_client_metadata");

  EXPECT_EQ(Call("DELETE", path, {}, std::string("wrong")).status, 401);
  EXPECT_EQ(Call("DELETE", path, {}, token).status, 204);
  EXPECT_FALSE(registry_.Find(id));
  EXPECT_EQ(Call("GET", path, {}, token).status, 401);
}

TEST_F(DynamicRegistrationTest, SharedPublicRegistrationsCannotBeChangedOrPulledByOneRegistrant) {
  Reply a = Register(std::string(kMcpClient));
  Reply b = Register(std::string(kMcpClient));
  const std::string id = Str(a.body, "client_id");
  ASSERT_EQ(id, Str(b.body, "client_id"));
  const std::string put =
      R"({"client_id":")" + id +
      R"(","redirect_uris":["http://127.0.0.1/evil"],"token_endpoint_auth_method":"none"})";
  Reply changed = Call("PUT", ClientPath(a), put, Str(a.body, "registration_access_token"));
  EXPECT_EQ(changed.status, 400);
  EXPECT_EQ(Str(changed.body, "error"), "invalid_client_metadata");

  EXPECT_EQ(Call("DELETE", ClientPath(a), {}, Str(a.body, "registration_access_token")).status,
            204);
  EXPECT_TRUE(registry_.Find(id));  // b still holds it
  EXPECT_EQ(Call("GET", ClientPath(b), {}, Str(b.body, "registration_access_token")).status, 200);
  EXPECT_EQ(Call("DELETE", ClientPath(b), {}, Str(b.body, "registration_access_token")).status,
            204);
  EXPECT_FALSE(registry_.Find(id));
}

TEST_F(DynamicRegistrationTest, RateLimitedPerAddressWithRetryAfter) {
  const std::string body = R"({"redirect_uris":["https://app.example/cb"]})";
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Register(body).status, 201) << i;
  Reply limited = Register(body);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Str(limited.body, "error"), "too_many_requests");
  ASSERT_TRUE(limited.response.Header("Retry-After"));
  EXPECT_EQ(*limited.response.Header("Retry-After"), "3");  // one token every 3 seconds
  EXPECT_EQ(Register(body, "192.0.2.99").status, 201);      // another address has its own bucket
  clock_.Advance(std::chrono::seconds(3));
  EXPECT_EQ(Register(body).status, 201);
  EXPECT_EQ(Register(body).status, 429);
}

TEST_F(DynamicRegistrationTest, OversizedFieldsAreRefusedAsInvalidMetadata) {
  const std::string long_name(kMaxMetadataString + 1, 'n');
  Reply r = Register(R"({"client_name":")" + long_name +
                     R"(","redirect_uris":["https://app.example/cb"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r.body, "error"), "invalid_client_metadata");
  // Unknown members are ignored, but not without bound.
  std::string many = R"({"redirect_uris":["https://app.example/cb"],"extra":[)";
  for (int i = 0; i < 101; ++i) many += (i ? ",1" : "1");
  EXPECT_EQ(Register(many + "]}").status, 400);
  EXPECT_EQ(
      registry_.repository().CountByCreationMethod(core::CreationMethod::kDynamicRegistration), 0);
}

TEST_F(DynamicRegistrationTest, LookAlikeNamesAreInvalidMetadataOnRegisterAndReplace) {
  // U+202E right-to-left override, U+200B zero-width space, U+0085 a C1 control.
  for (const char* name : {"Invoice\\u202Egnp.exe", "Pay\\u200Bpal", "Next\\u0085line"}) {
    Reply r = Register(std::string(R"({"client_name":")") + name +
                       R"(","redirect_uris":["https://app.example/cb"]})");
    EXPECT_EQ(r.status, 400) << name;
    EXPECT_EQ(Str(r.body, "error"), "invalid_client_metadata") << name;
    EXPECT_NE(Str(r.body, "error_description").find("client_name"), std::string::npos) << name;
  }
  EXPECT_EQ(registry_.Search(std::nullopt, 10).total, 0);

  Reply ok =
      Register(R"({"client_name":"Café Ünïcode 日本","redirect_uris":["https://app.example/cb"]})");
  ASSERT_EQ(ok.status, 201);
  EXPECT_EQ(Str(ok.body, "client_name"), "Café Ünïcode 日本");
  const std::string token = Str(ok.body, "registration_access_token");
  Reply replaced = Call(
      "PUT", ClientPath(ok),
      R"({"client_id":")" + Str(ok.body, "client_id") + R"(","client_secret":")" +
          Str(ok.body, "client_secret") +
          R"(","client_name":"Bank\u2066 Support","redirect_uris":["https://app.example/cb"]})",
      token);
  EXPECT_EQ(replaced.status, 400);
  EXPECT_EQ(Str(replaced.body, "error"), "invalid_client_metadata");
}

TEST(DynamicRegistrationCapTest, RefusesNewClientsBeyondTheCapButServesDeduplicatedOnes) {
  auto test_db = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock;
  testing::FakeRandom random;
  accounts::SecretHasher hasher("pepper");
  ProtocolSettings settings;
  settings.issuer = "https://auth.example";
  accounts::ClientRegistry registry(test_db->db(), hasher, clock, random, core::Environment::kTest);
  core::RateLimit unlimited(clock, 0);
  DynamicRegistration dcr(settings, registry, {.per_address = &unlimited}, /*max_clients=*/2);
  http::Router router;
  AddDynamicRegistrationRoutes(router, dcr, settings);
  const auto reg = [&](std::string body) {
    http::Request q;
    q.method = "POST";
    q.path = q.target = "/v1/oauth2/register";
    q.body = std::move(body);
    q.remote_address = "192.0.2.1";
    q.headers.emplace_back("content-type", "application/json");
    return router.Dispatch(q);
  };
  EXPECT_EQ(reg(R"({"redirect_uris":["https://a.example/cb"]})").status, 201);
  EXPECT_EQ(reg(std::string(kMcpClient)).status, 201);
  http::Response full = reg(R"({"redirect_uris":["https://c.example/cb"]})");
  EXPECT_EQ(full.status, 429);
  EXPECT_NE(full.body.find("limit of 2"), std::string::npos) << full.body;
  EXPECT_EQ(reg(std::string(kMcpClient)).status, 201);  // the same public client again: no new row
  EXPECT_EQ(registry.repository().CountByCreationMethod(core::CreationMethod::kDynamicRegistration),
            2);
  // Deleting one frees room once the count is refreshed.
  auto page = registry.repository().Search(std::nullopt, 10);
  ASSERT_FALSE(page.clients.empty());
  ASSERT_TRUE(registry.repository().Delete(page.clients.front().client_id));
  clock.Advance(std::chrono::seconds(11));
  EXPECT_EQ(reg(R"({"redirect_uris":["https://c.example/cb"]})").status, 201);
}

TEST(DynamicRegistrationRoutesTest, AbsentWhenRegistrationIsOff) {
  auto test_db = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock;
  testing::FakeRandom random;
  accounts::SecretHasher hasher("pepper");
  ProtocolSettings off;
  off.issuer = "https://auth.example";
  off.dynamic_registration = false;
  accounts::ClientRegistry registry(test_db->db(), hasher, clock, random, core::Environment::kTest);
  core::RateLimit limit(clock, 20);
  DynamicRegistration dcr(off, registry, {.per_address = &limit});
  http::Router router;
  AddDynamicRegistrationRoutes(router, dcr, off);
  http::Request q;
  q.method = "POST";
  q.path = q.target = "/v1/oauth2/register";
  q.body = R"({"redirect_uris":["https://app.example/cb"]})";
  EXPECT_EQ(router.Dispatch(q).status, 404);
}

}  // namespace
}  // namespace gatehouse::oauth
