#include "app/application.h"

#include <unistd.h>

#include <ctime>
#include <iomanip>
#include <iostream>

#include "admin/management_api.h"
#include "app/maintenance.h"
#include "app/master_key.h"
#include "app/project_bootstrap.h"
#include "core/ids.h"
#include "crypto/secure_random.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/server.h"
#include "oauth/discovery.h"
#include "oauth/secret_hasher.h"
#include "oauth/settings.h"
#include "oauth/signing_keys.h"
#include "store/cache_version_repository.h"
#include "store/migrations.h"
#include "store/signing_key_repository.h"

namespace gatehouse::app {
namespace {

oauth::ProtocolSettings SettingsFrom(const Config& c) {
  oauth::ProtocolSettings s;
  s.issuer = c.issuer;
  s.live = c.live;
  s.dynamic_registration = c.dynamic_registration;
  s.cimd = c.cimd;
  s.cimd_allow_loopback = c.cimd_allow_loopback;
  s.cimd_ca_file = c.cimd_ca_file;
  s.authorization_page_url = c.authorization_page_url;
  s.refresh_grace_seconds = c.refresh_grace_seconds;
  s.authorization_code_ttl_seconds = c.authorization_code_ttl_seconds;
  s.access_token_ttl_seconds = c.access_token_ttl_seconds;
  s.id_token_ttl_seconds = c.id_token_ttl_seconds;
  s.refresh_token_ttl_seconds = c.refresh_token_ttl_seconds;
  s.session_ttl_seconds = c.session_ttl_seconds;
  s.m2m_token_ttl_seconds = c.m2m_token_ttl_seconds;
  return s;
}

oauth::SigningKeyPolicy KeyPolicyFrom(const Config& c) {
  oauth::SigningKeyPolicy p;
  p.algorithm = crypto::ParseAlgorithm(c.signing_algorithm).value();  // validated by LoadConfig
  p.rotation_seconds = c.key_rotation_days * 24 * 3600;
  // A retired key stays published while any token it signed may still be presented.
  p.retired_publish_seconds =
      std::max({c.access_token_ttl_seconds, c.id_token_ttl_seconds, c.m2m_token_ttl_seconds}) + 300;
  return p;
}

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

struct Application::Parts {
  explicit Parts(const Config& c) : config(c), settings(SettingsFrom(c)) {}

  const Config config;
  const oauth::ProtocolSettings settings;
  core::SystemClock clock;
  crypto::SecureRandom random;
  std::unique_ptr<store::Database> db;
  MasterKey master_key;
  std::unique_ptr<oauth::SecretHasher> secret_hasher;
  std::unique_ptr<oauth::SigningKeys> keys;
  std::string project_id;
  std::unique_ptr<admin::ManagementApi> management;
  // Capability services (constructed in Application::Application, in dependency order).
  http::Metrics metrics;
  http::Router router;
  std::unique_ptr<http::Pipeline> pipeline;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<Maintenance> maintenance;

  void AddRoutes();
  void StartServing();
};

Application::Application(const Config& config, std::ostream& out)
    : parts_(std::make_unique<Parts>(config)) {
  Parts& p = *parts_;
  // The master key first: a missing one is a configuration error worth reporting before any
  // database trouble.
  p.master_key = ResolveMasterKey(config, p.random);
  p.db = store::OpenDatabase(config.database_url, static_cast<int>(config.database_pool_size));
  store::ApplyMigrations(*p.db);
  p.secret_hasher =
      std::make_unique<oauth::SecretHasher>(DeriveKey(p.master_key, "gatehouse secret pepper v1"));
  p.keys = std::make_unique<oauth::SigningKeys>(*p.db, p.clock, p.random, p.master_key.bytes,
                                                KeyPolicyFrom(config));
  p.keys->EnsureKeys();
  p.project_id =
      EnsureProject(*p.db, p.random, p.clock, *p.secret_hasher, p.settings.environment_name(), out);
}

Application::~Application() { Stop(); }

void Application::Parts::AddRoutes() {
  router.Add("GET", "/healthz", [this](http::Request&) {
    const bool ok = db->Ping();
    return http::Response::Json(ok ? 200 : 503,
                                ok ? R"({"status":"ok"})" : R"({"status":"database unavailable"})");
  });
  router.Add("GET", "/metrics", [this](http::Request&) {
    http::Response r = http::Response::Text(200, metrics.Render());
    r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
  });
  oauth::AddDiscoveryRoutes(router, settings, *keys, config.signing_algorithm);
  // Capability routes, one line each.
}

void Application::Parts::StartServing() {
  AddRoutes();
  metrics.AddGauge("gatehouse_db_pool_connections", "Database connections open",
                   [this] { return static_cast<double>(db->Stats().size); });
  metrics.AddGauge("gatehouse_db_pool_in_use", "Database connections borrowed",
                   [this] { return static_cast<double>(db->Stats().in_use); });
  metrics.AddGauge("gatehouse_db_pool_waits_total", "Times a request waited for a connection",
                   [this] { return static_cast<double>(db->Stats().waits); });
  pipeline = std::make_unique<http::Pipeline>(router, metrics, random, clock);
  http::ServerOptions options;
  options.address = config.listen_host;
  options.port = config.listen_port;
  options.io_threads = static_cast<size_t>(config.io_threads);
  options.worker_threads = static_cast<size_t>(config.worker_threads);
  options.body_limit = static_cast<size_t>(config.max_body_bytes);
  options.random = &random;
  options.metrics = &metrics;
  server = std::make_unique<http::Server>(options, pipeline->AsHandler());
  metrics.AddGauge("gatehouse_worker_queue_depth", "Requests waiting for a worker thread",
                   [this] { return static_cast<double>(server->QueueDepth()); });
  metrics.AddGauge("gatehouse_open_connections", "Open client connections",
                   [this] { return static_cast<double>(server->ConnectionCount()); });

  maintenance = std::make_unique<Maintenance>(
      *db, clock, core::NewUuid(random) + "@" + std::to_string(::getpid()));
  maintenance->OnCacheChange(std::string(store::kSigningKeysCacheName), [this] { keys->Reload(); });
  maintenance->OnCacheChange("project", [this] { management->Reload(); });
  // Reloading also drops retired keys whose publication window closed.
  maintenance->AddJob("signing_keys.refresh", std::chrono::seconds(60), false,
                      [this] { keys->Reload(); });
  maintenance->AddJob("signing_keys.rotate", std::chrono::seconds(60), true, [this] {
    if (keys->RotateIfDue()) std::cerr << "gatehouse: rotated the signing key\n";
    keys->DeleteExpired();
  });
  server->Start();
  maintenance->Start();
}

uint16_t Application::Start() {
  parts_->StartServing();
  return parts_->server->port();
}

void Application::Serve() {
  Parts& p = *parts_;
  p.StartServing();
  const std::string base =
      "http://" + p.config.listen_host + ":" + std::to_string(p.server->port());
  std::cout
      << "gatehouse: serving " << p.settings.issuer << " on " << base << " (database "
      << p.config.database_url << ", environment " << p.settings.environment_name() << ")\n"
      << "  discovery: " << p.settings.issuer << "/.well-known/openid-configuration\n"
      << "  next: create a connected app with the project credentials:\n"
      << "    curl -u \"$PROJECT_ID:$PROJECT_SECRET\" -H 'Content-Type: application/json' \\\n"
      << "      -d '{\"client_type\":\"first_party\",\"client_name\":\"My app\","
         "\"redirect_urls\":[\"http://localhost:3000/callback\"]}' \\\n"
      << "      " << p.settings.issuer << "/v1/connected_apps/clients\n"
      << std::flush;
  p.server->RunUntilSignal();
  Stop();
  std::cout << "gatehouse: stopped\n" << std::flush;
}

void Application::Stop() {
  Parts& p = *parts_;
  if (p.server) p.server->Stop();
  if (p.maintenance) p.maintenance->Stop();
}

std::string Application::RotateKeys() { return parts_->keys->Rotate(); }

void Application::ListKeys(std::ostream& out) {
  out << std::left << std::setw(46) << "kid" << std::setw(7) << "alg" << std::setw(9) << "state"
      << std::setw(22) << "created" << std::setw(22) << "activated"
      << "published until\n";
  for (const auto& k : parts_->keys->List()) {
    out << std::setw(46) << k.kid << std::setw(7) << k.alg << std::setw(9) << k.state
        << std::setw(22) << FormatTime(k.created_at) << std::setw(22) << FormatTime(k.activated_at)
        << (k.state == "retired" ? FormatTime(k.publish_until) : "") << "\n";
  }
}

void Application::ResetProjectSecret(std::ostream& out) {
  Parts& p = *parts_;
  const auto creds =
      app::ResetProjectSecret(*p.db, p.random, *p.secret_hasher, p.settings.environment_name());
  out << "project_id: " << creds.project_id << "\nproject_secret: " << creds.project_secret
      << "\n(The previous secret no longer works.)\n";
}

void MigrateDatabase(const Config& config, std::ostream& out) {
  auto db = store::OpenDatabase(config.database_url, 1);
  const auto pending = store::PendingMigrations(*db);
  store::ApplyMigrations(*db);
  if (pending.empty()) out << "gatehouse: database is up to date\n";
  for (const auto& name : pending) out << "gatehouse: applied " << name << "\n";
}

}  // namespace gatehouse::app
