#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "oauth/cimd/metadata_document.h"

namespace gatehouse::oauth::cimd {
namespace {

namespace json = boost::json;

constexpr std::string_view kUrl = "https://app.example.com/oauth/client.json";

class CimdMetadataDocument : public ::testing::Test {
 protected:
  CimdMetadataDocument() : url_(*ParseClientIdUrl(kUrl)) {
    doc_ = json::object{{"client_id", kUrl},
                        {"client_name", "Example App"},
                        {"redirect_uris", json::array{"https://app.example.com/callback"}}};
  }

  core::Result<core::Client> Parse(core::Environment env = core::Environment::kLive) {
    return ParseClientMetadataDocument(url_, json::serialize(doc_), env, 1'700'000'000);
  }

  void ExpectInvalid(std::string_view reason) {
    const auto result = Parse();
    ASSERT_FALSE(result) << json::serialize(doc_);
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClientMetadata);
    EXPECT_NE(result.error().description().find(reason), std::string::npos)
        << result.error().description();
  }

  ClientIdUrl url_;
  json::object doc_;
};

TEST_F(CimdMetadataDocument, ValidDocumentBecomesAThirdPartyPublicClient) {
  doc_["client_uri"] = "https://app.example.com/";
  doc_["logo_uri"] = "https://cdn.example.net/logo.png";
  doc_["grant_types"] = json::array{"authorization_code", "refresh_token"};
  doc_["response_types"] = json::array{"code"};
  doc_["token_endpoint_auth_method"] = "none";
  doc_["scope"] = "openid profile";  // ignored
  const auto client = Parse();
  ASSERT_TRUE(client) << client.error().description();
  EXPECT_EQ(client->client_id, kUrl);
  EXPECT_EQ(client->client_id_metadata_url, std::optional<std::string>(std::string(kUrl)));
  EXPECT_EQ(client->client_type, core::ClientType::kThirdPartyPublic);
  EXPECT_EQ(client->creation_method, core::CreationMethod::kClientIdMetadataDocument);
  EXPECT_EQ(client->client_name, "Example App");
  EXPECT_EQ(client->redirect_uris, std::vector<std::string>{"https://app.example.com/callback"});
  EXPECT_EQ(client->client_uri, "https://app.example.com/");
  EXPECT_EQ(client->logo_url, "https://cdn.example.net/logo.png");
  EXPECT_EQ(client->application_type, core::ApplicationType::kWeb);
  EXPECT_EQ(client->status, core::ClientStatus::kActive);
  EXPECT_EQ(client->created_at, 1'700'000'000);
  EXPECT_TRUE(client->secret_hash.empty());
}

TEST_F(CimdMetadataDocument, LoopbackAndPrivateUseRedirectsMakeANativeApp) {
  doc_["redirect_uris"] = json::array{"http://127.0.0.1/callback", "com.example.app:/cb"};
  const auto client = Parse();
  ASSERT_TRUE(client) << client.error().description();
  EXPECT_EQ(client->application_type, core::ApplicationType::kNative);
}

TEST_F(CimdMetadataDocument, DeclaredApplicationTypeIsKept) {
  doc_["application_type"] = "native";
  const auto client = Parse();
  ASSERT_TRUE(client);
  EXPECT_EQ(client->application_type, core::ApplicationType::kNative);
  doc_["application_type"] = "desktop";
  ExpectInvalid("application_type");
}

TEST_F(CimdMetadataDocument, ClientIdMustMatchExactly) {
  doc_["client_id"] = std::string(kUrl) + "/";
  ExpectInvalid("client_id must equal");
  doc_["client_id"] = "https://APP.example.com/oauth/client.json";
  ExpectInvalid("client_id must equal");
  doc_.erase("client_id");
  ExpectInvalid("client_id is required");
  doc_["client_id"] = 5;
  ExpectInvalid("client_id must be a string");
}

TEST_F(CimdMetadataDocument, ClientNameIsRequired) {
  doc_.erase("client_name");
  ExpectInvalid("client_name is required");
  doc_["client_name"] = "";
  ExpectInvalid("client_name is required");
  doc_["client_name"] = std::string(kMaxClientNameLength + 1, 'x');
  ExpectInvalid("client_name is longer");
}

TEST_F(CimdMetadataDocument, RedirectUrisAreRequiredAndValidated) {
  doc_.erase("redirect_uris");
  ExpectInvalid("redirect_uris is required");
  doc_["redirect_uris"] = json::array{};
  ExpectInvalid("non-empty array");
  doc_["redirect_uris"] = "https://app.example.com/callback";
  ExpectInvalid("non-empty array");
  doc_["redirect_uris"] = json::array{1};
  ExpectInvalid("non-empty array");
  doc_["redirect_uris"] = json::array{"javascript:alert(1)"};
  ExpectInvalid("redirect_uris:");
  doc_["redirect_uris"] = json::array{"https://app.example.com/cb#frag"};
  ExpectInvalid("redirect_uris:");
  doc_["redirect_uris"] = json::array{"http://app.example.com/cb"};
  ExpectInvalid("redirect_uris:");
  json::array many;
  for (size_t i = 0; i <= kMaxDocumentRedirectUris; ++i) many.emplace_back("https://a.example/cb");
  doc_["redirect_uris"] = many;
  ExpectInvalid("at most");
}

TEST_F(CimdMetadataDocument, SecretsAreRefused) {
  doc_["client_secret"] = "s3cret";
  ExpectInvalid("client_secret");
  doc_.erase("client_secret");
  doc_["client_secret_expires_at"] = 0;
  ExpectInvalid("client_secret");
}

TEST_F(CimdMetadataDocument, OnlyAuthMethodNoneIsSupported) {
  doc_["token_endpoint_auth_method"] = "private_key_jwt";
  ExpectInvalid("private_key_jwt is not supported");
  doc_["token_endpoint_auth_method"] = "client_secret_basic";
  ExpectInvalid("shared secret");
  doc_["token_endpoint_auth_method"] = "tls_client_auth";
  ExpectInvalid("is not supported");
}

TEST_F(CimdMetadataDocument, ClientUriMustShareTheOrigin) {
  doc_["client_uri"] = "https://evil.example/";
  ExpectInvalid("client_uri");
  doc_["client_uri"] = "http://app.example.com/";
  ExpectInvalid("client_uri");
  doc_["client_uri"] = "https://app.example.com:8443/";
  ExpectInvalid("client_uri");
}

TEST_F(CimdMetadataDocument, LogoUriMustBeHttps) {
  doc_["logo_uri"] = "http://app.example.com/logo.png";
  ExpectInvalid("logo_uri");
  doc_["logo_uri"] = "javascript:alert(1)";
  ExpectInvalid("logo_uri");
}

TEST_F(CimdMetadataDocument, GrantAndResponseTypesMustBeSupported) {
  doc_["grant_types"] = json::array{"authorization_code", "client_credentials"};
  ExpectInvalid("client_credentials is not supported");
  doc_["grant_types"] = json::array{"implicit"};
  ExpectInvalid("implicit");
  doc_.erase("grant_types");
  doc_["response_types"] = json::array{"token"};
  ExpectInvalid("token is not supported");
  doc_["response_types"] = "code";
  ExpectInvalid("array of strings");
}

TEST_F(CimdMetadataDocument, BodyMustBeAJsonObject) {
  EXPECT_FALSE(ParseClientMetadataDocument(url_, "not json", core::Environment::kLive, 0));
  EXPECT_FALSE(ParseClientMetadataDocument(url_, "[]", core::Environment::kLive, 0));
  const auto result = ParseClientMetadataDocument(url_, "", core::Environment::kLive, 0);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClientMetadata);
}

TEST_F(CimdMetadataDocument, LookAlikeNamesAreInvalid) {
  for (const char* name : {"Invoice\xE2\x80\xAEgnp.exe", "Pay\xE2\x80\x8Bpal", "Bell\x07"}) {
    doc_["client_name"] = name;
    ExpectInvalid("client_name contains U+");
  }
}

TEST_F(CimdMetadataDocument, NonAsciiNamesAreKept) {
  doc_["client_name"] = "Café Ünïcode 日本";
  const auto client = Parse();
  ASSERT_TRUE(client) << client.error().description();
  EXPECT_EQ(client->client_name, "Café Ünïcode 日本");
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
