#include "oauth/token_issuer.h"

#include <boost/json.hpp>

#include "crypto/jwt.h"
#include "crypto/secure_random.h"

namespace gatehouse::oauth {
namespace {

boost::json::value Audience(const TokenContext& context, const ProtocolSettings& settings) {
  if (context.resources.size() == 1) return boost::json::string(context.resources.front());
  if (!context.resources.empty()) {
    boost::json::array array;
    for (const std::string& r : context.resources) array.emplace_back(r);
    return array;
  }
  if (context.client.access_token_custom_audience &&
      !context.client.access_token_custom_audience->empty()) {
    return boost::json::string(*context.client.access_token_custom_audience);
  }
  return boost::json::string(settings.issuer);
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

TokenIssuer::TokenIssuer(const ProtocolSettings& settings, const SigningKeys& keys,
                         const core::Clock& clock, core::Random& random)
    : settings_(settings), keys_(keys), clock_(clock), random_(random) {}

core::Result<IssuedTokens> TokenIssuer::Issue(const TokenContext& context) const {
  const std::shared_ptr<const crypto::Keyring> keyring = keys_.Snapshot();
  const crypto::SigningKey* key = keyring != nullptr ? keyring->Current() : nullptr;
  if (key == nullptr) {
    return core::Error(core::ErrorCode::kTemporarilyUnavailable, "no signing key is available");
  }
  const int64_t now = clock_.NowSeconds();
  const int64_t access_ttl = context.client.access_token_expiry_minutes
                                 ? *context.client.access_token_expiry_minutes * 60
                                 : settings_.access_token_ttl_seconds;

  boost::json::object access;
  access["iss"] = settings_.issuer;
  access["sub"] = context.user.user_id;
  access["aud"] = Audience(context, settings_);
  access["client_id"] = context.client.client_id;
  access["scope"] = context.scope.ToString();
  access["iat"] = now;
  access["nbf"] = now;
  access["exp"] = now + access_ttl;
  access["jti"] = crypto::RandomToken(random_, 16);
  access["auth_time"] = context.auth_time;
  access[kGrantClaim] = context.grant_id;
  if (context.user.organization_id) access["organization_id"] = *context.user.organization_id;

  IssuedTokens issued;
  issued.access_token.token = crypto::SignJwt(*key, "at+jwt", access);
  issued.access_token.expires_in = access_ttl;

  if (context.scope.Contains(core::kScopeOpenId)) {
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
    issued.id_token = crypto::SignJwt(*key, "JWT", id);
  }
  return issued;
}

}  // namespace gatehouse::oauth
