// ClientMetadataResolver as the application builds it (from ProtocolSettings), end to end against
// a real HTTPS server on loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/cimd/client_metadata_resolver.h"
#include "support/fake_clock.h"
#include "unit/oauth/cimd_test_server.h"

namespace gatehouse::oauth::cimd {
namespace {

using testing::CannedResponse;
using testing::TestHttpsServer;
using testing::TestPki;

class CimdResolverHttps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  CimdResolverHttps() : server_(*pki_) {
    settings_.issuer = "https://auth.example.com";
    settings_.cimd_allow_loopback = true;
    settings_.cimd_ca_file = pki_->ca_file();
    resolver_ = std::make_unique<ClientMetadataResolver>(settings_, clock_);
  }

  // Serves a document at `path` whose members are `members` plus client_id = `client_id` (the
  // URL itself unless given).
  std::string Publish(const std::string& path, const std::string& members,
                      std::string cache_control = "", std::string client_id = "") {
    const std::string url = server_.Url("localhost", path);
    if (client_id.empty()) client_id = url;
    CannedResponse response{.body = "{\"client_id\":\"" + client_id + "\"," + members + "}"};
    if (!cache_control.empty()) response.headers.emplace_back("Cache-Control", cache_control);
    server_.Serve(path, response);
    return url;
  }

  static constexpr const char* kGood =
      R"("client_name":"Loopback App","redirect_uris":["http://127.0.0.1/callback"])";

  static TestPki* pki_;
  TestHttpsServer server_;
  ProtocolSettings settings_;
  testing::FakeClock clock_;
  std::unique_ptr<ClientMetadataResolver> resolver_;
};

TestPki* CimdResolverHttps::pki_ = nullptr;

TEST_F(CimdResolverHttps, AValidDocumentResolvesToAClient) {
  const std::string url = Publish("/client.json", kGood);
  const auto client = resolver_->Resolve(url);
  ASSERT_TRUE(client) << client.error().description();
  EXPECT_EQ((*client)->client_id, url);
  EXPECT_EQ((*client)->client_id_metadata_url, std::optional<std::string>(url));
  EXPECT_EQ((*client)->client_name, "Loopback App");
  EXPECT_EQ((*client)->client_type, core::ClientType::kThirdPartyPublic);
  EXPECT_EQ((*client)->creation_method, core::CreationMethod::kClientIdMetadataDocument);
  EXPECT_EQ((*client)->application_type, core::ApplicationType::kNative);
  EXPECT_EQ((*client)->redirect_uris, std::vector<std::string>{"http://127.0.0.1/callback"});
}

TEST_F(CimdResolverHttps, TheSecondLookupIsServedFromCacheUntilMaxAgeRunsOut) {
  const std::string url = Publish("/cached.json", kGood, "public, max-age=120");
  ASSERT_TRUE(resolver_->Resolve(url));
  ASSERT_TRUE(resolver_->Resolve(url));
  EXPECT_EQ(server_.Requests("/cached.json"), 1);
  clock_.Advance(std::chrono::seconds(119));
  ASSERT_TRUE(resolver_->Resolve(url));
  EXPECT_EQ(server_.Requests("/cached.json"), 1);
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(resolver_->Resolve(url));
  EXPECT_EQ(server_.Requests("/cached.json"), 2);
}

TEST_F(CimdResolverHttps, FailuresAreNotCached) {
  const std::string url = Publish("/secret.json", std::string(kGood) + R"(,"client_secret":"x")");
  for (int i = 0; i < 2; ++i) {
    const auto result = resolver_->Resolve(url);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClientMetadata);
  }
  EXPECT_EQ(server_.Requests("/secret.json"), 2);
  const std::string missing = server_.Url("localhost", "/missing.json");
  for (int i = 0; i < 2; ++i) {
    const auto result = resolver_->Resolve(missing);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClient);
  }
  EXPECT_EQ(server_.Requests("/missing.json"), 2);
}

TEST_F(CimdResolverHttps, InvalidDocumentsAreInvalidClientMetadata) {
  struct Case {
    std::string path, members, client_id_suffix, reason;
  };
  const std::vector<Case> cases = {
      {"/slash.json", kGood, "/", "client_id must equal"},
      {"/secret.json", std::string(kGood) + R"(,"client_secret":"s3cret")", "", "client_secret"},
      {"/bad-redirect.json", R"("client_name":"X","redirect_uris":["http://evil.example/cb"])", "",
       "redirect_uris:"},
      {"/js-redirect.json", R"j("client_name":"X","redirect_uris":["javascript:alert(1)"])j", "",
       "redirect_uris:"},
      {"/pkjwt.json", std::string(kGood) + R"(,"token_endpoint_auth_method":"private_key_jwt")", "",
       "private_key_jwt is not supported"},
      {"/client-uri.json", std::string(kGood) + R"(,"client_uri":"https://evil.example/")", "",
       "client_uri"},
  };
  for (const Case& c : cases) {
    const std::string url = server_.Url("localhost", c.path);
    Publish(c.path, c.members, "", c.client_id_suffix.empty() ? "" : url + c.client_id_suffix);
    const auto result = resolver_->Resolve(url);
    ASSERT_FALSE(result) << c.path;
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClientMetadata) << c.path;
    EXPECT_NE(result.error().description().find(c.reason), std::string::npos)
        << c.path << ": " << result.error().description();
  }
}

TEST_F(CimdResolverHttps, FetchFailuresAreInvalidClient) {
  server_.Serve("/moved.json",
                CannedResponse{.status = 302, .headers = {{"Location", "https://127.0.0.1/x"}}});
  server_.Serve("/big.json", CannedResponse{.body = std::string(6 * 1024, ' ') + "{}"});
  for (const char* path : {"/moved.json", "/big.json"}) {
    const auto result = resolver_->Resolve(server_.Url("localhost", path));
    ASSERT_FALSE(result) << path;
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClient) << path;
    EXPECT_EQ(
        result.error().description().rfind("client metadata document could not be fetched", 0), 0u)
        << result.error().description();
  }
}

// The reason (how the host resolves from here) goes to the log; the client learns only that the
// document could not be fetched.
TEST_F(CimdResolverHttps, LoopbackIsRefusedWhenNotAllowed) {
  const std::string url = Publish("/client.json", kGood);
  ProtocolSettings strict = settings_;
  strict.cimd_allow_loopback = false;
  std::vector<std::string> log;
  ClientMetadataResolver resolver(strict, clock_,
                                  [&log](std::string_view line) { log.emplace_back(line); });
  const auto result = resolver.Resolve(url);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClient);
  EXPECT_EQ(result.error().description(), "client metadata document could not be fetched");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find(url), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("loopback"), std::string::npos) << log[0];
  EXPECT_EQ(server_.Connections(), 0);
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
