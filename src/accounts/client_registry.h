#pragma once
// ClientRegistry: the clients Gatehouse knows, for every surface that reads or changes them.
//  - As the ClientDirectory (protocol endpoints): Find() answers from an in-process LookupCache
//    (lookup_cache.h) filled from the clients table on a miss. Unknown client ids are cached too,
//    for kNegativeTtlSeconds, so guessing ids cannot hammer the database; Invalidate() (called by
//    the Maintenance loop when the "clients" cache version moves, and by this class after its own
//    writes) drops everything.
//    An https:// client_id is a Client ID Metadata Document URL: it goes to the
//    ClientMetadataSource when CIMD is on and one is set, and is an unknown client otherwise.
//  - As the writer (management API, CLI, Dynamic Client Registration): validates, assigns ids and
//    secrets, and stores through store::ClientRepository, whose every write bumps the "clients"
//    cache version in its transaction.
//
// Rules enforced at create and update (Validate):
//  - client_name and client_description are display text (core/display_text.h);
//  - every redirect URL and post-logout redirect URL passes
//  core::ValidateRedirectUriForRegistration
//    for the client's type, the deployment's environment and the application type
//    (kInvalidRedirectUri naming the URL);
//  - full_access_allowed and bypass_consent_for_offline_access are for first-party clients only;
//  - access_token_template_content and id_token_template_content, when set, are claims templates
//    (core/claims_template.h: a JSON object of at most 4 KB, no reserved claim);
//  - access_token_expiry_minutes, when set, is between 1 and kMaxAccessTokenExpiryMinutes.
// Rule violations other than redirect URIs are kBadRequest; missing clients kNotFound; secret
// rotation out of order kConflict; public clients have no secret (kBadRequest).
//
// Secrets: 256-bit random (crypto::RandomToken), returned once by Create / StartSecretRotation,
// stored as SecretHasher hashes; VerifySecret compares in constant time against the current and,
// during a rotation, the next secret.
//
// Thread-safe. Infrastructure faults throw store::DatabaseError.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/client_directory.h"
#include "accounts/lookup_cache.h"
#include "accounts/secret_hasher.h"
#include "core/clock.h"
#include "core/random.h"
#include "store/client_repository.h"
#include "store/database.h"

namespace gatehouse::accounts {

inline constexpr int64_t kMaxAccessTokenExpiryMinutes = 24 * 60;

struct CreatedClient {
  core::Client client;
  std::optional<std::string> client_secret;  // confidential clients: shown this once
};

// A freshly generated secret and what is stored of it.
struct IssuedSecret {
  std::string secret;
  std::string hash;
  std::string last_four;
};

class ClientRegistry final : public ClientDirectory {
 public:
  ClientRegistry(store::Database& db, const SecretHasher& hasher, const core::Clock& clock,
                 core::Random& random, core::Environment environment,
                 ClientMetadataSource* metadata_source = nullptr);

  // ClientDirectory.
  core::Result<std::shared_ptr<const core::Client>> Find(std::string_view client_id) override;
  bool VerifySecret(const core::Client& client, std::string_view secret) const override;
  void Invalidate() override;

  core::Result<void> Validate(const core::Client& client) const;

  // Creates a client from `draft` (client_id, secrets and timestamps are assigned here; the
  // creation method is kept). Validates first.
  core::Result<CreatedClient> Create(core::Client draft);
  // The stored client, disabled ones included (kNotFound when absent).
  core::Result<core::Client> Get(std::string_view client_id);
  // Stores the mutable metadata of `changed` (client_id names the client); type, secrets and
  // creation are kept. Validates first.
  core::Result<core::Client> Update(const core::Client& changed);
  // Deletes the client and, by cascade, everything issued to it.
  core::Result<void> Delete(std::string_view client_id);
  store::ClientPage Search(const std::optional<std::string>& cursor, int64_t limit);

  // Returns the next secret (shown once); both secrets verify until Complete or Cancel.
  core::Result<std::string> StartSecretRotation(std::string_view client_id);
  core::Result<core::Client> CompleteSecretRotation(std::string_view client_id);
  core::Result<core::Client> CancelSecretRotation(std::string_view client_id);

  // For Dynamic Client Registration, which stores registrations itself.
  std::string NewClientId();
  IssuedSecret NewSecret();
  store::ClientRepository& repository() { return repository_; }
  const SecretHasher& hasher() const { return hasher_; }
  const core::Clock& clock() const { return clock_; }
  core::Random& random() { return random_; }
  core::Environment environment() const { return environment_; }

 private:
  core::Result<void> RotationResult(store::RotationOutcome outcome, std::string_view client_id);

  store::ClientRepository repository_;
  const SecretHasher& hasher_;
  const core::Clock& clock_;
  core::Random& random_;
  const core::Environment environment_;
  // The CIMD resolver; null when metadata documents are off.
  ClientMetadataSource* const metadata_source_;
  LookupCache<core::Client> cache_;
};

}  // namespace gatehouse::accounts
