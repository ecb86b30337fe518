#include "crypto/verification_key.h"

#include <openssl/err.h>

#include <array>

#include "crypto/key_material.h"
#include "crypto/openssl_handles.h"
#include "crypto/signing_key.h"

namespace gatehouse::crypto {

struct VerificationKey::State {
  PkeyPtr key;
  Algorithm alg;
  MdCtxPtr verify_template;
  std::string kid;
  size_t rsa_signature_size;
};

namespace {

core::Error BadJwk(std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidRequest, why);
}

// Every private member of any JWK key type (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
constexpr std::array<std::string_view, 8> kPrivateMembers = {"d",  "p",  "q",   "dp",
                                                             "dq", "qi", "oth", "k"};

core::Result<void> CheckUsage(const boost::json::object& jwk, Algorithm alg) {
  for (std::string_view member : kPrivateMembers) {
    if (jwk.contains(member)) return BadJwk("JWK contains private key material");
  }
  if (auto it = jwk.find("alg"); it != jwk.end()) {
    if (!it->value().is_string() || it->value().get_string() != AlgorithmName(alg)) {
      return BadJwk("JWK alg does not match its key type");
    }
  }
  if (auto it = jwk.find("use"); it != jwk.end()) {
    if (!it->value().is_string() || it->value().get_string() != "sig") {
      return BadJwk("JWK use is not sig");
    }
  }
  if (auto it = jwk.find("key_ops"); it != jwk.end()) {
    const boost::json::array* ops = it->value().if_array();
    bool verify = false;
    if (ops != nullptr) {
      for (const auto& op : *ops)
        verify = verify || (op.is_string() && op.get_string() == "verify");
    }
    if (!verify) return BadJwk("JWK key_ops does not allow verify");
  }
  if (auto it = jwk.find("kid"); it != jwk.end() && !it->value().is_string()) {
    return BadJwk("JWK kid is not a string");
  }
  return {};
}

}  // namespace

VerificationKey VerificationKey::Adopt(EVP_PKEY* raw_key, Algorithm alg, std::string kid) {
  auto state = std::make_shared<State>();
  state->key.reset(raw_key);
  state->alg = alg;
  state->verify_template = internal::NewVerifyTemplate(raw_key, alg);
  state->kid = std::move(kid);
  state->rsa_signature_size =
      alg == Algorithm::kRs256 ? static_cast<size_t>(EVP_PKEY_get_size(raw_key)) : 0;
  return VerificationKey(std::move(state));
}

core::Result<VerificationKey> VerificationKey::FromJwk(const boost::json::object& jwk) {
  auto alg = internal::AlgorithmForJwk(jwk);
  if (!alg) return alg.error();
  if (auto usage = CheckUsage(jwk, *alg); !usage) return usage.error();
  auto key = internal::PublicKeyFromJwk(jwk, *alg);
  if (!key) return key.error();
  std::string kid;
  if (auto it = jwk.find("kid"); it != jwk.end()) kid = it->value().get_string();
  return Adopt(key->release(), *alg, std::move(kid));
}

VerificationKey VerificationKey::FromSigningKey(const SigningKey& key) {
  return Adopt(UpRef(key.pkey()).release(), key.algorithm(), key.kid());
}

Algorithm VerificationKey::algorithm() const { return state_->alg; }
const std::string& VerificationKey::kid() const { return state_->kid; }

bool VerificationKey::Verify(Algorithm alg, std::string_view signing_input,
                             std::string_view signature) const {
  if (alg != state_->alg) return false;
  std::optional<std::string> der;
  switch (alg) {
    case Algorithm::kRs256:
      if (signature.size() != state_->rsa_signature_size) return false;
      break;
    case Algorithm::kEs256:
      der = internal::EcdsaRawToDer(signature);
      if (!der) return false;
      signature = *der;
      break;
    case Algorithm::kEdDsa:
      if (signature.size() != 64) return false;
      break;
  }
  MdCtxPtr ctx = internal::CopyContext(state_->verify_template.get());
  int ok = EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(signing_input),
                            signing_input.size());
  // A rejected signature queues an error; it must not surface in an unrelated later failure.
  if (ok != 1) ERR_clear_error();
  return ok == 1;
}

}  // namespace gatehouse::crypto
