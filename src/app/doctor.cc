#include "app/doctor.h"

#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <ostream>

#include "app/master_key.h"
#include "core/redirect_uri_policy.h"
#include "core/uri_components.h"
#include "store/client_repository.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/signing_key_repository.h"

namespace gatehouse::app {
namespace {

constexpr int64_t kDay = 24 * 3600;
// Beyond these a lifetime departs from what OAuth 2.1 and RFC 9700 recommend (short-lived access
// tokens; refresh tokens that expire).
constexpr int64_t kAccessTokenTtlBound = 3600;
constexpr int64_t kRefreshTokenTtlBound = 90 * kDay;
// A grace retry of a refresh token is replay by design: keep the window to the length of a
// network retry.
constexpr int64_t kRefreshGraceBound = 60;

DoctorCheck Pass(std::string id, std::string finding) {
  return {std::move(id), CheckStatus::kPass, std::move(finding), ""};
}
DoctorCheck Warn(std::string id, std::string finding, std::string fix) {
  return {std::move(id), CheckStatus::kWarn, std::move(finding), std::move(fix)};
}
DoctorCheck Fail(std::string id, std::string finding, std::string fix) {
  return {std::move(id), CheckStatus::kFail, std::move(finding), std::move(fix)};
}

bool LoopbackIssuer(const Config& c) {
  const std::optional<core::UriComponents> issuer = core::ParseUriComponents(c.issuer);
  return issuer && core::IsLoopbackHost(issuer->host);
}

bool LoopbackListener(const Config& c) {
  return c.listen_host == "127.0.0.1" || c.listen_host == "::1" || c.listen_host == "localhost";
}

std::string Days(int64_t seconds) { return std::to_string(seconds / kDay) + " days"; }

DoctorCheck IssuerScheme(const Config& c) {
  const bool https = c.issuer.starts_with("https://");
  if (https) return Pass("issuer.https", "the issuer " + c.issuer + " uses https");
  if (c.live) {
    return Fail("issuer.https", "the live issuer " + c.issuer + " is not https",
                "serve the issuer over https (TLS at the proxy) and set issuer to the https URL");
  }
  if (LoopbackIssuer(c)) {
    return Pass("issuer.https", "http issuer " + c.issuer + " on loopback, test environment");
  }
  return Warn("issuer.https", "the issuer " + c.issuer + " is plain http on a network address",
              "use an https issuer for anything reachable from another machine");
}

DoctorCheck TestEnvironment(const Config& c) {
  if (c.live) return Pass("environment", "environment is live");
  if (LoopbackIssuer(c)) return Pass("environment", "environment is test on a loopback issuer");
  return Fail("environment",
              "environment is test, but the issuer " + c.issuer +
                  " is not loopback: test relaxes redirect URI and cookie rules",
              "set environment = \"live\" for a deployment others use");
}

DoctorCheck Registration(const Config& c) {
  if (!c.dynamic_registration) return Pass("registration.limits", "dynamic registration is off");
  const bool rate = c.registration_limit_per_address_per_minute > 0;
  const bool cap = c.max_dynamic_clients > 0;
  if (rate && cap) {
    return Pass("registration.limits",
                "registration is open, limited to " +
                    std::to_string(c.registration_limit_per_address_per_minute) +
                    " per address per minute and " + std::to_string(c.max_dynamic_clients) +
                    " clients");
  }
  if (!rate && !cap) {
    return Fail("registration.limits",
                "registration is open to anyone with neither a rate limit nor a client cap",
                "set registration_limit_per_address_per_minute and max_dynamic_clients");
  }
  return Warn("registration.limits",
              rate ? "registration is open with no cap on the number of clients"
                   : "registration is open with no rate limit",
              rate ? "set max_dynamic_clients" : "set registration_limit_per_address_per_minute");
}

DoctorCheck McpRegistration(const Config& c) {
  if (c.dynamic_registration || c.cimd) {
    return Pass("mcp.registration",
                std::string("MCP clients can register by ") +
                    (c.cimd ? "Client ID Metadata Document" : "Dynamic Client Registration"));
  }
  return Warn("mcp.registration",
              "both dynamic registration and CIMD are off: MCP clients cannot register themselves",
              "turn cimd (preferred by the MCP authorization profile) or dynamic_registration on");
}

DoctorCheck RefreshGrace(const Config& c) {
  if (c.refresh_grace_seconds == 0) {
    return Pass("refresh.grace", "no grace window: every reuse of a refresh token is replay");
  }
  const std::string window = std::to_string(c.refresh_grace_seconds) + " s";
  if (c.refresh_grace_seconds <= kRefreshGraceBound) {
    return Pass("refresh.grace", "refresh grace window " + window);
  }
  return Warn("refresh.grace",
              "a used refresh token is accepted again for " + window + " (RFC 9700 §4.14.2)",
              "set refresh_grace_seconds to " + std::to_string(kRefreshGraceBound) + " or less");
}

DoctorCheck KeyRotation(const Config& c, const DoctorFacts& f) {
  if (c.key_rotation_days == 0) {
    return Warn("keys.rotation", "scheduled signing key rotation is off",
                "set key_rotation_days (30 by default)");
  }
  if (!f.current_key_activated_at) {
    return Pass("keys.rotation", "rotation every " + std::to_string(c.key_rotation_days) +
                                     " days; the first key is created on the first start");
  }
  const int64_t age = f.now - *f.current_key_activated_at;
  const std::string found = "the current signing key is " + Days(age) + " old, rotation every " +
                            std::to_string(c.key_rotation_days) + " days";
  if (age > (c.key_rotation_days + 2) * kDay) {
    return Warn("keys.rotation", found + ": rotation is overdue",
                "run a gatehouse server (it rotates on schedule) or `gatehouse keys rotate`");
  }
  return Pass("keys.rotation", found);
}

DoctorCheck MasterKeyStorage(const Config& c, const DoctorFacts& f) {
  if (c.master_key) {
    return Warn("master_key.storage",
                "the master key is given inline (configuration file or environment)",
                "put it in a file readable only by the server's user and set master_key_file");
  }
  if (!f.master_key_file) {
    return Fail("master_key.storage", "no master key is configured for PostgreSQL",
                "set master_key_file (the same key for every process sharing the database)");
  }
  if (!f.master_key_file_mode) {
    if (c.master_key_file) {
      return Fail("master_key.storage", "master_key_file " + *f.master_key_file + " does not exist",
                  "create it (32 random bytes as 64 hex digits), mode 0600");
    }
    return Pass("master_key.storage",
                "the master key will be generated in " + *f.master_key_file + " (mode 0600)");
  }
  const uint32_t mode = *f.master_key_file_mode & 0777;
  char octal[8];
  std::snprintf(octal, sizeof(octal), "%04o", mode);
  if ((mode & 0077) != 0) {
    return Fail(
        "master_key.storage",
        "the master key file " + *f.master_key_file + " is readable by others (mode " + octal + ")",
        "chmod 600 " + *f.master_key_file);
  }
  return Pass("master_key.storage",
              "master key in " + *f.master_key_file + " (mode " + octal + ")");
}

DoctorCheck MetricsExposure(const Config& c) {
  if (LoopbackListener(c)) {
    return Pass("metrics.exposure", "/metrics is served on the loopback listener " + c.listen);
  }
  return Warn("metrics.exposure", "/metrics is served on the public listener " + c.listen,
              "refuse /metrics at the proxy in front of Gatehouse");
}

DoctorCheck CimdLoopback(const Config& c) {
  if (!c.cimd || !c.cimd_allow_loopback) {
    return Pass("cimd.loopback", "metadata documents are never fetched from loopback addresses");
  }
  return Fail("cimd.loopback",
              "cimd_allow_loopback is on: anyone can make the server fetch from its own machine",
              "turn cimd_allow_loopback off (it exists for tests)");
}

std::vector<DoctorCheck> Lifetimes(const Config& c) {
  std::vector<DoctorCheck> checks;
  if (c.access_token_ttl_seconds > kAccessTokenTtlBound) {
    checks.push_back(Warn("tokens.access_ttl",
                          "access tokens live " + std::to_string(c.access_token_ttl_seconds) + " s",
                          "keep access_token_ttl_seconds at 3600 or less; refresh instead"));
  } else {
    checks.push_back(
        Pass("tokens.access_ttl",
             "access tokens live " + std::to_string(c.access_token_ttl_seconds) + " s"));
  }
  if (c.refresh_token_ttl_seconds > kRefreshTokenTtlBound) {
    checks.push_back(Warn("tokens.refresh_ttl",
                          "refresh tokens live " + Days(c.refresh_token_ttl_seconds),
                          "keep refresh_token_ttl_seconds at 90 days or less"));
  } else {
    checks.push_back(
        Pass("tokens.refresh_ttl", "refresh tokens live " + Days(c.refresh_token_ttl_seconds)));
  }
  return checks;
}

DoctorCheck Database(const DoctorFacts& f) {
  if (f.database_absent) {
    return Pass("database", "the SQLite database does not exist yet; the first start creates it");
  }
  if (f.database_error) {
    return Fail("database", "the database cannot be read: " + *f.database_error,
                "check database_url and that the database is up");
  }
  if (f.pending_migrations > 0) {
    return Fail("database", std::to_string(f.pending_migrations) + " migrations are not applied",
                "run `gatehouse migrate` (or start the server once)");
  }
  return Pass("database", "the database is reachable and up to date");
}

DoctorCheck HttpRedirects(const Config& c, const DoctorFacts& f) {
  const size_t count = f.clients_with_http_redirects.size();
  if (count == 0) {
    return Pass("clients.redirect_uris",
                std::to_string(f.clients_examined) +
                    " clients, none with an http redirect URI off loopback");
  }
  std::string named;
  for (size_t i = 0; i < count && i < 5; ++i) {
    named += (i == 0 ? "" : ", ") + f.clients_with_http_redirects[i];
  }
  if (count > 5) named += " and " + std::to_string(count - 5) + " more";
  const std::string found =
      std::to_string(count) + " clients have an http redirect URI off loopback: " + named;
  if (!c.live) return Pass("clients.redirect_uris", found + " (allowed in test)");
  return Fail("clients.redirect_uris", found,
              "register https redirect URIs for these clients (codes would cross the network in "
              "clear)");
}

const char* StatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kFail:
      return "fail";
  }
  return "fail";
}

// Reads what the database tells: migrations, the current key, the clients' redirect URIs.
void ReadDatabase(const Config& config, DoctorFacts& facts) {
  try {
    const std::unique_ptr<store::Database> db = store::OpenDatabase(config.database_url, 1);
    facts.pending_migrations = store::PendingMigrations(*db).size();
    if (facts.pending_migrations > 0) return;  // the tables below may not exist yet
    for (const store::SigningKeyRecord& key : store::SigningKeyRepository(*db).ListAll()) {
      if (key.state == store::kKeyStateCurrent) facts.current_key_activated_at = key.activated_at;
    }
    store::ClientRepository clients(*db);
    std::optional<std::string> cursor;
    do {
      store::ClientPage page = clients.Search(cursor, 500);
      for (const core::Client& client : page.clients) {
        ++facts.clients_examined;
        for (const std::string& uri : client.redirect_uris) {
          const std::optional<core::UriComponents> parts = core::ParseUriComponents(uri);
          if (parts && parts->scheme == "http" && !core::IsLoopbackHost(parts->host)) {
            facts.clients_with_http_redirects.push_back(client.client_id);
            break;
          }
        }
      }
      cursor = page.next_cursor;
    } while (cursor);
  } catch (const std::exception& e) {
    facts.database_error = e.what();
  }
}

}  // namespace

DoctorFacts GatherDoctorFacts(const Config& config, const core::Clock& clock) {
  DoctorFacts facts;
  facts.now = clock.NowSeconds();
  facts.master_key_file = MasterKeyFilePath(config);
  if (facts.master_key_file) {
    struct stat info {};
    if (::stat(facts.master_key_file->c_str(), &info) == 0) {
      facts.master_key_file_mode = static_cast<uint32_t>(info.st_mode);
    }
  }
  std::error_code ec;
  if (config.is_sqlite() && !std::filesystem::exists(config.sqlite_path(), ec)) {
    facts.database_absent = true;  // opening it would create it
    return facts;
  }
  ReadDatabase(config, facts);
  return facts;
}

std::vector<DoctorCheck> Examine(const Config& config, const DoctorFacts& facts) {
  std::vector<DoctorCheck> checks = {
      IssuerScheme(config),
      TestEnvironment(config),
      Registration(config),
      McpRegistration(config),
      RefreshGrace(config),
      KeyRotation(config, facts),
      MasterKeyStorage(config, facts),
      MetricsExposure(config),
      CimdLoopback(config),
  };
  for (DoctorCheck& check : Lifetimes(config)) checks.push_back(std::move(check));
  checks.push_back(Database(facts));
  checks.push_back(HttpRedirects(config, facts));
  return checks;
}

bool DoctorPassed(const std::vector<DoctorCheck>& checks) {
  for (const DoctorCheck& check : checks) {
    if (check.status == CheckStatus::kFail) return false;
  }
  return true;
}

void PrintDoctorReport(std::ostream& out, const std::vector<DoctorCheck>& checks, bool json) {
  size_t counts[3] = {0, 0, 0};
  for (const DoctorCheck& check : checks) ++counts[static_cast<int>(check.status)];
  if (json) {
    boost::json::array items;
    for (const DoctorCheck& check : checks) {
      items.push_back(boost::json::object{{"id", check.id},
                                          {"status", StatusName(check.status)},
                                          {"finding", check.finding},
                                          {"fix", check.fix}});
    }
    out << boost::json::serialize(boost::json::object{{"checks", std::move(items)},
                                                      {"pass", counts[0]},
                                                      {"warn", counts[1]},
                                                      {"fail", counts[2]}})
        << "\n";
    return;
  }
  for (const DoctorCheck& check : checks) {
    std::string status = StatusName(check.status);
    for (char& ch : status) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out << status << "  " << check.id << "  " << check.finding << "\n";
    if (!check.fix.empty()) out << "      fix: " << check.fix << "\n";
  }
  out << counts[0] << " passed, " << counts[1] << " warnings, " << counts[2] << " failed\n";
}

}  // namespace gatehouse::app
