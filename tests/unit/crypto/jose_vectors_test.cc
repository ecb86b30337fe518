// Published JOSE test vectors: the only evidence that our signatures, encodings and thumbprints
// agree with every other implementation, not merely with themselves.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <string>

#include "crypto/encoding.h"
#include "crypto/jwk.h"
#include "crypto/jwt.h"
#include "crypto/signing_key.h"
#include "crypto/verification_key.h"

namespace gatehouse::crypto {
namespace {

boost::json::object Json(std::string_view text) { return boost::json::parse(text).as_object(); }

std::string Str(const boost::json::value& v) {
  return std::string(v.as_string().data(), v.as_string().size());
}

// RFC 7515 Appendix A.2 / A.3 payload (with its CR LF line breaks), already base64url.
constexpr std::string_view kRfc7515Payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ";

constexpr std::string_view kRfc7515RsaN =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4"
    "QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdb"
    "BYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-"
    "DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

boost::json::object Rfc7515RsaPrivateJwk() {
  boost::json::object jwk;
  jwk["kty"] = "RSA";
  jwk["n"] = kRfc7515RsaN;
  jwk["e"] = "AQAB";
  jwk["d"] =
      "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXO"
      "oAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51"
      "gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3c"
      "cPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
  jwk["p"] =
      "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5P"
      "JdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
  jwk["q"] =
      "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZ"
      "D_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
  jwk["dp"] =
      "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R"
      "6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0";
  jwk["dq"] =
      "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0aja"
      "HF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU";
  jwk["qi"] =
      "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7Y"
      "IBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U";
  return jwk;
}

constexpr std::string_view kRfc7515Rs256Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujG"
    "bds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
    "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6"
    "LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// RSASSA-PKCS1-v1_5 is deterministic, so our signature must be the RFC's, byte for byte.
TEST(JoseVectorsTest, Rfc7515A2Rs256SignatureIsExact) {
  auto key = SigningKey::FromPrivateJwk(Rfc7515RsaPrivateJwk(), Algorithm::kRs256);
  ASSERT_TRUE(key.has_value()) << key.error().description();
  const std::string signing_input = "eyJhbGciOiJSUzI1NiJ9." + std::string(kRfc7515Payload);
  EXPECT_EQ(Base64UrlEncode(key->Sign(signing_input)), kRfc7515Rs256Signature);

  boost::json::object public_jwk;
  public_jwk["kty"] = "RSA";
  public_jwk["n"] = kRfc7515RsaN;
  public_jwk["e"] = "AQAB";
  auto verifier = VerificationKey::FromJwk(public_jwk);
  ASSERT_TRUE(verifier.has_value()) << verifier.error().description();
  EXPECT_TRUE(
      verifier->Verify(Algorithm::kRs256, signing_input, *Base64UrlDecode(kRfc7515Rs256Signature)));
  EXPECT_EQ(Str(key->PublicJwk().at("n")), kRfc7515RsaN);
  EXPECT_EQ(key->kid(), JwkThumbprint(public_jwk));
}

// ECDSA is randomised: the RFC's signature must verify under the RFC's public key, and ours must
// verify too.
TEST(JoseVectorsTest, Rfc7515A3Es256SignatureVerifies) {
  auto public_jwk = Json(R"({"kty":"EC","crv":"P-256",
      "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})");
  auto key = VerificationKey::FromJwk(public_jwk);
  ASSERT_TRUE(key.has_value()) << key.error().description();
  const std::string signing_input = "eyJhbGciOiJFUzI1NiJ9." + std::string(kRfc7515Payload);
  const auto signature = Base64UrlDecode(
      "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(signature->size(), 64u);
  EXPECT_TRUE(key->Verify(Algorithm::kEs256, signing_input, *signature));
  EXPECT_FALSE(key->Verify(Algorithm::kEs256, signing_input + "x", *signature));

  auto private_jwk = public_jwk;
  private_jwk["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  auto signer = SigningKey::FromPrivateJwk(private_jwk, Algorithm::kEs256);
  ASSERT_TRUE(signer.has_value()) << signer.error().description();
  std::string ours = signer->Sign(signing_input);
  EXPECT_EQ(ours.size(), 64u);
  EXPECT_TRUE(key->Verify(Algorithm::kEs256, signing_input, ours));
  EXPECT_EQ(Str(signer->PublicJwk().at("x")), Str(public_jwk.at("x")));
  EXPECT_EQ(Str(signer->PublicJwk().at("y")), Str(public_jwk.at("y")));
}

// RFC 8037 Appendix A: Ed25519 is deterministic; A.3 gives the key's thumbprint, A.4 the JWS.
TEST(JoseVectorsTest, Rfc8037A4Ed25519SignatureIsExact) {
  auto private_jwk = Json(R"({"kty":"OKP","crv":"Ed25519",
      "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
      "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  auto key = SigningKey::FromPrivateJwk(private_jwk, Algorithm::kEdDsa);
  ASSERT_TRUE(key.has_value()) << key.error().description();
  EXPECT_EQ(key->kid(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  const std::string signing_input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  const std::string expected =
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
  EXPECT_EQ(Base64UrlEncode(key->Sign(signing_input)), expected);

  auto verifier = VerificationKey::FromJwk(
      Json(R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})"));
  ASSERT_TRUE(verifier.has_value()) << verifier.error().description();
  EXPECT_TRUE(verifier->Verify(Algorithm::kEdDsa, signing_input, *Base64UrlDecode(expected)));
}

// RFC 7638 §3.1.
TEST(JoseVectorsTest, Rfc7638ThumbprintExample) {
  auto jwk = Json(R"({"kty":"RSA",
      "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      "e":"AQAB","alg":"RS256","kid":"2011-04-29"})");
  EXPECT_EQ(JwkThumbprint(jwk), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

// OpenID Connect Core 1.0 §A.3 (RS256 at_hash of the example access token).
TEST(JoseVectorsTest, OidcAtHashExample) {
  EXPECT_EQ(AtHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", Algorithm::kRs256),
            "77QmUPtjPfzWtF2AnpK9RQ");
  EXPECT_EQ(AtHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", Algorithm::kEs256),
            "77QmUPtjPfzWtF2AnpK9RQ");
}

}  // namespace
}  // namespace gatehouse::crypto
