#include "crypto/jwt.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <string>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/keyring.h"
#include "support/fake_clock.h"

namespace gatehouse::crypto {
namespace {

using std::chrono::seconds;

constexpr int64_t kNow = 1'700'000'000;

const SigningKey& KeyFor(Algorithm alg) {
  static const SigningKey rsa = SigningKey::Generate(Algorithm::kRs256);
  static const SigningKey ec = SigningKey::Generate(Algorithm::kEs256);
  static const SigningKey ed = SigningKey::Generate(Algorithm::kEdDsa);
  return alg == Algorithm::kRs256 ? rsa : alg == Algorithm::kEs256 ? ec : ed;
}

boost::json::object Claims() {
  boost::json::object claims;
  claims["iss"] = "https://issuer.example";
  claims["sub"] = "user-1";
  claims["aud"] = "https://api.example";
  claims["iat"] = kNow;
  claims["nbf"] = kNow;
  claims["exp"] = kNow + 300;
  claims["scope"] = "openid profile";
  return claims;
}

// A token from hand-written header and payload JSON, signed by `key`.
std::string Forge(std::string_view header_json, std::string_view payload_json,
                  const SigningKey& key) {
  std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  return input + "." + Base64UrlEncode(key.Sign(input));
}

std::string HeaderFor(const SigningKey& key) {
  return R"({"alg":")" + std::string(AlgorithmName(key.algorithm())) + R"(","kid":")" + key.kid() +
         R"("})";
}

std::vector<std::string_view> Parts(std::string_view token) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != token.npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

class JwtTest : public ::testing::Test {
 protected:
  JwtTest()
      : keys_{VerificationKey::FromSigningKey(KeyFor(Algorithm::kRs256)),
              VerificationKey::FromSigningKey(KeyFor(Algorithm::kEs256)),
              VerificationKey::FromSigningKey(KeyFor(Algorithm::kEdDsa))},
        lookup_([this](std::string_view kid) -> const VerificationKey* {
          for (const auto& key : keys_) {
            if (key.kid() == kid) return &key;
          }
          return nullptr;
        }) {}

  core::Result<DecodedJwt> Verify(std::string_view token, JwtVerifyOptions options = {}) {
    return JwtVerifier(clock_, std::move(options)).Verify(token, lookup_);
  }

  // Asserts a rejection whose description contains `why`.
  void ExpectRejected(std::string_view token, std::string_view why, JwtVerifyOptions options = {}) {
    auto result = Verify(token, std::move(options));
    ASSERT_FALSE(result.has_value()) << "accepted, expected: " << why;
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidToken);
    EXPECT_NE(result.error().description().find(why), std::string::npos)
        << result.error().description();
  }

  testing::FakeClock clock_{kNow};
  std::vector<VerificationKey> keys_;
  KeyLookup lookup_;
};

TEST_F(JwtTest, SignedTokensVerifyForEveryAlgorithm) {
  for (Algorithm alg : {Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa}) {
    std::string token = SignJwt(KeyFor(alg), "at+jwt", Claims());
    auto decoded = Verify(token);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().description();
    EXPECT_EQ(decoded->alg, alg);
    EXPECT_EQ(decoded->kid, KeyFor(alg).kid());
    EXPECT_EQ(decoded->claims, Claims());
    EXPECT_EQ(decoded->header.at("typ").as_string(), "at+jwt");
  }
}

TEST_F(JwtTest, HeaderIsStableAndCompact) {
  const SigningKey& key = KeyFor(Algorithm::kRs256);
  std::string token = SignJwt(key, "at+jwt", Claims());
  auto parts = Parts(token);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(*Base64UrlDecode(parts[0]),
            R"({"alg":"RS256","typ":"at+jwt","kid":")" + key.kid() + R"("})");
  EXPECT_EQ(*Base64UrlDecode(parts[1]), boost::json::serialize(Claims()));
  EXPECT_EQ(Base64UrlDecode(parts[2])->size(), 256u);
  // Deterministic algorithm, same input: same token.
  EXPECT_EQ(SignJwt(key, "at+jwt", Claims()), token);
}

TEST_F(JwtTest, EmptyTypIsOmittedAndOddTypIsEscaped) {
  const SigningKey& key = KeyFor(Algorithm::kEdDsa);
  auto header = [](const std::string& token) {
    return boost::json::parse(*Base64UrlDecode(Parts(token)[0])).as_object();
  };
  std::string plain = SignJwt(key, "", Claims());
  EXPECT_FALSE(header(plain).contains("typ"));
  EXPECT_TRUE(Verify(plain).has_value());
  std::string odd = SignJwt(key, "we\"ird\\typ\n", Claims());
  EXPECT_EQ(header(odd).at("typ").as_string(), "we\"ird\\typ\n");
  EXPECT_TRUE(Verify(odd).has_value());
}

TEST_F(JwtTest, LargeClaimsSurviveTheStreamingEncoder) {
  boost::json::object claims = Claims();
  claims["blob"] = std::string(5000, 'z');
  auto decoded = Verify(SignJwt(KeyFor(Algorithm::kEs256), "JWT", claims));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().description();
  EXPECT_EQ(decoded->claims, claims);
}

TEST_F(JwtTest, RejectsAlgNone) {
  const SigningKey& key = KeyFor(Algorithm::kRs256);
  std::string header = R"({"alg":"none","kid":")" + key.kid() + R"("})";
  std::string payload = boost::json::serialize(Claims());
  std::string unsigned_token = Base64UrlEncode(header) + "." + Base64UrlEncode(payload) + ".";
  ExpectRejected(unsigned_token, "alg none");
  ExpectRejected(Forge(header, payload, key), "alg none");
  ExpectRejected(Forge(R"({"alg":"None","kid":")" + key.kid() + R"("})", payload, key),
                 "alg is not allowed");
}

// The classic confusion attack: HMAC the token with the RSA public key (here its JWK text, and
// its raw modulus) as the "secret", and claim HS256 under the RSA key's kid.
TEST_F(JwtTest, RejectsHs256SignedWithTheRsaPublicKey) {
  const SigningKey& key = KeyFor(Algorithm::kRs256);
  std::string header = R"({"alg":"HS256","typ":"JWT","kid":")" + key.kid() + R"("})";
  std::string input =
      Base64UrlEncode(header) + "." + Base64UrlEncode(boost::json::serialize(Claims()));
  for (const std::string& secret : {boost::json::serialize(key.PublicJwk()),
                                    *Base64UrlDecode(key.PublicJwk().at("n").as_string())}) {
    ExpectRejected(input + "." + Base64UrlEncode(HmacSha256(secret, input)), "alg is not allowed");
  }
}

TEST_F(JwtTest, RejectsAlgThatDoesNotMatchTheKey) {
  // ES256 in the header, but the kid names the RSA key (signature made by the EC key).
  std::string header = R"({"alg":"ES256","kid":")" + KeyFor(Algorithm::kRs256).kid() + R"("})";
  ExpectRejected(Forge(header, boost::json::serialize(Claims()), KeyFor(Algorithm::kEs256)),
                 "does not match its key");
}

TEST_F(JwtTest, RejectsAlgOutsideTheAllowList) {
  JwtVerifyOptions options;
  options.allowed_algorithms = {Algorithm::kRs256};
  ExpectRejected(SignJwt(KeyFor(Algorithm::kEs256), "JWT", Claims()), "alg is not allowed",
                 options);
  EXPECT_TRUE(Verify(SignJwt(KeyFor(Algorithm::kRs256), "JWT", Claims()), options).has_value());
}

TEST_F(JwtTest, RejectsUnknownAndMissingKid) {
  const SigningKey& key = KeyFor(Algorithm::kEs256);
  SigningKey stranger = SigningKey::Generate(Algorithm::kEs256);
  ExpectRejected(SignJwt(stranger, "JWT", Claims()), "kid is unknown");
  std::string payload = boost::json::serialize(Claims());
  ExpectRejected(Forge(R"({"alg":"ES256"})", payload, key), "no kid");
  ExpectRejected(Forge(R"({"alg":"ES256","kid":""})", payload, key), "no kid");
  ExpectRejected(Forge(R"({"alg":"ES256","kid":7})", payload, key), "no kid");
}

TEST_F(JwtTest, RejectsTamperedPayloadAndSignature) {
  const SigningKey& key = KeyFor(Algorithm::kRs256);
  std::string token = SignJwt(key, "at+jwt", Claims());
  auto parts = Parts(token);
  boost::json::object elevated = Claims();
  elevated["scope"] = "openid profile admin";
  std::string swapped = std::string(parts[0]) + "." +
                        Base64UrlEncode(boost::json::serialize(elevated)) + "." +
                        std::string(parts[2]);
  ExpectRejected(swapped, "signature is invalid");

  std::string flipped = token;
  flipped[flipped.size() - 10] = flipped[flipped.size() - 10] == 'A' ? 'B' : 'A';
  ExpectRejected(flipped, "signature is invalid");

  // The signature is 256 bytes: its last base64url character carries 4 unused bits. Setting
  // them re-spells the same bytes; the strict decoder refuses the alternative spelling.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string respelled = token;
  char& last = respelled.back();
  ASSERT_EQ(alphabet.find(last) & 15, 0u);  // canonical: the unused bits are zero
  last = alphabet[alphabet.find(last) | 1];
  ExpectRejected(respelled, "signature is not base64url");

  ExpectRejected(std::string(parts[0]) + "." + std::string(parts[1]) + ".", "signature");
}

TEST_F(JwtTest, ChecksExpiryWithLeeway) {
  std::string token = SignJwt(KeyFor(Algorithm::kEs256), "JWT", Claims());  // exp = now + 300
  clock_.Set(kNow + 300 + 29);
  EXPECT_TRUE(Verify(token).has_value());
  clock_.Set(kNow + 300 + 30);
  ExpectRejected(token, "expired");
  JwtVerifyOptions strict;
  strict.leeway = seconds(0);
  clock_.Set(kNow + 300);
  ExpectRejected(token, "expired", strict);
  JwtVerifyOptions hint;
  hint.allow_expired = true;
  clock_.Set(kNow + 86400);
  EXPECT_TRUE(Verify(token, hint).has_value());
}

TEST_F(JwtTest, ChecksNotBeforeAndIssuedAt) {
  boost::json::object claims = Claims();
  claims["nbf"] = kNow + 100;
  claims["iat"] = kNow;
  std::string early = SignJwt(KeyFor(Algorithm::kEdDsa), "JWT", claims);
  ExpectRejected(early, "not yet valid");
  clock_.Set(kNow + 70);
  EXPECT_TRUE(Verify(early).has_value());  // within the 30 s leeway

  clock_.Set(kNow);
  claims = Claims();
  claims["iat"] = kNow + 31;
  ExpectRejected(SignJwt(KeyFor(Algorithm::kEdDsa), "JWT", claims), "issued in the future");
  claims["iat"] = kNow + 29;
  EXPECT_TRUE(Verify(SignJwt(KeyFor(Algorithm::kEdDsa), "JWT", claims)).has_value());
}

TEST_F(JwtTest, TimeClaimsMustBeNumbers) {
  for (const char* name : {"exp", "nbf", "iat"}) {
    boost::json::object claims = Claims();
    claims[name] = std::to_string(kNow);
    ExpectRejected(SignJwt(KeyFor(Algorithm::kEs256), "JWT", claims), "is not a number");
  }
  boost::json::object fractional = Claims();
  fractional["exp"] = static_cast<double>(kNow) + 0.5;
  EXPECT_TRUE(Verify(SignJwt(KeyFor(Algorithm::kEs256), "JWT", fractional)).has_value());
}

TEST_F(JwtTest, ExpIsRequiredUnlessWaived) {
  boost::json::object claims = Claims();
  claims.erase("exp");
  std::string token = SignJwt(KeyFor(Algorithm::kEs256), "JWT", claims);
  ExpectRejected(token, "no exp");
  JwtVerifyOptions options;
  options.require_exp = false;
  EXPECT_TRUE(Verify(token, options).has_value());
}

TEST_F(JwtTest, ChecksIssuerAndAudience) {
  JwtVerifyOptions options;
  options.issuer = "https://issuer.example";
  options.audience = "https://api.example";
  const SigningKey& key = KeyFor(Algorithm::kEs256);
  EXPECT_TRUE(Verify(SignJwt(key, "JWT", Claims()), options).has_value());

  boost::json::object claims = Claims();
  claims["iss"] = "https://issuer.example/";
  ExpectRejected(SignJwt(key, "JWT", claims), "issuer", options);
  claims.erase("iss");
  ExpectRejected(SignJwt(key, "JWT", claims), "issuer", options);

  claims = Claims();
  claims["aud"] = "https://other.example";
  ExpectRejected(SignJwt(key, "JWT", claims), "audience", options);
  claims["aud"] = boost::json::array{"https://other.example", "https://api.example"};
  EXPECT_TRUE(Verify(SignJwt(key, "JWT", claims), options).has_value());
  claims["aud"] = boost::json::array{"https://other.example", 5};
  ExpectRejected(SignJwt(key, "JWT", claims), "audience", options);
  claims.erase("aud");
  ExpectRejected(SignJwt(key, "JWT", claims), "audience", options);
}

TEST_F(JwtTest, ChecksTypWhenAsked) {
  JwtVerifyOptions options;
  options.typ = "at+jwt";
  const SigningKey& key = KeyFor(Algorithm::kEs256);
  EXPECT_TRUE(Verify(SignJwt(key, "at+jwt", Claims()), options).has_value());
  EXPECT_TRUE(Verify(SignJwt(key, "application/at+JWT", Claims()), options).has_value());
  ExpectRejected(SignJwt(key, "JWT", Claims()), "typ", options);
  ExpectRejected(SignJwt(key, "", Claims()), "typ", options);
}

TEST_F(JwtTest, RejectsMalformedStructure) {
  const SigningKey& key = KeyFor(Algorithm::kEs256);
  std::string token = SignJwt(key, "JWT", Claims());
  std::string payload = boost::json::serialize(Claims());
  ExpectRejected("", "three parts");
  ExpectRejected("abc", "three parts");
  ExpectRejected("a.b", "three parts");
  ExpectRejected(token + ".", "three parts");
  ExpectRejected(token + ".extra", "three parts");
  ExpectRejected("a..b..c", "three parts");
  ExpectRejected("!!." + token.substr(token.find('.') + 1), "header is not base64url");
  ExpectRejected(Forge("not json", payload, key), "header is not a JSON object");
  ExpectRejected(Forge(R"(["alg","ES256"])", payload, key), "header is not a JSON object");
  ExpectRejected(Forge(R"({"alg":"ES256","kid":")" + key.kid() + "\"", payload, key),
                 "header is not a JSON object");
  ExpectRejected(Forge(R"({"kid":")" + key.kid() + R"("})", payload, key), "no alg");
  ExpectRejected(Forge(HeaderFor(key), "not json", key), "payload is not a JSON object");
  ExpectRejected(Forge(HeaderFor(key), "[1,2]", key), "payload is not a JSON object");
  ExpectRejected(Forge(HeaderFor(key), "", key), "payload is not a JSON object");
}

// Boost.JSON keeps the last of duplicate members (RFC 7515 §5.2 allows only that or rejection).
TEST_F(JwtTest, DuplicateHeaderMembersResolveToTheLast) {
  const SigningKey& key = KeyFor(Algorithm::kEs256);
  std::string payload = boost::json::serialize(Claims());
  ExpectRejected(
      Forge(R"({"alg":"ES256","kid":")" + key.kid() + R"(","alg":"none"})", payload, key),
      "alg none");
  EXPECT_TRUE(
      Verify(Forge(R"({"alg":"none","kid":")" + key.kid() + R"(","alg":"ES256"})", payload, key))
          .has_value());
}

TEST_F(JwtTest, RejectsCrit) {
  const SigningKey& key = KeyFor(Algorithm::kEs256);
  std::string header = R"({"alg":"ES256","kid":")" + key.kid() + R"(","crit":["exp"],"exp":1})";
  ExpectRejected(Forge(header, boost::json::serialize(Claims()), key), "crit");
}

TEST_F(JwtTest, RejectsOversizeTokensBeforeDecoding) {
  boost::json::object claims = Claims();
  claims["blob"] = std::string(13000, 'z');  // > 16 KiB once base64url-encoded
  std::string token = SignJwt(KeyFor(Algorithm::kEs256), "JWT", claims);
  ASSERT_GT(token.size(), 16u * 1024);
  ExpectRejected(token, "too large");
  ExpectRejected(std::string(1 << 20, 'A'), "too large");
  JwtVerifyOptions roomy;
  roomy.max_token_bytes = 64 * 1024;
  EXPECT_TRUE(Verify(token, roomy).has_value());
}

TEST_F(JwtTest, RejectsRfc7515ExampleWithoutKid) {
  // RFC 7515 A.2 is validly signed but names no kid; we never guess a key.
  ExpectRejected(
      "eyJhbGciOiJSUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNv"
      "bS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__"
      "dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm"
      "4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
      "nZLgrnbyTyWzO75vRK5h6"
      "xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
      "eOkHWEsqtFZESc6BfI7noOPqv"
      "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw",
      "no kid");
}

TEST_F(JwtTest, VerifiesAgainstAKeyring) {
  SigningKey current = SigningKey::Generate(Algorithm::kEs256);
  auto ring = Keyring::Create({{current, KeyState::kCurrent, 0}}, kNow);
  ASSERT_TRUE(ring.has_value());
  JwtVerifier verifier(clock_);
  EXPECT_TRUE(verifier.Verify(SignJwt(current, "JWT", Claims()), **ring).has_value());
  auto foreign = verifier.Verify(SignJwt(KeyFor(Algorithm::kEs256), "JWT", Claims()), **ring);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().description(), "token kid is unknown");
}

TEST(AtHashTest, UsesTheHashOfTheAlgorithm) {
  const std::string token = "dNZX1hEZ9wBCzNL40Upu646bdzQA";
  EXPECT_EQ(AtHash(token, Algorithm::kRs256), Base64UrlEncode(Sha256(token).substr(0, 16)));
  EXPECT_EQ(AtHash(token, Algorithm::kEs256).size(), 22u);
  // Ed25519: left half of SHA-512, 32 bytes.
  EXPECT_EQ(AtHash(token, Algorithm::kEdDsa), Base64UrlEncode(Sha512(token).substr(0, 32)));
  EXPECT_EQ(AtHash(token, Algorithm::kEdDsa), "8xltSlOGYrWy8W9yNvRlEth1i_bXW-JROWPLvCv5zog");
}

}  // namespace
}  // namespace gatehouse::crypto
