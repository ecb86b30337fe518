#include <gtest/gtest.h>

#include <string>

#include "oauth/cimd/client_id_url.h"

namespace gatehouse::oauth::cimd {
namespace {

void ExpectRefused(std::string_view url, std::string_view reason) {
  const auto parsed = ParseClientIdUrl(url);
  ASSERT_FALSE(parsed) << url;
  EXPECT_EQ(parsed.error().code(), core::ErrorCode::kInvalidClient);
  EXPECT_NE(parsed.error().description().find(reason), std::string::npos)
      << url << ": " << parsed.error().description();
}

TEST(CimdClientIdUrl, AcceptsHttpsUrlWithPath) {
  const auto url = ParseClientIdUrl("https://app.example.com/oauth/client.json");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->url, "https://app.example.com/oauth/client.json");
  EXPECT_EQ(url->host, "app.example.com");
  EXPECT_FALSE(url->host_is_ip_literal);
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/oauth/client.json");
}

TEST(CimdClientIdUrl, KeepsPortAndQueryExactly) {
  const auto url = ParseClientIdUrl("https://app.example.com:8443/c?v=2&x=%41");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/c?v=2&x=%41");
  EXPECT_EQ(url->url, "https://app.example.com:8443/c?v=2&x=%41");
}

TEST(CimdClientIdUrl, RecognisesIpLiterals) {
  const auto v4 = ParseClientIdUrl("https://127.0.0.1:9000/c.json");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->host_is_ip_literal);
  EXPECT_EQ(v4->host, "127.0.0.1");
  const auto v6 = ParseClientIdUrl("https://[::1]/c.json");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->host_is_ip_literal);
  EXPECT_EQ(v6->host, "::1");
  // Boost.URL 1.81 would cut this host at "127.0.0.1"; it is a registered name.
  const auto name = ParseClientIdUrl("https://127.0.0.1.evil.example/c.json");
  ASSERT_TRUE(name);
  EXPECT_FALSE(name->host_is_ip_literal);
  EXPECT_EQ(name->host, "127.0.0.1.evil.example");
}

TEST(CimdClientIdUrl, RefusesWhatTheDraftForbids) {
  ExpectRefused("http://app.example.com/client.json", "https");
  ExpectRefused("HTTPS://app.example.com/client.json", "https");
  ExpectRefused("https://app.example.com", "path");
  ExpectRefused("https://app.example.com/", "path");
  ExpectRefused("https://app.example.com/client.json#x", "fragment");
  ExpectRefused("https://app.example.com/client.json#", "fragment");
  ExpectRefused("https://user@app.example.com/client.json", "userinfo");
  ExpectRefused("https://user:pw@app.example.com/client.json", "userinfo");
  ExpectRefused("https://app.example.com/a/../client.json", "dot segments");
  ExpectRefused("https://app.example.com/./client.json", "dot segments");
  ExpectRefused("https://app.example.com/a/..", "dot segments");
  ExpectRefused("https://app.example.com/a/%2e%2E/client.json", "dot segments");
  ExpectRefused("https://app.example.com/a/.%2e", "dot segments");
  ExpectRefused("https:///client.json", "host");
  ExpectRefused("https://app.exa%6dple.com/client.json", "percent-encoding");
  ExpectRefused("https://app.example.com:0/c", "port");
  ExpectRefused("https://app.example.com:70000/c", "port");
  ExpectRefused("https://app.example.com:/c", "port");
  ExpectRefused("https://app.example.com/client json", "whitespace");
  ExpectRefused("not a url", "whitespace");
  ExpectRefused("urn:example:client", "https");
}

TEST(CimdClientIdUrl, DotsInsideSegmentsAreFine) {
  EXPECT_TRUE(ParseClientIdUrl("https://app.example.com/.well-known/client.json"));
  EXPECT_TRUE(ParseClientIdUrl("https://app.example.com/a/.../b"));
  EXPECT_TRUE(ParseClientIdUrl("https://app.example.com/a/b..c"));
}

TEST(CimdClientIdUrl, CapsLength) {
  const std::string base = "https://app.example.com/";
  const std::string at_cap = base + std::string(kMaxClientIdUrlLength - base.size(), 'a');
  EXPECT_TRUE(ParseClientIdUrl(at_cap));
  ExpectRefused(at_cap + "a", "longer than");
}

TEST(CimdClientIdUrl, LooksLikeClientIdUrl) {
  EXPECT_TRUE(LooksLikeClientIdUrl("https://app.example.com/c"));
  EXPECT_TRUE(LooksLikeClientIdUrl("HTTPS://app.example.com/c"));
  EXPECT_FALSE(LooksLikeClientIdUrl("http://app.example.com/c"));
  EXPECT_FALSE(LooksLikeClientIdUrl("client-test-1234"));
}

TEST(CimdClientIdUrl, SharesOriginComparesSchemeHostAndPort) {
  const auto url = ParseClientIdUrl("https://App.Example.com/client.json");
  ASSERT_TRUE(url);
  EXPECT_TRUE(SharesOrigin(*url, "https://app.example.com/"));
  EXPECT_TRUE(SharesOrigin(*url, "https://app.example.com:443/about"));
  EXPECT_TRUE(SharesOrigin(*url, "HTTPS://APP.EXAMPLE.COM"));
  EXPECT_FALSE(SharesOrigin(*url, "http://app.example.com/"));
  EXPECT_FALSE(SharesOrigin(*url, "https://app.example.com:8443/"));
  EXPECT_FALSE(SharesOrigin(*url, "https://evil.example/"));
  EXPECT_FALSE(SharesOrigin(*url, "https://app.example.com.evil.example/"));
  EXPECT_FALSE(SharesOrigin(*url, "https://x@app.example.com/"));
  EXPECT_FALSE(SharesOrigin(*url, "not a url"));
  const auto v6 = ParseClientIdUrl("https://[2001:db8::1]:8443/c");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(SharesOrigin(*v6, "https://[2001:db8::1]:8443/home"));
  EXPECT_FALSE(SharesOrigin(*v6, "https://[2001:db8::1]/home"));
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
