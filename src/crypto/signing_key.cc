#include "crypto/signing_key.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "crypto/jwk.h"
#include "crypto/key_material.h"
#include "crypto/openssl_handles.h"

namespace gatehouse::crypto {

struct SigningKey::State {
  PkeyPtr key;
  Algorithm alg;
  MdCtxPtr sign_template;
  std::string kid;
  boost::json::object public_jwk;
  size_t max_signature_size;
};

namespace {

core::Error LoadError(std::string_view what) {
  ERR_clear_error();
  return core::Error(core::ErrorCode::kServerError, what);
}

// A PEM password callback that refuses: without it OpenSSL would prompt on the terminal for an
// encrypted key, blocking the server.
int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace

SigningKey SigningKey::Adopt(EVP_PKEY* raw_key, Algorithm alg) {
  auto state = std::make_shared<State>();
  state->key.reset(raw_key);
  state->alg = alg;
  state->sign_template = internal::NewSignTemplate(raw_key, alg);
  boost::json::object members = internal::PublicJwkMembers(raw_key, alg);
  state->kid = JwkThumbprint(members);
  state->public_jwk = std::move(members);
  state->public_jwk["kid"] = state->kid;
  state->public_jwk["alg"] = AlgorithmName(alg);
  state->public_jwk["use"] = "sig";
  state->max_signature_size =
      alg == Algorithm::kRs256 ? static_cast<size_t>(EVP_PKEY_get_size(raw_key)) : 64;
  return SigningKey(std::move(state));
}

SigningKey SigningKey::Generate(Algorithm alg) {
  EVP_PKEY* key = nullptr;
  switch (alg) {
    case Algorithm::kRs256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
      break;
    case Algorithm::kEs256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case Algorithm::kEdDsa:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (key == nullptr) ThrowCryptoFault("key generation");
  return Adopt(key, alg);
}

core::Result<SigningKey> SigningKey::FromPrivatePem(std::string_view pem, Algorithm alg) {
  // A private key PEM is a few kilobytes; anything huge is not one (and BIO lengths are int).
  if (pem.size() > 64 * 1024) return LoadError("PEM too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) ThrowCryptoFault("BIO_new_mem_buf");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) return LoadError("not an unencrypted PEM private key");
  if (auto fits = internal::CheckKeyFitsAlgorithm(key.get(), alg); !fits) {
    return LoadError(fits.error().description());
  }
  return Adopt(key.release(), alg);
}

core::Result<SigningKey> SigningKey::FromPrivateJwk(const boost::json::object& jwk, Algorithm alg) {
  auto key = internal::PrivateKeyFromJwk(jwk, alg);
  if (!key) return LoadError(key.error().description());
  return Adopt(key->release(), alg);
}

std::string SigningKey::PrivatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), state_->key.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    ThrowCryptoFault("PEM_write_bio_PrivateKey");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

Algorithm SigningKey::algorithm() const { return state_->alg; }
const std::string& SigningKey::kid() const { return state_->kid; }
const boost::json::object& SigningKey::PublicJwk() const { return state_->public_jwk; }
size_t SigningKey::MaxSignatureSize() const { return state_->max_signature_size; }
EVP_PKEY* SigningKey::pkey() const { return state_->key.get(); }

std::string SigningKey::Sign(std::string_view signing_input) const {
  MdCtxPtr ctx = internal::CopyContext(state_->sign_template.get());
  // ES256 DER may be a few bytes longer than R||S; EVP_PKEY_get_size covers it.
  std::string signature(static_cast<size_t>(EVP_PKEY_get_size(state_->key.get())), '\0');
  size_t size = signature.size();
  if (EVP_DigestSign(ctx.get(), MutableBytes(signature), &size, Bytes(signing_input),
                     signing_input.size()) != 1) {
    ThrowCryptoFault("EVP_DigestSign");
  }
  signature.resize(size);
  if (state_->alg != Algorithm::kEs256) return signature;
  auto raw = internal::EcdsaDerToRaw(signature);
  if (!raw) ThrowCryptoFault("ECDSA signature conversion");
  return std::move(*raw);
}

}  // namespace gatehouse::crypto
