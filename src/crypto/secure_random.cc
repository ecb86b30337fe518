#include "crypto/secure_random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cassert>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "crypto/encoding.h"
#include "crypto/openssl_handles.h"

namespace gatehouse::crypto {

void SecureRandom::Fill(std::span<uint8_t> out) {
  // RAND_bytes takes an int length; larger requests are served in pieces.
  while (!out.empty()) {
    size_t chunk = std::min<size_t>(out.size(), INT_MAX);
    if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
      std::fprintf(stderr, "gatehouse: fatal: CSPRNG failure: %s\n", TakeOpenSslErrors().c_str());
      std::abort();
    }
    out = out.subspan(chunk);
  }
}

std::string RandomToken(core::Random& random, size_t bytes) {
  assert(bytes >= kMinTokenBytes);
  return Base64UrlEncode(random.Bytes(bytes));
}

}  // namespace gatehouse::crypto
