#pragma once
// SigningKey: one private JWS signing key (RS256, ES256 or EdDSA; see crypto/algorithm.h) with its
// derived identity: kid is the RFC 7638 thumbprint of the public key, so the same key always has
// the same kid on every server process, and the published JWK is computed once.
//
// Ownership: a SigningKey is a cheap, copyable handle to immutable shared state (the EVP_PKEY and
// a prepared signature context); copies share it. Thread-safe: Sign() may run concurrently on
// one key from any number of threads (each call works on its own copy of the context).
//
// Failures: loading returns core::Result (kServerError: a stored key that does not load is a
// server fault, not a client's); Generate and PrivatePem throw CryptoFault (start-up and rotation
// paths); Sign throws CryptoFault only if OpenSSL itself fails (no input can cause it).

#include <openssl/types.h>

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/algorithm.h"

namespace gatehouse::crypto {

class SigningKey {
 public:
  // A fresh key from OpenSSL's CSPRNG: RSA 2048 bits, P-256, or Ed25519.
  static SigningKey Generate(Algorithm alg);
  // A PKCS#8 (or traditional) unencrypted PEM private key; fails unless it is a key for `alg`.
  static core::Result<SigningKey> FromPrivatePem(std::string_view pem, Algorithm alg);
  // A private JWK (RSA with all CRT members, EC P-256, OKP Ed25519), checked for consistency.
  // For importing published test vectors and keys from other systems.
  static core::Result<SigningKey> FromPrivateJwk(const boost::json::object& jwk, Algorithm alg);

  // PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted: seal it (crypto/aes_gcm.h) before it
  // leaves memory. The caller owns and should wipe the returned text.
  std::string PrivatePem() const;

  Algorithm algorithm() const;
  const std::string& kid() const;
  // {kty, <key members>, kid, alg, use: "sig"}; never contains private members.
  const boost::json::object& PublicJwk() const;
  // The largest signature Sign() returns (RSA: the modulus size; ES256 and EdDSA: 64).
  size_t MaxSignatureSize() const;

  // The raw JWS signature over `signing_input` (RFC 7515 §5.1): PKCS#1 v1.5 bytes, R||S (64),
  // or the Ed25519 signature (64).
  std::string Sign(std::string_view signing_input) const;

 private:
  struct State;
  explicit SigningKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  // Takes ownership of `key`, already checked to fit `alg`.
  static SigningKey Adopt(EVP_PKEY* key, Algorithm alg);
  EVP_PKEY* pkey() const;

  std::shared_ptr<const State> state_;

  friend class VerificationKey;
};

}  // namespace gatehouse::crypto
