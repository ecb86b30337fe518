#include "app/application.h"

#include <unistd.h>

#include <ctime>
#include <iomanip>
#include <iostream>

#include "accounts/client_registry.h"
#include "accounts/dynamic_client_templates.h"
#include "accounts/login_throttle.h"
#include "accounts/m2m_clients.h"
#include "accounts/organization_app_policy.h"
#include "accounts/password_hash.h"
#include "accounts/rbac_scope_policy.h"
#include "accounts/secret_hasher.h"
#include "accounts/signing_keys.h"
#include "accounts/user_accounts.h"
#include "admin/connected_apps_api.h"
#include "admin/connected_apps_consent_api.h"
#include "admin/dynamic_client_settings_api.h"
#include "admin/headless_authorize_api.h"
#include "admin/m2m_api.h"
#include "admin/management_api.h"
#include "admin/organizations_api.h"
#include "admin/rbac_api.h"
#include "admin/session_exchange_api.h"
#include "admin/sessions_api.h"
#include "admin/users_api.h"
#include "app/maintenance.h"
#include "app/master_key.h"
#include "app/project_bootstrap.h"
#include "core/ids.h"
#include "core/rate_limit.h"
#include "crypto/secure_random.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "http/server.h"
#include "oauth/authorization_code_grant.h"
#include "oauth/authorization_service.h"
#include "oauth/cimd/client_metadata_resolver.h"
#include "oauth/client_credentials_grant.h"
#include "oauth/discovery.h"
#include "oauth/dynamic_registration.h"
#include "oauth/introspection_endpoint.h"
#include "oauth/refresh_token_grant.h"
#include "oauth/revocation_endpoint.h"
#include "oauth/session_exchange.h"
#include "oauth/settings.h"
#include "oauth/token_endpoint.h"
#include "oauth/token_issuer.h"
#include "oauth/userinfo_endpoint.h"
#include "store/authorization_code_repository.h"
#include "store/cache_version_repository.h"
#include "store/client_repository.h"
#include "store/dynamic_client_settings_repository.h"
#include "store/garbage_collection.h"
#include "store/migrations.h"
#include "store/organization_repository.h"
#include "store/rbac_policy_repository.h"
#include "store/refresh_token_repository.h"
#include "store/signing_key_repository.h"
#include "ui/account_pages.h"
#include "ui/hosted_pages.h"

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
  s.cimd_cache_entries = static_cast<size_t>(c.cimd_cache_entries);
  s.cimd_max_concurrent_fetches = static_cast<size_t>(c.cimd_max_concurrent_fetches);
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

accounts::SigningKeyPolicy KeyPolicyFrom(const Config& c) {
  accounts::SigningKeyPolicy p;
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

// The per-process abuse limits (core::RateLimit), one per endpoint and key kind; 0 turns one off.
struct AbuseLimits {
  AbuseLimits(const Config& c, const core::Clock& clock)
      : token_address(clock, static_cast<double>(c.token_limit_per_address_per_minute)),
        token_client(clock, static_cast<double>(c.token_limit_per_client_per_minute)),
        introspection_address(clock,
                              static_cast<double>(c.introspection_limit_per_address_per_minute)),
        introspection_client(clock,
                             static_cast<double>(c.introspection_limit_per_client_per_minute)),
        registration_address(clock,
                             static_cast<double>(c.registration_limit_per_address_per_minute)),
        login_address(clock, static_cast<double>(c.login_limit_per_address_per_minute)) {}

  core::RateLimit token_address;
  core::RateLimit token_client;
  core::RateLimit introspection_address;
  core::RateLimit introspection_client;
  core::RateLimit registration_address;
  core::RateLimit login_address;
};

accounts::LoginThrottlePolicy LoginThrottlePolicyFrom(const Config& c) {
  return accounts::LoginThrottlePolicy{.max_failures = c.login_max_failures,
                                       .window_seconds = c.login_failure_window_seconds,
                                       .lockout_seconds = c.login_lockout_seconds,
                                       .max_lockout_seconds = c.login_max_lockout_seconds};
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
  std::unique_ptr<accounts::SecretHasher> secret_hasher;
  std::unique_ptr<accounts::SigningKeys> keys;
  std::string project_id;
  std::unique_ptr<admin::ManagementApi> management;
  // CIMD resolver (null when CIMD is off); declared before `clients`, which points at it.
  std::unique_ptr<accounts::ClientMetadataSource> client_metadata;
  std::unique_ptr<accounts::ClientRegistry> clients;
  std::unique_ptr<AbuseLimits> limits;
  std::unique_ptr<accounts::LoginThrottle> login_throttle;
  std::unique_ptr<oauth::DynamicRegistration> dynamic_registration;
  // Users and their sessions; the authorization flow takes *user_sessions as
  // accounts::UserSessions.
  std::unique_ptr<accounts::PasswordHasher> passwords;
  std::unique_ptr<accounts::UserAccounts> user_sessions;
  // The RBAC policy as the ScopePolicy of the authorization flow ("rbac_policy" cache version).
  std::unique_ptr<accounts::RbacScopePolicy> rbac;
  // Which connected apps each organization lets its members authorize ("organizations" version).
  std::unique_ptr<accounts::OrganizationAppPolicy> organization_apps;
  // Claims templates for DCR and CIMD clients ("dynamic_client_settings" cache version).
  std::unique_ptr<accounts::DynamicClientTemplates> dynamic_client_templates;
  // The authorization code flow: shared by the hosted pages and the headless API.
  std::unique_ptr<oauth::AuthorizationService> authorization;
  std::unique_ptr<oauth::TokenIssuer> token_issuer;
  // M2M clients (cached; "m2m_clients" cache version), for the client_credentials grant.
  std::unique_ptr<accounts::M2mClients> m2m_clients;
  std::unique_ptr<oauth::TokenEndpoint> token_endpoint;
  std::unique_ptr<oauth::UserinfoEndpoint> userinfo;
  // Token lifecycle: introspection, revocation, first-party session exchange, /account pages.
  std::unique_ptr<oauth::AccessTokenInspector> access_tokens;
  std::unique_ptr<oauth::IntrospectionEndpoint> introspection;
  std::unique_ptr<oauth::RevocationEndpoint> revocation;
  std::unique_ptr<oauth::SessionExchange> session_exchange;
  std::unique_ptr<ui::AccountPages> account_pages;
  std::unique_ptr<admin::HeadlessAuthorizeApi> headless_authorize;
  // Built-in login, consent and sign-out pages (GET /oauth2/authorize and friends).
  std::unique_ptr<ui::HostedPages> hosted_pages;
  // Capability services (constructed in Application::Application, in dependency order).
  http::Metrics metrics;
  http::Router router;
  // Before the pipeline that writes to it; flushed when the process stops.
  std::unique_ptr<http::BufferedAccessLog> access_log;
  std::unique_ptr<http::Pipeline> pipeline;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<Maintenance> maintenance;
  // Where the idle-grant walk of garbage collection resumes (the maintenance thread's only).
  std::pair<int64_t, std::string> gc_idle_grant_cursor;

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
  p.secret_hasher = std::make_unique<accounts::SecretHasher>(
      DeriveKey(p.master_key, "gatehouse secret pepper v1"));
  p.keys = std::make_unique<accounts::SigningKeys>(*p.db, p.clock, p.random, p.master_key.bytes,
                                                   KeyPolicyFrom(config));
  p.keys->EnsureKeys();
  p.project_id =
      EnsureProject(*p.db, p.random, p.clock, *p.secret_hasher, p.settings.environment_name(), out);
  if (!p.management) p.management = std::make_unique<admin::ManagementApi>(*p.db, *p.secret_hasher);
  if (p.settings.cimd)
    p.client_metadata = std::make_unique<oauth::cimd::ClientMetadataResolver>(p.settings, p.clock);
  p.clients =
      std::make_unique<accounts::ClientRegistry>(*p.db, *p.secret_hasher, p.clock, p.random,
                                                 p.settings.environment(), p.client_metadata.get());
  p.limits = std::make_unique<AbuseLimits>(config, p.clock);
  p.dynamic_registration = std::make_unique<oauth::DynamicRegistration>(
      p.settings, *p.clients, p.limits->registration_address, config.max_dynamic_clients);
  p.passwords = std::make_unique<accounts::PasswordHasher>(accounts::InteractivePasswordCost());
  p.user_sessions = std::make_unique<accounts::UserAccounts>(
      *p.db, p.clock, p.random, *p.passwords, [keys = p.keys.get()] { return keys->Snapshot(); },
      accounts::UserAccountsOptions{p.settings.issuer, p.project_id,
                                    p.settings.environment_name()});
  p.login_throttle =
      std::make_unique<accounts::LoginThrottle>(*p.db, p.clock, LoginThrottlePolicyFrom(config));
  p.user_sessions->SetLoginThrottle(p.login_throttle.get());
  p.rbac = std::make_unique<accounts::RbacScopePolicy>(*p.db, p.clock);
  p.organization_apps = std::make_unique<accounts::OrganizationAppPolicy>(*p.db);
  p.authorization = std::make_unique<oauth::AuthorizationService>(p.settings, *p.clients, *p.db,
                                                                  p.clock, p.random, p.rbac.get());
  p.token_issuer = std::make_unique<oauth::TokenIssuer>(p.settings, *p.keys, p.clock, p.random);
  p.token_issuer->SetOrganizationSource(p.organization_apps.get());
  p.dynamic_client_templates =
      std::make_unique<accounts::DynamicClientTemplates>(*p.db, p.clock, p.project_id);
  p.token_issuer->SetDynamicClientTemplates(p.dynamic_client_templates.get());
  p.authorization->SetOrganizationAppPolicy(p.organization_apps.get());
  p.m2m_clients = std::make_unique<accounts::M2mClients>(*p.db, *p.secret_hasher, p.clock, p.random,
                                                         p.settings.environment());
  {
    // One line per grant type (oauth/token_grant.h).
    std::vector<std::unique_ptr<oauth::TokenGrant>> grants;
    grants.push_back(std::make_unique<oauth::AuthorizationCodeGrant>(
        p.settings, *p.clients, *p.user_sessions, *p.db, *p.token_issuer, p.clock, p.random));
    grants.push_back(std::make_unique<oauth::RefreshTokenGrant>(
        p.settings, *p.clients, *p.user_sessions, *p.db, *p.token_issuer, p.clock, p.random,
        p.rbac.get()));
    grants.push_back(
        std::make_unique<oauth::ClientCredentialsGrant>(*p.m2m_clients, *p.token_issuer));
    p.token_endpoint = std::make_unique<oauth::TokenEndpoint>(
        std::move(grants),
        oauth::EndpointLimits{&p.limits->token_address, &p.limits->token_client});
  }
  p.userinfo = std::make_unique<oauth::UserinfoEndpoint>(p.settings, *p.keys, *p.user_sessions,
                                                         *p.db, p.clock);
  p.access_tokens =
      std::make_unique<oauth::AccessTokenInspector>(p.settings, *p.keys, *p.db, p.clock);
  p.introspection = std::make_unique<oauth::IntrospectionEndpoint>(
      p.settings, *p.clients, *p.access_tokens, *p.db, p.clock);
  p.introspection->SetLimits({&p.limits->introspection_address, &p.limits->introspection_client});
  p.revocation =
      std::make_unique<oauth::RevocationEndpoint>(*p.clients, *p.access_tokens, *p.db, p.clock);
  p.session_exchange = std::make_unique<oauth::SessionExchange>(*p.access_tokens, *p.clients,
                                                                *p.user_sessions, *p.db, p.clock);
  p.account_pages = std::make_unique<ui::AccountPages>(*p.user_sessions, *p.db, p.settings.issuer,
                                                       p.clock, p.random);
  p.headless_authorize =
      std::make_unique<admin::HeadlessAuthorizeApi>(*p.authorization, *p.user_sessions, p.clock);
  p.hosted_pages = std::make_unique<ui::HostedPages>(
      *p.authorization, *p.clients, *p.user_sessions,
      DeriveKey(p.master_key, "gatehouse ui state v1"), p.clock, p.random,
      [keys = p.keys.get()] { return keys->Snapshot(); });
  p.hosted_pages->SetLoginRateLimit(&p.limits->login_address);
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
  oauth::AddDiscoveryRoutes(
      router, settings, *keys, config.signing_algorithm,
      oauth::CustomScopeSource{.generation = [this] { return rbac->generation(); },
                               .scopes = [this] { return rbac->CustomScopes(); }});
  // Capability routes, one line each.
  admin::AddConnectedAppsRoutes(router, *management, *clients);
  admin::AddDynamicClientSettingsRoutes(router, *management, *dynamic_client_templates);
  admin::AddM2mRoutes(router, *management, *m2m_clients);
  admin::AddRbacRoutes(router, *management, *rbac);
  admin::AddOrganizationRoutes(router, *management,
                               {*db, clock, random, settings.environment_name()});
  oauth::AddDynamicRegistrationRoutes(router, *dynamic_registration, settings);
  admin::AddUserRoutes(router, *management, *user_sessions);
  admin::AddSessionRoutes(router, *management, *user_sessions, settings.session_ttl_seconds);
  token_endpoint->AddRoutes(router);
  userinfo->AddRoutes(router);
  introspection->AddRoutes(router);
  revocation->AddRoutes(router);
  admin::AddSessionExchangeRoute(router, *management, *session_exchange,
                                 settings.session_ttl_seconds);
  admin::AddUserConnectedAppsRoutes(router, *management, *user_sessions, *db, clock);
  account_pages->AddRoutes(router);
  headless_authorize->AddRoutes(router, *management);
  hosted_pages->AddRoutes(router);
}

void Application::Parts::StartServing() {
  AddRoutes();
  metrics.AddGauge("gatehouse_db_pool_connections", "Database connections open",
                   [this] { return static_cast<double>(db->Stats().size); });
  metrics.AddGauge("gatehouse_db_pool_in_use", "Database connections borrowed",
                   [this] { return static_cast<double>(db->Stats().in_use); });
  metrics.AddCounter("gatehouse_db_pool_waits_total", "Times a request waited for a connection",
                     [this] { return static_cast<double>(db->Stats().waits); });
  http::TrustedProxies proxies;
  if (config.trusted_proxies)
    proxies = http::TrustedProxies::Parse(*config.trusted_proxies).value();
  access_log = std::make_unique<http::BufferedAccessLog>();
  pipeline = std::make_unique<http::Pipeline>(router, metrics, random, clock, access_log->Sink(),
                                              std::move(proxies));
  http::ServerOptions options;
  options.address = config.listen_host;
  options.port = config.listen_port;
  options.io_threads = static_cast<size_t>(config.io_threads);
  options.worker_threads = static_cast<size_t>(config.worker_threads);
  options.worker_cpu_slots = static_cast<size_t>(config.worker_cpu_slots);
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
  maintenance->OnCacheChange(std::string(store::kClientsCacheName),
                             [this] { clients->Invalidate(); });
  maintenance->OnCacheChange(std::string(store::kM2mClientsCacheName),
                             [this] { m2m_clients->Invalidate(); });
  maintenance->OnCacheChange(std::string(store::kRbacPolicyCacheName), [this] { rbac->Reload(); });
  maintenance->OnCacheChange(std::string(store::kDynamicClientSettingsCacheName),
                             [this] { dynamic_client_templates->Reload(); });
  maintenance->OnCacheChange(std::string(store::kOrganizationsCacheName), [this] {
    rbac->InvalidateMemberships();
    organization_apps->Invalidate();
  });
  // Reloading also drops retired keys whose publication window closed.
  maintenance->AddJob("signing_keys.refresh", std::chrono::seconds(60), false,
                      [this] { keys->Reload(); });
  maintenance->AddJob("signing_keys.rotate", std::chrono::seconds(60), true, [this] {
    if (keys->RotateIfDue()) std::cerr << "gatehouse: rotated the signing key\n";
    keys->DeleteExpired();
  });
  // Expired codes, sessions, exchanged-token records, refresh tokens and spent grants, in bounded
  // batches (store/garbage_collection.h). Refresh tokens and grants are kept until every access
  // token minted from them has expired: the longest lifetime a client may configure, or the
  // server's, plus a margin.
  maintenance->AddJob("tokens.gc", std::chrono::seconds(600), true, [this] {
    const int64_t longest_access_token = std::max<int64_t>(
        settings.access_token_ttl_seconds, accounts::kMaxAccessTokenExpiryMinutes * 60);
    const store::GarbageCollectionOptions options{
        .access_token_retention_seconds = longest_access_token + 300,
        .idle_grant_cursor = gc_idle_grant_cursor};
    gc_idle_grant_cursor =
        store::GarbageCollection(*db, options).Collect(clock.NowSeconds()).idle_grant_cursor;
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
  // The listening address is worth a mention only when it is not the issuer (behind a proxy).
  const std::string where = base == p.settings.issuer ? "" : " on " + base;
  std::cout
      << "gatehouse: serving " << p.settings.issuer << where << " (database "
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
  if (p.access_log) p.access_log->Flush();
}

std::string Application::RotateKeys() { return parts_->keys->Rotate(); }

accounts::ClientRegistry& Application::Clients() { return *parts_->clients; }

accounts::M2mClients& Application::M2mClients() { return *parts_->m2m_clients; }

accounts::RbacScopePolicy& Application::RbacPolicy() { return *parts_->rbac; }

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
