#pragma once
// The storage seam. Repositories (clients, keys, grants, ...) are written once, in portable SQL,
// against Database/Connection; the engines (sqlite/, postgres/) implement this interface. The
// store contract suite (tests/store) runs every repository against both engines.
//
// Portable SQL rules for repository authors:
//  - placeholders are '?' (the PostgreSQL engine rewrites them to $1, $2, ...; a '?' inside a
//    single-quoted literal is left alone);
//  - column types: TEXT, BIGINT (integers, booleans as 0/1, times as Unix seconds); binary data
//    travels as text (hex or base64url);
//  - single-use and compare-and-set updates are written as one statement
//    (UPDATE ... WHERE used_at IS NULL RETURNING ...), which both engines execute atomically;
//  - upserts use INSERT ... ON CONFLICT (...) DO UPDATE / DO NOTHING;
//  - a parameter whose type the statement does not determine (`? IS NULL`) is written
//    CAST(? AS TEXT) or CAST(? AS BIGINT) (PostgreSQL must know every parameter's type);
//  - name the selected columns (no SELECT *), so a later migration adding a column does not
//    change the shape of a statement prepared before it.
//
// Failures: infrastructure faults throw DatabaseError (transient() == true when retrying later
// may succeed: connection lost, server starting, busy); the HTTP catch-all maps transient faults
// to 503 and others to 500. Constraint violations throw ConstraintViolation so repositories can
// turn a duplicate key into a domain answer.
//
// Thread safety: Database is thread-safe; a Connection is used by one thread at a time (it is
// borrowed from the pool for the duration of Run/Transaction).

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace gatehouse::store {

enum class Engine { kSqlite, kPostgres };

class DatabaseError : public core::InfrastructureError {
 public:
  DatabaseError(const std::string& what, bool transient) : InfrastructureError(what, transient) {}
};

class ConstraintViolation : public DatabaseError {
 public:
  explicit ConstraintViolation(const std::string& what) : DatabaseError(what, false) {}
};

// A parameter or column value: NULL, a 64-bit integer or text.
using Value = std::variant<std::monostate, int64_t, std::string>;

// Helpers to build parameters from optional values.
inline Value Nullable(const std::optional<std::string>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}
inline Value Nullable(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}

class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cells_.at(i)); }
  // Text of a column (integers are formatted); empty string for NULL.
  std::string Text(size_t i) const;
  std::optional<std::string> OptionalText(size_t i) const;
  // Integer of a column (text is parsed); 0 for NULL.
  int64_t Int(size_t i) const;
  std::optional<int64_t> OptionalInt(size_t i) const;
  bool Bool(size_t i) const { return Int(i) != 0; }

 private:
  std::vector<Value> cells_;
};

using Rows = std::vector<Row>;

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement with '?' placeholders and returns its rows (empty for non-queries).
  // Statements are prepared once per connection and reused.
  virtual Rows Query(std::string_view sql, std::span<const Value> params) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual int64_t Execute(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void ExecuteScript(std::string_view sql) = 0;

  Rows Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  int64_t Execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;

  // Borrows a connection for `fn` in autocommit mode.
  virtual void Run(const std::function<void(Connection&)>& fn) = 0;
  // Borrows a connection and runs `fn` inside one transaction: commit when it returns, roll back
  // when it throws (and rethrow). On SQLite the transaction is BEGIN IMMEDIATE (one writer).
  // On PostgreSQL (READ COMMITTED) a serialization failure or deadlock rolls back and runs `fn`
  // again, at most 3 times in all: `fn` must be safe to re-run (no effects outside the
  // database; reset what it captures). A statement that fails inside `fn` aborts the transaction
  // on both engines: if `fn` catches the error and carries on, Transaction throws DatabaseError.
  virtual void Transaction(const std::function<void(Connection&)>& fn) = 0;

  // Pool statistics for /metrics.
  struct PoolStats {
    int size = 0;       // connections open
    int in_use = 0;     // connections borrowed right now
    int64_t waits = 0;  // times a caller had to wait for a free connection
  };
  virtual PoolStats Stats() const = 0;
  // True when a trivial query succeeds (for /healthz); false, not an exception, when the
  // database cannot answer.
  bool Ping();
};

// Opens "sqlite://PATH" or "postgres://..." / "postgresql://...". Throws DatabaseError with a
// clear message when the URL is malformed or the database cannot be reached.
std::unique_ptr<Database> OpenDatabase(const std::string& url, int pool_size);

}  // namespace gatehouse::store
