#pragma once
// The master key: 32 bytes that encrypt private signing keys at rest and from which the server
// peppers (client secret and project secret HMAC keys) and the state-cookie key are derived.
// Every process of one deployment must use the same master key.
//
// Resolution at start-up: `master_key` (64 hex digits or 43 base64url characters), else
// `master_key_file` (the same text in a file), else — for SQLite only — the file
// gatehouse.master_key beside the database, generated with mode 0600 on first use (with a warning
// on stderr). PostgreSQL deployments must configure one explicitly, since several machines share
// the database. Failures throw ConfigError (one line; exit status 2).

#include <optional>
#include <string>

#include "app/config.h"
#include "core/random.h"

namespace gatehouse::app {

struct MasterKey {
  std::string bytes;       // 32 raw bytes
  std::string source;      // where it came from, for the start-up log
  bool generated = false;  // true when this start created the file
};

MasterKey ResolveMasterKey(const Config& config, core::Random& random);

// The file the master key is (or, for SQLite, will be generated) in: master_key_file, or
// gatehouse.master_key beside the SQLite database. std::nullopt when the key is given inline
// (master_key) or, with PostgreSQL, not given at all.
std::optional<std::string> MasterKeyFilePath(const Config& config);

// Keys derived from the master key for separate purposes (HMAC-SHA-256(master, label)), so one
// purpose's key never serves another.
std::string DeriveKey(const MasterKey& master, std::string_view label);

}  // namespace gatehouse::app
