#pragma once
// TokenEndpoint: POST /v1/oauth2/token (RFC 6749 §3.2, OAuth 2.1 §3.2). It owns the grants it is
// built with (token_grant.h), one per grant_type, and does once what every grant shares:
//  - the per-address abuse limit, before anything is read (429 too_many_requests, Retry-After);
//  - application/x-www-form-urlencoded bodies only (invalid_request otherwise), parsed once;
//    grant_type exactly once (invalid_request when missing or repeated);
//  - dispatch by grant_type; a grant_type no grant answers (password, implicit, anything else) ->
//    unsupported_grant_type; client_credentials without its grant says it is for M2M clients;
//  - rendering: a TokenResponse as JSON with `Cache-Control: no-store` and `Pragma: no-cache`; an
//    error as {error, error_description} with `Cache-Control: no-store`; invalid_client is 401,
//    with `WWW-Authenticate: Basic` when the client used the Authorization header (RFC 6749
//    §5.2).
// The grants apply client authentication, the per-client limit and their own rules.
//
// Thread-safe (immutable after construction; grants are thread-safe). Store faults thrown by a
// grant propagate (store::DatabaseError).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/endpoint_limits.h"
#include "oauth/token_grant.h"

namespace gatehouse::oauth {

class TokenEndpoint {
 public:
  // Two grants for one grant_type throw std::invalid_argument (start-up only). `limits`: the
  // per-address one applies here, the per-client one is handed to the grants.
  explicit TokenEndpoint(std::vector<std::unique_ptr<TokenGrant>> grants,
                         EndpointLimits limits = {});

  http::Response Handle(const http::Request& request) const;

  // Adds POST /v1/oauth2/token (CORS allowed) to `router`.
  void AddRoutes(http::Router& router) const;

 private:
  core::Result<TokenResponse> Exchange(const http::Request& request) const;

  std::map<std::string, std::unique_ptr<TokenGrant>, std::less<>> grants_;
  const EndpointLimits limits_;
};

}  // namespace gatehouse::oauth
