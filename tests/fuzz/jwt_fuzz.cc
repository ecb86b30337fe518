// Fuzz target: crypto::JwtVerifier::Verify against a fixed keyring of test keys (RS256 current,
// EdDSA and ES256 next). The keys were generated for this file only and sign nothing else.
//
// The first input byte picks a mode (bit 0: signed, bit 1: tamper, bits 2-7: where to tamper),
// the second a signing key (bits 0-1) and the character to tamper with (bits 2-7):
//   raw       the rest is a compact token, verified as is (header parsing, kid/alg resolution,
//             signature checks on arbitrary bytes);
//   signed    the rest is "<header template>\n<payload bytes>": "$KID" and "$ALG" in the template
//             become the picked key's kid and alg, then the token is signed with the picked key, so
//             the fuzzer reaches the claim checks with arbitrary headers and payloads. Key 3 is an
//             attacker's Ed25519 key that is not in the keyring, writing the trusted EdDSA kid;
//   tamper    signed, then one character of the token is replaced: it must then be refused
//             (every character of a compact JWS is covered by the signature or is the signature,
//             whose base64url spelling is canonical).
// Every mode verifies with default options and with issuer, audience and typ required.
// Invariants: never a crash; an accepted token's signature is spelled in canonical base64url and,
// for RS256 and EdDSA (deterministic), is exactly what the trusted key of its kid makes for its
// signing input (ES256: exactly 64 bytes); attacker-signed and tampered tokens are never
// accepted; accepted claims are exactly the signed payload; alg is never "none" and the header
// never has "crit".

#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "crypto/algorithm.h"
#include "crypto/encoding.h"
#include "crypto/jwt.h"
#include "crypto/keyring.h"
#include "crypto/signing_key.h"
#include "fuzz/fuzz_check.h"

namespace {

namespace json = boost::json;
using gatehouse::crypto::Algorithm;
using gatehouse::crypto::JwtVerifier;
using gatehouse::crypto::JwtVerifyOptions;
using gatehouse::crypto::SigningKey;

// Test keys (never used outside this file).
constexpr std::string_view kRsaPem = R"(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC15YC3gM4x0izL
2XeDNiajC6sr9Jy8/gMyGEeCyJG+nxpGZywhtW/F1EUgOiUxv8j3d1tKoQun6gFQ
nhPR4tq/z+Cr0291sypVOQejrlJb2DJj7D4t+U3N2XW8rrou5A+W9JA8s6JcQnjQ
dEFhzOsP91KHoP2oq2PfErINS1hkfIqezroPOHN6/gXkWsuzRn0ahtUQ10uaBsmA
Pdw+v/YOwP7i5J0xJ8XLXlxFKFyuU1tR0lXdLA4o1p56bXzk/s+1U8DG3tjm/W2M
mSnVvKfRnZ28GP5fDEZrt8XkvHB1nvOnjpwyaEH7ox2Zx4Z8Q8Es1MjAf1RRMbRL
e9J2wlHTAgMBAAECggEAOoqxSR4C/uTidv84KDoy6DHWtvBky6zDEYnf5hcwVRX2
ymblPLoczaJaVxtvohnUD9VRw+yeCD5Xiv89aMUm2yoH6LVFf6+YtdIDg+oUZqvn
1+IORxSgNlrBOmdP08yhuddfXrH/1MquAIUSD+x4UOysGqu1R+ZVX9OwC3hO7BPg
TG2LH3kKI4fEFtUWjdp84aYe0I2Zikjn+A0KxTLMbzt1/ty+yG5IOlF0wJtx7wBL
V9xrrkJtNwE7qBvP9i4ZHyC8OhgdzpnfaEOoq9ecK760+8OLS7qlcog3IC2GLwPy
P7S3Ox7hua8ETpDlQHyvPW/F2aEb7Jszt5kecIf8fQKBgQDbBWGWv4MAQi9idUGs
uZIs6iO/hsAZu4ACMg978+ODi8GmZXfeyPFmvL2fXU+BsWDKi9bdV8R3HgOk+rRa
RegSEzVVzTKvIS6Dw6iNrDgZ5WWmMTD+6WaSR0ilzE11ukeEMKvjs+2C/oxW6kNi
hiJWKxl0eyUDR9KXsRDhlYKSdQKBgQDUm4J+DbY4LKpOB9o6ddwEQhhNZ2wZIRxd
OnhzVR22ZlTB1ElWnYFW+QDpKAyshayfLZlP6h9Tl3ZhHVKc7qum9vPFKVSVa1fD
mBmH3nu8l2BU97bZK4b4ekVqI3uBqiLAYUnJ+rsWE7WdBKrBsIBSFPmO6X6J8Dpp
WqI2YwG6JwKBgCc+lJjtYezG7zSmLAlmCvIvVg54d61ksnAyRiIAtnCYty84mTz7
Jn4xLY0DrD5h6SUB35MzqclqQF7saSqPwiCS/oiMRxuoR2xmv6n7BOZm+0rHH69d
ZPqq+TJ0JCEHKs9d5T7cu58wOzdLrJ1XyYlFGb+MXTp0QSDbIlo5bvcNAoGAaK/C
C2uZBAQKP63iKNML6RTafpKkSaNiIg2+bZvFq6Crr11mVz3rB/ZIGoZb5z9TBnYf
fZgcoL59zcfwe9GRt/71fWmieoiGiIsGVz6X0v7+shffcwPZy9P5BhA+qlQqFGxT
Nx88q9w8mvpHUmQka0Zks5gJdMZTHLlCEmGh4hUCgYEApp2snqu+UJxYrI5bD1XQ
SJt3gtbceKRcZDVQqj5oIEaLaq0JeZlHZrIunzeHYR6Tbdv8p7ZfpBfVFIQLOj3z
p7p5mn9wOO1zcIYf5cvIcoz5KxIXYCFE7pNwBTACRuUNRKuN5QMHWvd/+6BsqxQJ
k39xIpdDGTcCzKTs6/Hs4b8=
-----END PRIVATE KEY-----
)";
constexpr std::string_view kEd25519Pem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIH25D5MsF0sQ3htqVSWkpswtxZAdhtgBgwBfloHlZtMS
-----END PRIVATE KEY-----
)";
constexpr std::string_view kEcPem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZQ/dCvFg6RzaN/ht
mYMamfi0/bd5CuJQdTKmEtBsYtehRANCAASZ66VOp5mvNhA+gSCuQDV/IvLa12M9
Zsw7fmdff6u8dgG1xObg1LwgJtwpaFKUTBfCb/qDvcPwHHq+acK+JxzM
-----END PRIVATE KEY-----
)";
constexpr std::string_view kAttackerPem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEYtbxZhF353+FxyaPEPZCevkns6VEVhGYm/5UQphEWm
-----END PRIVATE KEY-----
)";

// 2027-01-15T08:00:00Z: the seeds' iat/nbf/exp are written around it.
constexpr int64_t kNow = 1'800'000'000;

class FixedClock final : public gatehouse::core::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
  }
};

SigningKey Load(std::string_view pem, Algorithm alg) {
  auto key = SigningKey::FromPrivatePem(pem, alg);
  FUZZ_CHECK(key.has_value());
  return *key;
}

struct Fixture {
  FixedClock clock;
  SigningKey rsa = Load(kRsaPem, Algorithm::kRs256);
  SigningKey ed = Load(kEd25519Pem, Algorithm::kEdDsa);
  SigningKey ec = Load(kEcPem, Algorithm::kEs256);
  SigningKey attacker = Load(kAttackerPem, Algorithm::kEdDsa);
  std::shared_ptr<const gatehouse::crypto::Keyring> keyring;
  JwtVerifier lenient{clock};
  JwtVerifier strict{clock, JwtVerifyOptions{.issuer = "https://issuer.example",
                                             .audience = "https://api.example",
                                             .typ = "at+jwt"}};

  Fixture() {
    std::vector<gatehouse::crypto::KeyringEntry> entries = {
        {rsa, gatehouse::crypto::KeyState::kCurrent},
        {ed, gatehouse::crypto::KeyState::kNext},
        {ec, gatehouse::crypto::KeyState::kNext},
    };
    auto created = gatehouse::crypto::Keyring::Create(std::move(entries), kNow);
    FUZZ_CHECK(created.has_value());
    keyring = *created;
    FUZZ_CHECK(keyring->Find(attacker.kid()) == nullptr);
  }

  const SigningKey* Trusted(std::string_view kid) const {
    for (const SigningKey* key : {&rsa, &ed, &ec}) {
      if (key->kid() == kid) return key;
    }
    return nullptr;
  }
};

const Fixture& GetFixture() {
  static const Fixture* fixture = new Fixture();
  return *fixture;
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Checks what any accepted token must satisfy; returns whether it was accepted.
bool VerifyAndCheck(const Fixture& f, const JwtVerifier& verifier, std::string_view token) {
  const auto decoded = verifier.Verify(token, *f.keyring);
  if (!decoded) {
    FUZZ_CHECK(decoded.error().code() == gatehouse::core::ErrorCode::kInvalidToken);
    return false;
  }
  const SigningKey* key = f.Trusted(decoded->kid);
  FUZZ_CHECK(key != nullptr);
  FUZZ_CHECK(key->algorithm() == decoded->alg);
  FUZZ_CHECK(!decoded->header.contains("crit"));
  const size_t last_dot = token.rfind('.');
  FUZZ_CHECK(last_dot != std::string_view::npos);
  const std::string_view signing_input = token.substr(0, last_dot);
  const std::string_view signature_part = token.substr(last_dot + 1);
  const auto signature = gatehouse::crypto::Base64UrlDecode(signature_part);
  FUZZ_CHECK(signature.has_value());
  // One signature, one spelling: a token cannot be altered into another accepted string.
  FUZZ_CHECK(gatehouse::crypto::Base64UrlEncode(*signature) == signature_part);
  if (decoded->alg == Algorithm::kEs256) {
    FUZZ_CHECK(signature->size() == 64);
  } else {
    FUZZ_CHECK(key->Sign(signing_input) == *signature);
  }
  return true;
}

void VerifyBoth(const Fixture& f, std::string_view token, bool must_refuse,
                const std::optional<std::string>& payload) {
  for (const JwtVerifier* verifier : {&f.lenient, &f.strict}) {
    if (!VerifyAndCheck(f, *verifier, token)) continue;
    FUZZ_CHECK(!must_refuse);
    if (payload) {
      const auto decoded = verifier->Verify(token, *f.keyring);
      json::error_code ec;
      const json::value parsed = json::parse(*payload, ec);
      FUZZ_CHECK(!ec && parsed.is_object());
      // Compared as text: a NaN member (Boost.JSON reads 0e400 as NaN) never equals itself.
      FUZZ_CHECK(json::serialize(decoded->claims) == json::serialize(parsed.as_object()));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const Fixture& f = GetFixture();
  const bool signed_mode = (data[0] & 1) != 0;
  const std::string_view rest = gatehouse::fuzz::AsText(data + 2, size - 2);
  if (!signed_mode) {
    VerifyBoth(f, rest, /*must_refuse=*/false, std::nullopt);
    return 0;
  }

  const SigningKey* const signers[] = {&f.rsa, &f.ed, &f.ec, &f.attacker};
  const uint8_t pick = data[1] & 3;
  const SigningKey& signer = *signers[pick];
  const bool attacker_signed = pick == 3;
  // The attacker writes the trusted EdDSA key's kid; everyone else their own.
  const SigningKey& named = attacker_signed ? f.ed : signer;

  const size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string header(rest.substr(0, newline));
  const std::string payload(rest.substr(newline + 1));
  ReplaceAll(header, "$KID", named.kid());
  ReplaceAll(header, "$ALG", gatehouse::crypto::AlgorithmName(named.algorithm()));
  std::string token = gatehouse::crypto::Base64UrlEncode(header) + "." +
                      gatehouse::crypto::Base64UrlEncode(payload);
  const std::string signature = signer.Sign(token);
  token += "." + gatehouse::crypto::Base64UrlEncode(signature);
  if ((data[0] & 2) != 0) {
    // Tamper: overwrite one character with a base64url character. Its position, counted from
    // the end in steps of 9, reaches into the header and payload of every key's tokens.
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const size_t position = static_cast<size_t>(data[0] >> 2) * 9 % token.size();
    char& target = token[token.size() - 1 - position];
    const char replacement = kAlphabet[data[1] >> 2];
    if (target != replacement) {
      target = replacement;
      VerifyBoth(f, token, /*must_refuse=*/true, payload);
      return 0;
    }
  }
  VerifyBoth(f, token, attacker_signed, payload);
  return 0;
}
