#pragma once
// Database URLs (`database_url` in the configuration) and opening a Database with explicit pool
// options.
//
//   sqlite://PATH            a file, relative ("sqlite://./gatehouse.db") or absolute
//                            ("sqlite:///var/lib/gatehouse/gatehouse.db"); created when absent.
//   postgres://... or postgresql://...
//                            a libpq connection URI, passed to libpq unchanged.
//
// Pure functions except OpenDatabase. Failure: DatabaseError (not transient) whose message names
// the problem in one line; messages never contain a password (see RedactDatabaseUrl).

#include <memory>
#include <string>
#include <string_view>

#include "store/connection_pool.h"
#include "store/database.h"

namespace gatehouse::store {

struct DatabaseUrl {
  Engine engine = Engine::kSqlite;
  std::string target;  // SQLite: the file path; PostgreSQL: the URI as given
};

// Throws DatabaseError when `url` is empty, has an unknown scheme, or is malformed.
DatabaseUrl ParseDatabaseUrl(std::string_view url);

// The URL with any password replaced by "***", for logs and error messages.
std::string RedactDatabaseUrl(std::string_view url);

// OpenDatabase(url, pool_size) with every pool option explicit (tests shorten the wait).
std::unique_ptr<Database> OpenDatabase(const std::string& url, const PoolOptions& options);

}  // namespace gatehouse::store
