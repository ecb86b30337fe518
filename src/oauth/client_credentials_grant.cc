#include "oauth/client_credentials_grant.h"

#include <boost/json.hpp>

#include "core/resource_indicator.h"
#include "core/scope.h"
#include "crypto/jwt.h"
#include "crypto/secure_random.h"
#include "http/responses.h"
#include "oauth/client_authentication.h"

namespace gatehouse::oauth {
namespace {
using core::Error;
using core::ErrorCode;

// M2M clients seen through the ClientDirectory interface, so client authentication follows
// exactly the rules (and error answers) of the user grants. Every M2M client is confidential.
class M2mClientDirectory final : public accounts::ClientDirectory {
 public:
  explicit M2mClientDirectory(accounts::M2mClients& clients) : clients_(clients) {}

  core::Result<std::shared_ptr<const core::Client>> Find(std::string_view client_id) override {
    found_ = clients_.Find(client_id);
    if (found_ == nullptr) return Error(ErrorCode::kInvalidClient, "unknown client");
    auto client = std::make_shared<core::Client>();
    client->client_id = found_->client_id;
    client->client_type = core::ClientType::kFirstParty;
    return std::shared_ptr<const core::Client>(std::move(client));
  }
  bool VerifySecret(const core::Client&, std::string_view secret) const override {
    return found_ != nullptr && clients_.VerifySecret(*found_, secret);
  }
  void Invalidate() override {}

  const std::shared_ptr<const store::M2mClient>& found() const { return found_; }

 private:
  accounts::M2mClients& clients_;
  std::shared_ptr<const store::M2mClient> found_;
};

http::Response Fail(ErrorCode code, std::string_view description) {
  return http::OAuthErrorResponse(Error(code, description));
}

}  // namespace

ClientCredentialsGrant::ClientCredentialsGrant(const ProtocolSettings& settings,
                                               accounts::M2mClients& clients,
                                               const accounts::SigningKeys& keys,
                                               const core::Clock& clock, core::Random& random)
    : settings_(settings), clients_(clients), keys_(keys), clock_(clock), random_(random) {}

http::Response ClientCredentialsGrant::Handle(const http::Request& request,
                                              const http::FormParams& form) const {
  M2mClientDirectory directory(clients_);
  const ClientAuthentication auth = AuthenticateClient(request, form, directory);
  if (!auth.ok()) return ClientAuthenticationErrorResponse(auth);
  const store::M2mClient& client = *directory.found();
  if (client.status != "active") {
    ClientAuthentication inactive;
    inactive.error = Error(ErrorCode::kInvalidClient, "the M2M client is inactive");
    inactive.used_authorization_header = auth.used_authorization_header;
    return ClientAuthenticationErrorResponse(inactive);
  }
  if (auto admitted = limits_.CheckClient(client.client_id); !admitted) {
    return http::OAuthErrorResponse(admitted.error());
  }

  core::Result<std::optional<std::string_view>> scope_param = form.Single("scope");
  if (!scope_param) return http::OAuthErrorResponse(scope_param.error());
  std::string assigned_text;
  for (const auto& s : client.scopes) assigned_text += s + " ";
  const core::Result<core::ScopeSet> assigned = core::ScopeSet::Parse(assigned_text);
  if (!assigned) return Fail(ErrorCode::kServerError, "stored scopes are invalid");
  core::ScopeSet scope = *assigned;
  if (*scope_param && !(*scope_param)->empty()) {
    core::Result<core::ScopeSet> requested = core::ScopeSet::Parse(**scope_param);
    if (!requested) return http::OAuthErrorResponse(requested.error());
    if (!requested->empty()) {
      const core::ScopeSet extra = requested->Difference(*assigned);
      if (!extra.empty()) {
        return Fail(ErrorCode::kInvalidScope,
                    "scope " + *extra.begin() + " is not assigned to this client");
      }
      scope = *requested;
    }
  }

  std::vector<std::string_view> resource_params;
  for (std::string_view r : form.GetAll("resource")) {
    if (!r.empty()) resource_params.push_back(r);
  }
  core::Result<std::vector<std::string>> resources = core::ValidateResources(resource_params);
  if (!resources) return http::OAuthErrorResponse(resources.error());

  const std::shared_ptr<const crypto::Keyring> keyring = keys_.Snapshot();
  const crypto::SigningKey* key = keyring != nullptr ? keyring->Current() : nullptr;
  if (key == nullptr) {
    return Fail(ErrorCode::kTemporarilyUnavailable, "no signing key is available");
  }
  const int64_t now = clock_.NowSeconds();
  boost::json::object claims;
  claims["iss"] = settings_.issuer;
  claims["sub"] = client.client_id;
  if (resources->empty()) {
    claims["aud"] = settings_.issuer;
  } else if (resources->size() == 1) {
    claims["aud"] = resources->front();
  } else {
    boost::json::array aud;
    for (const auto& r : *resources) aud.emplace_back(r);
    claims["aud"] = std::move(aud);
  }
  claims["client_id"] = client.client_id;
  claims["scope"] = scope.ToString();
  claims["iat"] = now;
  claims["nbf"] = now;
  claims["exp"] = now + settings_.m2m_token_ttl_seconds;
  claims["jti"] = crypto::RandomToken(random_, 16);

  boost::json::object body;
  body["access_token"] = crypto::SignJwt(*key, "at+jwt", claims);
  body["token_type"] = "Bearer";
  body["expires_in"] = settings_.m2m_token_ttl_seconds;
  body["scope"] = scope.ToString();
  http::Response response = http::JsonResponse(200, body);
  response.Set("Cache-Control", "no-store");
  response.Set("Pragma", "no-cache");
  return response;
}

}  // namespace gatehouse::oauth
