#pragma once
// M2mClients: the machine-to-machine clients of the client_credentials grant, for every surface
// that reads or changes them (management API, CLI, token endpoint).
//  - Find() (the token hot path) answers from an in-process LookupCache (lookup_cache.h) filled
//    from the database on a miss; unknown ids are cached for kNegativeTtlSeconds (bounded by
//    kMaxNegativeEntries), so guessed ids cannot hammer the database. Invalidate() drops
//    everything: the Maintenance loop calls it when the "m2m_clients" cache version moves (every
//    write bumps it), and this class after its own writes.
//  - Writes validate, assign ids ("m2m-client-<env>-<uuid>") and secrets (256-bit random, shown
//    once, stored as SecretHasher hashes) and store through store::M2mClientRepository.
//
// Rules (Validate / Create):
//  - scopes: at least one, each a valid scope token; trusted_metadata: a JSON object of at most
//    kMaxTrustedMetadataBytes; status: active | inactive; client_name and client_description:
//    display text (core/display_text.h).
//  - Importing from another provider: a supplied client_id is 1-128 visible ASCII characters,
//    does not start with "https://" (the CIMD namespace) or "user-" (user ids: a token's sub must
//    never name a user), and collides with no M2M client or connected app (kConflict). A supplied
//    client_secret is at least 8 characters, not one repeated character, and has an estimated
//    entropy (length x log2 of the character classes used) of at least kMinSecretEntropyBits.
// Errors: kBadRequest for rule violations, kNotFound, kConflict (ids; rotation out of order).
//
// Thread-safe. Infrastructure faults throw store::DatabaseError.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/lookup_cache.h"
#include "accounts/secret_hasher.h"
#include "core/client.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "store/database.h"
#include "store/m2m_client_repository.h"

namespace gatehouse::accounts {

inline constexpr size_t kMaxTrustedMetadataBytes = 4096;
inline constexpr double kMinSecretEntropyBits = 40.0;

// What Create receives: everything but the assigned fields; client_id and client_secret are set
// only when importing an existing client.
struct M2mClientDraft {
  std::optional<std::string> client_id{};
  std::optional<std::string> client_secret{};
  std::string client_name{};
  std::string client_description{};
  std::vector<std::string> scopes{};
  std::string trusted_metadata_json = "{}";
  std::string status = "active";
};

struct CreatedM2mClient {
  store::M2mClient client{};
  std::string client_secret{};  // shown this once
};

// Estimated entropy in bits of a secret chosen by someone else: length x log2(size of the union of
// the character classes it uses: lower, upper, digits, other printable).
double EstimatedSecretEntropyBits(std::string_view secret);
// The import rules for a supplied secret (see the header comment).
core::Result<void> CheckImportedSecret(std::string_view secret);

class M2mClients {
 public:
  M2mClients(store::Database& db, const SecretHasher& hasher, const core::Clock& clock,
             core::Random& random, core::Environment environment);

  // Cached lookup (inactive clients are returned too: the caller decides). nullptr when unknown.
  std::shared_ptr<const store::M2mClient> Find(std::string_view client_id);
  // Constant time in the secret; true for the current or, during a rotation, the next secret.
  bool VerifySecret(const store::M2mClient& client, std::string_view secret) const;
  void Invalidate();

  core::Result<CreatedM2mClient> Create(M2mClientDraft draft);
  // Straight from the database (kNotFound when absent).
  core::Result<store::M2mClient> Get(std::string_view client_id);
  // Stores name, description, scopes, trusted metadata and status of `changed`. Validates first.
  core::Result<store::M2mClient> Update(const store::M2mClient& changed);
  core::Result<void> Delete(std::string_view client_id);
  store::M2mClientPage Search(const store::M2mSearchQuery& query);

  core::Result<std::string> StartSecretRotation(std::string_view client_id);
  core::Result<store::M2mClient> CompleteSecretRotation(std::string_view client_id);
  core::Result<store::M2mClient> CancelSecretRotation(std::string_view client_id);

  // Rules shared by Create and Update.
  static core::Result<void> Validate(const store::M2mClient& client);

 private:
  core::Result<void> RotationResult(store::RotationOutcome outcome, std::string_view client_id);

  store::Database& db_;
  store::M2mClientRepository repository_;
  const SecretHasher& hasher_;
  const core::Clock& clock_;
  core::Random& random_;
  const core::Environment environment_;
  LookupCache<store::M2mClient> cache_;
};

}  // namespace gatehouse::accounts
