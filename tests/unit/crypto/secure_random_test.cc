#include "crypto/secure_random.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "crypto/encoding.h"
#include "support/fake_random.h"

namespace gatehouse::crypto {
namespace {

TEST(SecureRandomTest, FillsWithFreshBytes) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(random.Bytes(16));
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(random.Bytes(0), "");
  EXPECT_EQ(random.Bytes(100000).size(), 100000u);
}

TEST(SecureRandomTest, BytesAreNotAllZero) {
  SecureRandom random;
  std::string bytes = random.Bytes(64);
  EXPECT_NE(bytes, std::string(64, '\0'));
}

TEST(RandomTokenTest, DefaultIs256BitsOfBase64Url) {
  SecureRandom random;
  std::string token = RandomToken(random);
  EXPECT_EQ(token.size(), 43u);
  auto decoded = Base64UrlDecode(token);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->size(), 32u);
  EXPECT_NE(RandomToken(random), token);
}

TEST(RandomTokenTest, MinimumIs128Bits) {
  SecureRandom random;
  EXPECT_EQ(RandomToken(random, kMinTokenBytes).size(), 22u);
}

TEST(RandomTokenTest, IsDeterministicUnderFakeRandom) {
  testing::FakeRandom a(7);
  testing::FakeRandom b(7);
  EXPECT_EQ(RandomToken(a), RandomToken(b));
  EXPECT_NE(RandomToken(a), RandomToken(b, 16));
}

}  // namespace
}  // namespace gatehouse::crypto
