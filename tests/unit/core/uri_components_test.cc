#include "core/uri_components.h"

#include <gtest/gtest.h>

namespace gatehouse::core {
namespace {

TEST(UriComponentsTest, SplitsAnAbsoluteUriAsWritten) {
  auto uri = ParseUriComponents("HTTPS://user:pw@App.Example.com:8443/a/%2e%2e/b?x=1&y#frag");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, "HTTPS");
  EXPECT_TRUE(uri->has_authority);
  EXPECT_EQ(uri->userinfo, "user:pw");
  EXPECT_EQ(uri->host, "App.Example.com");
  EXPECT_EQ(uri->port, "8443");
  EXPECT_EQ(uri->path, "/a/%2e%2e/b");
  EXPECT_EQ(uri->query, "x=1&y");
  EXPECT_EQ(uri->fragment, "frag");
}

TEST(UriComponentsTest, DistinguishesEmptyFromAbsentParts) {
  auto uri = ParseUriComponents("http://@127.0.0.1:/cb?#");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->userinfo, "");
  EXPECT_EQ(uri->port, "");
  EXPECT_EQ(uri->query, "");
  EXPECT_EQ(uri->fragment, "");
  auto bare = ParseUriComponents("http://127.0.0.1");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->userinfo, std::nullopt);
  EXPECT_EQ(bare->port, std::nullopt);
  EXPECT_EQ(bare->path, "");
  EXPECT_EQ(bare->query, std::nullopt);
  EXPECT_EQ(bare->fragment, std::nullopt);
}

TEST(UriComponentsTest, UrisWithoutAuthority) {
  auto uri = ParseUriComponents("com.example.app:/oauth2redirect");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, "com.example.app");
  EXPECT_FALSE(uri->has_authority);
  EXPECT_EQ(uri->host, "");
  EXPECT_EQ(uri->path, "/oauth2redirect");
}

TEST(UriComponentsTest, KeepsBracketsOnIpLiterals) {
  auto uri = ParseUriComponents("http://[::1]:8080/cb");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->host, "[::1]");
  EXPECT_EQ(uri->port, "8080");
}

TEST(UriComponentsTest, RejectsWhatIsNotAnAbsoluteUri) {
  for (std::string_view text : {"", "/cb", "//host/cb", "host/cb", "http://a b/", "http://a/%zz",
                                "http://[::1/cb", "1http://a/"}) {
    EXPECT_FALSE(ParseUriComponents(text)) << text;
  }
}

// boostorg/url#755: Boost.URL 1.81 ends an IPv4-looking host too early.
TEST(UriComponentsTest, HostThatStartsLikeAnIpv4AddressIsARegisteredName) {
  auto uri = ParseUriComponents("http://127.0.0.1.evil.example/cb?q#f");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->host, "127.0.0.1.evil.example");
  EXPECT_EQ(uri->port, std::nullopt);
  EXPECT_EQ(uri->path, "/cb");
  EXPECT_EQ(uri->query, "q");
  EXPECT_EQ(uri->fragment, "f");

  auto nip = ParseUriComponents("https://1.2.3.4.nip.io:8443/cb");
  ASSERT_TRUE(nip);
  EXPECT_EQ(nip->host, "1.2.3.4.nip.io");
  EXPECT_EQ(nip->port, "8443");
  EXPECT_EQ(nip->path, "/cb");

  auto bare = ParseUriComponents("http://127.0.0.1x");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->host, "127.0.0.1x");
  EXPECT_EQ(bare->path, "");

  auto with_userinfo = ParseUriComponents("http://user@127.0.0.1x:8/cb");
  ASSERT_TRUE(with_userinfo);
  EXPECT_EQ(with_userinfo->userinfo, "user");
  EXPECT_EQ(with_userinfo->host, "127.0.0.1x");
  EXPECT_EQ(with_userinfo->port, "8");
}

TEST(UriComponentsTest, RejectsJunkAfterAPortOrIpLiteral) {
  for (std::string_view text :
       {"http://127.0.0.1:80x/cb", "http://a.example:80x/cb", "http://[::1]x/cb",
        "http://[::1]:80x/cb", "http://127.0.0.1:80:90/cb", "http://127.0.0.1x:abc/cb",
        "http://127.0.0.1x:8:9/cb"}) {
    EXPECT_FALSE(ParseUriComponents(text)) << text;
  }
}

}  // namespace
}  // namespace gatehouse::core
