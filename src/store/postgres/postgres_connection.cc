#include "store/postgres/postgres_connection.h"

#include <poll.h>

#include <charconv>
#include <cstring>
#include <string>

#include "core/blocking_scope.h"
#include "store/database_url.h"
#include "store/postgres/placeholders.h"

namespace gatehouse::store::postgres {
namespace {

// Type OIDs from pg_type.h (stable across server versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;

// libpq messages end with a newline and may span lines; keep one line.
std::string OneLine(const char* text) {
  std::string out;
  if (text == nullptr) return out;
  bool space = false;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(*p);
  }
  return out;
}

bool IsConnectionLoss(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

bool IsTransient(std::string_view sqlstate) {
  return sqlstate.starts_with("53") || sqlstate == "55P03" || sqlstate == "57014";
}

// Notices are dropped, except one: a FATAL error that arrives while the connection is idle is the
// server announcing it is closing the session (pg_terminate_backend, shutdown).
void OnNotice(void* arg, const PGresult* notice) {
  const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity != nullptr &&
      (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0)) {
    static_cast<PostgresConnection*>(arg)->MarkClosingByServer();
  }
}

}  // namespace

std::unique_ptr<PostgresConnection> PostgresConnection::Open(const std::string& url) {
  // Later keywords override earlier ones, and "dbname" expands the URI in place: the URL may
  // override connect_timeout but not application_name (operators find our sessions by it).
  const char* const keywords[] = {"connect_timeout", "dbname", "application_name",
                                  "client_encoding", nullptr};
  const char* const values[] = {"5", url.c_str(), "gatehouse", "UTF8", nullptr};
  PGconn* conn = nullptr;
  {
    core::BlockingScope waiting_on_the_server;
    conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  }
  if (conn == nullptr) throw DatabaseError("postgres: out of memory opening a connection", true);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    throw DatabaseError("cannot connect to PostgreSQL at " + RedactDatabaseUrl(url) + ": " + why,
                        true);
  }
  std::unique_ptr<PostgresConnection> connection(new PostgresConnection(conn));
  PQsetNoticeReceiver(conn, OnNotice, connection.get());
  return connection;
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

void PostgresConnection::Fail(const PGresult* result, std::string_view sql) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state != nullptr ? state : "";
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = "postgres: ";
  message += OneLine(primary != nullptr  ? primary
                     : result != nullptr ? PQresultErrorMessage(result)
                                         : PQerrorMessage(conn_));
  if (!sqlstate.empty()) message.append(" (SQLSTATE ").append(sqlstate).append(")");
  if (!sql.empty()) message.append(" [").append(SqlForMessage(sql)).append("]");
  transaction_.StatementFailed();

  if (broken_ || result == nullptr || PQstatus(conn_) != CONNECTION_OK ||
      IsConnectionLoss(sqlstate)) {
    broken_ = true;
    throw DatabaseError(message, true);
  }
  if (sqlstate == "23505") throw ConstraintViolation(message);
  if (sqlstate == "40001" || sqlstate == "40P01") throw SerializationFailure(message);
  throw DatabaseError(message, IsTransient(sqlstate));
}

const PostgresConnection::Prepared& PostgresConnection::Prepare(std::string_view sql,
                                                                std::span<const Value> params) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) {
    ExecSimple("DEALLOCATE ALL");
    statements_.clear();
  }
  const RewrittenSql rewritten = RewritePlaceholders(sql);
  if (rewritten.placeholder_count != static_cast<int>(params.size())) {
    throw DatabaseError("postgres: statement takes " + std::to_string(rewritten.placeholder_count) +
                            " parameters, got " + std::to_string(params.size()) + " [" +
                            SqlForMessage(sql) + "]",
                        false);
  }
  param_types_.clear();
  for (const Value& v : params) {
    param_types_.push_back(std::holds_alternative<int64_t>(v)       ? kInt8Oid
                           : std::holds_alternative<std::string>(v) ? kTextOid
                                                                    : 0);
  }
  std::string name = "gh" + std::to_string(++statement_counter_);
  Result result(PQprepare(conn_, name.c_str(), rewritten.sql.c_str(),
                          static_cast<int>(params.size()), param_types_.data()));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    Fail(result.get(), sql);
  }
  return statements_
      .emplace(std::string(sql), Prepared{std::move(name), rewritten.placeholder_count})
      .first->second;
}

PostgresConnection::Result PostgresConnection::ExecPrepared(std::string_view sql,
                                                            std::span<const Value> params) {
  transaction_.CheckNotAborted("postgres");
  const Prepared& prepared = Prepare(sql, params);
  if (prepared.param_count != static_cast<int>(params.size())) {
    throw DatabaseError("postgres: statement takes " + std::to_string(prepared.param_count) +
                            " parameters, got " + std::to_string(params.size()) + " [" +
                            SqlForMessage(sql) + "]",
                        false);
  }
  param_values_.resize(params.size());
  if (param_numbers_.size() < params.size()) param_numbers_.resize(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (const auto* n = std::get_if<int64_t>(&params[i])) {
      auto& buffer = param_numbers_[i];
      auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size() - 1, *n);
      *end = '\0';
      param_values_[i] = buffer.data();
    } else if (const auto* s = std::get_if<std::string>(&params[i])) {
      param_values_[i] = s->c_str();
    } else {
      param_values_[i] = nullptr;  // SQL NULL
    }
  }
  Result result;
  {
    core::BlockingScope waiting_on_the_server;
    result.reset(PQexecPrepared(conn_, prepared.name.c_str(), static_cast<int>(params.size()),
                                param_values_.data(), nullptr, nullptr, /*resultFormat=*/0));
  }
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    // "cached plan must not change result type": the schema changed under a prepared statement
    // (a newer release migrated the database). This connection's statements are stale; replace
    // the connection, and let the caller retry (transient).
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    if (state != nullptr && std::strcmp(state, "0A000") == 0) broken_ = true;
    Fail(result.get(), sql);
  }
  return result;
}

PostgresConnection::Result PostgresConnection::ExecSimple(std::string_view sql) {
  const std::string text(sql);
  Result result;
  {
    core::BlockingScope waiting_on_the_server;
    result.reset(PQexec(conn_, text.c_str()));
  }
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) Fail(result.get(), sql);
  return result;
}

Rows PostgresConnection::Query(std::string_view sql, std::span<const Value> params) {
  Result result = ExecPrepared(sql, params);
  PGresult* r = result.get();
  const int row_count = PQntuples(r);
  const int column_count = PQnfields(r);
  column_kinds_.clear();
  for (int c = 0; c < column_count; ++c) {
    const Oid type = PQftype(r, c);
    column_kinds_.push_back(type == kInt8Oid || type == kInt4Oid || type == kInt2Oid
                                ? ColumnKind::kInt
                            : type == kBoolOid ? ColumnKind::kBool
                                               : ColumnKind::kText);
  }
  Rows rows;
  rows.reserve(static_cast<size_t>(row_count));
  for (int i = 0; i < row_count; ++i) {
    std::vector<Value> cells;
    cells.reserve(static_cast<size_t>(column_count));
    for (int c = 0; c < column_count; ++c) {
      if (PQgetisnull(r, i, c) != 0) {
        cells.emplace_back();
        continue;
      }
      const char* text = PQgetvalue(r, i, c);
      const size_t length = static_cast<size_t>(PQgetlength(r, i, c));
      switch (column_kinds_[static_cast<size_t>(c)]) {
        case ColumnKind::kInt: {
          int64_t n = 0;
          std::from_chars(text, text + length, n);
          cells.emplace_back(n);
          break;
        }
        case ColumnKind::kBool:
          cells.emplace_back(static_cast<int64_t>(text[0] == 't' ? 1 : 0));
          break;
        case ColumnKind::kText:
          cells.emplace_back(std::string(text, length));
          break;
      }
    }
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

int64_t PostgresConnection::Execute(std::string_view sql, std::span<const Value> params) {
  Result result = ExecPrepared(sql, params);
  const char* tuples = PQcmdTuples(result.get());
  int64_t n = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), n);
  return n;
}

void PostgresConnection::ExecuteScript(std::string_view sql) {
  transaction_.CheckNotAborted("postgres");
  ExecSimple(sql);
}

void PostgresConnection::Begin() {
  ExecSimple("BEGIN");
  transaction_.Begin();
}

void PostgresConnection::Commit() {
  Result result;
  transaction_.Commit([&] { result = ExecSimple("COMMIT"); }, [this] { Rollback(); });
  // COMMIT of a transaction the server had already aborted answers "ROLLBACK", not an error.
  if (std::strcmp(PQcmdStatus(result.get()), "COMMIT") != 0) {
    throw DatabaseError("postgres: transaction was rolled back by the server", false);
  }
}

void PostgresConnection::Rollback() noexcept {
  transaction_.End();
  if (broken_) return;
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status == PQTRANS_IDLE) return;
  if (status != PQTRANS_INTRANS && status != PQTRANS_INERROR) {
    broken_ = true;
    return;
  }
  Result result;
  {
    core::BlockingScope waiting_on_the_server;
    result.reset(PQexec(conn_, "ROLLBACK"));
  }
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) broken_ = true;
}

void PostgresConnection::Recycle() noexcept {
  if (broken_) return;
  if (PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    return;
  }
  Rollback();
}

bool PostgresConnection::Usable() {
  if (broken_ || PQstatus(conn_) != CONNECTION_OK) return false;
  const int fd = PQsocket(conn_);
  if (fd < 0) return false;
  // An idle connection normally has nothing to read. When the server ends the session it sends a
  // FATAL error (seen by OnNotice) and closes the socket, where reading reaches end of file and
  // libpq marks the connection bad. Anything else readable is consumed and the check repeated.
  for (int attempt = 0; attempt < 4; ++attempt) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const int ready = poll(&p, 1, 0);
    if (ready == 0) break;
    if (ready < 0) return false;
    if ((p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return false;
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) return false;
    while (PGnotify* notify = PQnotifies(conn_)) PQfreemem(notify);  // parses what arrived
    if (closing_by_server_) return false;
  }
  return !closing_by_server_ && PQstatus(conn_) == CONNECTION_OK;
}

}  // namespace gatehouse::store::postgres
