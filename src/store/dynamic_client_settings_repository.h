#pragma once
// DynamicClientSettingsRepository: the project's settings for clients that register themselves
// (Dynamic Client Registration, Client ID Metadata Documents): the claims templates rendered into
// their access and ID tokens. One row per project (dynamic_client_settings, keyed by project_id).
//
// The templates are stored as given; the caller validates them (core::ParseClaimsTemplate). Put
// bumps the "dynamic_client_settings" cache version (kDynamicClientSettingsCacheName) in its
// transaction, so every process reloads its in-memory copy within about a second.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError (also when Put
// names a project that does not exist: the row references projects).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

inline constexpr std::string_view kDynamicClientSettingsCacheName = "dynamic_client_settings";

// Every member has a default initializer so designated initializers may name only what they set.
struct DynamicClientSettings {
  std::optional<std::string> access_token_template_content{};  // nullopt: no template
  std::optional<std::string> id_token_template_content{};      // nullopt: no template
  int64_t updated_at = 0;                                      // Unix seconds; 0 when never stored

  bool operator==(const DynamicClientSettings&) const = default;
};

class DynamicClientSettingsRepository {
 public:
  explicit DynamicClientSettingsRepository(Database& db) : db_(db) {}

  // The project's stored settings; nullopt when none were ever stored.
  std::optional<DynamicClientSettings> Get(std::string_view project_id);
  // Replaces the project's settings (every field).
  void Put(std::string_view project_id, const DynamicClientSettings& settings);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
