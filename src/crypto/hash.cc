#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include <algorithm>

#include "crypto/encoding.h"

namespace gatehouse::crypto {
namespace {

// Fetched once: an implicit fetch by name on every call costs more than hashing a token.
const EVP_MD* FetchedMd(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) ThrowCryptoFault(name);
  return md;  // lives for the process
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* md = FetchedMd("SHA256");
  return md;
}

const EVP_MD* Sha512Md() {
  static const EVP_MD* md = FetchedMd("SHA512");
  return md;
}

std::string Digest(const EVP_MD* md, size_t size, std::string_view data) {
  std::string out(size, '\0');
  unsigned int written = 0;
  if (EVP_Digest(data.data(), data.size(), MutableBytes(out), &written, md, nullptr) != 1) {
    ThrowCryptoFault("EVP_Digest");
  }
  return out;
}

// An unkeyed HMAC context with its digest already chosen; duplicated per call because setting
// the digest by name would fetch it again.
const EVP_MAC_CTX* HmacSha256Template() {
  static const EVP_MAC_CTX* tmpl = [] {
    MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) ThrowCryptoFault("EVP_MAC_fetch(HMAC)");
    MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_CTX_set_params(ctx.get(), params) != 1) {
      ThrowCryptoFault("HMAC-SHA256 context");
    }
    return ctx.release();  // lives for the process
  }();
  return tmpl;
}

MacCtxPtr Duplicate(const EVP_MAC_CTX* ctx) {
  MacCtxPtr copy(EVP_MAC_CTX_dup(ctx));
  if (!copy) ThrowCryptoFault("EVP_MAC_CTX_dup");
  return copy;
}

std::string Finish(EVP_MAC_CTX* ctx, std::string_view data) {
  std::string out(kSha256Bytes, '\0');
  size_t written = 0;
  if (EVP_MAC_update(ctx, Bytes(data), data.size()) != 1 ||
      EVP_MAC_final(ctx, MutableBytes(out), &written, out.size()) != 1) {
    ThrowCryptoFault("HMAC-SHA256");
  }
  return out;
}

}  // namespace

std::string Sha256(std::string_view data) { return Digest(Sha256Md(), kSha256Bytes, data); }

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string Sha512(std::string_view data) { return Digest(Sha512Md(), kSha512Bytes, data); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  MacCtxPtr ctx = Duplicate(HmacSha256Template());
  // EVP_MAC_init treats a null key as "keep the current key"; an empty key must still be a key.
  static const unsigned char kEmpty = 0;
  const unsigned char* key_bytes = key.empty() ? &kEmpty : Bytes(key);
  if (EVP_MAC_init(ctx.get(), key_bytes, key.size(), nullptr) != 1) {
    ThrowCryptoFault("EVP_MAC_init");
  }
  return Finish(ctx.get(), data);
}

HmacSha256Key::HmacSha256Key(std::string_view key) : keyed_(Duplicate(HmacSha256Template())) {
  static const unsigned char kEmpty = 0;
  const unsigned char* key_bytes = key.empty() ? &kEmpty : Bytes(key);
  if (EVP_MAC_init(keyed_.get(), key_bytes, key.size(), nullptr) != 1) {
    ThrowCryptoFault("EVP_MAC_init");
  }
}

std::string HmacSha256Key::Mac(std::string_view data) const {
  MacCtxPtr ctx = Duplicate(keyed_.get());
  return Finish(ctx.get(), data);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  int content_differs = n == 0 ? 0 : CRYPTO_memcmp(a.data(), b.data(), n);
  // Bitwise, not short-circuit: both facts are always computed.
  return static_cast<bool>(static_cast<unsigned>(a.size() == b.size()) &
                           static_cast<unsigned>(content_differs == 0));
}

}  // namespace gatehouse::crypto
