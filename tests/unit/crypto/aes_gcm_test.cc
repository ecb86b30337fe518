#include "crypto/aes_gcm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "crypto/encoding.h"
#include "support/fake_random.h"

namespace gatehouse::crypto {
namespace {

// Nonces of zero bytes, to reproduce published vectors (never in production).
class ZeroRandom final : public core::Random {
 public:
  void Fill(std::span<uint8_t> out) override { std::fill(out.begin(), out.end(), 0); }
};

const std::string kKey(32, '\x42');

// NIST GCM specification (McGrew & Viega), test cases 13 and 14: AES-256, zero key, zero IV.
TEST(AesGcmTest, MatchesNistVectors) {
  ZeroRandom zeros;
  const std::string zero_key(32, '\0');
  EXPECT_EQ(HexEncode(Seal(zero_key, "", "", zeros)),
            std::string(24, '0') + "530f8afbc74536b9a963b4f1c4cb738b");
  EXPECT_EQ(HexEncode(Seal(zero_key, std::string(16, '\0'), "", zeros)),
            std::string(24, '0') + "cea7403d4d606b6e074ec5d3baf39d18" +
                "d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(AesGcmTest, RoundTrips) {
  testing::FakeRandom random;
  for (std::string plaintext : {std::string(), std::string("x"), std::string(1000, 'p')}) {
    std::string sealed = Seal(kKey, plaintext, "aad", random);
    EXPECT_EQ(sealed.size(), plaintext.size() + kAesGcmOverhead);
    auto opened = Open(kKey, sealed, "aad");
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(AesGcmTest, FreshNonceEveryTime) {
  testing::FakeRandom random;
  EXPECT_NE(Seal(kKey, "same", "", random), Seal(kKey, "same", "", random));
}

TEST(AesGcmTest, DetectsAnyModifiedByte) {
  testing::FakeRandom random;
  const std::string sealed = Seal(kKey, "private key material", "signing-key:1", random);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(Open(kKey, tampered, "signing-key:1").has_value()) << "byte " << i;
  }
}

TEST(AesGcmTest, RejectsWrongKeyAadAndLength) {
  testing::FakeRandom random;
  const std::string sealed = Seal(kKey, "state", "cookie", random);
  EXPECT_FALSE(Open(std::string(32, '\x43'), sealed, "cookie").has_value());
  EXPECT_FALSE(Open(kKey, sealed, "cookie2").has_value());
  EXPECT_FALSE(Open(kKey, sealed, "").has_value());
  EXPECT_FALSE(Open(kKey, sealed.substr(0, sealed.size() - 1), "cookie").has_value());
  EXPECT_FALSE(Open(kKey, sealed + "x", "cookie").has_value());
  EXPECT_FALSE(Open(kKey, "", "cookie").has_value());
  EXPECT_FALSE(Open(kKey, std::string(kAesGcmOverhead - 1, 'a'), "cookie").has_value());
  EXPECT_FALSE(Open(kKey.substr(0, 16), sealed, "cookie").has_value());
}

TEST(AesGcmTest, SealRejectsKeysThatAreNot32Bytes) {
  testing::FakeRandom random;
  EXPECT_THROW(Seal(std::string(16, 'k'), "x", "", random), std::invalid_argument);
  EXPECT_THROW(Seal(std::string(33, 'k'), "x", "", random), std::invalid_argument);
}

}  // namespace
}  // namespace gatehouse::crypto
