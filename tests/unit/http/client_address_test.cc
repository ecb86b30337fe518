// Client addresses behind trusted proxies.

#include "http/client_address.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

Request From(std::string peer, std::vector<std::string> forwarded = {}) {
  Request r;
  r.remote_address = std::move(peer);
  for (auto& f : forwarded) r.headers.emplace_back("x-forwarded-for", std::move(f));
  return r;
}

TEST(TrustedProxiesTest, ParsesAddressesAndRanges) {
  auto proxies = TrustedProxies::Parse(" 127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8,");
  ASSERT_TRUE(proxies) << proxies.error().description();
  EXPECT_TRUE(proxies->Contains("127.0.0.1"));
  EXPECT_FALSE(proxies->Contains("127.0.0.2"));
  EXPECT_TRUE(proxies->Contains("10.200.3.4"));
  EXPECT_FALSE(proxies->Contains("11.0.0.1"));
  EXPECT_TRUE(proxies->Contains("::1"));
  EXPECT_TRUE(proxies->Contains("fd12::5"));
  EXPECT_TRUE(proxies->Contains("::ffff:10.1.1.1"));  // IPv4-mapped peers count as IPv4
  EXPECT_FALSE(proxies->Contains("not an address"));
  EXPECT_TRUE(TrustedProxies::Parse("")->empty());
}

TEST(TrustedProxiesTest, RefusesWhatIsNotAnAddressOrRange) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "proxy.local",
                          "10.0.0.1/8/8", "1.2.3.4.5"}) {
    auto parsed = TrustedProxies::Parse(bad);
    EXPECT_FALSE(parsed) << bad;
  }
}

TEST(ClientAddressTest, ThePeerUnlessItIsTrusted) {
  const TrustedProxies none;
  EXPECT_EQ(ClientAddress(From("192.0.2.1", {"203.0.113.9"}), none), "192.0.2.1");
  const TrustedProxies lb = *TrustedProxies::Parse("10.0.0.0/8");
  EXPECT_EQ(ClientAddress(From("192.0.2.1", {"203.0.113.9"}), lb), "192.0.2.1");
}

TEST(ClientAddressTest, TheRightmostUntrustedForwardedAddress) {
  const TrustedProxies lb = *TrustedProxies::Parse("10.0.0.0/8");
  // The client wrote the leftmost entry itself; only what our proxies appended is believed.
  EXPECT_EQ(ClientAddress(From("10.0.0.2", {"6.6.6.6, 203.0.113.9"}), lb), "203.0.113.9");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", {"6.6.6.6", "203.0.113.9, 10.0.0.7"}), lb),
            "203.0.113.9");
  // Only proxies all the way: the leftmost one.
  EXPECT_EQ(ClientAddress(From("10.0.0.2", {"10.0.0.9"}), lb), "10.0.0.9");
  // Nothing forwarded, or garbage where an address should be: the peer.
  EXPECT_EQ(ClientAddress(From("10.0.0.2"), lb), "10.0.0.2");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", {"unknown"}), lb), "10.0.0.2");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", {"203.0.113.9, garbage"}), lb), "10.0.0.2");
}

}  // namespace
}  // namespace gatehouse::http
