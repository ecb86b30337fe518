#include "oauth/token_endpoint.h"

#include <stdexcept>
#include <utility>

#include <boost/json.hpp>

#include "http/form.h"
#include "http/responses.h"
#include "oauth/client_authentication.h"

namespace gatehouse::oauth {
namespace {

using core::Error;
using core::ErrorCode;

http::Response Render(const TokenResponse& tokens) {
  boost::json::object body;
  body["access_token"] = tokens.access_token;
  if (tokens.issued_token_type) body["issued_token_type"] = *tokens.issued_token_type;
  body["token_type"] = tokens.token_type;
  body["expires_in"] = tokens.expires_in;
  body["scope"] = tokens.scope.ToString();
  if (tokens.refresh_token) body["refresh_token"] = *tokens.refresh_token;
  if (tokens.id_token) body["id_token"] = *tokens.id_token;
  http::Response response = http::JsonResponse(200, body);
  response.Set("Cache-Control", "no-store");
  response.Set("Pragma", "no-cache");
  return response;
}

// Every error of the endpoint and its grants; an invalid_client answer to a request that used the
// Authorization header gets its Basic challenge here.
http::Response RenderError(const http::Request& request, Error error) {
  ClientAuthentication failure;
  failure.error = std::move(error);
  failure.used_authorization_header = UsesBasicAuthentication(request);
  return ClientAuthenticationErrorResponse(failure);
}

}  // namespace

TokenEndpoint::TokenEndpoint(std::vector<std::unique_ptr<TokenGrant>> grants, EndpointLimits limits)
    : limits_(limits) {
  for (std::unique_ptr<TokenGrant>& grant : grants) {
    std::string grant_type(grant->grant_type());
    if (!grants_.emplace(grant_type, std::move(grant)).second) {
      throw std::invalid_argument("two token grants for grant_type " + grant_type);
    }
  }
}

void TokenEndpoint::AddRoutes(http::Router& router) const {
  router.Add(
      "POST", "/v1/oauth2/token", [this](http::Request& request) { return Handle(request); },
      http::RouteOptions{.cors = true});
}

http::Response TokenEndpoint::Handle(const http::Request& request) const {
  core::Result<TokenResponse> tokens = Exchange(request);
  return tokens ? Render(*tokens) : RenderError(request, tokens.error());
}

core::Result<TokenResponse> TokenEndpoint::Exchange(const http::Request& request) const {
  if (core::Result<void> admitted = limits_.CheckAddress(request); !admitted) {
    return admitted.error();
  }
  const std::optional<std::string_view> content_type = request.Header("content-type");
  if (!content_type || !http::IsFormContentType(*content_type)) {
    return Error(ErrorCode::kInvalidRequest, "the body must be application/x-www-form-urlencoded");
  }
  core::Result<http::FormParams> form = http::ParseForm(request.body);
  if (!form) return form.error();
  core::Result<std::optional<std::string_view>> grant_type = form->Single("grant_type");
  if (!grant_type) return grant_type.error();
  if (!*grant_type) return Error(ErrorCode::kInvalidRequest, "grant_type is required");

  const auto grant = grants_.find(**grant_type);
  if (grant == grants_.end()) {
    if (**grant_type == "client_credentials") {
      return Error(ErrorCode::kUnsupportedGrantType, "client_credentials is for M2M clients");
    }
    return Error(ErrorCode::kUnsupportedGrantType,
                 "grant_type " + std::string(**grant_type) + " is not supported");
  }
  return grant->second->Exchange(TokenRequest{.http = request, .form = *form, .limits = limits_});
}

}  // namespace gatehouse::oauth
