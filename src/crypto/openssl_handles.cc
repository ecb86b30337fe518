#include "crypto/openssl_handles.h"

#include <openssl/err.h>

namespace gatehouse::crypto {

PkeyPtr UpRef(EVP_PKEY* key) {
  if (EVP_PKEY_up_ref(key) != 1) ThrowCryptoFault("EVP_PKEY_up_ref");
  return PkeyPtr(key);
}

std::string TakeOpenSslErrors() {
  std::string text;
  char buffer[256];
  while (unsigned long code = ERR_get_error()) {
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text;
}

void ThrowCryptoFault(std::string_view what) {
  std::string message(what);
  std::string errors = TakeOpenSslErrors();
  if (!errors.empty()) message += ": " + errors;
  throw CryptoFault(message);
}

}  // namespace gatehouse::crypto
