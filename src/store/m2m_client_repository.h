#pragma once
// M2mClientRepository: the m2m_clients table (machine-to-machine clients of the client_credentials
// grant) and its per-scope index table.
//
// Every write bumps the "m2m_clients" cache version (kM2mClientsCacheName) in its transaction, so
// every process's in-process M2M client cache drops stale entries within about a second.
// Secrets never reach this class: it stores the keyed hashes it is given.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError; Insert throws
// ConstraintViolation when the client_id exists.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/secret_rotation.h"

namespace gatehouse::store {

inline constexpr std::string_view kM2mClientsCacheName = "m2m_clients";

// An M2M client as stored.
struct M2mClient {
  std::string client_id{};
  std::string client_name{};
  std::string client_description{};
  std::vector<std::string> scopes{};         // sorted, distinct
  std::string trusted_metadata_json = "{}";  // a JSON object
  std::string status = "active";             // "active" | "inactive"
  std::string secret_hash{};
  std::string secret_last_four{};
  std::optional<std::string> next_secret_hash{};
  std::optional<std::string> next_secret_last_four{};
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// One filter of a search: the field matches any of `values`.
struct M2mSearchFilter {
  enum class Field { kClientId, kClientName, kScopes };
  Field field = Field::kClientId;
  std::vector<std::string> values{};  // not empty
};

struct M2mSearchQuery {
  bool match_all = true;                   // AND (true) or OR (false) over the filters
  std::vector<M2mSearchFilter> filters{};  // none: every client
  std::optional<std::string> after{};      // cursor: the last client_id of the previous page
  int64_t limit = 100;
};

struct M2mClientPage {
  std::vector<M2mClient> clients{};          // ordered by client_id
  int64_t total = 0;                         // clients matching the filters
  std::optional<std::string> next_cursor{};  // set when more follow
};

class M2mClientRepository {
 public:
  explicit M2mClientRepository(Database& db) : db_(db) {}

  void Insert(const M2mClient& client);
  std::optional<M2mClient> Find(std::string_view client_id);
  // Replaces name, description, scopes, trusted metadata, status and updated_at. False when
  // absent.
  bool Update(const M2mClient& client);
  bool Delete(std::string_view client_id);
  M2mClientPage Search(const M2mSearchQuery& query);

  // Secret rotation (store/secret_rotation.h; kPublicClient is never returned).
  RotationOutcome StartSecretRotation(std::string_view client_id, std::string_view next_hash,
                                      std::string_view next_last_four, int64_t now);
  RotationOutcome CompleteSecretRotation(std::string_view client_id, int64_t now);
  RotationOutcome CancelSecretRotation(std::string_view client_id, int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
