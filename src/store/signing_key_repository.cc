#include "store/signing_key_repository.h"

#include <stdexcept>

#include "store/cache_version_repository.h"

namespace gatehouse::store {
namespace {

#define GH_SIGNING_KEY_COLUMNS                                                           \
  "kid, alg, state, private_key_enc, public_jwk, created_at, activated_at, retired_at, " \
  "publish_until"

SigningKeyRecord FromRow(const Row& row) {
  return SigningKeyRecord{
      .kid = row.Text(0),
      .alg = row.Text(1),
      .state = row.Text(2),
      .private_key_enc = row.Text(3),
      .public_jwk = row.Text(4),
      .created_at = row.Int(5),
      .activated_at = row.OptionalInt(6),
      .retired_at = row.OptionalInt(7),
      .publish_until = row.OptionalInt(8),
  };
}

std::vector<SigningKeyRecord> FromRows(const Rows& rows) {
  std::vector<SigningKeyRecord> keys;
  keys.reserve(rows.size());
  for (const Row& row : rows) keys.push_back(FromRow(row));
  return keys;
}

void CheckState(std::string_view state) {
  if (state != kKeyStateNext && state != kKeyStateCurrent && state != kKeyStateRetired) {
    throw std::invalid_argument("unknown signing key state '" + std::string(state) + "'");
  }
}

}  // namespace

void SigningKeyRepository::Insert(const SigningKeyRecord& key) {
  db_.Transaction([&key](Connection& c) { Insert(c, key); });
}

void SigningKeyRepository::Insert(Connection& c, const SigningKeyRecord& key) {
  CheckState(key.state);
  c.Execute("INSERT INTO signing_keys (" GH_SIGNING_KEY_COLUMNS
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {key.kid, key.alg, key.state, key.private_key_enc, key.public_jwk, key.created_at,
             Nullable(key.activated_at), Nullable(key.retired_at), Nullable(key.publish_until)});
  CacheVersionRepository::Bump(c, kSigningKeysCacheName);
}

std::optional<SigningKeyRecord> SigningKeyRepository::Get(std::string_view kid) {
  std::optional<SigningKeyRecord> key;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query("SELECT " GH_SIGNING_KEY_COLUMNS " FROM signing_keys WHERE kid = ?",
                        {std::string(kid)});
    if (!rows.empty()) key = FromRow(rows[0]);
  });
  return key;
}

std::vector<SigningKeyRecord> SigningKeyRepository::ListAll() {
  std::vector<SigningKeyRecord> keys;
  db_.Run([&](Connection& c) {
    keys = FromRows(
        c.Query("SELECT " GH_SIGNING_KEY_COLUMNS " FROM signing_keys ORDER BY created_at, kid"));
  });
  return keys;
}

std::vector<SigningKeyRecord> SigningKeyRepository::ListPublished(int64_t now) {
  std::vector<SigningKeyRecord> keys;
  db_.Run([&](Connection& c) {
    keys = FromRows(c.Query("SELECT " GH_SIGNING_KEY_COLUMNS
                            " FROM signing_keys WHERE state IN ('next', 'current') "
                            "OR (state = 'retired' AND publish_until > ?) ORDER BY created_at, kid",
                            {now}));
  });
  return keys;
}

bool SigningKeyRepository::TransitionState(std::string_view kid, std::string_view from_state,
                                           std::string_view to_state, int64_t at,
                                           std::optional<int64_t> publish_until) {
  bool changed = false;
  db_.Transaction([&](Connection& c) {
    changed = TransitionState(c, kid, from_state, to_state, at, publish_until);
  });
  return changed;
}

bool SigningKeyRepository::TransitionState(Connection& c, std::string_view kid,
                                           std::string_view from_state, std::string_view to_state,
                                           int64_t at, std::optional<int64_t> publish_until) {
  CheckState(from_state);
  CheckState(to_state);
  // One statement per target state, so the compare-and-set stays a single UPDATE.
  int64_t changed = 0;
  if (to_state == kKeyStateCurrent) {
    changed = c.Execute(
        "UPDATE signing_keys SET state = 'current', activated_at = ?, publish_until = ? "
        "WHERE kid = ? AND state = ?",
        {at, Nullable(publish_until), std::string(kid), std::string(from_state)});
  } else if (to_state == kKeyStateRetired) {
    changed = c.Execute(
        "UPDATE signing_keys SET state = 'retired', retired_at = ?, publish_until = ? "
        "WHERE kid = ? AND state = ?",
        {at, Nullable(publish_until), std::string(kid), std::string(from_state)});
  } else {
    changed = c.Execute(
        "UPDATE signing_keys SET state = 'next', publish_until = ? WHERE kid = ? AND state = ?",
        {Nullable(publish_until), std::string(kid), std::string(from_state)});
  }
  if (changed > 0) CacheVersionRepository::Bump(c, kSigningKeysCacheName);
  return changed > 0;
}

int64_t SigningKeyRepository::DeleteExpired(int64_t now) {
  int64_t deleted = 0;
  db_.Transaction([&](Connection& c) { deleted = DeleteExpired(c, now); });
  return deleted;
}

int64_t SigningKeyRepository::DeleteExpired(Connection& c, int64_t now) {
  const int64_t deleted = c.Execute(
      "DELETE FROM signing_keys WHERE state = 'retired' "
      "AND (publish_until IS NULL OR publish_until <= ?)",
      {now});
  if (deleted > 0) CacheVersionRepository::Bump(c, kSigningKeysCacheName);
  return deleted;
}

#undef GH_SIGNING_KEY_COLUMNS

}  // namespace gatehouse::store
