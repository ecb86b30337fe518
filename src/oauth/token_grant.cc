#include "oauth/token_grant.h"

#include <algorithm>

#include <boost/json.hpp>

#include "oauth/client_authentication.h"

namespace gatehouse::oauth {

core::Result<std::shared_ptr<const core::Client>> AuthenticateConnectedApp(
    const TokenRequest& request, accounts::ClientDirectory& clients) {
  ClientAuthentication auth = AuthenticateClient(request.http, request.form, clients);
  if (!auth.ok()) return *auth.error;
  if (auth.method != ClientAuthMethod::kNone) {
    if (core::Result<void> admitted = request.limits.CheckClient(auth.client->client_id);
        !admitted) {
      return admitted.error();
    }
  }
  return std::move(auth.client);
}

std::vector<std::string> GrantResources(const std::string& resources_json) {
  std::vector<std::string> resources;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(resources_json, ec);
  if (ec || !value.is_array()) return resources;
  for (const boost::json::value& v : value.as_array()) {
    if (v.is_string()) resources.emplace_back(v.as_string());
  }
  return resources;
}

core::Result<std::vector<std::string>> TokenResources(const http::FormParams& form,
                                                      const std::vector<std::string>& granted) {
  const std::vector<std::string_view> requested = form.GetAll("resource");
  if (requested.empty()) return granted;
  std::vector<std::string> chosen;
  for (std::string_view r : requested) {
    if (std::find(granted.begin(), granted.end(), r) == granted.end()) {
      return core::Error(core::ErrorCode::kInvalidTarget, "resource was not part of the grant");
    }
    if (std::find(chosen.begin(), chosen.end(), r) == chosen.end()) chosen.emplace_back(r);
  }
  return chosen;
}

core::Result<TokenResponse> UserTokenResponse(const TokenIssuer& issuer,
                                              const TokenContext& context,
                                              std::optional<std::string> refresh_token) {
  core::Result<IssuedTokens> issued = issuer.Issue(context);
  if (!issued) return issued.error();
  return TokenResponse{.access_token = std::move(issued->access_token.token),
                       .expires_in = issued->access_token.expires_in,
                       .scope = context.scope,
                       .refresh_token = std::move(refresh_token),
                       .id_token = std::move(issued->id_token)};
}

}  // namespace gatehouse::oauth
