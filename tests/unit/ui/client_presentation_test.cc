#include "ui/client_presentation.h"

#include <gtest/gtest.h>

#include "ui/browser_cookies.h"

namespace gatehouse::ui {
namespace {

TEST(ClientPresentationTest, UriHostDropsPortAndKeepsIpLiterals) {
  EXPECT_EQ(UriHost("https://app.example.com:8443/cb?x=1"), "app.example.com");
  EXPECT_EQ(UriHost("http://[::1]:4000/cb"), "[::1]");
  EXPECT_EQ(UriHost("http://127.0.0.1.evil.example/cb"), "127.0.0.1.evil.example");
  EXPECT_EQ(UriHost("com.example.app:/callback"), "com.example.app");
  EXPECT_EQ(UriHost("not a uri"), "");
}

TEST(ClientPresentationTest, LoopbackWarningOnlyWhenEveryRedirectUriIsLoopback) {
  core::Client client{
      .redirect_uris = {"http://127.0.0.1/cb", "http://localhost:3000/cb", "http://[::1]/cb"}};
  EXPECT_TRUE(EveryRedirectUriIsLoopback(client));
  client.redirect_uris.push_back("https://app.example.com/cb");
  EXPECT_FALSE(EveryRedirectUriIsLoopback(client));
  client.redirect_uris = {"http://127.0.0.1.evil.example/cb"};
  EXPECT_FALSE(EveryRedirectUriIsLoopback(client));
  client.redirect_uris = {"com.example.app:/cb"};
  EXPECT_FALSE(EveryRedirectUriIsLoopback(client));
  client.redirect_uris = {};
  EXPECT_FALSE(EveryRedirectUriIsLoopback(client));
}

TEST(ClientPresentationTest, PublisherHostOnlyForCimdClients) {
  core::Client client{.client_id = "https://mcp.example.net/client.json"};
  EXPECT_FALSE(PublisherHost(client).has_value());
  client.creation_method = core::CreationMethod::kClientIdMetadataDocument;
  EXPECT_EQ(PublisherHost(client).value_or(""), "mcp.example.net");
}

constexpr std::string_view kIssuer = "https://auth.example.com";

TEST(ClientPresentationTest, LogoOnlyOverHttps) {
  core::Client client{.logo_url = "javascript:alert(1)"};
  EXPECT_FALSE(DisplayableLogoUrl(client, kIssuer).has_value());
  client.logo_url = "http://cdn.example/logo.png";
  EXPECT_FALSE(DisplayableLogoUrl(client, kIssuer).has_value());
  client.logo_url = "https://cdn.example/logo.png";
  EXPECT_EQ(DisplayableLogoUrl(client, kIssuer).value_or(""), "https://cdn.example/logo.png");
}

TEST(ClientPresentationTest, SelfRegisteredMeansRegistrationOrMetadataDocument) {
  core::Client client;
  EXPECT_FALSE(IsSelfRegistered(client));
  client.creation_method = core::CreationMethod::kDynamicRegistration;
  EXPECT_TRUE(IsSelfRegistered(client));
  client.creation_method = core::CreationMethod::kClientIdMetadataDocument;
  EXPECT_TRUE(IsSelfRegistered(client));
}

TEST(ClientPresentationTest, SelfRegisteredLogoOnlyFromTheIssuersOwnOrigin) {
  core::Client client{.creation_method = core::CreationMethod::kDynamicRegistration,
                      .logo_url = "https://cdn.example/logo.png"};
  EXPECT_FALSE(DisplayableLogoUrl(client, kIssuer).has_value());
  client.logo_url = "https://auth.example.com/static/apps/agent.png";
  EXPECT_EQ(DisplayableLogoUrl(client, kIssuer).value_or(""), client.logo_url);
  client.logo_url = "https://auth.example.com:8443/agent.png";
  EXPECT_FALSE(DisplayableLogoUrl(client, kIssuer).has_value());
  client.logo_url = "https://auth.example.com.evil.example/agent.png";
  EXPECT_FALSE(DisplayableLogoUrl(client, kIssuer).has_value());
  client.creation_method = core::CreationMethod::kClientIdMetadataDocument;
  client.logo_url = "https://tools.example.net/logo.png";
  EXPECT_FALSE(DisplayableLogoUrl(client, kIssuer).has_value());
}

TEST(ClientPresentationTest, SameOriginComparesSchemeHostAndEffectivePort) {
  EXPECT_TRUE(SameOrigin("https://Auth.Example.com/a", "https://auth.example.com"));
  EXPECT_TRUE(SameOrigin("https://auth.example.com:443/a", "https://auth.example.com/b"));
  EXPECT_TRUE(SameOrigin("http://127.0.0.1:8080/x", "http://127.0.0.1:8080"));
  EXPECT_FALSE(SameOrigin("http://auth.example.com/a", "https://auth.example.com/a"));
  EXPECT_FALSE(SameOrigin("https://auth.example.com:444/a", "https://auth.example.com/a"));
  EXPECT_FALSE(SameOrigin("https://sub.auth.example.com/", "https://auth.example.com/"));
  EXPECT_FALSE(SameOrigin("com.example.app:/cb", "com.example.app:/cb"));
  EXPECT_FALSE(SameOrigin("not a uri", "https://auth.example.com"));
}

TEST(ClientPresentationTest, ResourcesAreShownByHostInRequestOrder) {
  const std::vector<ResourceView> views = DescribeResources(
      {"https://notes.example.com/mcp", "https://files.example.org:8443/api", "urn:example:api"});
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].host, "notes.example.com");
  EXPECT_EQ(views[0].uri, "https://notes.example.com/mcp");
  EXPECT_EQ(views[1].host, "files.example.org");
  EXPECT_EQ(views[2].host, "urn:example:api");
  EXPECT_TRUE(DescribeResources({}).empty());
}

TEST(ClientPresentationTest, NameInitialIsOneWholeCharacter) {
  EXPECT_EQ(NameInitial("acme"), "A");
  EXPECT_EQ(NameInitial("\xC3\xA9tude"), "\xC3\xA9");
  EXPECT_EQ(NameInitial(""), "?");
}

TEST(BrowserCookiesTest, HttpsIssuerUsesHostPrefixAndSecure) {
  const BrowserCookies cookies("https://auth.example.com");
  EXPECT_TRUE(cookies.secure());
  EXPECT_EQ(cookies.session_name(), "__Host-gatehouse_session");
  EXPECT_EQ(cookies.Set(cookies.csrf_name(), "v", std::nullopt),
            "__Host-gatehouse_csrf=v; Path=/; HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(cookies.Clear(cookies.session_name()),
            "__Host-gatehouse_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
}

TEST(BrowserCookiesTest, PlainHttpIssuerDropsPrefixAndSecure) {
  const BrowserCookies cookies("http://127.0.0.1:8080");
  EXPECT_FALSE(cookies.secure());
  EXPECT_EQ(cookies.Set(cookies.session_name(), "t", 60),
            "gatehouse_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace gatehouse::ui
