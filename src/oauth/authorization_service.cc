#include "oauth/authorization_service.h"

#include <algorithm>
#include <cassert>

#include <boost/json.hpp>

#include "accounts/organization_app_policy.h"
#include "core/ids.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "http/form.h"
#include "store/authorization_code_repository.h"
#include "store/client_repository.h"
#include "store/consent_repository.h"
#include "store/grant_repository.h"

namespace gatehouse::oauth {
namespace {

// OAuth 2.1 §4.1.2 recommends at most ten minutes; Gatehouse promises at most a minute whatever
// the configuration says.
constexpr int64_t kMaxAuthorizationCodeTtlSeconds = 60;

core::Environment EnvironmentOf(const ProtocolSettings& settings) {
  return settings.live ? core::Environment::kLive : core::Environment::kTest;
}

std::string ResourcesJson(const std::vector<std::string>& resources) {
  boost::json::array array;
  for (const std::string& r : resources) array.emplace_back(r);
  return boost::json::serialize(array);
}

core::AuthorizationError NotRedirectable(const core::Error& error) {
  return core::AuthorizationError{
      .error = error, .redirectable = false, .redirect_uri = std::nullopt, .state = std::nullopt};
}

// Grants reference clients(client_id). A client resolved from a metadata document lives in the
// resolver's cache; the first grant for it records it in the clients table (only when missing,
// since every upsert bumps the clients cache version of every process).
void EnsureMetadataClientRow(store::Database& db, const core::Client& client) {
  bool present = false;
  db.Run([&](store::Connection& c) {
    present = !c.Query("SELECT 1 FROM clients WHERE client_id = ?", {client.client_id}).empty();
  });
  if (!present) store::ClientRepository(db).UpsertMetadataClient(client);
}

}  // namespace

std::string CodeRedirect(std::string_view redirect_uri, std::string_view code,
                         const std::optional<std::string>& state, std::string_view issuer) {
  std::vector<std::pair<std::string, std::string>> params{{"code", std::string(code)}};
  if (state) params.emplace_back("state", *state);
  params.emplace_back("iss", std::string(issuer));
  return http::AppendQueryParams(redirect_uri, params);
}

std::string ErrorRedirect(std::string_view redirect_uri, const core::Error& error,
                          const std::optional<std::string>& state, std::string_view issuer) {
  std::vector<std::pair<std::string, std::string>> params{{"error", std::string(error.name())}};
  if (!error.description().empty()) params.emplace_back("error_description", error.description());
  if (state) params.emplace_back("state", *state);
  params.emplace_back("iss", std::string(issuer));
  return http::AppendQueryParams(redirect_uri, params);
}

AuthorizationService::AuthorizationService(const ProtocolSettings& settings,
                                           accounts::ClientDirectory& clients, store::Database& db,
                                           const core::Clock& clock, core::Random& random,
                                           const accounts::ScopePolicy* scope_policy,
                                           const accounts::OrganizationAppPolicy* organization_apps)
    : settings_(settings),
      clients_(clients),
      db_(db),
      clock_(clock),
      random_(random),
      scope_policy_(scope_policy != nullptr ? *scope_policy : open_policy_),
      organization_apps_(organization_apps) {}

AuthorizationService::Validation AuthorizationService::Validate(
    const core::AuthorizationParams& params, core::AuthorizationPurpose purpose) const {
  core::Result<std::string> client_id = core::AuthorizationClientId(params);
  if (!client_id) return NotRedirectable(client_id.error());
  core::Result<std::shared_ptr<const core::Client>> client = clients_.Find(*client_id);
  if (!client) return NotRedirectable(client.error());
  core::AuthorizationRequestResult request =
      core::ParseAuthorizationRequest(params, **client, EnvironmentOf(settings_), purpose);
  if (!request) return request.error();
  return ValidatedAuthorization{.client = *client, .request = std::move(request).value()};
}

core::LoginDecision AuthorizationService::DecideLogin(const ValidatedAuthorization& authorization,
                                                      const core::Session* session) const {
  return core::DecideLogin(session != nullptr, session != nullptr ? session->authenticated_at : 0,
                           clock_.NowSeconds(), authorization.request.prompt.login,
                           authorization.request.max_age);
}

ConsentView AuthorizationService::DescribeConsent(const ValidatedAuthorization& authorization,
                                                  const core::User& user) const {
  const core::Client& client = *authorization.client;
  std::optional<core::ScopeSet> remembered;
  if (std::optional<std::string> stored =
          store::ConsentRepository(db_).Find(user.user_id, client.client_id)) {
    core::Result<core::ScopeSet> parsed = core::ScopeSet::Parse(*stored);
    if (parsed) remembered = std::move(parsed).value();
  }
  ConsentView view;
  view.decision = core::DecideConsent(core::ConsentInput{
      .client_type = client.client_type,
      // Gatehouse's first-party clients skip consent (core::DecideConsent still asks for
      // offline_access unless the client bypasses that too); the client model has no per-client
      // switch yet.
      .client_skips_consent = core::IsFirstParty(client.client_type),
      .bypass_consent_for_offline_access = client.bypass_consent_for_offline_access,
      .requested = authorization.request.scope,
      .previously_granted = std::move(remembered),
      .prompt_consent = authorization.request.prompt.consent,
  });
  for (const std::string& scope : authorization.request.scope) {
    view.scope_results.push_back(ScopeResult{
        .scope = scope,
        .description = scope_policy_.Describe(scope),
        .is_grantable = scope_policy_.IsGrantable(user, scope),
    });
  }
  return view;
}

AuthorizationResponse AuthorizationService::Reject(const ValidatedAuthorization& authorization,
                                                   const core::Error& error) const {
  return AuthorizationResponse{
      .redirect_uri = oauth::ErrorRedirect(authorization.request.redirect_uri, error,
                                           authorization.request.state, settings_.issuer),
      .code = std::nullopt,
      .error = error,
  };
}

std::string AuthorizationService::ErrorRedirect(const core::AuthorizationError& error) const {
  return oauth::ErrorRedirect(error.redirect_uri.value_or(""), error.error, error.state,
                              settings_.issuer);
}

AuthorizationResponse AuthorizationService::Complete(const ValidatedAuthorization& authorization,
                                                     const AuthenticatedUser& user,
                                                     bool consent_granted) const {
  const core::AuthorizationRequest& request = authorization.request;
  const core::Client& client = *authorization.client;
  // A request validated only to describe consent may lack the challenge a public client needs.
  assert(!core::IsPublic(client.client_type) || request.code_challenge);
  if (user.user.status != "active") {
    return Reject(authorization,
                  core::Error(core::ErrorCode::kAccessDenied, "the user is disabled"));
  }
  if (organization_apps_ != nullptr) {
    if (core::Result<void> allowed = organization_apps_->Check(user.user, client); !allowed) {
      return Reject(authorization, allowed.error());
    }
  }
  const ConsentView consent = DescribeConsent(authorization, user.user);
  if (consent.consent_required()) {
    if (request.prompt.none) {
      return Reject(authorization,
                    core::Error(core::ErrorCode::kConsentRequired, "the user must consent"));
    }
    if (!consent_granted) {
      return Reject(authorization,
                    core::Error(core::ErrorCode::kAccessDenied, "the user denied the request"));
    }
  }
  std::string granted_text;
  for (const ScopeResult& result : consent.scope_results) {
    if (!result.is_grantable) continue;
    if (!granted_text.empty()) granted_text += ' ';
    granted_text += result.scope;
  }
  // Scope results come from a parsed ScopeSet, so this cannot fail.
  const core::ScopeSet granted = core::ScopeSet::Parse(granted_text).value();

  const int64_t now = clock_.NowSeconds();
  const std::string code = crypto::RandomToken(random_);
  const store::GrantRecord grant{
      .grant_id = core::NewId(random_, "grant", settings_.environment_name()),
      .user_id = user.user.user_id,
      .client_id = client.client_id,
      .scope = granted.ToString(),
      .resources_json = ResourcesJson(request.resources),
      .auth_time = user.auth_time,
      .created_at = now,
      .revoked_at = std::nullopt,
  };
  const store::AuthorizationCodeRecord code_record{
      .code_hash = crypto::Sha256Hex(code),
      .grant_id = grant.grant_id,
      .client_id = client.client_id,
      .redirect_uri = request.redirect_uri,
      .redirect_uri_sent = request.redirect_uri_sent,
      .code_challenge = request.code_challenge,
      .nonce = request.nonce,
      .auth_time = user.auth_time,
      .expires_at = now + std::min<int64_t>(settings_.authorization_code_ttl_seconds,
                                            kMaxAuthorizationCodeTtlSeconds),
      .used_at = std::nullopt,
  };
  if (client.creation_method == core::CreationMethod::kClientIdMetadataDocument) {
    EnsureMetadataClientRow(db_, client);
  }
  db_.Transaction([&](store::Connection& c) {
    if (consent.consent_required()) {
      // Remember the union, so consent given earlier for other scopes still counts.
      core::ScopeSet remembered = granted;
      if (std::optional<std::string> stored =
              store::ConsentRepository::Find(c, user.user.user_id, client.client_id)) {
        core::Result<core::ScopeSet> before = core::ScopeSet::Parse(*stored);
        if (before) remembered = remembered.Union(*before);
      }
      store::ConsentRepository::Remember(c, user.user.user_id, client.client_id,
                                         remembered.ToString(), now);
    }
    store::GrantRepository::Insert(c, grant);
    store::AuthorizationCodeRepository::Insert(c, code_record);
  });
  return AuthorizationResponse{
      .redirect_uri = CodeRedirect(request.redirect_uri, code, request.state, settings_.issuer),
      .code = code,
      .error = std::nullopt,
  };
}

}  // namespace gatehouse::oauth
