#include "crypto/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::crypto {
namespace {

using namespace std::string_literals;

// RFC 4648 §10 test vectors.
struct Vector {
  std::string bytes;
  std::string base64;
  std::string base64url;
};
const Vector kVectors[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
    // The two alphabets differ in the last two characters.
    {"\xfb\xff"s, "+/8=", "-_8"},
    {"\x00\x10\x83\x10\x51\x87\x20\x92\x8b\x30\xd3\x8f\x41\x14\x93\x51\x55\x97\x61\x96\x9b\x71"
     "\xd7\x9f\x82\x18\xa3\x92\x59\xa7\xa2\x9a\xab\xb2\xdb\xaf\xc3\x1c\xb3\xd3\x5d\xb7\xe3\x9e"
     "\xbb\xf3\xdf\xbf"s,
     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"},
};

TEST(EncodingTest, Base64UrlMatchesRfc4648Vectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(Base64UrlEncode(v.bytes), v.base64url);
    EXPECT_EQ(Base64UrlLength(v.bytes.size()), v.base64url.size());
    auto decoded = Base64UrlDecode(v.base64url);
    ASSERT_TRUE(decoded.has_value()) << v.base64url;
    EXPECT_EQ(*decoded, v.bytes);
  }
}

TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(Base64Encode(v.bytes), v.base64);
    auto decoded = Base64Decode(v.base64);
    ASSERT_TRUE(decoded.has_value()) << v.base64;
    EXPECT_EQ(*decoded, v.bytes);
  }
}

TEST(EncodingTest, Base64UrlRoundTripsEveryByteAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); ++n) {
    std::string bytes = all.substr(all.size() - n);
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(EncodingTest, Base64UrlDecodeRejectsMalformedText) {
  const char* bad[] = {
      "Z",         // a single leftover character encodes no byte
      "Zm9vY",     // ditto after a whole group
      "Zg==",      // padding is not part of base64url here
      "Zg=",       //
      "Zm+v",      // standard alphabet
      "Zm/v",      //
      "Zm9v\n",    // whitespace
      " Zm9v",     //
      "Zm 9v",     //
      "Zh",        // non-zero padding bits: "Zg" is the only spelling of "f"
      "Zm9",       // ditto for "fo" ("Zm8")
      "Zm9vYg.",   // separator
      "\xc3\xa9",  // non-ASCII
  };
  for (const char* text : bad) EXPECT_FALSE(Base64UrlDecode(text).has_value()) << text;
  EXPECT_FALSE(Base64UrlDecode("Zm9v\0Zg"s).has_value());
}

TEST(EncodingTest, Base64DecodeRejectsMalformedText) {
  const char* bad[] = {
      "Zg",        // padding required
      "Zg=",       //
      "Zg===",     //
      "Z===",      // three '=' is never valid
      "=Zg=",      // '=' only at the end
      "Zg==Zg==",  //
      "Zh==",      // non-zero padding bits
      "Zm-v",      // URL alphabet
      "Zm_v",      //
      "Zm9v\r\n",  //
  };
  for (const char* text : bad) EXPECT_FALSE(Base64Decode(text).has_value()) << text;
}

TEST(EncodingTest, HexEncodeIsLowercase) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode("\x00\x01\xab\xff"s), "0001abff");
}

TEST(EncodingTest, HexDecodeAcceptsEitherCaseOnly) {
  EXPECT_EQ(HexDecode(""), "");
  EXPECT_EQ(HexDecode("0001abff"), "\x00\x01\xab\xff"s);
  EXPECT_EQ(HexDecode("0001ABFF"), "\x00\x01\xab\xff"s);
  for (const char* bad : {"0", "abc", "0g", "g0", " 00", "00 ", "0x00", "+1"}) {
    EXPECT_FALSE(HexDecode(bad).has_value()) << bad;
  }
}

TEST(EncodingTest, AppendBase64UrlAppends) {
  std::string out = "prefix.";
  AppendBase64Url("foobar", out);
  EXPECT_EQ(out, "prefix.Zm9vYmFy");
}

TEST(EncodingTest, StreamEncoderMatchesOneShotForEverySplit) {
  const std::string bytes = "The quick brown fox jumps over the lazy dog\x00\xff"s;
  for (size_t chunk = 1; chunk <= bytes.size(); ++chunk) {
    std::string out;
    Base64UrlStreamEncoder encoder(out);
    for (size_t i = 0; i < bytes.size(); i += chunk) encoder.Write(bytes.substr(i, chunk));
    encoder.Finish();
    EXPECT_EQ(out, Base64UrlEncode(bytes)) << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace gatehouse::crypto
