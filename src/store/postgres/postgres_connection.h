#pragma once
// PostgresConnection: one libpq connection (application_name=gatehouse, connect_timeout 5 s unless
// the URL sets one, client_encoding UTF8).
//
// Every statement is prepared once per connection (PQprepare, named gh1, gh2, ... by a counter)
// and cached by its SQL text, then run with PQexecPrepared. '?' placeholders are rewritten to
// $1..$n once, at preparation. Parameters travel as text; their types are declared at
// preparation from the first call's values: int64 → bigint, text → text, NULL → inferred by the
// server from the context. Where the context says nothing (`? IS NULL`), write CAST(? AS TEXT)
// or CAST(? AS BIGINT), which is portable. Result columns of type smallint/integer/bigint (and
// boolean, as 0/1) become int64, NULL becomes monostate, everything else text.
//
// Failures:
//  - SQLSTATE 23505 → ConstraintViolation;
//  - 40001 / 40P01 → SerializationFailure (transient; PostgresDatabase::Transaction retries it);
//  - a lost connection (status bad, SQLSTATE class 08, 57P01-57P03, no result at all) → the
//    connection marks itself broken (the pool closes it instead of reusing it) and throws
//    DatabaseError(transient);
//  - 0A000 when running a prepared statement (the schema changed under it: "cached plan must
//    not change result type") → broken as above, so a fresh connection prepares it again;
//  - 53xxx (resources), 55P03 (lock not available), 57014 (cancelled) → DatabaseError(transient);
//  - anything else → DatabaseError(not transient).
// Messages carry the server's primary message only: DETAIL lines can contain row values.
//
// Ownership and threads: owns the PGconn; used by one thread at a time (the pool guarantees it).

#include <libpq-fe.h>

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/statement_cache.h"
#include "store/transaction_state.h"

namespace gatehouse::store::postgres {

// Serialization failure or deadlock: the transaction was rolled back and may be re-run.
class SerializationFailure : public DatabaseError {
 public:
  explicit SerializationFailure(const std::string& what) : DatabaseError(what, true) {}
};

class PostgresConnection final : public Connection {
 public:
  // Connects to the libpq URI `url`. Throws DatabaseError(transient) when the server cannot be
  // reached or refuses the connection.
  static std::unique_ptr<PostgresConnection> Open(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  using Connection::Execute;
  using Connection::Query;
  Rows Query(std::string_view sql, std::span<const Value> params) override;
  int64_t Execute(std::string_view sql, std::span<const Value> params) override;
  void ExecuteScript(std::string_view sql) override;

  void Begin();
  // Throws (after rolling back) if a statement failed inside the transaction or COMMIT fails.
  void Commit();
  void Rollback() noexcept;

  // Pool protocol (see connection_pool.h). Usable() notices, without a round trip, an idle
  // connection the server has closed (restart, pg_terminate_backend).
  bool Usable();
  void Recycle() noexcept;
  bool Broken() const { return broken_; }
  // Called from libpq's notice hook when the server announced it is closing the session.
  void MarkClosingByServer() { closing_by_server_ = true; }

 private:
  struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using Result = std::unique_ptr<PGresult, ResultDeleter>;
  struct Prepared {
    std::string name;
    int param_count = 0;
  };
  enum class ColumnKind { kInt, kBool, kText };

  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  const Prepared& Prepare(std::string_view sql, std::span<const Value> params);
  Result ExecPrepared(std::string_view sql, std::span<const Value> params);
  Result ExecSimple(std::string_view sql);  // simple-query protocol, no parameters
  [[noreturn]] void Fail(const PGresult* result, std::string_view sql);

  PGconn* conn_;
  StatementMap<Prepared> statements_;
  int64_t statement_counter_ = 0;
  TransactionState transaction_;
  bool broken_ = false;
  bool closing_by_server_ = false;
  // Per-call scratch space, kept to avoid allocating on every statement.
  std::vector<const char*> param_values_;
  std::vector<std::array<char, 24>> param_numbers_;
  std::vector<Oid> param_types_;
  std::vector<ColumnKind> column_kinds_;
};

}  // namespace gatehouse::store::postgres
