#include "oauth/token_issuer.h"

#include <boost/json.hpp>

#include "accounts/dynamic_client_templates.h"
#include "accounts/organization_app_policy.h"
#include "core/claims_template.h"
#include "crypto/jwt.h"
#include "crypto/secure_random.h"

namespace gatehouse::oauth {
namespace {

// An access token's audience: its resources (a string for one, an array for several), else
// `fallback`.
boost::json::value Audience(const std::vector<std::string>& resources, std::string_view fallback) {
  if (resources.size() == 1) return boost::json::string(resources.front());
  if (!resources.empty()) {
    boost::json::array array;
    for (const std::string& r : resources) array.emplace_back(r);
    return array;
  }
  return boost::json::string(fallback);
}

boost::json::value Audience(const TokenContext& context, const ProtocolSettings& settings) {
  const std::optional<std::string>& custom = context.client.access_token_custom_audience;
  return Audience(context.resources, custom && !custom->empty() ? *custom : settings.issuer);
}

// The claims every access token starts with (RFC 9068 §2.2), whoever it is for.
boost::json::object AccessTokenClaims(const ProtocolSettings& settings, std::string_view subject,
                                      boost::json::value audience, std::string_view client_id,
                                      const core::ScopeSet& scope, int64_t now, int64_t ttl,
                                      core::Random& random) {
  boost::json::object claims;
  claims["iss"] = settings.issuer;
  claims["sub"] = subject;
  claims["aud"] = std::move(audience);
  claims["client_id"] = client_id;
  claims["scope"] = scope.ToString();
  claims["iat"] = now;
  claims["nbf"] = now;
  claims["exp"] = now + ttl;
  claims["jti"] = crypto::RandomToken(random, 16);
  return claims;
}

// The key new tokens are signed with, and the snapshot that keeps it alive.
struct CurrentKey {
  std::shared_ptr<const crypto::Keyring> keyring{};
  const crypto::SigningKey* key = nullptr;
};

core::Result<CurrentKey> CurrentSigningKey(const accounts::SigningKeys& keys) {
  CurrentKey current{.keyring = keys.Snapshot()};
  if (current.keyring != nullptr) current.key = current.keyring->Current();
  if (current.key == nullptr) {
    return core::Error(core::ErrorCode::kTemporarilyUnavailable, "no signing key is available");
  }
  return current;
}

// What claims templates may name (core/claims_template.h): the user, the client and, for members,
// their organization.
boost::json::object TemplateContext(const TokenContext& context,
                                    const store::Organization* organization) {
  const core::User& u = context.user;
  boost::json::array roles;
  for (const auto& r : u.roles) roles.emplace_back(r);
  boost::json::object variables{
      {"user", boost::json::object{{"user_id", u.user_id},
                                   {"email", u.email},
                                   {"first_name", u.first_name},
                                   {"last_name", u.last_name},
                                   {"phone_number", u.phone_number},
                                   {"external_id", u.external_id},
                                   {"roles", std::move(roles)}}},
      {"client", boost::json::object{{"client_id", context.client.client_id},
                                     {"client_name", context.client.client_name}}}};
  if (organization != nullptr) {
    variables["organization"] =
        boost::json::object{{"organization_id", organization->organization_id},
                            {"organization_name", organization->organization_name},
                            {"organization_slug", organization->organization_slug}};
  }
  return variables;
}

// Renders a client's claims template (validated when stored) into `claims`; reserved and existing
// claims are skipped by MergeClaims, and a template that no longer parses adds nothing rather than
// failing the token.
void AddCustomClaims(boost::json::object& claims, const std::optional<std::string>& template_text,
                     const boost::json::object& variables) {
  if (!template_text) return;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(*template_text, ec);
  if (ec || !parsed.is_object()) return;
  core::MergeClaims(claims, core::RenderClaimsTemplate(parsed.as_object(), variables));
}

// Renders one of the project's parsed templates for dynamic clients, after the client's own.
void AddCustomClaims(boost::json::object& claims,
                     const std::optional<boost::json::object>& template_object,
                     const boost::json::object& variables) {
  if (!template_object) return;
  core::MergeClaims(claims, core::RenderClaimsTemplate(*template_object, variables));
}

}  // namespace

boost::json::object UserClaims(const core::User& user, const core::ScopeSet& scope) {
  boost::json::object claims;
  if (scope.Contains(core::kScopeProfile)) {
    const std::string name =
        user.first_name.empty() && user.last_name.empty() ? std::string() : user.DisplayName();
    if (!name.empty()) claims["name"] = name;
    if (!user.first_name.empty()) claims["given_name"] = user.first_name;
    if (!user.last_name.empty()) claims["family_name"] = user.last_name;
    claims["updated_at"] = user.updated_at;
  }
  if (scope.Contains(core::kScopeEmail) && !user.email.empty()) {
    claims["email"] = user.email;
    claims["email_verified"] = user.email_verified;
  }
  if (scope.Contains(core::kScopePhone) && !user.phone_number.empty()) {
    claims["phone_number"] = user.phone_number;
    // Gatehouse does not verify phone numbers.
    claims["phone_number_verified"] = false;
  }
  return claims;
}

TokenIssuer::TokenIssuer(const ProtocolSettings& settings, const accounts::SigningKeys& keys,
                         const core::Clock& clock, core::Random& random,
                         const accounts::OrganizationAppPolicy* organizations,
                         const accounts::DynamicClientTemplates* dynamic_templates)
    : settings_(settings),
      keys_(keys),
      clock_(clock),
      random_(random),
      organizations_(organizations),
      dynamic_templates_(dynamic_templates) {}

core::Result<IssuedTokens> TokenIssuer::Issue(const TokenContext& context) const {
  core::Result<CurrentKey> current = CurrentSigningKey(keys_);
  if (!current) return current.error();
  const crypto::SigningKey* key = current->key;
  const int64_t now = clock_.NowSeconds();
  const int64_t access_ttl = context.client.access_token_expiry_minutes
                                 ? *context.client.access_token_expiry_minutes * 60
                                 : settings_.access_token_ttl_seconds;

  boost::json::object access =
      AccessTokenClaims(settings_, context.user.user_id, Audience(context, settings_),
                        context.client.client_id, context.scope, now, access_ttl, random_);
  access["auth_time"] = context.auth_time;
  access[kGrantClaim] = context.grant_id;
  std::shared_ptr<const store::Organization> organization;
  if (context.user.organization_id) {
    access["organization_id"] = *context.user.organization_id;
    if (organizations_ != nullptr)
      organization = organizations_->Find(*context.user.organization_id);
    if (organization != nullptr) {
      access["organization"] =
          boost::json::object{{"organization_id", organization->organization_id},
                              {"slug", organization->organization_slug}};
    }
  }
  // The project's templates for clients that registered themselves (an in-memory snapshot).
  std::shared_ptr<const accounts::DynamicClientTemplates::Snapshot> dynamic;
  if (dynamic_templates_ != nullptr &&
      accounts::DynamicClientTemplates::AppliesTo(context.client)) {
    dynamic = dynamic_templates_->Current();
  }
  const bool wants_id_token = context.scope.Contains(core::kScopeOpenId);
  const bool has_templates =
      context.client.access_token_template_content ||
      (wants_id_token && context.client.id_token_template_content) ||
      (dynamic != nullptr && (dynamic->access_token || (wants_id_token && dynamic->id_token)));
  const boost::json::object variables =
      has_templates ? TemplateContext(context, organization.get()) : boost::json::object();
  AddCustomClaims(access, context.client.access_token_template_content, variables);
  if (dynamic != nullptr) AddCustomClaims(access, dynamic->access_token, variables);

  IssuedTokens issued;
  issued.access_token.token = crypto::SignJwt(*key, "at+jwt", access);
  issued.access_token.expires_in = access_ttl;

  if (wants_id_token) {
    boost::json::object id = UserClaims(context.user, context.scope);
    id["iss"] = settings_.issuer;
    id["sub"] = context.user.user_id;
    id["aud"] = context.client.client_id;
    id["azp"] = context.client.client_id;
    id["iat"] = now;
    id["exp"] = now + settings_.id_token_ttl_seconds;
    id["auth_time"] = context.auth_time;
    if (context.nonce) id["nonce"] = *context.nonce;
    id["at_hash"] = crypto::AtHash(issued.access_token.token, key->algorithm());
    AddCustomClaims(id, context.client.id_token_template_content, variables);
    if (dynamic != nullptr) AddCustomClaims(id, dynamic->id_token, variables);
    issued.id_token = crypto::SignJwt(*key, "JWT", id);
  }
  return issued;
}

core::Result<IssuedAccessToken> TokenIssuer::IssueM2mAccessToken(
    const M2mTokenContext& context) const {
  core::Result<CurrentKey> current = CurrentSigningKey(keys_);
  if (!current) return current.error();
  const int64_t ttl = settings_.m2m_token_ttl_seconds;
  const boost::json::object claims =
      AccessTokenClaims(settings_, context.client_id, Audience(context.resources, settings_.issuer),
                        context.client_id, context.scope, clock_.NowSeconds(), ttl, random_);
  return IssuedAccessToken{.token = crypto::SignJwt(*current->key, "at+jwt", claims),
                           .expires_in = ttl};
}

}  // namespace gatehouse::oauth
