#include "crypto/aes_gcm.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include <climits>
#include <cstring>
#include <span>
#include <stdexcept>

#include "crypto/openssl_handles.h"

namespace gatehouse::crypto {
namespace {

const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (c == nullptr) ThrowCryptoFault("EVP_CIPHER_fetch(AES-256-GCM)");
    return c;  // lives for the process
  }();
  return cipher;
}

CipherCtxPtr NewContext() {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) ThrowCryptoFault("EVP_CIPHER_CTX_new");
  return ctx;
}

// EVP takes int lengths; anything that large is not a cookie or a key.
bool FitsInt(std::string_view s) { return s.size() <= static_cast<size_t>(INT_MAX / 2); }

}  // namespace

std::string Seal(std::string_view key32, std::string_view plaintext, std::string_view aad,
                 core::Random& random) {
  if (key32.size() != kAesGcmKeyBytes) {
    throw std::invalid_argument("AES-256-GCM key must be 32 bytes");
  }
  if (!FitsInt(plaintext) || !FitsInt(aad)) throw std::invalid_argument("AES-GCM input too large");
  std::string sealed(kAesGcmNonceBytes + plaintext.size() + kAesGcmTagBytes, '\0');
  unsigned char* nonce = MutableBytes(sealed);
  random.Fill(std::span<uint8_t>(nonce, kAesGcmNonceBytes));
  unsigned char* body = nonce + kAesGcmNonceBytes;

  CipherCtxPtr ctx = NewContext();
  int len = 0;
  int final_len = 0;
  if (EVP_EncryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key32), nonce, nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), body, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAesGcmTagBytes,
                          body + plaintext.size()) != 1) {
    ThrowCryptoFault("AES-256-GCM seal");
  }
  return sealed;
}

std::optional<std::string> Open(std::string_view key32, std::string_view sealed,
                                std::string_view aad) {
  if (key32.size() != kAesGcmKeyBytes || sealed.size() < kAesGcmOverhead || !FitsInt(sealed) ||
      !FitsInt(aad)) {
    return std::nullopt;
  }
  const unsigned char* nonce = Bytes(sealed);
  const unsigned char* body = nonce + kAesGcmNonceBytes;
  size_t body_size = sealed.size() - kAesGcmOverhead;
  // The tag is set through a non-const pointer; copy it rather than cast constness away.
  unsigned char tag[kAesGcmTagBytes];
  std::memcpy(tag, body + body_size, kAesGcmTagBytes);

  std::string plaintext(body_size, '\0');
  CipherCtxPtr ctx = NewContext();
  int len = 0;
  int final_len = 0;
  bool ok = EVP_DecryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key32), nonce, nullptr) == 1 &&
            (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                                              static_cast<int>(aad.size())) == 1) &&
            EVP_DecryptUpdate(ctx.get(), MutableBytes(plaintext), &len, body,
                              static_cast<int>(body_size)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAesGcmTagBytes, tag) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), MutableBytes(plaintext) + len, &final_len) == 1;
  if (!ok) {
    // Unauthenticated plaintext must not linger in memory.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    TakeOpenSslErrors();
    return std::nullopt;
  }
  return plaintext;
}

}  // namespace gatehouse::crypto
