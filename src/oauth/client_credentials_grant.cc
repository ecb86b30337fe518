#include "oauth/client_credentials_grant.h"

#include "core/resource_indicator.h"
#include "core/scope.h"
#include "oauth/client_authentication.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;

}  // namespace

ClientCredentialsGrant::ClientCredentialsGrant(accounts::M2mClients& clients,
                                               const TokenIssuer& issuer)
    : clients_(clients), issuer_(issuer) {}

core::Result<TokenResponse> ClientCredentialsGrant::Exchange(const TokenRequest& request) const {
  core::Result<std::shared_ptr<const store::M2mClient>> authenticated =
      AuthenticateM2mClient(request.http, request.form, clients_);
  if (!authenticated) return authenticated.error();
  const store::M2mClient& client = **authenticated;
  if (core::Result<void> admitted = request.limits.CheckClient(client.client_id); !admitted) {
    return admitted.error();
  }

  core::Result<std::optional<std::string_view>> scope_param = request.form.Single("scope");
  if (!scope_param) return scope_param.error();
  std::string assigned_text;
  for (const auto& s : client.scopes) assigned_text += s + " ";
  const core::Result<core::ScopeSet> assigned = core::ScopeSet::Parse(assigned_text);
  if (!assigned) return Error(ErrorCode::kServerError, "stored scopes are invalid");
  core::ScopeSet scope = *assigned;
  if (*scope_param && !(*scope_param)->empty()) {
    core::Result<core::ScopeSet> requested = core::ScopeSet::Parse(**scope_param);
    if (!requested) return requested.error();
    if (!requested->empty()) {
      const core::ScopeSet extra = requested->Difference(*assigned);
      if (!extra.empty()) {
        return Error(ErrorCode::kInvalidScope,
                     "scope " + *extra.begin() + " is not assigned to this client");
      }
      scope = *requested;
    }
  }

  std::vector<std::string_view> resource_params;
  for (std::string_view r : request.form.GetAll("resource")) {
    if (!r.empty()) resource_params.push_back(r);
  }
  core::Result<std::vector<std::string>> resources = core::ValidateResources(resource_params);
  if (!resources) return resources.error();

  core::Result<IssuedAccessToken> issued = issuer_.IssueM2mAccessToken(
      M2mTokenContext{.client_id = client.client_id, .scope = scope, .resources = *resources});
  if (!issued) return issued.error();
  return TokenResponse{.access_token = std::move(issued->token),
                       .expires_in = issued->expires_in,
                       .scope = std::move(scope)};
}

}  // namespace gatehouse::oauth
