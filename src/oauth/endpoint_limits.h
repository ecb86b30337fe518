#pragma once
// EndpointLimits: the abuse limits of one endpoint (token, introspection, registration, the hosted
// login form), the one shape in which every limited endpoint receives its limits — a request
// spends a token of its client address's bucket before anything else is read, and, once its client
// has authenticated with a secret, a token of that client's bucket. Public clients are limited by
// address only: anyone can send a public client's id, so a per-client bucket would let a stranger
// use up a popular public client's allowance.
//
// Refusals are kTooManyRequests with Retry-After (core::RateLimit::Check). Either limit may be
// absent (null) or off (per_minute 0). The limits are owned by the application and must outlive
// the endpoints; thread-safe.

#include <string_view>

#include "core/rate_limit.h"
#include "core/result.h"
#include "http/message.h"

namespace gatehouse::oauth {

struct EndpointLimits {
  core::RateLimit* per_address = nullptr;
  core::RateLimit* per_client = nullptr;

  core::Result<void> CheckAddress(const http::Request& request) const {
    if (per_address == nullptr) return {};
    return per_address->Check(request.remote_address, "too many requests from this address");
  }
  core::Result<void> CheckClient(std::string_view client_id) const {
    if (per_client == nullptr) return {};
    return per_client->Check(client_id, "too many requests for this client");
  }
};

}  // namespace gatehouse::oauth
