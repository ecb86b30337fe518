#pragma once
// Compact JWS / JWT (RFC 7515, RFC 7519) issuance and strict verification, and the OIDC at_hash.
//
// SignJwt is the token-issuance hot path: the header is written by hand in a fixed member order
// and the claims are base64url-encoded straight out of the JSON serializer, so a token costs one
// output allocation plus the signature.
//
// JwtVerifier accepts only what Gatehouse issues (RFC 8725): three base64url parts, a JSON object
// header and payload, an allow-listed "alg" (never "none", never HMAC), no "crit", a "kid" that
// resolves to one of the caller's keys, and an "alg" that key's type supports; then it checks exp,
// nbf and iat against the injected clock, and optionally iss, aud and typ. Every failure is a
// core::Error with code kInvalidToken and a description fit for logs and error_description.
// Duplicate JSON members resolve to the last one (RFC 7515 §5.2 permits it), as in Boost.JSON.
//
// Thread-safety: SignJwt and AtHash are pure. A JwtVerifier is immutable after construction and
// Verify() may run concurrently; it references the clock, which must outlive it.

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "crypto/algorithm.h"
#include "crypto/signing_key.h"
#include "crypto/verification_key.h"

namespace gatehouse::crypto {

class Keyring;

// Header {"alg":…,"typ":…,"kid":…} (typ omitted when empty), payload `claims`, signed by `key`.
std::string SignJwt(const SigningKey& key, std::string_view typ, const boost::json::object& claims);

struct DecodedJwt {
  Algorithm alg;
  std::string kid;
  boost::json::object header;
  boost::json::object claims;
};

// Resolves a kid to a key, or nullptr when the kid is unknown. The returned key must stay valid
// until Verify() returns (e.g. the caller holds the keyring snapshot it came from).
using KeyLookup = std::function<const VerificationKey*(std::string_view kid)>;

struct JwtVerifyOptions {
  std::vector<Algorithm> allowed_algorithms = {Algorithm::kRs256, Algorithm::kEs256,
                                               Algorithm::kEdDsa};
  // When set, the "iss" claim must equal it exactly.
  std::optional<std::string> issuer;
  // When set, "aud" (a string, or an array of strings) must contain it exactly.
  std::optional<std::string> audience;
  // When set, the header "typ" must match it, compared case-insensitively and with an optional
  // "application/" prefix (RFC 7515 §4.1.9): "at+jwt" matches "application/at+jwt".
  std::optional<std::string> typ;
  // Allowed clock skew between the issuer and this verifier for exp, nbf and iat.
  std::chrono::seconds leeway{30};
  bool require_exp = true;
  // Skip the exp check (not nbf/iat): for id_token_hint, where an expired ID token is still a
  // valid hint (OIDC RP-Initiated Logout §2).
  bool allow_expired = false;
  // Checked before any decoding, so oversized input costs nothing.
  size_t max_token_bytes = 16 * 1024;
};

class JwtVerifier {
 public:
  explicit JwtVerifier(const core::Clock& clock, JwtVerifyOptions options = {});

  core::Result<DecodedJwt> Verify(std::string_view token, const KeyLookup& keys) const;
  // Resolves kids among the keyring's published keys (next, current, unexpired retired).
  core::Result<DecodedJwt> Verify(std::string_view token, const Keyring& keyring) const;

  const JwtVerifyOptions& options() const { return options_; }

 private:
  core::Result<void> CheckClaims(const boost::json::object& claims) const;

  const core::Clock& clock_;
  JwtVerifyOptions options_;
  std::string expected_typ_;  // options_.typ, normalized once
};

// OIDC Core §3.1.3.6 at_hash (and §3.3.2.11 c_hash): base64url of the left half of the hash of
// the ASCII token, using the hash of the ID token's "alg": SHA-256 (16 bytes kept) for RS256 and
// ES256. EdDSA names no hash; for Ed25519 we use SHA-512 (32 bytes kept), the hash inside
// Ed25519, as other OpenID providers and relying-party libraries do.
std::string AtHash(std::string_view access_token, Algorithm alg);

}  // namespace gatehouse::crypto
