#pragma once
// SqliteDatabase: the embedded engine. A pool of connections to one database file; any number of
// gatehouse processes on the same host may open the same file (WAL allows many readers beside one
// writer; writers queue on the file lock for up to busy_timeout).
//
// Transaction() is BEGIN IMMEDIATE ... COMMIT under this process's writer mutex: it takes the write
// lock up front, so transactions are serialized and never fail half-way on a lock upgrade. Run()
// is autocommit; a statement in it that writes holds the writer mutex while it runs. Neither may be
// nested on the same thread (the inner call would wait for the lock the outer one holds).
//
// Construction opens one connection, so a wrong path fails at start-up with DatabaseError.
// Thread-safe.

#include <functional>
#include <mutex>
#include <string>

#include "store/connection_pool.h"
#include "store/database.h"
#include "store/sqlite/sqlite_connection.h"

namespace gatehouse::store::sqlite {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const PoolOptions& options);

  Engine engine() const override { return Engine::kSqlite; }
  void Run(const std::function<void(Connection&)>& fn) override;
  void Transaction(const std::function<void(Connection&)>& fn) override;
  PoolStats Stats() const override { return pool_.Stats(); }

 private:
  const std::string path_;
  // One writer at a time within this process (see SqliteConnection::Open); other processes still
  // queue on the file lock through busy_timeout. A plain std::mutex, not a core::Mutex: it guards
  // the database file, no member, and its lock is taken conditionally and handed out of
  // LockWriter, which the thread-safety analysis cannot follow.
  std::mutex writer_;
  ConnectionPool<SqliteConnection> pool_;
};

}  // namespace gatehouse::store::sqlite
