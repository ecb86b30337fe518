#pragma once
// DynamicClientTemplates: the project's claims templates for clients that register themselves —
// created by Dynamic Client Registration (RFC 7591) or resolved from a Client ID Metadata Document.
// Such clients cannot carry templates of their own, so the project sets one access token template
// and one ID token template for all of them (management API: GET|PUT
// /v1/connected_apps/dynamic_client_settings), and TokenIssuer renders them into those clients'
// tokens (AppliesTo).
//
// Validation: each template, when set, follows core::ParseClaimsTemplate exactly as a client's
// template does (a JSON object of at most 4 KB, no reserved claim, well-formed placeholders); a
// refusal is kBadRequest naming the field ("id_token_template_content: ...") and stores nothing.
//
// Caching: the templates are held parsed in memory (an atomically swapped snapshot), so issuing a
// token costs no database round trip. Replace stores through
// store::DynamicClientSettingsRepository, which bumps the "dynamic_client_settings" cache version
// in its transaction; the Maintenance loop calls Reload() in every process when that version moves.
//
// Thread-safe. Reload/Replace throw store::DatabaseError on infrastructure faults; a stored
// template that no longer parses is left out of the snapshot (and reported on stderr) rather than
// failing token issuance.

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/client.h"
#include "core/clock.h"
#include "core/mutex.h"
#include "core/result.h"
#include "store/database.h"
#include "store/dynamic_client_settings_repository.h"

namespace gatehouse::accounts {

class DynamicClientTemplates {
 public:
  struct Snapshot {
    store::DynamicClientSettings settings;            // as stored, for the management API
    std::optional<boost::json::object> access_token;  // parsed access token template
    std::optional<boost::json::object> id_token;      // parsed ID token template
  };

  // Loads the project's stored settings (none stored: no templates).
  DynamicClientTemplates(store::Database& db, const core::Clock& clock, std::string project_id);

  // True for clients whose tokens get the project's templates: those created by Dynamic Client
  // Registration or from a Client ID Metadata Document.
  static bool AppliesTo(const core::Client& client);

  std::shared_ptr<const Snapshot> Current() const { return current_.load(); }
  // Validates both templates of `settings`, stores them (updated_at is set here) and makes them
  // current in this process.
  core::Result<std::shared_ptr<const Snapshot>> Replace(store::DynamicClientSettings settings);
  // Re-reads the stored settings (another process may have changed them).
  void Reload();

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const std::string project_id_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  // Serializes Reload and Replace, so a reload that read the database before a replacement cannot
  // install its older snapshot after it.
  core::Mutex write_mu_;
};

}  // namespace gatehouse::accounts
