#include "crypto/key_material.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <array>
#include <cstring>

#include "crypto/encoding.h"

namespace gatehouse::crypto::internal {
namespace {

core::Error BadKey(std::string_view why) {
  // Whatever OpenSSL queued while rejecting the key belongs to this failure, not the next one.
  ERR_clear_error();
  return core::Error(core::ErrorCode::kInvalidRequest, why);
}

std::optional<std::string_view> StringMember(const boost::json::object& jwk,
                                             std::string_view name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->value().is_string()) return std::nullopt;
  const boost::json::string& s = it->value().get_string();
  return std::string_view(s.data(), s.size());
}

// Wipes decoded private key bytes when they go out of scope.
class SecretBytes {
 public:
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  ~SecretBytes() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  const std::string& get() const { return bytes_; }

 private:
  std::string bytes_;
};

// A base64url member decoded to bytes; nullopt when absent, not a string, or not base64url.
std::optional<std::string> BytesMember(const boost::json::object& jwk, std::string_view name) {
  auto text = StringMember(jwk, name);
  if (!text) return std::nullopt;
  return Base64UrlDecode(*text);
}

// Base64urlUInt (RFC 7518 §2): a non-empty big-endian unsigned integer.
template <class Ptr>
Ptr UIntMember(const boost::json::object& jwk, std::string_view name) {
  auto bytes = BytesMember(jwk, name);
  if (!bytes || bytes->empty()) return nullptr;
  SecretBytes wiped(std::move(*bytes));
  const std::string& b = wiped.get();
  BIGNUM* bn = BN_bin2bn(Bytes(b), static_cast<int>(b.size()), nullptr);
  if (bn == nullptr) ThrowCryptoFault("BN_bin2bn");
  return Ptr(bn);
}

std::string BignumBytes(const BIGNUM* bn, size_t pad_to = 0) {
  size_t size = pad_to != 0 ? pad_to : static_cast<size_t>(BN_num_bytes(bn));
  std::string out(size, '\0');
  int written = pad_to != 0 ? BN_bn2binpad(bn, MutableBytes(out), static_cast<int>(size))
                            : BN_bn2bin(bn, MutableBytes(out));
  if (written < 0) ThrowCryptoFault("BN_bn2bin");
  return out;
}

std::string KeyBignumParam(EVP_PKEY* key, const char* name, size_t pad_to = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) ThrowCryptoFault(name);
  BignumPtr bn(raw);
  return BignumBytes(bn.get(), pad_to);
}

template <class Ptr>
void PushBignum(OSSL_PARAM_BLD* bld, const char* name, const Ptr& bn) {
  if (OSSL_PARAM_BLD_push_BN(bld, name, bn.get()) != 1) ThrowCryptoFault(name);
}

// Builds a key of `type` ("RSA", "EC") from the parameters in `bld`.
PkeyPtr KeyFromParams(const char* type, OSSL_PARAM_BLD* bld, int selection) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) ThrowCryptoFault(type);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return PkeyPtr(key);
}

enum class Check { kPublic, kKeyPair };

// OpenSSL's own validation: the point is on the curve, the RSA modulus is sane, and for key
// pairs that the private half matches the public half.
bool Validates(EVP_PKEY* key, Check check) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx) ThrowCryptoFault("EVP_PKEY_CTX_new_from_pkey");
  int ok = check == Check::kPublic ? EVP_PKEY_public_check(ctx.get())
                                   : EVP_PKEY_pairwise_check(ctx.get());
  if (ok != 1) ERR_clear_error();
  return ok == 1;
}

core::Result<PkeyPtr> RsaFromJwk(const boost::json::object& jwk, bool with_private) {
  auto n = UIntMember<BignumPtr>(jwk, "n");
  auto e = UIntMember<BignumPtr>(jwk, "e");
  if (!n || !e) return BadKey("RSA JWK needs base64url n and e");
  int bits = BN_num_bits(n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return BadKey("RSA key size must be between 2048 and 8192 bits");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) ThrowCryptoFault("OSSL_PARAM_BLD_new");
  PushBignum(bld.get(), OSSL_PKEY_PARAM_RSA_N, n);
  PushBignum(bld.get(), OSSL_PKEY_PARAM_RSA_E, e);
  if (with_private) {
    static constexpr std::array<std::pair<const char*, const char*>, 6> kPrivate = {{
        {"d", OSSL_PKEY_PARAM_RSA_D},
        {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
        {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
        {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
        {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
        {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
    }};
    // The parameter builder keeps pointers to the BIGNUMs until the params are built.
    std::array<SecretBignumPtr, kPrivate.size()> values;
    for (size_t i = 0; i < kPrivate.size(); ++i) {
      values[i] = UIntMember<SecretBignumPtr>(jwk, kPrivate[i].first);
      if (!values[i]) return BadKey("RSA private JWK needs d, p, q, dp, dq and qi");
      PushBignum(bld.get(), kPrivate[i].second, values[i]);
    }
    PkeyPtr key = KeyFromParams("RSA", bld.get(), EVP_PKEY_KEYPAIR);
    if (!key || !Validates(key.get(), Check::kKeyPair)) return BadKey("invalid RSA private key");
    return key;
  }
  PkeyPtr key = KeyFromParams("RSA", bld.get(), EVP_PKEY_PUBLIC_KEY);
  if (!key || !Validates(key.get(), Check::kPublic)) return BadKey("invalid RSA public key");
  return key;
}

core::Result<PkeyPtr> EcFromJwk(const boost::json::object& jwk, bool with_private) {
  auto x = BytesMember(jwk, "x");
  auto y = BytesMember(jwk, "y");
  // RFC 7518 §6.2.1.2: coordinates are always the full field size.
  if (!x || !y || x->size() != kEs256CoordinateBytes || y->size() != kEs256CoordinateBytes) {
    return BadKey("P-256 JWK needs 32-byte base64url x and y");
  }
  std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed point
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    ThrowCryptoFault("EC params");
  }
  SecretBignumPtr d;
  if (with_private) {
    auto d_bytes = BytesMember(jwk, "d");
    if (!d_bytes || d_bytes->size() != kEs256CoordinateBytes) {
      if (d_bytes) OPENSSL_cleanse(d_bytes->data(), d_bytes->size());
      return BadKey("P-256 private JWK needs a 32-byte base64url d");
    }
    SecretBytes wiped(std::move(*d_bytes));
    d.reset(BN_bin2bn(Bytes(wiped.get()), static_cast<int>(wiped.get().size()), nullptr));
    if (!d) ThrowCryptoFault("BN_bin2bn");
    PushBignum(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d);
  }
  PkeyPtr key =
      KeyFromParams("EC", bld.get(), with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
  if (!key || !Validates(key.get(), with_private ? Check::kKeyPair : Check::kPublic)) {
    return BadKey("invalid P-256 key");
  }
  return key;
}

core::Result<PkeyPtr> Ed25519FromJwk(const boost::json::object& jwk, bool with_private) {
  auto x = BytesMember(jwk, "x");
  if (!x || x->size() != kEd25519KeyBytes) return BadKey("Ed25519 JWK needs a 32-byte x");
  if (!with_private) {
    EVP_PKEY* key =
        EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, Bytes(*x), x->size());
    if (key == nullptr) return BadKey("invalid Ed25519 public key");
    return PkeyPtr(key);
  }
  auto d_bytes = BytesMember(jwk, "d");
  if (!d_bytes || d_bytes->size() != kEd25519KeyBytes) {
    if (d_bytes) OPENSSL_cleanse(d_bytes->data(), d_bytes->size());
    return BadKey("Ed25519 private JWK needs a 32-byte d");
  }
  SecretBytes d(std::move(*d_bytes));
  PkeyPtr key(
      EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, Bytes(d.get()), d.get().size()));
  if (!key) return BadKey("invalid Ed25519 private key");
  // The public key is derived from d; an x that disagrees means the JWK is not one key.
  unsigned char derived[kEd25519KeyBytes];
  size_t derived_size = sizeof(derived);
  if (EVP_PKEY_get_raw_public_key(key.get(), derived, &derived_size) != 1) {
    ThrowCryptoFault("EVP_PKEY_get_raw_public_key");
  }
  if (derived_size != x->size() || std::memcmp(derived, x->data(), derived_size) != 0) {
    return BadKey("Ed25519 JWK x does not match d");
  }
  return key;
}

core::Result<PkeyPtr> KeyFromJwk(const boost::json::object& jwk, Algorithm alg, bool with_private) {
  auto implied = AlgorithmForJwk(jwk);
  if (!implied) return implied.error();
  if (*implied != alg) return BadKey("JWK key type does not match the algorithm");
  switch (alg) {
    case Algorithm::kRs256:
      return RsaFromJwk(jwk, with_private);
    case Algorithm::kEs256:
      return EcFromJwk(jwk, with_private);
    case Algorithm::kEdDsa:
      return Ed25519FromJwk(jwk, with_private);
  }
  return BadKey("unsupported algorithm");
}

MdCtxPtr NewTemplate(EVP_PKEY* key, Algorithm alg, bool sign) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  // Ed25519 hashes internally (PureEdDSA): no digest is named.
  const char* digest = alg == Algorithm::kEdDsa ? nullptr : "SHA256";
  int ok = ctx ? (sign ? EVP_DigestSignInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr, key,
                                               nullptr)
                       : EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr, key,
                                                 nullptr))
               : 0;
  if (ok != 1) ThrowCryptoFault(sign ? "EVP_DigestSignInit_ex" : "EVP_DigestVerifyInit_ex");
  return ctx;
}

}  // namespace

core::Result<void> CheckKeyFitsAlgorithm(EVP_PKEY* key, Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256: {
      if (EVP_PKEY_is_a(key, "RSA") != 1) return BadKey("RS256 needs an RSA key");
      int bits = EVP_PKEY_get_bits(key);
      if (bits < kMinRsaBits || bits > kMaxRsaBits) {
        return BadKey("RSA key size must be between 2048 and 8192 bits");
      }
      return {};
    }
    case Algorithm::kEs256: {
      if (EVP_PKEY_is_a(key, "EC") != 1) return BadKey("ES256 needs an EC key");
      char group[64];
      size_t group_size = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof(group), &group_size) != 1) {
        return BadKey("EC key without a named curve");
      }
      std::string_view name(group, group_size);
      if (name != "prime256v1" && name != "P-256") return BadKey("ES256 needs a P-256 key");
      return {};
    }
    case Algorithm::kEdDsa:
      if (EVP_PKEY_is_a(key, "ED25519") != 1) return BadKey("EdDSA needs an Ed25519 key");
      return {};
  }
  return BadKey("unsupported algorithm");
}

core::Result<Algorithm> AlgorithmForJwk(const boost::json::object& jwk) {
  auto kty = StringMember(jwk, "kty");
  if (!kty) return BadKey("JWK without kty");
  if (*kty == "RSA") return Algorithm::kRs256;
  auto crv = StringMember(jwk, "crv");
  if (*kty == "EC") {
    if (crv == "P-256") return Algorithm::kEs256;
    return BadKey("unsupported EC curve (only P-256)");
  }
  if (*kty == "OKP") {
    if (crv == "Ed25519") return Algorithm::kEdDsa;
    return BadKey("unsupported OKP curve (only Ed25519)");
  }
  return BadKey("unsupported JWK kty");
}

boost::json::object PublicJwkMembers(EVP_PKEY* key, Algorithm alg) {
  boost::json::object jwk;
  switch (alg) {
    case Algorithm::kRs256:
      jwk["kty"] = "RSA";
      jwk["n"] = Base64UrlEncode(KeyBignumParam(key, OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = Base64UrlEncode(KeyBignumParam(key, OSSL_PKEY_PARAM_RSA_E));
      break;
    case Algorithm::kEs256:
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] =
          Base64UrlEncode(KeyBignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, kEs256CoordinateBytes));
      jwk["y"] =
          Base64UrlEncode(KeyBignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, kEs256CoordinateBytes));
      break;
    case Algorithm::kEdDsa: {
      std::string x(kEd25519KeyBytes, '\0');
      size_t size = x.size();
      if (EVP_PKEY_get_raw_public_key(key, MutableBytes(x), &size) != 1 || size != x.size()) {
        ThrowCryptoFault("EVP_PKEY_get_raw_public_key");
      }
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = Base64UrlEncode(x);
      break;
    }
  }
  return jwk;
}

core::Result<PkeyPtr> PublicKeyFromJwk(const boost::json::object& jwk, Algorithm alg) {
  return KeyFromJwk(jwk, alg, false);
}

core::Result<PkeyPtr> PrivateKeyFromJwk(const boost::json::object& jwk, Algorithm alg) {
  return KeyFromJwk(jwk, alg, true);
}

MdCtxPtr NewSignTemplate(EVP_PKEY* key, Algorithm alg) { return NewTemplate(key, alg, true); }

MdCtxPtr NewVerifyTemplate(EVP_PKEY* key, Algorithm alg) { return NewTemplate(key, alg, false); }

MdCtxPtr CopyContext(const EVP_MD_CTX* tmpl) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), tmpl) != 1) ThrowCryptoFault("EVP_MD_CTX_copy_ex");
  return ctx;
}

std::optional<std::string> EcdsaDerToRaw(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) {
    ERR_clear_error();
    return std::nullopt;
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  if (BN_num_bytes(r) > static_cast<int>(kEs256CoordinateBytes) ||
      BN_num_bytes(s) > static_cast<int>(kEs256CoordinateBytes)) {
    return std::nullopt;
  }
  return BignumBytes(r, kEs256CoordinateBytes) + BignumBytes(s, kEs256CoordinateBytes);
}

std::optional<std::string> EcdsaRawToDer(std::string_view raw) {
  if (raw.size() != 2 * kEs256CoordinateBytes) return std::nullopt;
  BignumPtr r(BN_bin2bn(Bytes(raw), kEs256CoordinateBytes, nullptr));
  BignumPtr s(BN_bin2bn(Bytes(raw) + kEs256CoordinateBytes, kEs256CoordinateBytes, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    ThrowCryptoFault("ECDSA_SIG_set0");
  }
  // The signature object owns r and s now.
  (void)r.release();
  (void)s.release();
  int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) ThrowCryptoFault("i2d_ECDSA_SIG");
  std::string der(static_cast<size_t>(size), '\0');
  unsigned char* p = MutableBytes(der);
  if (i2d_ECDSA_SIG(sig.get(), &p) != size) ThrowCryptoFault("i2d_ECDSA_SIG");
  return der;
}

}  // namespace gatehouse::crypto::internal
