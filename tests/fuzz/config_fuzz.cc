// Fuzz target: app::LoadConfigFromString, the TOML configuration path of LoadConfig without the
// file. The input is the TOML text, optionally followed by a NUL byte and environment variables as
// "NAME=value" lines (the GATEHOUSE_* overrides). Invariants: the only failure is ConfigError (any
// other exception escapes and libFuzzer reports it); an accepted configuration satisfies what
// config.h promises: an http(s) issuer without query, fragment or trailing slash (https in live),
// listen split into host and port, a known database scheme and signing algorithm, and every
// integer inside its bounds.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "app/config.h"
#include "fuzz/fuzz_check.h"

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::map<std::string, std::string> EnvironmentFrom(std::string_view text) {
  std::map<std::string, std::string> env;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos) {
      env[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
  }
  return env;
}

void CheckAccepted(const gatehouse::app::Config& c) {
  FUZZ_CHECK(StartsWith(c.issuer, "http://") || StartsWith(c.issuer, "https://"));
  FUZZ_CHECK(c.issuer.find_first_of("?#") == std::string::npos);
  FUZZ_CHECK(c.issuer.back() != '/');
  if (c.live) FUZZ_CHECK(StartsWith(c.issuer, "https://"));
  FUZZ_CHECK(c.listen.size() > c.listen_host.size());
  FUZZ_CHECK(c.listen.substr(c.listen.rfind(':') + 1).find_first_not_of("0123456789") ==
             std::string::npos);
  FUZZ_CHECK(StartsWith(c.database_url, "sqlite://") || StartsWith(c.database_url, "postgres://") ||
             StartsWith(c.database_url, "postgresql://"));
  if (c.is_sqlite()) FUZZ_CHECK(!c.sqlite_path().empty());
  FUZZ_CHECK(c.signing_algorithm == "RS256" || c.signing_algorithm == "ES256" ||
             c.signing_algorithm == "EdDSA");
  FUZZ_CHECK(!(c.master_key && c.master_key_file));
  if (c.cimd_allow_loopback) FUZZ_CHECK(!c.live);
  FUZZ_CHECK(c.environment_name() == (c.live ? "live" : "test"));
  FUZZ_CHECK(c.refresh_grace_seconds >= 0 && c.refresh_grace_seconds <= 300);
  FUZZ_CHECK(c.authorization_code_ttl_seconds >= 5 && c.authorization_code_ttl_seconds <= 600);
  FUZZ_CHECK(c.access_token_ttl_seconds >= 60 && c.access_token_ttl_seconds <= 86400);
  FUZZ_CHECK(c.key_rotation_days >= 0 && c.key_rotation_days <= 3650);
  FUZZ_CHECK(c.io_threads >= 1 && c.io_threads <= 64);
  FUZZ_CHECK(c.worker_threads >= 1 && c.worker_threads <= 256);
  FUZZ_CHECK(c.database_pool_size >= 1 && c.database_pool_size <= 256);
  FUZZ_CHECK(c.max_body_bytes >= 1024 && c.max_body_bytes <= (int64_t{64} << 20));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = gatehouse::fuzz::AsText(data, size);
  const size_t nul = input.find('\0');
  const std::string_view toml = input.substr(0, nul);
  const auto env = EnvironmentFrom(nul == std::string_view::npos ? "" : input.substr(nul + 1));
  gatehouse::app::EnvLookup lookup{
      .get = [&env](const std::string& name) -> std::optional<std::string> {
        const auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      .names = {}};
  for (const auto& [name, value] : env) lookup.names.push_back(name);
  try {
    CheckAccepted(gatehouse::app::LoadConfigFromString(toml, lookup));
  } catch (const gatehouse::app::ConfigError&) {
    // A refused configuration: the expected outcome for most inputs.
  }
  return 0;
}
