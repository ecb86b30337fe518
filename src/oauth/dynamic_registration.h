#pragma once
// Dynamic Client Registration (RFC 7591) and its management protocol (RFC 7592):
//   POST   /v1/oauth2/register               register -> 201 with the registered metadata,
//                                            client_id, client_id_issued_at, (confidential)
//                                            client_secret + client_secret_expires_at: 0,
//                                            registration_access_token, registration_client_uri
//   GET    /v1/oauth2/register/{client_id}   read the registration      (Bearer registration token)
//   PUT    /v1/oauth2/register/{client_id}   replace the registration   (Bearer registration token)
//   DELETE /v1/oauth2/register/{client_id}   delete the registration    (Bearer registration token)
// The routes exist only when settings.dynamic_registration is on (404 otherwise), carry CORS, and
// answer errors in the OAuth shape: 400 invalid_redirect_uri / invalid_client_metadata, 401
// invalid_token, 429 too_many_requests with Retry-After.
//
// What metadata is accepted: registration_metadata.h.
// Deduplication: a public registration (token_endpoint_auth_method none) whose canonical metadata
// matches an existing one returns that client_id; the UNIQUE dedup_hash column settles concurrent
// identical registrations. Confidential registrations always get a new client_id and secret.
// Registration access tokens of deduplicated registrations: every registrant gets a token of its
// own, and all stay valid. GET works with any of them. DELETE with one token removes that
// registrant's token; the client is deleted with the last token, so one registrant cannot pull a
// shared client from under the others. PUT is refused (invalid_client_metadata) while more than
// one registrant holds the client, since it would change a client others use; a changed
// registration leaves the deduplication pool. Tokens are 256-bit random, stored hashed
// (SecretHasher), looked up by hash.
// Rate limit: POST /v1/oauth2/register spends one token of the caller's address bucket
// (EndpointLimits::per_address; per process).
// Cap: at most max_clients dynamically registered clients exist; a registration that would add
// one more is refused with 429 too_many_requests (a deduplicated registration adds none and is
// served). The count is refreshed from the database every kCountRefreshSeconds, so processes
// sharing a database may overshoot by what they register within that time — the per-address rate
// limit bounds that.
//
// Thread-safe; holds references only.

#include <atomic>
#include <cstdint>
#include <limits>

#include "accounts/client_registry.h"
#include "http/message.h"
#include "http/router.h"
#include "oauth/endpoint_limits.h"
#include "oauth/settings.h"

namespace gatehouse::oauth {

class DynamicRegistration {
 public:
  // max_clients: the cap on dynamically registered clients (0: none).
  DynamicRegistration(const ProtocolSettings& settings, accounts::ClientRegistry& registry,
                      EndpointLimits limits, int64_t max_clients = 0)
      : settings_(settings), registry_(registry), limits_(limits), max_clients_(max_clients) {}

  http::Response Register(const http::Request& request);
  http::Response Read(const http::Request& request);
  http::Response Replace(const http::Request& request);
  http::Response Remove(const http::Request& request);

 private:
  // The registration the request's Bearer token manages, or the 401 to send.
  struct Authorized;
  core::Result<Authorized> Authorize(const http::Request& request);
  http::Response Render(int status, const store::Registration& registration,
                        const std::optional<std::string>& client_secret,
                        const std::optional<std::string>& access_token) const;

  // kTooManyRequests when a new client would exceed max_clients_.
  core::Result<void> CheckClientCap();

  const ProtocolSettings& settings_;
  accounts::ClientRegistry& registry_;
  const EndpointLimits limits_;
  const int64_t max_clients_;
  // The number of dynamically registered clients, counted at most every kCountRefreshSeconds
  // (an index-only COUNT) and incremented locally in between.
  static constexpr int64_t kCountRefreshSeconds = 10;
  std::atomic<int64_t> client_count_{0};
  std::atomic<int64_t> counted_at_{std::numeric_limits<int64_t>::min() / 2};  // never
};

// Adds the four routes when settings.dynamic_registration is on; nothing otherwise.
void AddDynamicRegistrationRoutes(http::Router& router, DynamicRegistration& registration,
                                  const ProtocolSettings& settings);

}  // namespace gatehouse::oauth
