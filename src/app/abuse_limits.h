#pragma once
// AbuseLimits: the per-process rate limits of a gatehouse process, built once from the Config's
// *_limit_per_*_per_minute keys (0 turns one off). Every endpoint that is limited receives its
// limits the same way, as an oauth::EndpointLimits in its constructor (endpoint_limits.h); the
// buckets themselves live here, so this object must outlive those endpoints.
//
// Thread-safe (core::RateLimit is).

#include "app/config.h"
#include "core/clock.h"
#include "core/rate_limit.h"
#include "oauth/endpoint_limits.h"

namespace gatehouse::app {

class AbuseLimits {
 public:
  AbuseLimits(const Config& config, const core::Clock& clock)
      : token_address_(clock, static_cast<double>(config.token_limit_per_address_per_minute)),
        token_client_(clock, static_cast<double>(config.token_limit_per_client_per_minute)),
        introspection_address_(
            clock, static_cast<double>(config.introspection_limit_per_address_per_minute)),
        introspection_client_(
            clock, static_cast<double>(config.introspection_limit_per_client_per_minute)),
        registration_address_(
            clock, static_cast<double>(config.registration_limit_per_address_per_minute)),
        login_address_(clock, static_cast<double>(config.login_limit_per_address_per_minute)) {}

  // POST /v1/oauth2/token: per address, and per client once it authenticated with a secret
  // (each grant spends the client's token; oauth/token_grant.h).
  oauth::EndpointLimits token() { return {&token_address_, &token_client_}; }
  // POST /v1/oauth2/introspect: per address, and per authenticated caller.
  oauth::EndpointLimits introspection() {
    return {&introspection_address_, &introspection_client_};
  }
  // POST /v1/oauth2/register: per address (the registrant has no client yet).
  oauth::EndpointLimits registration() { return {&registration_address_, nullptr}; }
  // The hosted login form: per address (per account is accounts::LoginThrottle's, shared through
  // the database).
  oauth::EndpointLimits login() { return {&login_address_, nullptr}; }

 private:
  core::RateLimit token_address_;
  core::RateLimit token_client_;
  core::RateLimit introspection_address_;
  core::RateLimit introspection_client_;
  core::RateLimit registration_address_;
  core::RateLimit login_address_;
};

}  // namespace gatehouse::app
