// Claims templates beyond the access token: a client's id_token_template_content rendered into its
// ID tokens (code exchange and refresh) without ever overriding an OIDC claim Gatehouse sets; the
// registry refusing bad ID token templates at save; and the project's templates for dynamically
// registered and CIMD clients (DynamicClientTemplates): validated like a client's, stored, reloaded
// by other processes, and applied only to clients that registered themselves.

#include <gtest/gtest.h>

#include "accounts/client_registry.h"
#include "accounts/dynamic_client_templates.h"
#include "accounts/secret_hasher.h"
#include "core/claims_template.h"
#include "flow_test_support.h"
#include "store/project_repository.h"

namespace gatehouse::oauth {
namespace {
namespace json = boost::json;
using testing::Str;

constexpr std::string_view kProject = "project-test-1";

class ClaimsTemplatesTest : public testing::FlowTest {
 protected:
  ClaimsTemplatesTest() : FlowTest({.dynamic_client_templates = &templates_}) {
    store::ProjectRepository(db()).CreateIfAbsent({std::string(kProject), "hash", 1});
  }

  void AddTemplatedClient(const std::string& id, core::CreationMethod method,
                          std::optional<std::string> access_template,
                          std::optional<std::string> id_template) {
    testing::InsertTestClient(db(), id, "first_party");
    clients_.Add(core::Client{.client_id = id,
                              .client_type = core::ClientType::kFirstParty,
                              .creation_method = method,
                              .client_name = "Templated " + id,
                              .redirect_uris = {"https://app.example.com/cb"},
                              .access_token_template_content = std::move(access_template),
                              .id_token_template_content = std::move(id_template)},
                 std::string(testing::kSecret));
  }

  struct Claims {
    json::object access;
    json::object id;
    std::string refresh_token;
  };

  Claims Tokens(const std::string& client_id,
                const std::string& scope = "openid offline_access email") {
    http::Response r = Exchange(client_id, AuthorizeCode(client_id, scope));
    EXPECT_EQ(r.status, 200) << r.body;
    const json::object body = testing::JsonBody(r);
    Claims claims;
    claims.access = Decode(Str(body, "access_token"), "at+jwt").claims;
    if (body.contains("id_token")) claims.id = Decode(Str(body, "id_token"), "JWT").claims;
    claims.refresh_token = Str(body, "refresh_token");
    return claims;
  }

  accounts::SecretHasher hasher_{"pepper"};
  accounts::DynamicClientTemplates templates_{db(), clock_, std::string(kProject)};
};

TEST_F(ClaimsTemplatesTest, IdTokenTemplateIsRenderedIntoIdTokensOnly) {
  AddTemplatedClient("app", core::CreationMethod::kApi, std::nullopt,
                     R"({"roles": "{{ user.roles }}", "contact": "{{ user.email }}",
                         "app": "{{ client.client_name }}", "tier": "gold",
                         "nested": {"who": "{{ user.user_id }}"}})");
  const Claims claims = Tokens("app");
  EXPECT_TRUE(claims.id.at("roles").is_array());
  EXPECT_EQ(Str(claims.id, "contact"), "user-1@example.com");
  EXPECT_EQ(Str(claims.id, "app"), "Templated app");
  EXPECT_EQ(Str(claims.id, "tier"), "gold");
  EXPECT_EQ(Str(claims.id.at("nested").as_object(), "who"), "user-1");
  EXPECT_FALSE(claims.access.contains("tier"));

  // A refreshed ID token renders the template too.
  http::Response refreshed = Refresh("app", claims.refresh_token);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const json::object id = Decode(Str(testing::JsonBody(refreshed), "id_token"), "JWT").claims;
  EXPECT_EQ(Str(id, "tier"), "gold");
  EXPECT_EQ(Str(id, "contact"), "user-1@example.com");
}

TEST_F(ClaimsTemplatesTest, IdTokenTemplateNeverOverridesOidcClaims) {
  // Stored templates are validated at save; a row that bypassed validation (or predates a rule)
  // still cannot override what Gatehouse sets.
  AddTemplatedClient("app", core::CreationMethod::kApi, std::nullopt,
                     R"({"nonce": "forged", "at_hash": "forged", "c_hash": "forged",
                         "auth_time": 1, "azp": "evil", "sid": "forged", "acr": "forged",
                         "amr": ["forged"], "iss": "https://evil.example", "sub": "attacker",
                         "aud": "evil", "exp": 9999999999, "nbf": 0, "iat": 0, "jti": "forged",
                         "email": "attacker@example.com", "tier": "gold"})");
  const Claims claims = Tokens("app");
  const json::object& id = claims.id;
  EXPECT_EQ(Str(id, "nonce"), "n-1");
  EXPECT_NE(Str(id, "at_hash"), "forged");
  EXPECT_EQ(Str(id, "azp"), "app");
  EXPECT_EQ(Str(id, "iss"), testing::kIssuer);
  EXPECT_EQ(Str(id, "sub"), "user-1");
  EXPECT_EQ(Str(id, "aud"), "app");
  EXPECT_NE(id.at("auth_time").as_int64(), 1);
  EXPECT_LT(id.at("exp").as_int64(), 9999999999);
  EXPECT_NE(id.at("iat").as_int64(), 0);
  for (std::string_view absent : {"c_hash", "sid", "acr", "amr", "nbf", "jti"}) {
    EXPECT_FALSE(id.contains(absent)) << absent;
  }
  EXPECT_EQ(Str(id, "email"), "user-1@example.com");  // the user's claim, from the email scope
  EXPECT_EQ(Str(id, "tier"), "gold");
}

TEST_F(ClaimsTemplatesTest, RegistryRefusesBadIdTokenTemplatesAtSave) {
  accounts::ClientRegistry registry(db(), hasher_, clock_, random_, core::Environment::kTest);
  core::Client c{.client_type = core::ClientType::kFirstParty,
                 .client_name = "App",
                 .redirect_uris = {"https://app.example/cb"}};
  auto refused = [&](std::string text) {
    c.id_token_template_content = std::move(text);
    auto r = registry.Create(c);
    EXPECT_FALSE(r) << *c.id_token_template_content;
    if (r) return std::string();
    EXPECT_EQ(r.error().code(), core::ErrorCode::kBadRequest);
    EXPECT_TRUE(r.error().description().starts_with("id_token_template_content: "))
        << r.error().description();
    return r.error().description();
  };
  EXPECT_NE(
      refused("{\"k\":\"" + std::string(core::kMaxClaimsTemplateBytes, 'x') + "\"}").find("4096"),
      std::string::npos);
  EXPECT_NE(refused("[1, 2]").find("JSON object"), std::string::npos);
  refused("\"text\"");
  refused("{not json");
  for (std::string_view claim : {"nonce", "at_hash", "c_hash", "auth_time", "azp", "sid", "acr",
                                 "amr", "iss", "sub", "aud", "exp", "nbf", "iat", "jti"}) {
    EXPECT_NE(refused(R"({")" + std::string(claim) + R"(": "x"})").find("reserved claim"),
              std::string::npos)
        << claim;
  }
  c.id_token_template_content = R"({"team": "{{ user.email }}"})";
  auto created = registry.Create(c);
  ASSERT_TRUE(created);
  EXPECT_EQ(registry.Get(created->client.client_id)->id_token_template_content,
            R"({"team": "{{ user.email }}"})");
  // Updates are held to the same rules.
  core::Client changed = created->client;
  changed.id_token_template_content = R"({"sid": "x"})";
  EXPECT_FALSE(registry.Update(changed));
}

TEST_F(ClaimsTemplatesTest, ProjectTemplatesAreValidatedLikeAClientsAndStoreNothingWhenRefused) {
  auto refusal = [&](store::DynamicClientSettings settings) {
    auto r = templates_.Replace(std::move(settings));
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().description();
  };
  EXPECT_TRUE(refusal({.access_token_template_content = "[1]"})
                  .starts_with("access_token_template_content: "));
  EXPECT_TRUE(refusal({.id_token_template_content = R"({"nonce": "x"})"})
                  .starts_with("id_token_template_content: "));
  EXPECT_NE(refusal({.id_token_template_content =
                         "{\"k\":\"" + std::string(core::kMaxClaimsTemplateBytes, 'x') + "\"}"})
                .find("4096"),
            std::string::npos);
  EXPECT_EQ(store::DynamicClientSettingsRepository(db()).Get(kProject), std::nullopt);
  EXPECT_FALSE(templates_.Current()->access_token);

  clock_.Advance(std::chrono::seconds(10));
  auto stored = templates_.Replace({.access_token_template_content = R"({"tier": "agent"})",
                                    .id_token_template_content = R"({"kind": "dynamic"})"});
  ASSERT_TRUE(stored);
  EXPECT_EQ((*stored)->settings.updated_at, clock_.NowSeconds());
  EXPECT_EQ(Str(*(*stored)->access_token, "tier"), "agent");

  // Another process sees the change once it reloads (the cache version tells it when).
  accounts::DynamicClientTemplates other(db(), clock_, std::string(kProject));
  EXPECT_EQ(other.Current()->settings, (*stored)->settings);
  ASSERT_TRUE(templates_.Replace({.access_token_template_content = R"({"tier": "changed"})"}));
  EXPECT_EQ(Str(*other.Current()->access_token, "tier"), "agent");
  other.Reload();
  EXPECT_EQ(Str(*other.Current()->access_token, "tier"), "changed");
  EXPECT_FALSE(other.Current()->id_token);
}

TEST_F(ClaimsTemplatesTest, ProjectTemplatesApplyOnlyToClientsThatRegisteredThemselves) {
  ASSERT_TRUE(templates_.Replace(
      {.access_token_template_content = R"({"tier": "agent", "who": "{{ user.user_id }}"})",
       .id_token_template_content = R"({"kind": "dynamic", "tier": "id-agent"})"}));
  AddTemplatedClient("api-app", core::CreationMethod::kApi, std::nullopt, std::nullopt);
  AddTemplatedClient("dcr-app", core::CreationMethod::kDynamicRegistration, std::nullopt,
                     std::nullopt);
  AddTemplatedClient("cimd-app", core::CreationMethod::kClientIdMetadataDocument, std::nullopt,
                     std::nullopt);
  // A dynamic client given its own template through the management API keeps its own values.
  AddTemplatedClient("dcr-own", core::CreationMethod::kDynamicRegistration, R"({"tier": "own"})",
                     R"({"kind": "own"})");

  const Claims api = Tokens("api-app");
  EXPECT_FALSE(api.access.contains("tier"));
  EXPECT_FALSE(api.id.contains("kind"));

  for (const std::string id : {"dcr-app", "cimd-app"}) {
    const Claims dynamic = Tokens(id);
    EXPECT_EQ(Str(dynamic.access, "tier"), "agent") << id;
    EXPECT_EQ(Str(dynamic.access, "who"), "user-1") << id;
    EXPECT_EQ(Str(dynamic.id, "kind"), "dynamic") << id;
    EXPECT_EQ(Str(dynamic.id, "tier"), "id-agent") << id;
    EXPECT_FALSE(dynamic.access.contains("kind")) << id;
  }

  const Claims own = Tokens("dcr-own");
  EXPECT_EQ(Str(own.access, "tier"), "own");
  EXPECT_EQ(Str(own.access, "who"), "user-1");  // the project's template fills in the rest
  EXPECT_EQ(Str(own.id, "kind"), "own");

  // Without openid there is no ID token, and the access token still gets the project template.
  const Claims no_id = Tokens("dcr-app", "email");
  EXPECT_TRUE(no_id.id.empty());
  EXPECT_EQ(Str(no_id.access, "tier"), "agent");

  // Clearing the project's templates stops them at once in this process.
  ASSERT_TRUE(templates_.Replace({}));
  EXPECT_FALSE(Tokens("dcr-app").access.contains("tier"));
}

}  // namespace
}  // namespace gatehouse::oauth
