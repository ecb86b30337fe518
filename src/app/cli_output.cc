#include "app/cli_output.h"

#include <ctime>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>

#include "core/redirect_uri_policy.h"
#include "core/uri_components.h"

namespace gatehouse::app {
namespace {

std::string FormatTime(std::optional<int64_t> t) {
  if (!t) return "-";
  const std::time_t tt = static_cast<std::time_t>(*t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return os.str();
}

}  // namespace

void PrintServing(std::ostream& out, const Config& config, uint16_t port) {
  const std::string base = "http://" + config.listen_host + ":" + std::to_string(port);
  // The listening address is worth a mention only when it is not the issuer (behind a proxy).
  const std::string where = base == config.issuer ? "" : " on " + base;
  out << "gatehouse: serving " << config.issuer << where << " (database " << config.database_url
      << ", environment " << config.environment_name() << ")\n"
      << "  discovery: " << config.issuer << "/.well-known/openid-configuration\n"
      << "  next: create a connected app with the project credentials:\n"
      << "    curl -u \"$PROJECT_ID:$PROJECT_SECRET\" -H 'Content-Type: application/json' \\\n"
      << "      -d '{\"client_type\":\"first_party\",\"client_name\":\"My app\","
         "\"redirect_urls\":[\"http://localhost:3000/callback\"]}' \\\n"
      << "      " << config.issuer << "/v1/connected_apps/clients\n"
      << std::flush;
}

void WarnIfIssuerPortDiffers(std::ostream& err, const Config& config, uint16_t port) {
  const std::optional<core::UriComponents> issuer = core::ParseUriComponents(config.issuer);
  if (!issuer || !core::IsLoopbackHost(issuer->host)) return;
  const std::string issuer_port = issuer->port && !issuer->port->empty()
                                      ? std::string(*issuer->port)
                                      : (issuer->scheme == "https" ? "443" : "80");
  if (issuer_port == std::to_string(port)) return;
  const std::string served =
      std::string(issuer->scheme) + "://" + std::string(issuer->host) + ":" + std::to_string(port);
  err << "gatehouse: warning: the issuer " << config.issuer << " is on port " << issuer_port
      << ", but this server listens on port " << port
      << ": the URLs it advertises will not answer. Set issuer to " << served
      << " or listen to port " << issuer_port << ".\n"
      << std::flush;
}

void PrintStopped(std::ostream& out) { out << "gatehouse: stopped\n" << std::flush; }

void PrintSigningKeys(std::ostream& out, const std::vector<accounts::SigningKeyInfo>& keys) {
  out << std::left << std::setw(46) << "kid" << std::setw(7) << "alg" << std::setw(9) << "state"
      << std::setw(22) << "created" << std::setw(22) << "activated"
      << "published until\n";
  for (const auto& k : keys) {
    out << std::setw(46) << k.kid << std::setw(7) << k.alg << std::setw(9) << k.state
        << std::setw(22) << FormatTime(k.created_at) << std::setw(22) << FormatTime(k.activated_at)
        << (k.state == "retired" ? FormatTime(k.publish_until) : "") << "\n";
  }
}

void PrintRotatedKey(std::ostream& out, const std::string& kid) {
  out << "gatehouse: the signing key is now " << kid << "\n";
}

void PrintNewProjectSecret(std::ostream& out, const ProjectCredentials& credentials) {
  out << "project_id: " << credentials.project_id
      << "\nproject_secret: " << credentials.project_secret
      << "\n(The previous secret no longer works.)\n";
}

void PrintMigrations(std::ostream& out, const std::vector<std::string>& applied) {
  if (applied.empty()) out << "gatehouse: database is up to date\n";
  for (const auto& name : applied) out << "gatehouse: applied " << name << "\n";
}

}  // namespace gatehouse::app
