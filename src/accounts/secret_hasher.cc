#include "accounts/secret_hasher.h"

#include "crypto/encoding.h"

namespace gatehouse::accounts {

std::string SecretHasher::Hash(std::string_view secret) const {
  return crypto::Base64UrlEncode(key_.Mac(secret));
}

bool SecretHasher::Verify(std::string_view secret, std::string_view stored_hash) const {
  return crypto::ConstantTimeEquals(Hash(secret), stored_hash);
}

}  // namespace gatehouse::accounts
