#pragma once
// Internal to src/crypto: conversions between EVP_PKEY and JWK members, the per-algorithm key
// checks, signature-context templates, and the ES256 signature format. SigningKey and
// VerificationKey are the public faces; other layers include those, not this.
//
// Functions returning core::Result report bad input (kInvalidRequest, the caller may re-map);
// functions returning plain values throw CryptoFault on OpenSSL faults. All are thread-safe.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/algorithm.h"
#include "crypto/openssl_handles.h"

namespace gatehouse::crypto::internal {

inline constexpr int kMinRsaBits = 2048;
// Larger keys only make verification slower for whoever controls the JWK.
inline constexpr int kMaxRsaBits = 8192;
inline constexpr size_t kEs256CoordinateBytes = 32;
inline constexpr size_t kEd25519KeyBytes = 32;

// Whether `key` is of the one type `alg` uses, and of acceptable size or curve.
core::Result<void> CheckKeyFitsAlgorithm(EVP_PKEY* key, Algorithm alg);

// The algorithm a JWK's kty (and crv) imply; an error for anything unsupported.
core::Result<Algorithm> AlgorithmForJwk(const boost::json::object& jwk);

// kty and the public members: RSA n,e; EC crv,x,y; OKP crv,x (RFC 7518 §6, RFC 8037 §2).
boost::json::object PublicJwkMembers(EVP_PKEY* key, Algorithm alg);

core::Result<PkeyPtr> PublicKeyFromJwk(const boost::json::object& jwk, Algorithm alg);
// Private members too (RSA d,p,q,dp,dq,qi; EC d; OKP d), checked against the public ones.
core::Result<PkeyPtr> PrivateKeyFromJwk(const boost::json::object& jwk, Algorithm alg);

// A digest-sign or digest-verify context bound to `key` and the algorithm's hash, never used
// directly: callers copy it (CopyContext) per operation, which is cheaper than initialising and
// leaves the template untouched, so one template serves concurrent threads.
MdCtxPtr NewSignTemplate(EVP_PKEY* key, Algorithm alg);
MdCtxPtr NewVerifyTemplate(EVP_PKEY* key, Algorithm alg);
MdCtxPtr CopyContext(const EVP_MD_CTX* tmpl);

// ES256 signatures are R||S, each left-padded to 32 bytes (RFC 7518 §3.4); OpenSSL speaks DER.
std::optional<std::string> EcdsaDerToRaw(std::string_view der);
std::optional<std::string> EcdsaRawToDer(std::string_view raw);

}  // namespace gatehouse::crypto::internal
