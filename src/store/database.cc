#include "store/database.h"

#include <charconv>
#include <string>

#include "store/database_url.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace gatehouse::store {

std::string Row::Text(size_t i) const {
  const Value& v = cells_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  return {};
}

std::optional<std::string> Row::OptionalText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

int64_t Row::Int(size_t i) const {
  const Value& v = cells_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    const char* end = s->data() + s->size();
    auto [ptr, ec] = std::from_chars(s->data(), end, out);
    if (ec != std::errc() || ptr != end || s->empty()) {
      throw DatabaseError(
          "column " + std::to_string(i) + " holds text that is not a 64-bit integer", false);
    }
    return out;
  }
  return 0;
}

std::optional<int64_t> Row::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

bool Database::Ping() {
  try {
    bool ok = false;
    Run([&ok](Connection& c) { ok = c.Query("SELECT 1").at(0).Int(0) == 1; });
    return ok;
  } catch (const DatabaseError&) {
    return false;
  }
}

std::unique_ptr<Database> OpenDatabase(const std::string& url, const PoolOptions& options) {
  DatabaseUrl parsed = ParseDatabaseUrl(url);
  switch (parsed.engine) {
    case Engine::kSqlite:
      return std::make_unique<sqlite::SqliteDatabase>(std::move(parsed.target), options);
    case Engine::kPostgres:
      return std::make_unique<postgres::PostgresDatabase>(std::move(parsed.target), options);
  }
  throw DatabaseError("unknown database engine", false);
}

std::unique_ptr<Database> OpenDatabase(const std::string& url, int pool_size) {
  return OpenDatabase(url, PoolOptions{.size = pool_size});
}

}  // namespace gatehouse::store
