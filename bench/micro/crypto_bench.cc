// Micro-benchmarks of the crypto hot paths: token issuance (SignJwt), token verification
// (JwtVerifier against a Keyring), client secret verification (HMAC-SHA-256 under the pepper and
// a constant-time compare) and the SHA-256 lookup hash of an opaque 43-character token.

#include <benchmark/benchmark.h>

#include <boost/json/object.hpp>

#include <string>

#include "core/clock.h"
#include "crypto/aes_gcm.h"
#include "crypto/hash.h"
#include "crypto/jwt.h"
#include "crypto/keyring.h"
#include "crypto/secure_random.h"
#include "crypto/signing_key.h"

namespace gatehouse::crypto {
namespace {

const SigningKey& KeyFor(Algorithm alg) {
  static const SigningKey rsa = SigningKey::Generate(Algorithm::kRs256);
  static const SigningKey ec = SigningKey::Generate(Algorithm::kEs256);
  static const SigningKey ed = SigningKey::Generate(Algorithm::kEdDsa);
  return alg == Algorithm::kRs256 ? rsa : alg == Algorithm::kEs256 ? ec : ed;
}

Algorithm AlgorithmArg(const benchmark::State& state) {
  return static_cast<Algorithm>(state.range(0));
}

// The claims of a typical RFC 9068 access token.
boost::json::object AccessTokenClaims(int64_t now) {
  boost::json::object claims;
  claims["iss"] = "https://auth.example.com";
  claims["sub"] = "user-test-5f1b9e0c-2a43-4d8e-9b7a-0c1d2e3f4a5b";
  claims["aud"] = "https://api.example.com";
  claims["client_id"] = "connected-app-test-8c1f0d2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5";
  claims["scope"] = "openid profile email offline_access";
  claims["iat"] = now;
  claims["nbf"] = now;
  claims["exp"] = now + 3600;
  claims["jti"] = "s1tKJgOmEXhzy8xdD3nI2_c8bvJDcIDv7_qoCvMTXkU";
  return claims;
}

void BM_SignJwt(benchmark::State& state) {
  const SigningKey& key = KeyFor(AlgorithmArg(state));
  const boost::json::object claims = AccessTokenClaims(core::SystemClock().NowSeconds());
  for (auto _ : state) benchmark::DoNotOptimize(SignJwt(key, "at+jwt", claims));
  state.SetLabel(std::string(AlgorithmName(key.algorithm())));
}
BENCHMARK(BM_SignJwt)->DenseRange(0, 2);

void BM_VerifyJwt(benchmark::State& state) {
  const SigningKey& key = KeyFor(AlgorithmArg(state));
  core::SystemClock clock;
  auto ring = Keyring::Create({{key, KeyState::kCurrent, 0}}, clock.NowSeconds());
  const std::string token = SignJwt(key, "at+jwt", AccessTokenClaims(clock.NowSeconds()));
  JwtVerifyOptions options;
  options.issuer = "https://auth.example.com";
  options.audience = "https://api.example.com";
  options.typ = "at+jwt";
  JwtVerifier verifier(clock, options);
  for (auto _ : state) {
    auto decoded = verifier.Verify(token, **ring);
    if (!decoded) state.SkipWithError(decoded.error().description().c_str());
    benchmark::DoNotOptimize(decoded);
  }
  state.SetLabel(std::string(AlgorithmName(key.algorithm())));
}
BENCHMARK(BM_VerifyJwt)->DenseRange(0, 2);

// Verifying a presented client secret: HMAC it under the pepper, compare with the stored MAC.
void BM_ClientSecretCheck_HmacSha256(benchmark::State& state) {
  SecureRandom random;
  const std::string pepper = random.Bytes(32);
  const std::string secret = RandomToken(random);
  const std::string stored = HmacSha256(pepper, secret);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ConstantTimeEquals(HmacSha256(pepper, secret), stored));
  }
}
BENCHMARK(BM_ClientSecretCheck_HmacSha256);

void BM_ClientSecretCheck_HmacSha256Key(benchmark::State& state) {
  SecureRandom random;
  const HmacSha256Key pepper(random.Bytes(32));
  const std::string secret = RandomToken(random);
  const std::string stored = pepper.Mac(secret);
  for (auto _ : state) benchmark::DoNotOptimize(ConstantTimeEquals(pepper.Mac(secret), stored));
}
BENCHMARK(BM_ClientSecretCheck_HmacSha256Key);

void BM_ConstantTimeEquals32(benchmark::State& state) {
  const std::string a(32, 'a');
  const std::string b(32, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(ConstantTimeEquals(a, b));
}
BENCHMARK(BM_ConstantTimeEquals32);

// The lookup key of an opaque refresh token or code (43 base64url characters).
void BM_Sha256Token43(benchmark::State& state) {
  SecureRandom random;
  const std::string token = RandomToken(random);
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(token));
}
BENCHMARK(BM_Sha256Token43);

void BM_RandomToken32(benchmark::State& state) {
  SecureRandom random;
  for (auto _ : state) benchmark::DoNotOptimize(RandomToken(random));
}
BENCHMARK(BM_RandomToken32);

// An authorization state cookie: seal and open ~300 bytes.
void BM_AesGcmSealOpen300(benchmark::State& state) {
  SecureRandom random;
  const std::string key = random.Bytes(32);
  const std::string plaintext(300, 's');
  for (auto _ : state) {
    auto opened = Open(key, Seal(key, plaintext, "authorize-state", random), "authorize-state");
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_AesGcmSealOpen300);

}  // namespace
}  // namespace gatehouse::crypto
