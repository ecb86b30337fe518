#pragma once
// SqliteConnection: one sqlite3 handle to the database file, configured for a server: WAL
// journal (readers never block the writer), synchronous=NORMAL (a committed transaction survives
// the process being killed; only an OS crash or power loss may lose the last few), busy_timeout
// 5 s, foreign keys enforced, extended result codes.
//
// Statements are prepared once per connection (SQLITE_PREPARE_PERSISTENT) and cached by their
// SQL text; after each use a statement is reset and its bindings cleared.
//
// Failures: SQLITE_BUSY / SQLITE_LOCKED → DatabaseError(transient); a UNIQUE or PRIMARY KEY
// conflict → ConstraintViolation; anything else → DatabaseError(not transient). Inside a
// transaction a failed statement poisons the transaction (further statements and COMMIT fail), as
// on PostgreSQL, so code that swallows an error inside Transaction fails on both engines alike.
//
// Ownership and threads: owns the handle; used by one thread at a time (the pool guarantees it).

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "store/database.h"
#include "store/statement_cache.h"
#include "store/transaction_state.h"

namespace gatehouse::store::sqlite {

class SqliteConnection final : public Connection {
 public:
  // Opens (creating when absent) the file at `path`. Throws DatabaseError. `writer`, when given,
  // is held around every statement that writes outside a transaction (SqliteDatabase passes the
  // lock its transactions hold), so writers of one process queue on a mutex instead of on
  // SQLite's busy handler, whose sleeps (up to tens of milliseconds) showed as latency spikes.
  static std::unique_ptr<SqliteConnection> Open(const std::string& path,
                                                std::mutex* writer = nullptr);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  using Connection::Execute;
  using Connection::Query;
  Rows Query(std::string_view sql, std::span<const Value> params) override;
  int64_t Execute(std::string_view sql, std::span<const Value> params) override;
  void ExecuteScript(std::string_view sql) override;

  // BEGIN IMMEDIATE: takes the write lock now (waiting up to busy_timeout), so a transaction never
  // fails half-way for lack of it.
  void Begin();
  // Throws (after rolling back) if a statement failed inside the transaction or COMMIT fails.
  void Commit();
  void Rollback() noexcept;

  // Pool protocol (see connection_pool.h).
  bool Usable() { return true; }
  void Recycle() noexcept;
  bool Broken() const { return broken_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db), writer_(nullptr) {}
  sqlite3_stmt* Prepare(std::string_view sql);
  // Binds `params`, runs the statement; calls on_row for each result row.
  template <class OnRow>
  void Run(std::string_view sql, std::span<const Value> params, OnRow&& on_row);
  [[noreturn]] void Fail(int rc, std::string_view sql);
  void ClearCache() noexcept;

  sqlite3* db_;
  std::mutex* writer_;  // set once set-up is done: its PRAGMAs count as writes
  StatementMap<sqlite3_stmt*> statements_;
  TransactionState transaction_;
  bool broken_ = false;
};

// Locks this process's writer mutex. Waiting for another writer is a wait off the CPU
// (core::BlockingScope): the worker's CPU slot serves other requests meanwhile.
std::unique_lock<std::mutex> LockWriter(std::mutex& writer);

}  // namespace gatehouse::store::sqlite
