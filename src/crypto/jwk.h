#pragma once
// JWK Thumbprint (RFC 7638): the base64url SHA-256 of a public JWK's required members in
// lexicographic order, without whitespace. Gatehouse uses it as the kid of its signing keys, so a
// kid names the key material itself. Pure; thread-safe.

#include <boost/json/object.hpp>

#include <string>

namespace gatehouse::crypto {

// Supports kty RSA (e, kty, n), EC (crv, kty, x, y), OKP (crv, kty, x) and oct (k, kty); other
// members (kid, alg, use, private ones) are ignored. Returns "" when kty is unsupported or a
// required member is missing or not a string: no key has an empty thumbprint.
std::string JwkThumbprint(const boost::json::object& public_jwk);

}  // namespace gatehouse::crypto
