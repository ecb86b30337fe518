#include "crypto/verification_key.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <functional>
#include <string>

#include "crypto/encoding.h"
#include "crypto/signing_key.h"

namespace gatehouse::crypto {
namespace {

boost::json::object Json(std::string_view text) { return boost::json::parse(text).as_object(); }

const SigningKey& Rsa() {
  static const SigningKey key = SigningKey::Generate(Algorithm::kRs256);
  return key;
}
const SigningKey& Ec() {
  static const SigningKey key = SigningKey::Generate(Algorithm::kEs256);
  return key;
}
const SigningKey& Ed() {
  static const SigningKey key = SigningKey::Generate(Algorithm::kEdDsa);
  return key;
}

// RFC 7515 A.3 public key.
const char kEcJwk[] = R"({"kty":"EC","crv":"P-256",
    "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";

TEST(VerificationKeyTest, FromPublishedJwkVerifiesOurSignatures) {
  for (const SigningKey* key : {&Rsa(), &Ec(), &Ed()}) {
    auto verifier = VerificationKey::FromJwk(key->PublicJwk());
    ASSERT_TRUE(verifier.has_value()) << verifier.error().description();
    EXPECT_EQ(verifier->kid(), key->kid());
    EXPECT_EQ(verifier->algorithm(), key->algorithm());
    EXPECT_TRUE(verifier->Verify(key->algorithm(), "in", key->Sign("in")));
  }
}

TEST(VerificationKeyTest, RefusesEveryOtherAlgorithm) {
  for (const SigningKey* key : {&Rsa(), &Ec(), &Ed()}) {
    VerificationKey verifier = VerificationKey::FromSigningKey(*key);
    std::string signature = key->Sign("in");
    for (Algorithm alg : {Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa}) {
      EXPECT_EQ(verifier.Verify(alg, "in", signature), alg == key->algorithm());
    }
  }
}

TEST(VerificationKeyTest, RejectsMalformedSignatures) {
  for (const SigningKey* key : {&Rsa(), &Ec(), &Ed()}) {
    VerificationKey verifier = VerificationKey::FromSigningKey(*key);
    std::string signature = key->Sign("in");
    Algorithm alg = key->algorithm();
    EXPECT_FALSE(verifier.Verify(alg, "in", ""));
    EXPECT_FALSE(verifier.Verify(alg, "in", signature.substr(1)));
    EXPECT_FALSE(verifier.Verify(alg, "in", signature + '\0'));
    EXPECT_FALSE(verifier.Verify(alg, "in", std::string(signature.size(), '\0')));
    EXPECT_FALSE(verifier.Verify(alg, "in", std::string(signature.size(), '\xff')));
  }
}

TEST(VerificationKeyTest, Es256RejectsDerSignatures) {
  // A DER signature is what OpenSSL produces natively; JWS requires R||S.
  VerificationKey verifier = VerificationKey::FromSigningKey(Ec());
  std::string raw = Ec().Sign("in");
  std::string der = "\x30\x44\x02\x20" + raw.substr(0, 32) + "\x02\x20" + raw.substr(32);
  EXPECT_FALSE(verifier.Verify(Algorithm::kEs256, "in", der));
  EXPECT_TRUE(verifier.Verify(Algorithm::kEs256, "in", raw));
}

TEST(VerificationKeyTest, AcceptsMatchingOptionalMembers) {
  auto jwk = Json(kEcJwk);
  jwk["alg"] = "ES256";
  jwk["use"] = "sig";
  jwk["key_ops"] = boost::json::array{"verify"};
  jwk["kid"] = "k1";
  auto key = VerificationKey::FromJwk(jwk);
  ASSERT_TRUE(key.has_value()) << key.error().description();
  EXPECT_EQ(key->kid(), "k1");
}

TEST(VerificationKeyTest, RejectsInconsistentOrUnsupportedJwks) {
  struct Case {
    const char* why;
    std::function<void(boost::json::object&)> edit;
  };
  const Case cases[] = {
      {"no kty", [](auto& j) { j.erase("kty"); }},
      {"symmetric key", [](auto& j) { j["kty"] = "oct"; }},
      {"unknown kty", [](auto& j) { j["kty"] = "ec"; }},
      {"other curve", [](auto& j) { j["crv"] = "P-384"; }},
      {"alg of another key type", [](auto& j) { j["alg"] = "RS256"; }},
      {"alg HS256", [](auto& j) { j["alg"] = "HS256"; }},
      {"alg none", [](auto& j) { j["alg"] = "none"; }},
      {"use enc", [](auto& j) { j["use"] = "enc"; }},
      {"key_ops without verify", [](auto& j) { j["key_ops"] = boost::json::array{"sign"}; }},
      {"key_ops not an array", [](auto& j) { j["key_ops"] = "verify"; }},
      {"private member", [](auto& j) { j["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"; }},
      {"kid not a string", [](auto& j) { j["kid"] = 7; }},
      {"x too short", [](auto& j) { j["x"] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE"; }},
      {"x not base64url", [](auto& j) { j["x"] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE="; }},
      {"x not a string", [](auto& j) { j["x"] = 1; }},
      {"no y", [](auto& j) { j.erase("y"); }},
      // The RFC's x with a y that is not on the curve (invalid-curve attacks).
      {"point off the curve",
       [](auto& j) { j["y"] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"; }},
  };
  for (const Case& c : cases) {
    auto jwk = Json(kEcJwk);
    c.edit(jwk);
    auto key = VerificationKey::FromJwk(jwk);
    EXPECT_FALSE(key.has_value()) << c.why;
    if (!key) {
      EXPECT_EQ(key.error().code(), core::ErrorCode::kInvalidRequest) << c.why;
    }
  }
}

TEST(VerificationKeyTest, RejectsWeakRsaAndBadEd25519) {
  // 1024-bit modulus (the first 128 bytes of a 2048-bit one).
  auto rsa = Rsa().PublicJwk();
  std::string n = *Base64UrlDecode(rsa.at("n").as_string());
  rsa["n"] = Base64UrlEncode(n.substr(0, 128));
  EXPECT_FALSE(VerificationKey::FromJwk(rsa).has_value());
  rsa["n"] = "";
  EXPECT_FALSE(VerificationKey::FromJwk(rsa).has_value());

  auto ed = Ed().PublicJwk();
  ed["crv"] = "X25519";
  EXPECT_FALSE(VerificationKey::FromJwk(ed).has_value());
  ed["crv"] = "Ed25519";
  ed["x"] = Base64UrlEncode(std::string(31, 'a'));
  EXPECT_FALSE(VerificationKey::FromJwk(ed).has_value());
}

}  // namespace
}  // namespace gatehouse::crypto
