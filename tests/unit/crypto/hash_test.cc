#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.h"

namespace gatehouse::crypto {
namespace {

TEST(HashTest, Sha256KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256("abc").size(), kSha256Bytes);
  EXPECT_EQ(HexEncode(Sha256("abc")), Sha256Hex("abc"));
}

TEST(HashTest, Sha512KnownAnswer) {
  EXPECT_EQ(HexEncode(Sha512("abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

// RFC 4231 §4.2 and §4.3.
TEST(HashTest, HmacSha256Rfc4231Vectors) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, HmacSha256AcceptsEmptyKeyAndData) {
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HashTest, HmacKeyMatchesOneShotAndIsReusable) {
  HmacSha256Key pepper("server pepper");
  for (const std::string& data : {std::string(), std::string("a"),
                                  std::string("client secret value"), std::string(1000, 'x')}) {
    EXPECT_EQ(pepper.Mac(data), HmacSha256("server pepper", data));
  }
  HmacSha256Key jefe("Jefe");
  EXPECT_EQ(HexEncode(jefe.Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, HmacKeyIsSafeAcrossThreads) {
  HmacSha256Key pepper("pepper");
  const std::string expected = HmacSha256("pepper", "secret");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) mismatches[t] += pepper.Mac("secret") != expected;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(HashTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "Secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(ConstantTimeEquals("secret2", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals("x", ""));
  std::string a(32, '\0');
  std::string b(32, '\0');
  EXPECT_TRUE(ConstantTimeEquals(a, b));
  b[31] = 1;
  EXPECT_FALSE(ConstantTimeEquals(a, b));
}

}  // namespace
}  // namespace gatehouse::crypto
