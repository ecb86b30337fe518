#pragma once
// CacheVersionRepository: one counter per in-process cache (clients, signing keys, ...). A change
// to cached data bumps its counter in the same transaction; every process polls ReadAll() (about
// once a second) and drops the caches whose counter moved. A counter only grows.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.h"

namespace gatehouse::store {

class CacheVersionRepository {
 public:
  explicit CacheVersionRepository(Database& db) : db_(db) {}

  // Increments the counter `name` (creating it at 1) on `c`: call it inside the transaction that
  // makes the change it announces, so the announcement commits or rolls back with it.
  static void Bump(Connection& c, std::string_view name);
  // Bumps `name` on its own (autocommit), for changes made outside a transaction.
  void Bump(std::string_view name);
  // Every counter, sorted by name. One small indexed read: cheap enough to poll every second.
  std::vector<std::pair<std::string, int64_t>> ReadAll();

 private:
  Database& db_;
};

}  // namespace gatehouse::store
