#include "store/migrations.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string_view>

namespace gatehouse::store {
namespace {

// pg_advisory_xact_lock key shared by every gatehouse process migrating one database ("ghmigrat").
constexpr int64_t kMigrationLockKey = 0x67686d6967726174;

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

struct Migration {
  int64_t version;
  std::string_view name;
  std::string_view sql;
};

// "0001_foundation.sql" → version 1. Rejects anything else: a misnamed file is a build defect.
std::vector<Migration> ParseMigrations(std::span<const core::EmbeddedFile> files) {
  std::vector<Migration> out;
  for (const core::EmbeddedFile& file : files) {
    const std::string_view name = file.name;
    const size_t underscore = name.find('_');
    int64_t version = 0;
    const bool well_formed =
        underscore != std::string_view::npos && underscore >= 4 && name.ends_with(".sql") &&
        underscore + 1 < name.size() - 4 &&
        std::all_of(name.begin(), name.begin() + static_cast<ptrdiff_t>(underscore),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) &&
        std::from_chars(name.data(), name.data() + underscore, version).ec == std::errc() &&
        version > 0;
    if (!well_formed) {
      throw std::invalid_argument("migration file '" + std::string(name) +
                                  "' is not named NNNN_name.sql");
    }
    out.push_back({version, name, file.content});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw std::invalid_argument("migrations '" + std::string(out[i - 1].name) + "' and '" +
                                  std::string(out[i].name) + "' share a version");
    }
  }
  return out;
}

// Run first in every migration transaction: serializes migrating processes on PostgreSQL
// (SQLite's BEGIN IMMEDIATE already has) and makes sure the bookkeeping table exists.
void LockAndPrepare(Connection& c, Engine engine) {
  if (engine == Engine::kPostgres) c.Query("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey});
  c.ExecuteScript(kCreateMigrationsTable);
}

std::set<int64_t> AppliedVersions(Database& db) {
  std::set<int64_t> applied;
  db.Transaction([&](Connection& c) {
    applied.clear();
    LockAndPrepare(c, db.engine());
    for (const Row& row : c.Query("SELECT version FROM schema_migrations")) {
      applied.insert(row.Int(0));
    }
  });
  return applied;
}

}  // namespace

void ApplyMigrations(Database& db) { ApplyMigrations(db, Migrations(), core::SystemClock()); }

void ApplyMigrations(Database& db, std::span<const core::EmbeddedFile> files,
                     const core::Clock& clock) {
  const std::vector<Migration> migrations = ParseMigrations(files);
  const std::set<int64_t> applied = AppliedVersions(db);
  for (const Migration& m : migrations) {
    if (applied.contains(m.version)) continue;
    try {
      db.Transaction([&](Connection& c) {
        LockAndPrepare(c, db.engine());
        // Another process may have applied it since AppliedVersions; the lock makes this final.
        if (!c.Query("SELECT 1 FROM schema_migrations WHERE version = ?", {m.version}).empty()) {
          return;
        }
        c.ExecuteScript(m.sql);
        c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                  {m.version, std::string(m.name), clock.NowSeconds()});
      });
    } catch (const DatabaseError& e) {
      throw DatabaseError("migration " + std::string(m.name) + " failed: " + e.what(),
                          e.transient());
    }
  }
}

std::vector<std::string> PendingMigrations(Database& db) {
  return PendingMigrations(db, Migrations());
}

std::vector<std::string> PendingMigrations(Database& db,
                                           std::span<const core::EmbeddedFile> files) {
  const std::vector<Migration> migrations = ParseMigrations(files);
  const std::set<int64_t> applied = AppliedVersions(db);
  std::vector<std::string> pending;
  for (const Migration& m : migrations) {
    if (!applied.contains(m.version)) pending.emplace_back(m.name);
  }
  return pending;
}

}  // namespace gatehouse::store
