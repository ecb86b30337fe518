#pragma once
// `gatehouse doctor`: a conformance report of one deployment — its configuration, its master key
// file and its database — against OAuth 2.1, RFC 9700 (OAuth security best current practice) and
// the MCP authorization profile. One line per check, pass / warn / fail, with what to change.
// A fail means the deployment is unsafe or broken as configured; a warn, that it works but
// departs from a recommendation. main exits 1 when any check fails, so the command can gate a
// deployment.
//
// Split in two so the rules are testable without a database: GatherDoctorFacts reads the outside
// world (file modes, the database, read-only: it creates nothing, not even an absent SQLite file),
// Examine is a pure function of the configuration and those facts.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/clock.h"

namespace gatehouse::app {

enum class CheckStatus { kPass, kWarn, kFail };

struct DoctorCheck {
  std::string id;  // stable, e.g. "issuer.https"
  CheckStatus status = CheckStatus::kPass;
  std::string finding;  // what was found, one sentence
  std::string fix;      // what to change; empty when the check passed
};

// What the doctor learnt outside the configuration.
struct DoctorFacts {
  int64_t now = 0;
  // The master key file in use (master_key_file, or the generated one beside an SQLite database)
  // and its permission bits; no mode when the file does not exist.
  std::optional<std::string> master_key_file;
  std::optional<uint32_t> master_key_file_mode;
  // The database: absent (an SQLite file not created yet), unreachable (with why), or read.
  bool database_absent = false;
  std::optional<std::string> database_error;
  size_t pending_migrations = 0;
  // When the current signing key became current (none: no current key yet).
  std::optional<int64_t> current_key_activated_at;
  // Clients with an http:// redirect URI on a host other than loopback, and how many clients
  // were looked at.
  std::vector<std::string> clients_with_http_redirects;
  size_t clients_examined = 0;
};

DoctorFacts GatherDoctorFacts(const Config& config, const core::Clock& clock);

std::vector<DoctorCheck> Examine(const Config& config, const DoctorFacts& facts);

// One line per check ("PASS  issuer.https  …" with "fix: …" after a warn or fail), then a
// summary line; or, with `json`, {"checks":[{"id","status","finding","fix"}],"pass":N,...}.
void PrintDoctorReport(std::ostream& out, const std::vector<DoctorCheck>& checks, bool json);

// True when no check failed.
bool DoctorPassed(const std::vector<DoctorCheck>& checks);

}  // namespace gatehouse::app
