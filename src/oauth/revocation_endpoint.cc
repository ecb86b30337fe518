#include "oauth/revocation_endpoint.h"

#include <variant>

#include "crypto/hash.h"
#include "http/responses.h"
#include "oauth/client_authentication.h"
#include "store/grant_repository.h"
#include "store/refresh_token_repository.h"

namespace gatehouse::oauth {
using http::NoStore;

RevocationEndpoint::RevocationEndpoint(accounts::ClientDirectory& clients,
                                       const AccessTokenInspector& access_tokens,
                                       store::Database& db, const core::Clock& clock)
    : clients_(clients), access_tokens_(access_tokens), db_(db), clock_(clock) {}

void RevocationEndpoint::AddRoutes(http::Router& router) const {
  router.Add(
      "POST", "/v1/oauth2/revoke", [this](http::Request& request) { return Handle(request); },
      http::RouteOptions{.cors = true});
}

http::Response RevocationEndpoint::Handle(const http::Request& request) const {
  std::variant<ClientForm, http::Response> read = ReadClientForm(request, clients_);
  if (auto* refusal = std::get_if<http::Response>(&read)) return NoStore(std::move(*refusal));
  const auto& [form, auth] = std::get<ClientForm>(read);

  core::Result<std::string_view> token = TokenParameter(form);
  if (!token) return NoStore(http::OAuthErrorResponse(token.error()));
  const std::string& client_id = auth.client->client_id;
  if (LooksLikeJwt(*token)) {
    RevokeAccessToken(*token, client_id);
  } else {
    RevokeRefreshToken(*token, client_id);
  }
  http::Response response;
  response.status = 200;
  return NoStore(std::move(response));
}

bool RevocationEndpoint::RevokeAccessToken(std::string_view token,
                                           std::string_view client_id) const {
  // An expired or invalid token needs no revoking; nor does one without a grant (M2M tokens
  // simply expire).
  const core::Result<VerifiedAccessToken> verified = access_tokens_.Verify(token);
  if (!verified || verified->grant_id.empty() || verified->client_id != client_id) return false;
  return store::GrantRepository(db_).Revoke(verified->grant_id, clock_.NowSeconds());
}

bool RevocationEndpoint::RevokeRefreshToken(std::string_view token,
                                            std::string_view client_id) const {
  const std::optional<store::RefreshTokenRecord> record =
      store::RefreshTokenRepository(db_).Get(crypto::Sha256Hex(token));
  if (!record || record->client_id != client_id) return false;
  return store::GrantRepository(db_).Revoke(record->grant_id, clock_.NowSeconds());
}

}  // namespace gatehouse::oauth
