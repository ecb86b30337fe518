#pragma once
// Config: every setting of a gatehouse process, parsed once at start-up into an immutable value.
// Sources, later ones winning: built-in defaults, the TOML file given by --config, then
// GATEHOUSE_<KEY> environment variables (the key upper-cased: database_url ->
// GATEHOUSE_DATABASE_URL). Unknown keys in the file are errors (a typo must not silently fall back
// to a default). LoadConfig throws ConfigError carrying one line that names the key and the
// problem; main prints it and exits with status 2.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gatehouse::app {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Config {
  std::string issuer = "http://127.0.0.1:8080";  // exactly as published (no trailing slash)
  std::string listen = "127.0.0.1:8080";
  std::string listen_host = "127.0.0.1";  // derived from listen
  uint16_t listen_port = 8080;            // derived from listen
  std::string database_url = "sqlite://./gatehouse.db";
  bool live = false;  // environment = "live": strict redirect URIs, Secure cookies
  std::optional<std::string> master_key;       // 32 bytes as 64 hex chars or base64url
  std::optional<std::string> master_key_file;  // file holding the same
  bool dynamic_registration = true;
  bool cimd = true;
  bool cimd_allow_loopback = false;  // test-only
  std::optional<std::string> cimd_ca_file;
  std::optional<std::string> authorization_page_url;  // headless mode
  int64_t refresh_grace_seconds = 10;
  int64_t authorization_code_ttl_seconds = 60;
  int64_t access_token_ttl_seconds = 3600;
  int64_t id_token_ttl_seconds = 3600;
  int64_t refresh_token_ttl_seconds = 30 * 24 * 3600;
  int64_t session_ttl_seconds = 7 * 24 * 3600;
  int64_t m2m_token_ttl_seconds = 3600;
  std::string signing_algorithm = "RS256";  // RS256 | ES256 | EdDSA
  int64_t key_rotation_days = 30;           // 0 turns scheduled rotation off
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
  int64_t login_max_failures = 5;  // per account within the window; 0: no throttling
  int64_t login_failure_window_seconds = 15 * 60;
  int64_t login_lockout_seconds = 30;  // doubles per further failure
  int64_t login_max_lockout_seconds = 15 * 60;
  int64_t max_dynamic_clients = 100000;  // dynamically registered clients at once; 0: no cap
  int64_t cimd_cache_entries = 10000;
  int64_t cimd_max_concurrent_fetches = 4;

  std::string environment_name() const { return live ? "live" : "test"; }
  bool is_sqlite() const { return database_url.rfind("sqlite://", 0) == 0; }
  // The SQLite file path (empty for PostgreSQL).
  std::string sqlite_path() const;
};

// Reads one environment variable; injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnvironment();

// Builds the configuration from an optional TOML file and the environment. Throws ConfigError.
Config LoadConfig(const std::optional<std::string>& config_file, const EnvLookup& env);
// The same from TOML text already in memory (messages name the source "<config>"): for callers
// that do not hold a file, and for the configuration fuzz target. Throws ConfigError.
Config LoadConfigFromString(std::string_view toml_text, const EnvLookup& env);

}  // namespace gatehouse::app
