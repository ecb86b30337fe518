// ClientCredentialsGrant and M2mClients: grant_type=client_credentials for M2M clients (CHECKLIST
// "client_credentials only for M2M clients; sub = client_id"), import rules, the cache, rotation.

#include "oauth/client_credentials_grant.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/jwt.h"
#include "http/form.h"
#include "oauth/token_endpoint.h"
#include "store/m2m_client_repository.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::oauth {
namespace {
namespace json = boost::json;

class ClientCredentialsGrantTest : public ::testing::Test {
 protected:
  ClientCredentialsGrantTest() {
    settings_.issuer = "https://issuer.example";
    settings_.m2m_token_ttl_seconds = 900;
    keys_.EnsureKeys();
  }

  accounts::CreatedM2mClient Create(std::vector<std::string> scopes = {"read:users", "write:users"},
                                    std::optional<std::string> id = std::nullopt,
                                    std::optional<std::string> secret = std::nullopt) {
    auto created = clients_.Create(accounts::M2mClientDraft{.client_id = std::move(id),
                                                            .client_secret = std::move(secret),
                                                            .client_name = "worker",
                                                            .scopes = std::move(scopes)});
    EXPECT_TRUE(created) << created.error().description();
    return *created;
  }

  // POSTs `form` with the client's credentials in a Basic header (or the body when !basic).
  http::Response Token(const std::string& id, const std::string& secret, std::string form = "",
                       bool basic = true) {
    http::Request q;
    q.method = "POST";
    q.path = q.target = "/v1/oauth2/token";
    q.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    std::string body = "grant_type=client_credentials";
    if (basic) {
      q.headers.emplace_back(
          "authorization",
          "Basic " + crypto::Base64Encode(http::UrlEncode(id) + ":" + http::UrlEncode(secret)));
    } else {
      body += "&client_id=" + http::UrlEncode(id) + "&client_secret=" + http::UrlEncode(secret);
    }
    if (!form.empty()) body += "&" + form;
    q.body = body;
    auto parsed = http::ParseForm(q.body);
    EXPECT_TRUE(parsed);
    return endpoint_.Handle(q);
  }

  // The token endpoint with this grant alone (without abuse limits).
  TokenEndpoint MakeEndpoint() {
    std::vector<std::unique_ptr<TokenGrant>> grants;
    grants.push_back(std::make_unique<ClientCredentialsGrant>(clients_, issuer_));
    return TokenEndpoint(std::move(grants));
  }

  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string Error(const http::Response& r) {
    auto b = Body(r);
    return b.contains("error") ? std::string(b.at("error").as_string()) : "";
  }

  json::object Claims(const std::string& token) {
    crypto::JwtVerifyOptions options;
    options.typ = "at+jwt";
    crypto::JwtVerifier verifier(clock_, options);
    auto decoded = verifier.Verify(token, *keys_.Snapshot());
    EXPECT_TRUE(decoded) << (decoded ? "" : decoded.error().description());
    return decoded ? decoded->claims : json::object();
  }

  std::unique_ptr<testing::TestDatabase> test_db_ =
      testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  accounts::SecretHasher hasher_{"pepper"};
  ProtocolSettings settings_;
  accounts::SigningKeys keys_{test_db_->db(), clock_, random_, std::string(32, 'k'),
                              accounts::SigningKeyPolicy{.algorithm = crypto::Algorithm::kEs256}};
  accounts::M2mClients clients_{test_db_->db(), hasher_, clock_, random_, core::Environment::kTest};
  TokenIssuer issuer_{settings_, keys_, clock_, random_};
  TokenEndpoint endpoint_ = MakeEndpoint();
};

TEST_F(ClientCredentialsGrantTest, IssuesAnAccessTokenForAllAssignedScopes) {
  auto created = Create();
  EXPECT_TRUE(created.client.client_id.starts_with("m2m-client-test-"));
  http::Response r = Token(created.client.client_id, created.client_secret);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  auto body = Body(r);
  EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(body.at("expires_in").as_int64(), 900);
  EXPECT_EQ(body.at("scope").as_string(), "read:users write:users");
  EXPECT_FALSE(body.contains("refresh_token"));
  auto claims = Claims(std::string(body.at("access_token").as_string()));
  EXPECT_EQ(claims.at("sub").as_string(), created.client.client_id);
  EXPECT_EQ(claims.at("client_id").as_string(), created.client.client_id);
  EXPECT_EQ(claims.at("aud").as_string(), "https://issuer.example");
  EXPECT_EQ(claims.at("iss").as_string(), "https://issuer.example");
  EXPECT_EQ(claims.at("scope").as_string(), "read:users write:users");
  EXPECT_EQ(claims.at("exp").as_int64() - claims.at("iat").as_int64(), 900);
  EXPECT_TRUE(claims.contains("jti"));
}

TEST_F(ClientCredentialsGrantTest, ClientSecretPostWorksToo) {
  auto created = Create();
  EXPECT_EQ(Token(created.client.client_id, created.client_secret, "", false).status, 200);
}

TEST_F(ClientCredentialsGrantTest, RequestedScopesMustBeASubset) {
  auto created = Create();
  http::Response narrow =
      Token(created.client.client_id, created.client_secret, "scope=read%3Ausers");
  ASSERT_EQ(narrow.status, 200);
  EXPECT_EQ(Body(narrow).at("scope").as_string(), "read:users");
  http::Response wide =
      Token(created.client.client_id, created.client_secret, "scope=read%3Ausers+admin");
  EXPECT_EQ(wide.status, 400);
  EXPECT_EQ(Error(wide), "invalid_scope");
}

TEST_F(ClientCredentialsGrantTest, ResourceBecomesTheAudience) {
  auto created = Create();
  http::Response r = Token(created.client.client_id, created.client_secret,
                           "resource=https%3A%2F%2Fapi.example%2Fv1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Claims(std::string(Body(r).at("access_token").as_string())).at("aud").as_string(),
            "https://api.example/v1");
  http::Response bad = Token(created.client.client_id, created.client_secret, "resource=relative");
  EXPECT_EQ(Error(bad), "invalid_target");
}

TEST_F(ClientCredentialsGrantTest, WrongSecretUnknownClientAndInactiveAreInvalidClient) {
  auto created = Create();
  http::Response wrong = Token(created.client.client_id, "not-the-secret");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Error(wrong), "invalid_client");
  EXPECT_TRUE(wrong.Header("WWW-Authenticate"));
  EXPECT_EQ(Error(Token("m2m-client-test-unknown", "x")), "invalid_client");

  store::M2mClient changed = created.client;
  changed.status = "inactive";
  ASSERT_TRUE(clients_.Update(changed));
  http::Response inactive = Token(created.client.client_id, created.client_secret);
  EXPECT_EQ(inactive.status, 401);
  EXPECT_EQ(Error(inactive), "invalid_client");
}

TEST_F(ClientCredentialsGrantTest, ImportedClientKeepsItsIdAndSecret) {
  auto created = Create({"read"}, "legacy-client-42", "Imported-Secret-9f3k!");
  EXPECT_EQ(created.client.client_id, "legacy-client-42");
  EXPECT_EQ(created.client.secret_last_four, "f3k!");
  EXPECT_EQ(Token("legacy-client-42", "Imported-Secret-9f3k!").status, 200);
}

TEST_F(ClientCredentialsGrantTest, ImportRulesRefuseWeakSecretsAndReservedIds) {
  auto attempt = [&](std::optional<std::string> id, std::optional<std::string> secret) {
    return clients_.Create(
        accounts::M2mClientDraft{.client_id = id, .client_secret = secret, .scopes = {"read"}});
  };
  EXPECT_FALSE(attempt(std::nullopt, "short7!"));
  EXPECT_FALSE(attempt(std::nullopt, "aaaaaaaaaaaaaaaaaaaa"));
  EXPECT_FALSE(attempt(std::nullopt, "abcdefgh"));  // 8 x log2(26) < 40 bits
  EXPECT_TRUE(attempt(std::nullopt, "abcdefghij"));
  EXPECT_FALSE(attempt("https://evil.example/client", std::nullopt));
  EXPECT_FALSE(attempt("user-test-1234", std::nullopt));
  EXPECT_FALSE(attempt("has space", std::nullopt));
  ASSERT_TRUE(attempt("taken", std::nullopt));
  auto dup = attempt("taken", std::nullopt);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), core::ErrorCode::kConflict);
  EXPECT_FALSE(clients_.Create(accounts::M2mClientDraft{.scopes = {}}));
  EXPECT_FALSE(
      clients_.Create(accounts::M2mClientDraft{.scopes = {"a"}, .trusted_metadata_json = "[1]"}));
}

TEST_F(ClientCredentialsGrantTest, EntropyEstimateCountsCharacterClasses) {
  EXPECT_NEAR(accounts::EstimatedSecretEntropyBits("abcdefgh"), 8 * std::log2(26.0), 1e-9);
  EXPECT_NEAR(accounts::EstimatedSecretEntropyBits("aB3!"), 4 * std::log2(95.0), 1e-9);
  EXPECT_EQ(accounts::EstimatedSecretEntropyBits(""), 0);
}

TEST_F(ClientCredentialsGrantTest, RotationKeepsBothSecretsUntilCompleted) {
  auto created = Create();
  const std::string id = created.client.client_id;
  auto next = clients_.StartSecretRotation(id);
  ASSERT_TRUE(next);
  EXPECT_EQ(Token(id, created.client_secret).status, 200);
  EXPECT_EQ(Token(id, *next).status, 200);
  EXPECT_FALSE(clients_.StartSecretRotation(id));
  ASSERT_TRUE(clients_.CompleteSecretRotation(id));
  EXPECT_EQ(Token(id, created.client_secret).status, 401);
  EXPECT_EQ(Token(id, *next).status, 200);
  auto again = clients_.StartSecretRotation(id);
  ASSERT_TRUE(again);
  ASSERT_TRUE(clients_.CancelSecretRotation(id));
  EXPECT_EQ(Token(id, *again).status, 401);
}

TEST_F(ClientCredentialsGrantTest, LookupsAreCachedUntilInvalidated) {
  auto created = Create();
  const std::string id = created.client.client_id;
  ASSERT_NE(clients_.Find(id), nullptr);
  // A write behind the cache's back (another process) is not seen until Invalidate().
  store::M2mClientRepository(test_db_->db()).Delete(id);
  EXPECT_NE(clients_.Find(id), nullptr);
  clients_.Invalidate();
  EXPECT_EQ(clients_.Find(id), nullptr);
}

}  // namespace
}  // namespace gatehouse::oauth
