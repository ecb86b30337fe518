#pragma once
// PostgresDatabase: the distributed engine. Any number of gatehouse processes share one
// PostgreSQL database; each keeps a bounded pool of connections, opened lazily (the first at
// construction, so a wrong URL fails at start-up).
//
// Transaction() runs fn between BEGIN and COMMIT at READ COMMITTED: compare-and-set and
// single-use updates are single statements (see database.h), which are atomic at that level.
// When the server reports a serialization failure or a deadlock (40001, 40P01) the transaction is
// rolled back and the whole fn is run again, at most kMaxTransactionAttempts times in all; fn must
// therefore be safe to re-run (no side effects outside the database, no state carried between
// attempts). Failures of any other kind are not retried: after a lost connection a COMMIT's
// outcome is unknown.
//
// Surviving a server restart: a connection found dead (when borrowed, or by a failed statement)
// is closed instead of being returned to the pool, and the next borrower opens a new one. The
// call that met the dead connection throws DatabaseError(transient) (→ 503); later calls succeed
// once the server accepts connections again. Nothing needs restarting.
//
// Thread-safe. Neither Run nor Transaction may be nested on one thread when the pool could be
// exhausted (the inner call would wait for a connection the outer one holds).

#include <functional>
#include <string>

#include "store/connection_pool.h"
#include "store/database.h"
#include "store/postgres/postgres_connection.h"

namespace gatehouse::store::postgres {

class PostgresDatabase final : public Database {
 public:
  static constexpr int kMaxTransactionAttempts = 3;

  // `url` is a libpq connection URI (postgres://...).
  PostgresDatabase(std::string url, const PoolOptions& options);

  Engine engine() const override { return Engine::kPostgres; }
  void Run(const std::function<void(Connection&)>& fn) override;
  void Transaction(const std::function<void(Connection&)>& fn) override;
  PoolStats Stats() const override { return pool_.Stats(); }

 private:
  const std::string url_;
  ConnectionPool<PostgresConnection> pool_;
};

}  // namespace gatehouse::store::postgres
