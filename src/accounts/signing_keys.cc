#include "accounts/signing_keys.h"

#include <algorithm>
#include <boost/json.hpp>

#include "crypto/aes_gcm.h"
#include "crypto/encoding.h"
#include "crypto/signing_key.h"
#include "store/cache_version_repository.h"
#include "store/signing_key_repository.h"

namespace gatehouse::accounts {
namespace {

std::string SealAad(std::string_view kid) { return "gatehouse signing-key:" + std::string(kid); }

struct KeyStates {
  std::optional<store::SigningKeyRecord> current;
  std::optional<store::SigningKeyRecord> next;
};

KeyStates ReadStates(store::Connection& c) {
  KeyStates s;
  const auto rows = c.Query(
      "SELECT kid, state, created_at, activated_at FROM signing_keys "
      "WHERE state = 'current' OR state = 'next' ORDER BY created_at, kid");
  for (const auto& row : rows) {
    store::SigningKeyRecord r;
    r.kid = row.Text(0);
    r.state = row.Text(1);
    r.created_at = row.Int(2);
    r.activated_at = row.OptionalInt(3);
    (r.state == store::kKeyStateCurrent ? s.current : s.next) = std::move(r);
  }
  return s;
}

}  // namespace

SigningKeys::SigningKeys(store::Database& db, const core::Clock& clock, core::Random& random,
                         std::string master_key, SigningKeyPolicy policy)
    : db_(db),
      clock_(clock),
      random_(random),
      master_key_(std::move(master_key)),
      policy_(policy) {}

store::SigningKeyRecord SigningKeys::NewSealedKey(int64_t now) {
  const crypto::SigningKey key = crypto::SigningKey::Generate(policy_.algorithm);
  std::string pem = key.PrivatePem();
  store::SigningKeyRecord r;
  r.kid = key.kid();
  r.alg = std::string(crypto::AlgorithmName(policy_.algorithm));
  r.state = std::string(store::kKeyStateNext);
  r.private_key_enc =
      crypto::Base64UrlEncode(crypto::Seal(master_key_, pem, SealAad(r.kid), random_));
  std::fill(pem.begin(), pem.end(), '\0');
  r.public_jwk = boost::json::serialize(key.PublicJwk());
  r.created_at = now;
  return r;
}

bool SigningKeys::Change(bool rotate, const std::function<bool(const KeyStateView&)>& wanted) {
  // Keys are generated before the transaction (RSA generation takes tens of milliseconds and must
  // not hold the write lock); unused ones are dropped.
  const int64_t now = clock_.NowSeconds();
  store::SigningKeyRecord spare_current = NewSealedKey(now);
  store::SigningKeyRecord spare_next = NewSealedKey(now);
  bool changed = false;
  db_.Transaction([&](store::Connection& c) {
    changed = false;
    // The bump takes the lock that serializes key changes across processes; then re-read.
    store::CacheVersionRepository::Bump(c, store::kSigningKeysCacheName);
    KeyStates s = ReadStates(c);
    if (!wanted({s.current.has_value(), s.next.has_value(),
                 s.current ? s.current->activated_at.value_or(s.current->created_at) : 0})) {
      return;
    }
    if (rotate && s.current) {
      store::SigningKeyRepository::TransitionState(c, s.current->kid, store::kKeyStateCurrent,
                                                   store::kKeyStateRetired, now,
                                                   now + policy_.retired_publish_seconds);
      s.current.reset();
    }
    if (!s.current) {
      if (s.next) {
        store::SigningKeyRepository::TransitionState(c, s.next->kid, store::kKeyStateNext,
                                                     store::kKeyStateCurrent, now, std::nullopt);
        s.next.reset();
      } else {
        spare_current.state = std::string(store::kKeyStateCurrent);
        spare_current.activated_at = now;
        store::SigningKeyRepository::Insert(c, spare_current);
      }
    }
    if (!s.next) store::SigningKeyRepository::Insert(c, spare_next);
    changed = true;
  });
  return changed;
}

void SigningKeys::EnsureKeys() {
  const auto keys = store::SigningKeyRepository(db_).ListPublished(clock_.NowSeconds());
  const auto has = [&](std::string_view state) {
    return std::any_of(keys.begin(), keys.end(), [&](const auto& k) { return k.state == state; });
  };
  if (!has(store::kKeyStateCurrent) || !has(store::kKeyStateNext)) {
    Change(false, [](const KeyStateView& v) { return !v.has_current || !v.has_next; });
  }
  Reload();
}

std::string SigningKeys::Rotate() {
  Change(true, [](const KeyStateView&) { return true; });
  Reload();
  const auto snapshot = Snapshot();
  return snapshot && snapshot->Current() ? snapshot->Current()->kid() : std::string();
}

bool SigningKeys::RotateIfDue() {
  if (policy_.rotation_seconds <= 0) return false;
  const auto due = [&](const KeyStateView& v) {
    return !v.has_current ||
           v.current_activated_at + policy_.rotation_seconds <= clock_.NowSeconds();
  };
  // The common case (not due) is decided from the loaded snapshot without touching the database.
  const auto snapshot = Snapshot();
  if (snapshot && snapshot->Current() && !due({true, true, activated_at_.load()})) return false;
  const bool rotated = Change(true, due);
  Reload();
  return rotated;
}

void SigningKeys::Reload() {
  store::SigningKeyRepository repo(db_);
  const int64_t now = clock_.NowSeconds();
  std::vector<crypto::KeyringEntry> entries;
  for (const auto& r : repo.ListPublished(now)) {
    const auto alg = crypto::ParseAlgorithm(r.alg);
    const auto sealed = crypto::Base64UrlDecode(r.private_key_enc);
    std::optional<std::string> pem;
    if (alg && sealed) pem = crypto::Open(master_key_, *sealed, SealAad(r.kid));
    if (!pem) {
      throw core::InfrastructureError(
          "signing key " + r.kid +
              " cannot be decrypted: is this the master key the keys were created with?",
          false);
    }
    auto key = crypto::SigningKey::FromPrivatePem(*pem, *alg);
    std::fill(pem->begin(), pem->end(), '\0');
    if (!key) throw core::InfrastructureError("signing key " + r.kid + " does not load", false);
    crypto::KeyState state = crypto::KeyState::kRetired;
    if (r.state == store::kKeyStateCurrent) {
      state = crypto::KeyState::kCurrent;
      activated_at_.store(r.activated_at.value_or(r.created_at));
    }
    if (r.state == store::kKeyStateNext) state = crypto::KeyState::kNext;
    entries.push_back({std::move(*key), state, r.publish_until.value_or(0)});
  }
  auto keyring = crypto::Keyring::Create(std::move(entries), now);
  if (!keyring) throw core::InfrastructureError(keyring.error().description(), false);
  keyring_.store(std::move(*keyring));
}

int64_t SigningKeys::DeleteExpired() {
  int64_t n = 0;
  db_.Transaction([&](store::Connection& c) {
    n = store::SigningKeyRepository::DeleteExpired(c, clock_.NowSeconds());
    if (n > 0) store::CacheVersionRepository::Bump(c, store::kSigningKeysCacheName);
  });
  return n;
}

std::vector<SigningKeyInfo> SigningKeys::List() const {
  std::vector<SigningKeyInfo> out;
  store::SigningKeyRepository repo(db_);
  for (auto& r : repo.ListAll()) {
    out.push_back({r.kid, r.alg, r.state, r.created_at, r.activated_at, r.publish_until});
  }
  return out;
}

}  // namespace gatehouse::accounts
