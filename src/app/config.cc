#include "app/config.h"

#include "core/nearest_name.h"
#include "http/client_address.h"

#include <toml++/toml.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <variant>
#include <vector>

namespace gatehouse::app {
namespace {

// One entry per key: its name and where it lands. Strings, booleans and integers cover all keys
// (an integer lands in an int64_t or, for counts, a size_t).
using Target = std::variant<std::string*, std::optional<std::string>*, bool*, int64_t*, size_t*>;
struct Key {
  std::string_view name;
  Target target;
  int64_t min = 0;
  int64_t max = 0;  // integer bounds (inclusive); ignored for other kinds
};

std::vector<Key> Keys(Config& c, std::string& environment) {
  constexpr int64_t kYear = 365LL * 24 * 3600;
  constexpr int64_t kRate = 100'000'000;  // per minute: beyond any one process
  return {
      {"issuer", &c.issuer},
      {"listen", &c.listen},
      {"database_url", &c.database_url},
      {"environment", &environment},
      {"master_key", &c.master_key},
      {"master_key_file", &c.master_key_file},
      {"dynamic_registration", &c.dynamic_registration},
      {"cimd", &c.cimd},
      {"cimd_allow_loopback", &c.cimd_allow_loopback},
      {"cimd_ca_file", &c.cimd_ca_file},
      {"authorization_page_url", &c.authorization_page_url},
      {"refresh_grace_seconds", &c.refresh_grace_seconds, 0, 300},
      {"authorization_code_ttl_seconds", &c.authorization_code_ttl_seconds, 5, 600},
      {"access_token_ttl_seconds", &c.access_token_ttl_seconds, 60, 86400},
      {"id_token_ttl_seconds", &c.id_token_ttl_seconds, 60, 86400},
      {"refresh_token_ttl_seconds", &c.refresh_token_ttl_seconds, 300, kYear},
      {"session_ttl_seconds", &c.session_ttl_seconds, 60, kYear},
      {"m2m_token_ttl_seconds", &c.m2m_token_ttl_seconds, 60, 86400},
      {"signing_algorithm", &c.signing_algorithm},
      {"key_rotation_days", &c.key_rotation_days, 0, 3650},
      {"io_threads", &c.io_threads, 1, 64},
      {"worker_threads", &c.worker_threads, 1, 256},
      {"worker_cpu_slots", &c.worker_cpu_slots, 0, 256},
      {"database_pool_size", &c.database_pool_size, 1, 256},
      {"max_body_bytes", &c.max_body_bytes, 1024, 64LL << 20},
      {"trusted_proxies", &c.trusted_proxies},
      {"token_limit_per_address_per_minute", &c.token_limit_per_address_per_minute, 0, kRate},
      {"token_limit_per_client_per_minute", &c.token_limit_per_client_per_minute, 0, kRate},
      {"introspection_limit_per_address_per_minute", &c.introspection_limit_per_address_per_minute,
       0, kRate},
      {"introspection_limit_per_client_per_minute", &c.introspection_limit_per_client_per_minute, 0,
       kRate},
      {"registration_limit_per_address_per_minute", &c.registration_limit_per_address_per_minute, 0,
       kRate},
      {"login_limit_per_address_per_minute", &c.login_limit_per_address_per_minute, 0, kRate},
      {"login_max_failures", &c.login_throttle.max_failures, 0, 1000},
      {"login_failure_window_seconds", &c.login_throttle.window_seconds, 60, 86400},
      {"login_lockout_seconds", &c.login_throttle.lockout_seconds, 1, 86400},
      {"login_max_lockout_seconds", &c.login_throttle.max_lockout_seconds, 1, 86400},
      {"max_dynamic_clients", &c.max_dynamic_clients, 0, 1LL << 40},
      {"cimd_cache_entries", &c.cimd_cache_entries, 0, 10000000},
      {"cimd_max_concurrent_fetches", &c.cimd_max_concurrent_fetches, 1, 256},
  };
}

std::string EnvName(std::string_view key) {
  std::string name = "GATEHOUSE_";
  for (char ch : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return name;
}

[[noreturn]] void Fail(std::string_view where, std::string_view what) {
  throw ConfigError(std::string(where) + ": " + std::string(what));
}

void SetFromText(const Key& key, std::string_view text, std::string_view where) {
  std::visit(
      [&](auto* target) {
        using T = std::remove_pointer_t<decltype(target)>;
        if constexpr (std::is_same_v<T, bool>) {
          if (text == "true" || text == "1" || text == "yes") {
            *target = true;
          } else if (text == "false" || text == "0" || text == "no") {
            *target = false;
          } else {
            Fail(where, "expected true or false, got '" + std::string(text) + "'");
          }
        } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, size_t>) {
          char* end = nullptr;
          const std::string s(text);
          errno = 0;
          const long long v = std::strtoll(s.c_str(), &end, 10);
          if (s.empty() || *end != '\0' || errno != 0) {
            Fail(where, "expected a whole number, got '" + s + "'");
          }
          if (v < key.min || v > key.max) {
            Fail(where, "must be between " + std::to_string(key.min) + " and " +
                            std::to_string(key.max) + ", got " + s);
          }
          *target = static_cast<T>(v);
        } else {
          *target = std::string(text);
        }
      },
      key.target);
}

void SetFromToml(const Key& key, const toml::node& node, std::string_view where) {
  if (auto s = node.value_exact<std::string>()) return SetFromText(key, *s, where);
  if (auto b = node.value_exact<bool>()) return SetFromText(key, *b ? "true" : "false", where);
  if (auto i = node.value_exact<int64_t>()) return SetFromText(key, std::to_string(*i), where);
  Fail(where, "unsupported value type (use a string, boolean or integer)");
}

bool IsHttpUrl(std::string_view url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

void Validate(Config& c, const std::string& environment) {
  if (environment == "live") {
    c.live = true;
  } else if (environment == "test") {
    c.live = false;
  } else {
    Fail("environment", "must be 'test' or 'live', got '" + environment + "'");
  }
  // issuer: an absolute http(s) URL without query or fragment, published exactly as configured.
  if (!IsHttpUrl(c.issuer) || c.issuer.find_first_of("?#") != std::string::npos) {
    Fail("issuer", "must be an http:// or https:// URL without query or fragment");
  }
  if (c.issuer.back() == '/') Fail("issuer", "must not end with '/'");
  if (c.live && c.issuer.rfind("https://", 0) != 0) {
    Fail("issuer", "must use https:// in the live environment");
  }
  // listen: host:port, IPv6 hosts in brackets.
  const auto colon = c.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) Fail("listen", "expected host:port");
  std::string host = c.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = c.listen.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  // Digits only: strtol alone would also take " 80", "+80" and "-0".
  if (port_text.empty() || port_text.find_first_not_of("0123456789") != std::string::npos ||
      *end != '\0' || port < 0 || port > 65535) {
    Fail("listen", "port must be a number from 0 to 65535");
  }
  c.listen_host = host;
  c.listen_port = static_cast<uint16_t>(port);
  if (c.database_url.rfind("sqlite://", 0) != 0 && c.database_url.rfind("postgres://", 0) != 0 &&
      c.database_url.rfind("postgresql://", 0) != 0) {
    Fail("database_url", "must start with sqlite://, postgres:// or postgresql://");
  }
  if (c.is_sqlite() && c.sqlite_path().empty()) Fail("database_url", "sqlite:// needs a path");
  if (c.signing_algorithm != "RS256" && c.signing_algorithm != "ES256" &&
      c.signing_algorithm != "EdDSA") {
    Fail("signing_algorithm", "must be RS256, ES256 or EdDSA");
  }
  if (c.master_key && c.master_key_file) {
    Fail("master_key", "set master_key or master_key_file, not both");
  }
  if (c.authorization_page_url && !IsHttpUrl(*c.authorization_page_url)) {
    Fail("authorization_page_url", "must be an http:// or https:// URL");
  }
  if (c.trusted_proxies) {
    if (auto parsed = http::TrustedProxies::Parse(*c.trusted_proxies); !parsed) {
      Fail("trusted_proxies", parsed.error().description());
    }
  }
  if (c.login_throttle.max_lockout_seconds < c.login_throttle.lockout_seconds) {
    Fail("login_max_lockout_seconds", "must be at least login_lockout_seconds");
  }
  if (c.cimd_allow_loopback && c.live) {
    Fail("cimd_allow_loopback", "is a test-only setting and cannot be used in live");
  }
}

}  // namespace

std::string Config::sqlite_path() const {
  if (!is_sqlite()) return {};
  return database_url.substr(std::string_view("sqlite://").size());
}

EnvLookup ProcessEnvironment() {
  EnvLookup env{.get = [](const std::string& name) -> std::optional<std::string> {
                  const char* v = std::getenv(name.c_str());
                  if (v == nullptr) return std::nullopt;
                  return std::string(v);
                },
                .names = {}};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    env.names.emplace_back(text.substr(0, text.find('=')));
  }
  return env;
}

namespace {

// " (did you mean 'listen'?)" for the key nearest to `name`, spelt with `prefix` as the user would
// write it; empty when nothing is near enough to be a plausible typo.
std::string Suggestion(const std::vector<Key>& keys, std::string_view name,
                       std::string_view prefix) {
  std::vector<std::string_view> names;
  names.reserve(keys.size());
  for (const Key& key : keys) names.push_back(key.name);
  // A key the name is the start of ("access_token_ttl") is what was meant; otherwise the nearest
  // within a third of the name's length.
  std::optional<std::string_view> nearest;
  if (name.size() >= 4) {
    const auto extended = std::find_if(names.begin(), names.end(), [&](std::string_view known) {
      return known.starts_with(name);
    });
    if (extended != names.end()) nearest = *extended;
  }
  if (!nearest) nearest = core::NearestName(name, names, std::max<size_t>(2, name.size() / 3));
  if (!nearest) return "";
  const std::string spelt = prefix.empty() ? std::string(*nearest) : EnvName(*nearest);
  return " (did you mean '" + spelt + "'?)";
}

void RefuseUnknownVariables(const std::vector<Key>& keys, const std::vector<std::string>& names) {
  constexpr std::string_view kPrefix = "GATEHOUSE_";
  for (const std::string& name : names) {
    if (!name.starts_with(kPrefix)) continue;
    if (std::find(std::begin(kToolingVariables), std::end(kToolingVariables), name) !=
        std::end(kToolingVariables)) {
      continue;
    }
    std::string key = name.substr(kPrefix.size());
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const bool known =
        std::any_of(keys.begin(), keys.end(), [&](const Key& k) { return k.name == key; });
    if (!known) {
      throw ConfigError("unknown environment variable " + name + Suggestion(keys, key, kPrefix));
    }
  }
}

// An SQLite file in a directory that is not there cannot be created: say so before anything
// else tries to put a file beside it.
void CheckSqliteDirectory(const Config& c) {
  if (!c.is_sqlite()) return;
  const std::filesystem::path dir = std::filesystem::path(c.sqlite_path()).parent_path();
  if (dir.empty()) return;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    Fail("database_url", "the directory " + dir.string() +
                             " does not exist (create it, or point database_url elsewhere)");
  }
}

// Applies `table` (when given; `source` names it in messages), then the environment, then
// validates: the part shared by LoadConfig and LoadConfigFromString.
Config Build(const toml::table* table, const std::string& source, const EnvLookup& env) {
  Config c;
  std::string environment = "test";
  const std::vector<Key> keys = Keys(c, environment);
  if (table != nullptr) {
    for (const auto& [name, node] : *table) {
      // A plain copy of the key for the lambda: clang 14 cannot capture a structured binding.
      const std::string_view key_name = name.str();
      const auto it =
          std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return k.name == key_name; });
      if (it == keys.end()) {
        Fail(source,
             "unknown key '" + std::string(key_name) + "'" + Suggestion(keys, key_name, ""));
      }
      SetFromToml(*it, node, source + ": " + std::string(name.str()));
    }
  }
  RefuseUnknownVariables(keys, env.names);
  for (const Key& key : keys) {
    const std::string name = EnvName(key.name);
    // An empty variable counts as unset (a cleared variable must not turn into an empty value).
    if (auto value = env.get(name); value && !value->empty()) SetFromText(key, *value, name);
  }
  Validate(c, environment);
  return c;
}

[[noreturn]] void FailParse(const std::string& source, const toml::parse_error& e) {
  throw ConfigError(source + ":" + std::to_string(e.source().begin.line) + ": " +
                    std::string(e.description()));
}

}  // namespace

Config LoadConfig(const std::optional<std::string>& config_file, const EnvLookup& env) {
  toml::table table;
  if (config_file) {
    try {
      table = toml::parse_file(*config_file);
    } catch (const toml::parse_error& e) {
      FailParse(*config_file, e);
    }
  }
  Config config = Build(config_file ? &table : nullptr, config_file.value_or(""), env);
  CheckSqliteDirectory(config);
  return config;
}

Config LoadConfigFromString(std::string_view toml_text, const EnvLookup& env) {
  static const std::string kSource = "<config>";
  toml::table table;
  try {
    table = toml::parse(toml_text, std::string_view(kSource));
  } catch (const toml::parse_error& e) {
    FailParse(kSource, e);
  }
  return Build(&table, kSource, env);
}

}  // namespace gatehouse::app
