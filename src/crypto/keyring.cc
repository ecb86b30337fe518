#include "crypto/keyring.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace gatehouse::crypto {

std::string_view KeyStateName(KeyState state) {
  switch (state) {
    case KeyState::kNext:
      return "next";
    case KeyState::kCurrent:
      return "current";
    case KeyState::kRetired:
      return "retired";
  }
  return "";
}

core::Result<std::shared_ptr<const Keyring>> Keyring::Create(std::vector<KeyringEntry> entries,
                                                             int64_t now_unix_seconds) {
  std::set<std::string_view> kids;
  size_t current_count = 0;
  for (const KeyringEntry& entry : entries) {
    if (!kids.insert(entry.key.kid()).second) {
      return core::Error(core::ErrorCode::kServerError,
                         "two signing keys share the kid " + entry.key.kid());
    }
    if (entry.state == KeyState::kCurrent) ++current_count;
  }
  if (current_count > 1) {
    return core::Error(core::ErrorCode::kServerError, "more than one current signing key");
  }

  std::shared_ptr<Keyring> ring(new Keyring());
  ring->entries_ = std::move(entries);
  auto published = [now_unix_seconds](const KeyringEntry& entry) {
    return entry.state != KeyState::kRetired || now_unix_seconds < entry.publish_until;
  };
  boost::json::array keys;
  // Current first: clients that take the first key of a JWKS then pick the signing one.
  for (KeyState state : {KeyState::kCurrent, KeyState::kNext, KeyState::kRetired}) {
    for (const KeyringEntry& entry : ring->entries_) {
      if (entry.state != state || !published(entry)) continue;
      if (state == KeyState::kCurrent) ring->current_ = &entry.key;
      ring->published_.push_back(VerificationKey::FromSigningKey(entry.key));
      keys.push_back(entry.key.PublicJwk());
    }
  }
  boost::json::object jwks;
  jwks["keys"] = std::move(keys);
  ring->jwks_json_ = boost::json::serialize(jwks);
  return std::shared_ptr<const Keyring>(std::move(ring));
}

const VerificationKey* Keyring::Find(std::string_view kid) const {
  // A handful of keys: a linear scan beats hashing the kid.
  for (const VerificationKey& key : published_) {
    if (key.kid() == kid) return &key;
  }
  return nullptr;
}

}  // namespace gatehouse::crypto
