#pragma once
// Owning handles for OpenSSL 3 objects: std::unique_ptr with a deleter that calls the matching
// *_free function, so every object is released on every path, including early returns and
// exceptions. A handle owns exactly one reference; UpRef() makes a second owner of a refcounted
// EVP_PKEY. Handles are as thread-safe as the object they hold: OpenSSL objects may be read
// (used as `const` inputs) from many threads, never mutated concurrently.
//
// CryptoFault is the one exception this layer throws: an OpenSSL failure that input cannot cause
// (allocation failure, a broken provider). It is a core::InfrastructureError, so on the request
// path it unwinds to the HTTP catch-all (500); at start-up it stops the process with its message.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace gatehouse::crypto {

namespace internal {
template <auto kFree>
struct FreeWith {
  template <class T>
  void operator()(T* p) const {
    kFree(p);
  }
};
}  // namespace internal

using PkeyPtr = std::unique_ptr<EVP_PKEY, internal::FreeWith<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, internal::FreeWith<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, internal::FreeWith<EVP_MD_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, internal::FreeWith<EVP_MD_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, internal::FreeWith<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, internal::FreeWith<EVP_MAC_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, internal::FreeWith<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, internal::FreeWith<EVP_CIPHER_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, internal::FreeWith<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, internal::FreeWith<BN_free>>;
// For private exponents and scalars: wiped before the memory is returned.
using SecretBignumPtr = std::unique_ptr<BIGNUM, internal::FreeWith<BN_clear_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, internal::FreeWith<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, internal::FreeWith<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, internal::FreeWith<ECDSA_SIG_free>>;

// A second owning reference to `key` (EVP_PKEY is reference counted and immutable once built).
PkeyPtr UpRef(EVP_PKEY* key);

class CryptoFault : public core::InfrastructureError {
 public:
  explicit CryptoFault(const std::string& what) : core::InfrastructureError(what, false) {}
};

// Drains this thread's OpenSSL error queue into one line ("" when empty). Call after a failure so
// a stale entry never misattributes a later, unrelated failure.
std::string TakeOpenSslErrors();

// Throws CryptoFault("<what>: <drained OpenSSL errors>").
[[noreturn]] void ThrowCryptoFault(std::string_view what);

// Borrowed byte views over std::string / std::string_view, the currency of this layer.
inline const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* MutableBytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

}  // namespace gatehouse::crypto
