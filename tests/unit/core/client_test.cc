#include "core/client.h"

#include <gtest/gtest.h>

namespace gatehouse::core {
namespace {

TEST(ClientTypeTest, WireNamesRoundTrip) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kFirstPartyPublic,
                          ClientType::kThirdParty, ClientType::kThirdPartyPublic}) {
    EXPECT_EQ(ParseClientType(ClientTypeName(type)), type);
  }
  EXPECT_EQ(ClientTypeName(ClientType::kFirstParty), "first_party");
  EXPECT_EQ(ClientTypeName(ClientType::kFirstPartyPublic), "first_party_public");
  EXPECT_EQ(ClientTypeName(ClientType::kThirdParty), "third_party");
  EXPECT_EQ(ClientTypeName(ClientType::kThirdPartyPublic), "third_party_public");
}

TEST(ClientTypeTest, ParseRejectsUnknownAndDifferentlyCasedNames) {
  EXPECT_EQ(ParseClientType(""), std::nullopt);
  EXPECT_EQ(ParseClientType("First_Party"), std::nullopt);
  EXPECT_EQ(ParseClientType("first_party "), std::nullopt);
  EXPECT_EQ(ParseClientType("public"), std::nullopt);
}

TEST(ClientTypeTest, PublicTypesAreThePublicSuffixedOnes) {
  EXPECT_FALSE(IsPublic(ClientType::kFirstParty));
  EXPECT_TRUE(IsPublic(ClientType::kFirstPartyPublic));
  EXPECT_FALSE(IsPublic(ClientType::kThirdParty));
  EXPECT_TRUE(IsPublic(ClientType::kThirdPartyPublic));
}

TEST(ClientTypeTest, FirstPartyTypesAreTheFirstPartyPrefixedOnes) {
  EXPECT_TRUE(IsFirstParty(ClientType::kFirstParty));
  EXPECT_TRUE(IsFirstParty(ClientType::kFirstPartyPublic));
  EXPECT_FALSE(IsFirstParty(ClientType::kThirdParty));
  EXPECT_FALSE(IsFirstParty(ClientType::kThirdPartyPublic));
}

TEST(CreationMethodTest, WireNamesRoundTrip) {
  EXPECT_EQ(CreationMethodName(CreationMethod::kApi), "api");
  EXPECT_EQ(CreationMethodName(CreationMethod::kDynamicRegistration), "dynamic_registration");
  EXPECT_EQ(CreationMethodName(CreationMethod::kClientIdMetadataDocument),
            "client_id_metadata_document");
  for (CreationMethod method : {CreationMethod::kApi, CreationMethod::kDynamicRegistration,
                                CreationMethod::kClientIdMetadataDocument}) {
    EXPECT_EQ(ParseCreationMethod(CreationMethodName(method)), method);
  }
  EXPECT_EQ(ParseCreationMethod("API"), std::nullopt);
  EXPECT_EQ(ParseCreationMethod("cimd"), std::nullopt);
}

TEST(EnvironmentTest, WireNamesRoundTrip) {
  EXPECT_EQ(EnvironmentName(Environment::kTest), "test");
  EXPECT_EQ(EnvironmentName(Environment::kLive), "live");
  EXPECT_EQ(ParseEnvironment("test"), Environment::kTest);
  EXPECT_EQ(ParseEnvironment("live"), Environment::kLive);
  EXPECT_EQ(ParseEnvironment("production"), std::nullopt);
  EXPECT_EQ(ParseEnvironment("LIVE"), std::nullopt);
}

TEST(ApplicationTypeTest, WireNamesRoundTrip) {
  EXPECT_EQ(ApplicationTypeName(ApplicationType::kWeb), "web");
  EXPECT_EQ(ApplicationTypeName(ApplicationType::kNative), "native");
  EXPECT_EQ(ParseApplicationType("web"), ApplicationType::kWeb);
  EXPECT_EQ(ParseApplicationType("native"), ApplicationType::kNative);
  EXPECT_EQ(ParseApplicationType("browser"), std::nullopt);
}

TEST(ClientStatusTest, WireNamesRoundTrip) {
  EXPECT_EQ(ClientStatusName(ClientStatus::kActive), "active");
  EXPECT_EQ(ClientStatusName(ClientStatus::kDisabled), "disabled");
  EXPECT_EQ(ParseClientStatus("active"), ClientStatus::kActive);
  EXPECT_EQ(ParseClientStatus("disabled"), ClientStatus::kDisabled);
  EXPECT_EQ(ParseClientStatus("deleted"), std::nullopt);
}

TEST(ClientTest, PublicClientsAuthenticateWithNone) {
  Client client;
  client.client_type = ClientType::kFirstPartyPublic;
  EXPECT_EQ(TokenEndpointAuthMethod(client), "none");
  client.client_type = ClientType::kThirdPartyPublic;
  EXPECT_EQ(TokenEndpointAuthMethod(client), "none");
}

TEST(ClientTest, ConfidentialClientsAdvertiseClientSecretBasic) {
  Client client;
  client.client_type = ClientType::kFirstParty;
  EXPECT_EQ(TokenEndpointAuthMethod(client), "client_secret_basic");
  client.client_type = ClientType::kThirdParty;
  EXPECT_EQ(TokenEndpointAuthMethod(client), "client_secret_basic");
}

TEST(ClientTest, IsAPlainAggregateWithConservativeDefaults) {
  const Client client{.client_id = "connected-app-test-1", .client_name = "Example"};
  EXPECT_EQ(client.client_type, ClientType::kThirdParty);
  EXPECT_EQ(client.creation_method, CreationMethod::kApi);
  EXPECT_EQ(client.application_type, ApplicationType::kWeb);
  EXPECT_EQ(client.status, ClientStatus::kActive);
  EXPECT_FALSE(client.full_access_allowed);
  EXPECT_FALSE(client.bypass_consent_for_offline_access);
  EXPECT_FALSE(client.access_token_expiry_minutes.has_value());
  EXPECT_FALSE(client.next_secret_hash.has_value());
  EXPECT_TRUE(client.redirect_uris.empty());

  Client copy = client;
  EXPECT_EQ(copy, client);
  copy.redirect_uris.push_back("https://app.example.com/cb");
  EXPECT_NE(copy, client);
}

}  // namespace
}  // namespace gatehouse::core
