#pragma once
// The JWS algorithms Gatehouse signs and verifies (RFC 7518, RFC 8037). Each maps to exactly one
// key type, so a key never serves two algorithms:
//   RS256  RSASSA-PKCS1-v1_5 with SHA-256, RSA keys of 2048 bits or more (kty "RSA")
//   ES256  ECDSA on P-256 with SHA-256, signature is R||S (64 bytes)     (kty "EC", crv "P-256")
//   EdDSA  Ed25519                                                       (kty "OKP", crv "Ed25519")
// "none" and the HMAC algorithms are deliberately absent: they cannot be named, so they cannot be
// accepted (RFC 8725 §3.1, §3.2). Pure functions; thread-safe.

#include <optional>
#include <string_view>

namespace gatehouse::crypto {

enum class Algorithm { kRs256, kEs256, kEdDsa };

// "RS256", "ES256", "EdDSA".
std::string_view AlgorithmName(Algorithm alg);

// The exact, case-sensitive JWS "alg" value (RFC 7515 §4.1.1); std::nullopt for anything else,
// including "none" and "HS256".
std::optional<Algorithm> ParseAlgorithm(std::string_view name);

}  // namespace gatehouse::crypto
