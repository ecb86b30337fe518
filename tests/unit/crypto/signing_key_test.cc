#include "crypto/signing_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/jwk.h"
#include "crypto/openssl_handles.h"
#include "crypto/verification_key.h"

namespace gatehouse::crypto {
namespace {

std::string Str(const boost::json::value& v) {
  return std::string(v.as_string().data(), v.as_string().size());
}

// Key generation (RSA especially) is slow; one key per algorithm serves the whole suite.
const SigningKey& KeyFor(Algorithm alg) {
  static const SigningKey rsa = SigningKey::Generate(Algorithm::kRs256);
  static const SigningKey ec = SigningKey::Generate(Algorithm::kEs256);
  static const SigningKey ed = SigningKey::Generate(Algorithm::kEdDsa);
  switch (alg) {
    case Algorithm::kRs256:
      return rsa;
    case Algorithm::kEs256:
      return ec;
    case Algorithm::kEdDsa:
      break;
  }
  return ed;
}

// PEM of a key OpenSSL generates directly, for shapes SigningKey must refuse.
std::string PemOf(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  char passphrase[] = "passphrase";
  EXPECT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, cipher, cipher ? passphrase : nullptr,
                                          cipher ? 10 : 0, nullptr, nullptr),
            1);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

class SigningKeyTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(SigningKeyTest, SignsWhatItsVerificationKeyAccepts) {
  const SigningKey& key = KeyFor(GetParam());
  EXPECT_EQ(key.algorithm(), GetParam());
  VerificationKey verifier = VerificationKey::FromSigningKey(key);
  EXPECT_EQ(verifier.kid(), key.kid());
  EXPECT_EQ(verifier.algorithm(), GetParam());
  std::string signature = key.Sign("header.payload");
  EXPECT_LE(signature.size(), key.MaxSignatureSize());
  EXPECT_TRUE(verifier.Verify(GetParam(), "header.payload", signature));
  EXPECT_FALSE(verifier.Verify(GetParam(), "header.payloaD", signature));
  signature[signature.size() / 2] ^= 0x01;
  EXPECT_FALSE(verifier.Verify(GetParam(), "header.payload", signature));
}

TEST_P(SigningKeyTest, KidIsTheThumbprintOfThePublicJwk) {
  const SigningKey& key = KeyFor(GetParam());
  const boost::json::object& jwk = key.PublicJwk();
  EXPECT_EQ(key.kid(), JwkThumbprint(jwk));
  EXPECT_EQ(key.kid().size(), 43u);
  EXPECT_EQ(Str(jwk.at("kid")), key.kid());
  EXPECT_EQ(Str(jwk.at("alg")), AlgorithmName(GetParam()));
  EXPECT_EQ(Str(jwk.at("use")), "sig");
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(jwk.contains(secret));
}

TEST_P(SigningKeyTest, PrivatePemRoundTripsToTheSameKey) {
  const SigningKey& key = KeyFor(GetParam());
  std::string pem = key.PrivatePem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n")) << pem;
  auto loaded = SigningKey::FromPrivatePem(pem, GetParam());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().description();
  EXPECT_EQ(loaded->kid(), key.kid());
  EXPECT_TRUE(VerificationKey::FromSigningKey(key).Verify(GetParam(), "x", loaded->Sign("x")));
}

TEST_P(SigningKeyTest, PemOfAnotherAlgorithmIsRefused) {
  for (Algorithm other : {Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa}) {
    if (other == GetParam()) continue;
    auto loaded = SigningKey::FromPrivatePem(KeyFor(other).PrivatePem(), GetParam());
    ASSERT_FALSE(loaded.has_value());
    EXPECT_EQ(loaded.error().code(), core::ErrorCode::kServerError);
  }
}

TEST_P(SigningKeyTest, GeneratesDistinctKeys) {
  SigningKey fresh = SigningKey::Generate(GetParam());
  EXPECT_NE(fresh.kid(), KeyFor(GetParam()).kid());
}

TEST_P(SigningKeyTest, ConcurrentSignsAreAllValid) {
  const SigningKey& key = KeyFor(GetParam());
  VerificationKey verifier = VerificationKey::FromSigningKey(key);
  const int per_thread = GetParam() == Algorithm::kRs256 ? 10 : 100;
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        std::string input = "input-" + std::to_string(t) + "-" + std::to_string(i);
        failures[t] += !verifier.Verify(GetParam(), input, key.Sign(input));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, SigningKeyTest,
                         ::testing::Values(Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa),
                         [](const auto& info) { return std::string(AlgorithmName(info.param)); });

TEST(SigningKeyFormatTest, SignatureSizes) {
  EXPECT_EQ(KeyFor(Algorithm::kRs256).Sign("x").size(), 256u);
  EXPECT_EQ(KeyFor(Algorithm::kEs256).Sign("x").size(), 64u);
  EXPECT_EQ(KeyFor(Algorithm::kEdDsa).Sign("x").size(), 64u);
  EXPECT_EQ(KeyFor(Algorithm::kRs256).MaxSignatureSize(), 256u);
}

TEST(SigningKeyFormatTest, RsaSignaturesAreDeterministicEcdsaOnesAreNot) {
  EXPECT_EQ(KeyFor(Algorithm::kRs256).Sign("x"), KeyFor(Algorithm::kRs256).Sign("x"));
  EXPECT_EQ(KeyFor(Algorithm::kEdDsa).Sign("x"), KeyFor(Algorithm::kEdDsa).Sign("x"));
  EXPECT_NE(KeyFor(Algorithm::kEs256).Sign("x"), KeyFor(Algorithm::kEs256).Sign("x"));
}

TEST(SigningKeyFormatTest, PublicJwkMembersPerKeyType) {
  const auto& rsa = KeyFor(Algorithm::kRs256).PublicJwk();
  EXPECT_EQ(Str(rsa.at("kty")), "RSA");
  EXPECT_EQ(Str(rsa.at("e")), "AQAB");
  EXPECT_EQ(Base64UrlDecode(Str(rsa.at("n")))->size(), 256u);
  const auto& ec = KeyFor(Algorithm::kEs256).PublicJwk();
  EXPECT_EQ(Str(ec.at("kty")), "EC");
  EXPECT_EQ(Str(ec.at("crv")), "P-256");
  EXPECT_EQ(Base64UrlDecode(Str(ec.at("x")))->size(), 32u);
  EXPECT_EQ(Base64UrlDecode(Str(ec.at("y")))->size(), 32u);
  const auto& ed = KeyFor(Algorithm::kEdDsa).PublicJwk();
  EXPECT_EQ(Str(ed.at("kty")), "OKP");
  EXPECT_EQ(Str(ed.at("crv")), "Ed25519");
  EXPECT_EQ(Base64UrlDecode(Str(ed.at("x")))->size(), 32u);
  EXPECT_FALSE(ed.contains("y"));
}

TEST(SigningKeyFormatTest, RefusesMalformedAndEncryptedPem) {
  EXPECT_FALSE(SigningKey::FromPrivatePem("", Algorithm::kRs256).has_value());
  EXPECT_FALSE(SigningKey::FromPrivatePem("not a pem", Algorithm::kRs256).has_value());
  std::string pem = KeyFor(Algorithm::kEs256).PrivatePem();
  std::string truncated = pem.substr(0, pem.size() / 2);
  EXPECT_FALSE(SigningKey::FromPrivatePem(truncated, Algorithm::kEs256).has_value());

  // An encrypted key must fail at once rather than prompt for a passphrase on the terminal.
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr raw(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(raw);
  std::string encrypted = PemOf(raw.get(), EVP_aes_256_cbc());
  EXPECT_TRUE(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  EXPECT_FALSE(SigningKey::FromPrivatePem(encrypted, Algorithm::kEs256).has_value());
}

TEST(SigningKeyFormatTest, RefusesWeakOrWrongCurveKeys) {
  PkeyPtr rsa1024(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}));
  ASSERT_TRUE(rsa1024);
  EXPECT_FALSE(SigningKey::FromPrivatePem(PemOf(rsa1024.get()), Algorithm::kRs256).has_value());
  PkeyPtr p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  ASSERT_TRUE(p384);
  EXPECT_FALSE(SigningKey::FromPrivatePem(PemOf(p384.get()), Algorithm::kEs256).has_value());
  PkeyPtr ed448(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"));
  ASSERT_TRUE(ed448);
  EXPECT_FALSE(SigningKey::FromPrivatePem(PemOf(ed448.get()), Algorithm::kEdDsa).has_value());
}

TEST(SigningKeyFormatTest, PrivateJwkMustBeConsistent) {
  // RFC 8037 A.1 private key with another key's x.
  boost::json::object jwk;
  jwk["kty"] = "OKP";
  jwk["crv"] = "Ed25519";
  jwk["d"] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
  jwk["x"] = KeyFor(Algorithm::kEdDsa).PublicJwk().at("x");
  EXPECT_FALSE(SigningKey::FromPrivateJwk(jwk, Algorithm::kEdDsa).has_value());
  jwk["x"] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  EXPECT_TRUE(SigningKey::FromPrivateJwk(jwk, Algorithm::kEdDsa).has_value());
  EXPECT_FALSE(SigningKey::FromPrivateJwk(jwk, Algorithm::kEs256).has_value());
  jwk.erase("d");
  EXPECT_FALSE(SigningKey::FromPrivateJwk(jwk, Algorithm::kEdDsa).has_value());

  // RFC 7515 A.3 P-256 private key with the public point of another key.
  boost::json::object ec;
  ec["kty"] = "EC";
  ec["crv"] = "P-256";
  ec["x"] = KeyFor(Algorithm::kEs256).PublicJwk().at("x");
  ec["y"] = KeyFor(Algorithm::kEs256).PublicJwk().at("y");
  ec["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  EXPECT_FALSE(SigningKey::FromPrivateJwk(ec, Algorithm::kEs256).has_value());

  // RSA without the CRT members.
  boost::json::object rsa = KeyFor(Algorithm::kRs256).PublicJwk();
  rsa["d"] = "AQAB";
  EXPECT_FALSE(SigningKey::FromPrivateJwk(rsa, Algorithm::kRs256).has_value());
}

}  // namespace
}  // namespace gatehouse::crypto
