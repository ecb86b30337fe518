#include "app/application.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "accounts/client_registry.h"
#include "accounts/dynamic_client_templates.h"
#include "accounts/login_throttle.h"
#include "accounts/m2m_clients.h"
#include "accounts/organization_app_policy.h"
#include "accounts/password_hash.h"
#include "accounts/rbac_scope_policy.h"
#include "accounts/secret_hasher.h"
#include "accounts/sessions.h"
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
#include "app/abuse_limits.h"
#include "app/maintenance.h"
#include "app/master_key.h"
#include "app/observability.h"
#include "core/ids.h"
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
#include "oauth/token_endpoint.h"
#include "oauth/token_issuer.h"
#include "oauth/userinfo_endpoint.h"
#include "store/client_repository.h"
#include "store/dynamic_client_settings_repository.h"
#include "store/m2m_client_repository.h"
#include "store/migrations.h"
#include "store/organization_repository.h"
#include "store/rbac_policy_repository.h"
#include "store/signing_key_repository.h"
#include "ui/account_pages.h"
#include "ui/hosted_pages.h"

namespace gatehouse::app {
namespace {

std::unique_ptr<store::Database> OpenMigratedDatabase(const Config& config) {
  auto db = store::OpenDatabase(config.database_url, static_cast<int>(config.database_pool_size));
  store::ApplyMigrations(*db);
  return db;
}

// The signing keys, the first ones created when the database has none.
std::unique_ptr<accounts::SigningKeys> EnsureSigningKeys(const Config& c, store::Database& db,
                                                         const core::Clock& clock,
                                                         core::Random& random,
                                                         const MasterKey& master_key) {
  auto keys = std::make_unique<accounts::SigningKeys>(
      db, clock, random, master_key.bytes,
      accounts::SigningKeyPolicy{
          .algorithm = crypto::ParseAlgorithm(c.signing_algorithm).value(),  // LoadConfig checked
          .rotation_seconds = c.key_rotation_days * 24 * 3600,
          // A retired key stays published while any token it signed may still be presented.
          .retired_publish_seconds = std::max({c.access_token_ttl_seconds, c.id_token_ttl_seconds,
                                               c.m2m_token_ttl_seconds}) +
                                     300});
  keys->EnsureKeys();
  return keys;
}

template <typename... Grant>
std::vector<std::unique_ptr<oauth::TokenGrant>> Grants(std::unique_ptr<Grant>... grants) {
  std::vector<std::unique_ptr<oauth::TokenGrant>> all;
  (all.push_back(std::move(grants)), ...);
  return all;
}

}  // namespace

// The dependency graph: each member is built from the members above it, in declaration order, and
// destroyed before them.
struct Application::Parts {
  Parts(const Config& c, std::ostream& out, std::optional<http::ListenSocket> bound);

  const Config config;
  // The port claimed before anything else (serve), until the server adopts it.
  std::optional<http::ListenSocket> listener;
  const oauth::ProtocolSettings& settings = config;  // the protocol's view of it
  core::SystemClock clock;
  crypto::SecureRandom random;
  // The master key first: a missing one is a configuration error worth reporting before any
  // database trouble.
  const MasterKey master_key = ResolveMasterKey(config, random);
  const std::unique_ptr<store::Database> db = OpenMigratedDatabase(config);
  const accounts::SecretHasher secret_hasher{DeriveKey(master_key, "gatehouse secret pepper v1")};
  const std::unique_ptr<accounts::SigningKeys> keys =
      EnsureSigningKeys(config, *db, clock, random, master_key);
  const std::string project_id;  // created on the first start (printing its credentials)
  admin::ManagementApi management{*db, secret_hasher};
  // Connected apps, resolving CIMD client ids when CIMD is on.
  const std::unique_ptr<accounts::ClientMetadataSource> client_metadata =
      settings.cimd ? std::make_unique<oauth::cimd::ClientMetadataResolver>(settings, clock)
                    : nullptr;
  accounts::ClientRegistry clients{
      *db, secret_hasher, clock, random, settings.environment(), client_metadata.get(),
  };
  AbuseLimits limits{config, clock};  // every limited endpoint's oauth::EndpointLimits
  oauth::DynamicRegistration dynamic_registration{settings, clients, limits.registration(),
                                                  config.max_dynamic_clients};
  // Users, and who of them is signed in (the flow and the pages take it as UserSessions).
  const accounts::PasswordHasher passwords{accounts::InteractivePasswordCost()};
  accounts::UserAccounts users{*db, clock, random, passwords, settings.environment_name()};
  const accounts::LoginThrottle login_throttle{*db, clock, config.login_throttle};
  accounts::Sessions sessions{
      *db,
      clock,
      random,
      passwords,
      &login_throttle,
      [keys = keys.get()] { return keys->Snapshot(); },
      {.issuer = settings.issuer,
       .project_id = project_id,
       .environment = settings.environment_name()},
  };
  // Cached policies, reloaded when their cache version moves (StartServing): the RBAC policy as
  // the flow's ScopePolicy, each organization's allowed connected apps, the claims templates of
  // DCR and CIMD clients.
  accounts::RbacScopePolicy rbac{*db, clock};
  accounts::OrganizationAppPolicy organization_apps{*db};
  accounts::DynamicClientTemplates dynamic_client_templates{*db, clock, project_id};
  // The authorization code flow: shared by the hosted pages and the headless API.
  const oauth::AuthorizationService authorization{
      settings, clients, *db, clock, random, &rbac, &organization_apps,
  };
  const oauth::TokenIssuer token_issuer{
      settings, *keys, clock, random, &organization_apps, &dynamic_client_templates,
  };
  // M2M clients (cached; "m2m_clients" cache version), for the client_credentials grant.
  accounts::M2mClients m2m_clients{*db, secret_hasher, clock, random, settings.environment()};
  // One grant per grant_type (oauth/token_grant.h).
  const oauth::TokenEndpoint token_endpoint{
      Grants(std::make_unique<oauth::AuthorizationCodeGrant>(settings, clients, sessions, *db,
                                                             token_issuer, clock, random),
             std::make_unique<oauth::RefreshTokenGrant>(settings, clients, sessions, *db,
                                                        token_issuer, clock, random, &rbac),
             std::make_unique<oauth::ClientCredentialsGrant>(m2m_clients, token_issuer)),
      limits.token(),
  };
  const oauth::UserinfoEndpoint userinfo{settings, *keys, sessions, *db, clock};
  // Token lifecycle: introspection, revocation, first-party session exchange, /account pages.
  const oauth::AccessTokenInspector access_tokens{settings, *keys, *db, clock};
  const oauth::IntrospectionEndpoint introspection{
      settings, clients, access_tokens, *db, clock, limits.introspection(),
  };
  const oauth::RevocationEndpoint revocation{clients, access_tokens, *db, clock};
  oauth::SessionExchange session_exchange{access_tokens, clients, sessions, *db, clock};
  ui::AccountPages account_pages{sessions, *db, settings.issuer, clock, random};
  const admin::HeadlessAuthorizeApi headless_authorize{authorization, sessions, clock};
  // Built-in login, consent and sign-out pages (GET /oauth2/authorize and friends).
  ui::HostedPages hosted_pages{
      authorization,
      clients,
      sessions,
      DeriveKey(master_key, "gatehouse ui state v1"),
      clock,
      random,
      [keys = keys.get()] { return keys->Snapshot(); },
      limits.login(),
  };
  // Serving (StartServing): routes, the middleware pipeline, the server, background maintenance.
  http::Metrics metrics;
  http::Router router;
  // Before the pipeline that writes to it; flushed when the process stops.
  std::unique_ptr<http::BufferedAccessLog> access_log;
  std::unique_ptr<http::Pipeline> pipeline;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<Maintenance> maintenance;

  void AddRoutes();
  void StartServing();
};

Application::Parts::Parts(const Config& c, std::ostream& out,
                          std::optional<http::ListenSocket> bound)
    : config(c),
      listener(std::move(bound)),
      project_id(
          EnsureProject(*db, random, clock, secret_hasher, settings.environment_name(), out)) {}

Application::Application(const Config& config, std::ostream& out,
                         std::optional<http::ListenSocket> listener)
    : parts_(std::make_unique<Parts>(config, out, std::move(listener))) {}

Application::~Application() { Stop(); }

void Application::Parts::AddRoutes() {
  AddHealthAndMetricsRoutes(router, *db, metrics);
  oauth::AddDiscoveryRoutes(
      router, settings, *keys, config.signing_algorithm,
      oauth::CustomScopeSource{.generation = [this] { return rbac.generation(); },
                               .scopes = [this] { return rbac.CustomScopes(); }});
  // Capability routes, one line each.
  admin::AddConnectedAppsRoutes(router, management, clients);
  admin::AddDynamicClientSettingsRoutes(router, management, dynamic_client_templates);
  admin::AddM2mRoutes(router, management, m2m_clients);
  admin::AddRbacRoutes(router, management, rbac);
  admin::AddOrganizationRoutes(router, management,
                               {*db, clock, random, settings.environment_name()});
  oauth::AddDynamicRegistrationRoutes(router, dynamic_registration, settings);
  admin::AddUserRoutes(router, management, users);
  admin::AddSessionRoutes(router, management, sessions, settings.session_ttl_seconds);
  token_endpoint.AddRoutes(router);
  userinfo.AddRoutes(router);
  introspection.AddRoutes(router);
  revocation.AddRoutes(router);
  admin::AddSessionExchangeRoute(router, management, session_exchange,
                                 settings.session_ttl_seconds);
  admin::AddUserConnectedAppsRoutes(router, management, sessions, *db, clock);
  account_pages.AddRoutes(router);
  headless_authorize.AddRoutes(router, management);
  hosted_pages.AddRoutes(router);
}

void Application::Parts::StartServing() {
  AddRoutes();
  AddDatabaseGauges(metrics, *db);
  access_log = std::make_unique<http::BufferedAccessLog>();
  pipeline = std::make_unique<http::Pipeline>(
      router, metrics, random, clock, access_log->Sink(),
      config.trusted_proxies ? http::TrustedProxies::Parse(*config.trusted_proxies).value()
                             : http::TrustedProxies());
  server = std::make_unique<http::Server>(
      http::ServerOptions{.address = config.listen_host,
                          .port = config.listen_port,
                          .io_threads = static_cast<size_t>(config.io_threads),
                          .worker_threads = static_cast<size_t>(config.worker_threads),
                          .worker_cpu_slots = static_cast<size_t>(config.worker_cpu_slots),
                          .body_limit = static_cast<size_t>(config.max_body_bytes),
                          .random = &random,
                          .metrics = &metrics},
      pipeline->AsHandler());
  AddServerGauges(metrics, *server);

  maintenance = std::make_unique<Maintenance>(
      *db, clock, core::NewUuid(random) + "@" + std::to_string(::getpid()));
  maintenance->OnCacheChange(store::kSigningKeysCacheName, [this] { keys->Reload(); });
  maintenance->OnCacheChange("project", [this] { management.Reload(); });
  maintenance->OnCacheChange(store::kClientsCacheName, [this] { clients.Invalidate(); });
  maintenance->OnCacheChange(store::kM2mClientsCacheName, [this] { m2m_clients.Invalidate(); });
  maintenance->OnCacheChange(store::kRbacPolicyCacheName, [this] { rbac.Reload(); });
  maintenance->OnCacheChange(store::kDynamicClientSettingsCacheName,
                             [this] { dynamic_client_templates.Reload(); });
  maintenance->OnCacheChange(store::kOrganizationsCacheName, [this] {
    rbac.InvalidateMemberships();
    organization_apps.Invalidate();
  });
  // Reloading also drops retired keys whose publication window closed.
  maintenance->AddJob("signing_keys.refresh", std::chrono::seconds(60), false,
                      [this] { keys->Reload(); });
  maintenance->AddJob("signing_keys.rotate", std::chrono::seconds(60), true, [this] {
    if (keys->RotateIfDue()) std::cerr << "gatehouse: rotated the signing key\n";
    keys->DeleteExpired();
  });
  AddGarbageCollection(*maintenance, *db, clock, settings.access_token_ttl_seconds);
  if (listener) {
    server->Start(std::move(*listener));
    listener.reset();
  } else {
    server->Start();
  }
  maintenance->Start();
}

uint16_t Application::Start() {
  parts_->StartServing();
  return parts_->server->port();
}

void Application::RunUntilSignal() {
  if (!parts_->server) parts_->StartServing();
  parts_->server->RunUntilSignal();
  Stop();
}

void Application::Stop() {
  Parts& p = *parts_;
  if (p.server) p.server->Stop();
  if (p.maintenance) p.maintenance->Stop();
  if (p.access_log) p.access_log->Flush();
}

std::string Application::RotateKeys() { return parts_->keys->Rotate(); }

std::vector<accounts::SigningKeyInfo> Application::ListKeys() const { return parts_->keys->List(); }

ProjectCredentials Application::ResetProjectSecret() {
  Parts& p = *parts_;
  return app::ResetProjectSecret(*p.db, p.random, p.secret_hasher, p.settings.environment_name());
}

accounts::ClientRegistry& Application::Clients() { return parts_->clients; }

accounts::M2mClients& Application::M2mClients() { return parts_->m2m_clients; }

accounts::RbacScopePolicy& Application::RbacPolicy() { return parts_->rbac; }

std::vector<std::string> MigrateDatabase(const Config& config) {
  auto db = store::OpenDatabase(config.database_url, 1);
  std::vector<std::string> pending = store::PendingMigrations(*db);
  store::ApplyMigrations(*db);
  return pending;
}

}  // namespace gatehouse::app
