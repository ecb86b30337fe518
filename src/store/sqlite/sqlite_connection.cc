#include "store/sqlite/sqlite_connection.h"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/blocking_scope.h"

namespace gatehouse::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

bool OnlyWhitespaceOrSemicolons(const char* p) {
  for (; *p != '\0'; ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') return false;
  }
  return true;
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return Value(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
    case SQLITE_NULL:
      return Value();
    case SQLITE_BLOB: {
      const void* data = sqlite3_column_blob(stmt, i);
      const int size = sqlite3_column_bytes(stmt, i);
      return Value(std::string(static_cast<const char*>(data), static_cast<size_t>(size)));
    }
    default: {  // SQLITE_TEXT, and SQLITE_FLOAT rendered as text (the schema has no REAL columns)
      const unsigned char* text = sqlite3_column_text(stmt, i);
      const int size = sqlite3_column_bytes(stmt, i);
      return Value(std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size)));
    }
  }
}

}  // namespace

std::unique_ptr<SqliteConnection> SqliteConnection::Open(const std::string& path,
                                                         std::mutex* writer) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw DatabaseError("cannot open SQLite database '" + path + "': " + why, false);
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  try {
    // WAL is a property of the file: set once, seen by every later connection. Switching needs a
    // moment with no other connection in the file, which the busy handler does not wait for
    // when several processes create the file at once, so retry for as long as busy_timeout.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    while (conn->Query("PRAGMA journal_mode").at(0).Text(0) != "wal") {
      try {
        if (conn->Query("PRAGMA journal_mode=WAL").at(0).Text(0) == "wal") break;
      } catch (const DatabaseError& e) {
        if (!e.transient() || std::chrono::steady_clock::now() > deadline) throw;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw DatabaseError("the file system does not support WAL mode", false);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    conn->ExecuteScript("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  } catch (const DatabaseError& e) {
    throw DatabaseError("cannot open SQLite database '" + path + "': " + e.what(), e.transient());
  }
  conn->writer_ = writer;
  return conn;
}

SqliteConnection::~SqliteConnection() {
  ClearCache();
  sqlite3_close_v2(db_);
}

void SqliteConnection::ClearCache() noexcept {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  statements_.clear();
}

void SqliteConnection::Fail(int rc, std::string_view sql) {
  transaction_.StatementFailed();
  const int code = sqlite3_extended_errcode(db_) != SQLITE_OK ? sqlite3_extended_errcode(db_) : rc;
  std::string message =
      std::string("sqlite: ") + sqlite3_errmsg(db_) + " [" + SqlForMessage(sql) + "]";
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw ConstraintViolation(message);
  }
  const int primary = code & 0xff;
  throw DatabaseError(message, primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
}

sqlite3_stmt* SqliteConnection::Prepare(std::string_view sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) ClearCache();
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) Fail(rc, sql);
  if (stmt == nullptr) throw DatabaseError("sqlite: empty statement", false);
  const std::string text(sql);
  if (!OnlyWhitespaceOrSemicolons(text.c_str() + (tail - sql.data()))) {
    sqlite3_finalize(stmt);
    throw DatabaseError("sqlite: Query and Execute take one statement; use ExecuteScript [" +
                            SqlForMessage(sql) + "]",
                        false);
  }
  statements_.emplace(text, stmt);
  return stmt;
}

template <class OnRow>
void SqliteConnection::Run(std::string_view sql, std::span<const Value> params, OnRow&& on_row) {
  transaction_.CheckNotAborted("sqlite");
  sqlite3_stmt* stmt = Prepare(sql);
  struct ResetOnExit {
    sqlite3_stmt* stmt;
    ~ResetOnExit() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  } reset{stmt};

  const int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    throw DatabaseError("sqlite: statement takes " + std::to_string(expected) +
                            " parameters, got " + std::to_string(params.size()) + " [" +
                            SqlForMessage(sql) + "]",
                        false);
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<int64_t>(&params[i])) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (const auto* s = std::get_if<std::string>(&params[i])) {
      // SQLITE_STATIC: the caller's string outlives the statement's use; bindings are cleared
      // before Run returns.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) Fail(rc, sql);
  }
  std::unique_lock<std::mutex> writing;
  if (writer_ != nullptr && !transaction_.open() && sqlite3_stmt_readonly(stmt) == 0) {
    writing = LockWriter(*writer_);
  }
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      on_row(stmt);
    } else if (rc == SQLITE_DONE) {
      return;
    } else {
      Fail(rc, sql);
    }
  }
}

Rows SqliteConnection::Query(std::string_view sql, std::span<const Value> params) {
  Rows rows;
  Run(sql, params, [&rows](sqlite3_stmt* stmt) {
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> cells;
    cells.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) cells.push_back(ColumnValue(stmt, i));
    rows.emplace_back(std::move(cells));
  });
  return rows;
}

int64_t SqliteConnection::Execute(std::string_view sql, std::span<const Value> params) {
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, even across DDL; the
  // total tells whether this statement changed anything at all.
  const int64_t total_before = sqlite3_total_changes64(db_);
  Run(sql, params, [](sqlite3_stmt*) {});
  return sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
}

void SqliteConnection::ExecuteScript(std::string_view sql) {
  transaction_.CheckNotAborted("sqlite");
  const std::string script(sql);
  const int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) Fail(rc, sql);
}

void SqliteConnection::Begin() {
  // In a transaction from here on: the caller holds the writer mutex already (BEGIN IMMEDIATE
  // counts as a writing statement).
  transaction_.Begin();
  try {
    Execute("BEGIN IMMEDIATE");
  } catch (...) {
    // Not Rollback(): no transaction began. End() also clears the poisoning that the failed BEGIN
    // itself recorded, which would otherwise outlive it and fail every later statement.
    transaction_.End();
    throw;
  }
}

void SqliteConnection::Commit() {
  transaction_.Commit([this] { Execute("COMMIT"); }, [this] { Rollback(); });
}

void SqliteConnection::Rollback() noexcept {
  transaction_.End();
  if (sqlite3_get_autocommit(db_) != 0) return;  // nothing open (SQLite may have rolled back)
  if (sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) broken_ = true;
}

void SqliteConnection::Recycle() noexcept {
  if (transaction_.open() || sqlite3_get_autocommit(db_) == 0) Rollback();
}

std::unique_lock<std::mutex> LockWriter(std::mutex& writer) {
  std::unique_lock lock(writer, std::try_to_lock);
  if (!lock.owns_lock()) {
    core::BlockingScope waiting_for_the_writer;
    lock.lock();
  }
  return lock;
}

}  // namespace gatehouse::store::sqlite
