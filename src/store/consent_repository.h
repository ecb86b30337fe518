#pragma once
// ConsentRepository: the consent a user has given a client, remembered as the union of the
// scopes they agreed to (one row per user and client). Deleting the user or the client deletes it.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError;
// DatabaseError from Remember for an unknown user or client (foreign keys).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

class ConsentRepository {
 public:
  explicit ConsentRepository(Database& db) : db_(db) {}

  // The remembered scope string, or nullopt when the user never consented to the client.
  std::optional<std::string> Find(std::string_view user_id, std::string_view client_id);
  static std::optional<std::string> Find(Connection& c, std::string_view user_id,
                                         std::string_view client_id);

  // Stores `scope` (the caller passes the union with what was remembered) for the pair.
  void Remember(std::string_view user_id, std::string_view client_id, std::string_view scope,
                int64_t now);
  static void Remember(Connection& c, std::string_view user_id, std::string_view client_id,
                       std::string_view scope, int64_t now);

  // Forgets the consent; returns whether there was one.
  bool Forget(std::string_view user_id, std::string_view client_id);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
