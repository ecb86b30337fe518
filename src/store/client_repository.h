#pragma once
// ClientRepository: the clients table (connected apps from the management API, Dynamic Client
// Registration and resolved CIMD documents) and the RFC 7592 registration access tokens.
//
// Every method that changes a client bumps the "clients" cache version (kClientsCacheName) in the
// same transaction, so every process's ClientDirectory drops its cached copy within about a
// second. Deleting a client deletes, through ON DELETE CASCADE, every row that references it
// (registration tokens here; grants, codes and tokens in later migrations).
//
// Secrets never reach this class: it stores the keyed hashes it is given.
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError;
// ConstraintViolation where a method says so.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/client.h"
#include "store/database.h"
#include "store/secret_rotation.h"

namespace gatehouse::store {

inline constexpr std::string_view kClientsCacheName = "clients";

struct ClientPage {
  std::vector<core::Client> clients;       // ordered by client_id
  int64_t total = 0;                       // clients in the table
  std::optional<std::string> next_cursor;  // the last client_id of this page when more follow
};

// A Dynamic Client Registration as stored: the client, what the registrant sent (echoed by RFC 7591
// and RFC 7592 responses) and, for public registrations, the deduplication hash.
struct Registration {
  core::Client client;
  std::string metadata_json;  // a JSON object
  std::optional<std::string> dedup_hash;
};

class ClientRepository {
 public:
  explicit ClientRepository(Database& db) : db_(db) {}

  // Inserts a new client. Throws ConstraintViolation when the client_id exists.
  void Insert(const core::Client& client);
  // Inserts or replaces a client resolved from a Client ID Metadata Document (keyed by its
  // client_id URL), so grants can reference it. Secrets and created_at of an existing row are kept.
  // Throws ConstraintViolation when a client with that id exists but was not created from a
  // metadata document (never overwritten).
  void UpsertMetadataClient(const core::Client& client);
  std::optional<core::Client> Find(std::string_view client_id);
  // Replaces the mutable metadata (names, URLs, flags, token settings, status, updated_at) of the
  // client with client.client_id; type, creation method, secrets and created_at stay. False when
  // there is no such client.
  bool UpdateMetadata(const core::Client& client);
  // False when there is no such client.
  bool Delete(std::string_view client_id);
  // How many clients were created by `method` (an index-only count).
  int64_t CountByCreationMethod(core::CreationMethod method);
  // Clients with client_id > after (all when nullopt), at most `limit`, by client_id.
  ClientPage Search(const std::optional<std::string>& after, int64_t limit);

  // Rotation (store/secret_rotation.h): Start records the next secret (both verify); Complete
  // makes it current and forgets the old one; Cancel forgets the next one. Public clients answer
  // kPublicClient.
  RotationOutcome StartSecretRotation(std::string_view client_id, std::string_view next_hash,
                                      std::string_view next_last_four, int64_t now);
  RotationOutcome CompleteSecretRotation(std::string_view client_id, int64_t now);
  RotationOutcome CancelSecretRotation(std::string_view client_id, int64_t now);

  // Dynamic Client Registration.
  // Inserts the client, its registration and (when given) a first registration token hash in
  // one transaction. Throws ConstraintViolation when dedup_hash is already taken (a concurrent
  // identical registration won: read it with FindByDedupHash).
  void InsertRegistration(const Registration& registration,
                          const std::optional<std::string>& token_hash);
  std::optional<Registration> FindRegistration(std::string_view client_id);
  // The client_id holding this dedup hash, if any.
  std::optional<std::string> FindByDedupHash(std::string_view dedup_hash);
  // Replaces client metadata and the stored registration metadata; clears the dedup hash (the
  // changed registration leaves the pool of identical registrations). False when absent.
  bool UpdateRegistration(const core::Client& client, std::string_view metadata_json);

  // Registration access tokens (by keyed hash).
  void AddRegistrationToken(std::string_view client_id, std::string_view token_hash, int64_t now);
  // The client_id the token belongs to; an indexed lookup by hash.
  std::optional<std::string> FindClientByRegistrationToken(std::string_view token_hash);
  // Removes one registrant's token; when it was the client's last token, deletes the client too
  // (so one registrant of a shared public registration cannot delete it from under the others).
  // Returns true when the client was deleted.
  bool RemoveRegistrationToken(std::string_view client_id, std::string_view token_hash);
  int64_t CountRegistrationTokens(std::string_view client_id);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
