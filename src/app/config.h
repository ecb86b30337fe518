#pragma once
// Config: every setting of a gatehouse process, parsed once at start-up into an immutable value.
// Sources, later ones winning: built-in defaults, the TOML file given by --config, then
// GATEHOUSE_<KEY> environment variables (the key upper-cased: database_url ->
// GATEHOUSE_DATABASE_URL). Unknown keys in the file and unknown GATEHOUSE_ variables are errors
// naming the nearest known key (a typo must not silently fall back to a default); the variables
// Gatehouse's own build and test tooling sets (kToolingVariables) are not configuration and are
// ignored. LoadConfig also refuses an SQLite database whose directory does not exist. It throws
// ConfigError carrying one line that names the key and the problem; main prints it and exits with
// status 2.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/login_throttle.h"
#include "oauth/settings.h"

namespace gatehouse::app {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The protocol settings (issuer, environment, CIMD, token lifetimes) and their defaults are
// oauth::ProtocolSettings'; the login throttle's policy and its defaults are
// accounts::LoginThrottlePolicy's. Only the issuer gets a default of its own here: a bare
// ProtocolSettings has none.
struct Config : oauth::ProtocolSettings {
  Config() { issuer = "http://127.0.0.1:8080"; }

  std::string listen = "127.0.0.1:8080";
  std::string listen_host = "127.0.0.1";  // derived from listen
  uint16_t listen_port = 8080;            // derived from listen
  std::string database_url = "sqlite://./gatehouse.db";
  std::optional<std::string> master_key;       // 32 bytes as 64 hex chars or base64url
  std::optional<std::string> master_key_file;  // file holding the same
  std::string signing_algorithm = "RS256";     // RS256 | ES256 | EdDSA
  int64_t key_rotation_days = 30;              // 0 turns scheduled rotation off
  int64_t io_threads = 1;
  int64_t worker_threads = 8;
  int64_t worker_cpu_slots = 0;  // 0: one per CPU
  int64_t database_pool_size = 8;
  int64_t max_body_bytes = 1 << 20;
  // Abuse limits (docs/deploy.md). Rates are requests per minute per process (token buckets with
  // a minute's worth of burst); 0 turns one off. Login throttling is per account and shared
  // through the database.
  std::optional<std::string> trusted_proxies;  // addresses/CIDRs whose X-Forwarded-For is believed
  int64_t token_limit_per_address_per_minute = 6000;
  int64_t token_limit_per_client_per_minute = 6000;
  int64_t introspection_limit_per_address_per_minute = 12000;
  int64_t introspection_limit_per_client_per_minute = 12000;
  int64_t registration_limit_per_address_per_minute = 20;
  int64_t login_limit_per_address_per_minute = 60;
  // login_max_failures, login_failure_window_seconds, login_lockout_seconds and
  // login_max_lockout_seconds.
  accounts::LoginThrottlePolicy login_throttle;
  int64_t max_dynamic_clients = 100000;  // dynamically registered clients at once; 0: no cap

  bool is_sqlite() const { return database_url.rfind("sqlite://", 0) == 0; }
  // The SQLite file path (empty for PostgreSQL).
  std::string sqlite_path() const;
};

// Variables with the GATEHOUSE_ prefix that are not configuration: set by `make test`, the
// PostgreSQL test wrapper and the benches for the programs they start, servers included.
inline constexpr std::string_view kToolingVariables[] = {
    "GATEHOUSE_BIN",
    "GATEHOUSE_REQUIRE_POSTGRES",
    "GATEHOUSE_TEST_POSTGRES_URL",
};

// The environment as LoadConfig reads it; injectable for tests.
struct EnvLookup {
  // Reads one variable.
  std::function<std::optional<std::string>(const std::string& name)> get;
  // The names of the variables that are set (only the GATEHOUSE_ ones matter).
  std::vector<std::string> names;
};
EnvLookup ProcessEnvironment();

// Builds the configuration from an optional TOML file and the environment. Throws ConfigError.
Config LoadConfig(const std::optional<std::string>& config_file, const EnvLookup& env);
// The same from TOML text already in memory (messages name the source "<config>"): for callers
// that do not hold a file, and for the configuration fuzz target. Throws ConfigError.
Config LoadConfigFromString(std::string_view toml_text, const EnvLookup& env);

}  // namespace gatehouse::app
