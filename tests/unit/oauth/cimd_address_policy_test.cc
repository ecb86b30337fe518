#include <gtest/gtest.h>

#include "oauth/cimd/address_policy.h"

namespace gatehouse::oauth::cimd {
namespace {

using boost::asio::ip::make_address;

bool Special(const char* a) { return SpecialUseRange(make_address(a)).has_value(); }

TEST(CimdAddressPolicy, PublicAddressesPass) {
  for (const char* a :
       {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1",
        "2606:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8"}) {
    EXPECT_FALSE(Special(a)) << a;
    EXPECT_TRUE(PermitsAddress(make_address(a), false)) << a;
  }
}

TEST(CimdAddressPolicy, SpecialUseIpv4IsRefused) {
  for (const char* a :
       {"0.0.0.0",         "0.1.2.3",        "10.0.0.1",       "10.255.255.255",  "100.64.0.1",
        "100.127.255.255", "127.0.0.1",      "127.1.2.3",      "169.254.169.254", "172.16.0.1",
        "172.31.255.255",  "192.0.0.8",      "192.0.2.1",      "192.88.99.1",     "192.168.1.1",
        "198.18.0.1",      "198.19.255.255", "198.51.100.7",   "203.0.113.9",     "224.0.0.1",
        "239.255.255.250", "240.0.0.1",      "255.255.255.255"}) {
    EXPECT_TRUE(Special(a)) << a;
    EXPECT_FALSE(PermitsAddress(make_address(a), false)) << a;
  }
}

TEST(CimdAddressPolicy, SpecialUseIpv6IsRefused) {
  for (const char* a :
       {"::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "64:ff9b::a00:1",
        "100::1", "2001:db8::1", "2001::1", "2002:a00:1::1", "3fff::1", "::127.0.0.1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.0.1"}) {
    EXPECT_TRUE(Special(a)) << a;
    EXPECT_FALSE(PermitsAddress(make_address(a), false)) << a;
  }
}

TEST(CimdAddressPolicy, RangesAreNamed) {
  EXPECT_EQ(*SpecialUseRange(make_address("127.0.0.1")), "loopback");
  EXPECT_EQ(*SpecialUseRange(make_address("10.1.1.1")), "private-use");
  EXPECT_EQ(*SpecialUseRange(make_address("169.254.169.254")), "link-local");
  EXPECT_EQ(*SpecialUseRange(make_address("fe80::1")), "link-local");
  EXPECT_EQ(*SpecialUseRange(make_address("fd00::1")), "unique-local");
  EXPECT_EQ(*SpecialUseRange(make_address("::ffff:10.0.0.1")), "private-use");
}

TEST(CimdAddressPolicy, LoopbackAllowListAdmitsLoopbackOnly) {
  for (const char* a : {"127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackAddress(make_address(a))) << a;
    EXPECT_TRUE(PermitsAddress(make_address(a), true)) << a;
  }
  for (const char* a : {"10.0.0.1", "169.254.169.254", "192.168.0.1", "fe80::1", "fc00::1",
                        "0.0.0.0", "::", "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackAddress(make_address(a))) << a;
    EXPECT_FALSE(PermitsAddress(make_address(a), true)) << a;
  }
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
