#pragma once
// VerificationKey: one public JWS key bound to exactly one algorithm (RS256, ES256 or EdDSA; see
// crypto/algorithm.h). Verify() refuses any other algorithm, which is what defeats algorithm
// confusion: a token cannot choose how our RSA key is used (no HS256 with the public key as the
// HMAC secret, no "none").
//
// Ownership: a cheap, copyable handle to immutable shared state; copies share it. Thread-safe:
// Verify() may run concurrently on one key from any number of threads.
//
// Failures: FromJwk returns kInvalidRequest with a description (callers re-map it to their
// context, e.g. invalid_client_metadata for a client's JWKS); Verify() returns false for every
// kind of mismatch or malformed signature and never throws on input.

#include <openssl/types.h>

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/algorithm.h"

namespace gatehouse::crypto {

class SigningKey;

class VerificationKey {
 public:
  // A public JWK: kty RSA (2048-8192 bits), EC (crv P-256), OKP (crv Ed25519). Rejects unknown
  // key types and curves, "alg" other than the one the key type implies, "use" other than "sig",
  // "key_ops" without "verify", and any private member (a JWK carrying "d" is a leaked key).
  static core::Result<VerificationKey> FromJwk(const boost::json::object& jwk);
  // The public half of one of our own keys; kid and algorithm are the signing key's.
  static VerificationKey FromSigningKey(const SigningKey& key);

  Algorithm algorithm() const;
  // The JWK's "kid" (empty when it had none) or the signing key's kid.
  const std::string& kid() const;

  // True iff `alg` is this key's algorithm and `signature` is a valid raw JWS signature by this
  // key over `signing_input`.
  bool Verify(Algorithm alg, std::string_view signing_input, std::string_view signature) const;

 private:
  struct State;
  explicit VerificationKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  // Takes ownership of `key`, already checked to fit `alg`.
  static VerificationKey Adopt(EVP_PKEY* key, Algorithm alg, std::string kid);

  std::shared_ptr<const State> state_;
};

}  // namespace gatehouse::crypto
