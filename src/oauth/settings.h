#pragma once
// ProtocolSettings: what the protocol and management layers need to know of the configuration.
// app::Config derives from it, so each of these settings and its default is written here once;
// the composition root (src/app) hands the parsed Config out by reference as ProtocolSettings, and
// it is immutable afterwards. Tests build one directly.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/client.h"

namespace gatehouse::oauth {

struct ProtocolSettings {
  std::string issuer;  // exactly as published (no trailing slash)
  bool live = false;   // environment "live": strict redirect URIs, Secure cookies
  bool dynamic_registration = true;
  bool cimd = true;
  bool cimd_allow_loopback = false;  // test-only
  std::optional<std::string> cimd_ca_file;
  size_t cimd_cache_entries = 10'000;                 // resolved clients kept in memory (LRU)
  size_t cimd_max_concurrent_fetches = 4;             // distinct documents fetched at once
  std::optional<std::string> authorization_page_url;  // headless mode
  int64_t refresh_grace_seconds = 10;
  int64_t authorization_code_ttl_seconds = 60;
  int64_t access_token_ttl_seconds = 3600;
  int64_t id_token_ttl_seconds = 3600;
  int64_t refresh_token_ttl_seconds = 30LL * 24 * 3600;
  int64_t session_ttl_seconds = 7LL * 24 * 3600;
  int64_t m2m_token_ttl_seconds = 3600;

  core::Environment environment() const {
    return live ? core::Environment::kLive : core::Environment::kTest;
  }
  std::string environment_name() const { return live ? "live" : "test"; }
  // issuer + path, e.g. Endpoint("/v1/oauth2/token").
  std::string Endpoint(std::string_view path) const { return issuer + std::string(path); }
};

}  // namespace gatehouse::oauth
