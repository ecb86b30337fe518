#pragma once
// ConsentDecision and LoginDecision: whether an authorization request must show the consent page
// or the login page, and what `prompt=none` answers instead of showing either. Pure functions of
// their inputs; thread-safe.
//
// Consent (DecideConsent), in order:
//   1. prompt=consent always asks.
//   2. A first-party client that skips consent does not ask, except when `offline_access` is
//      requested and the client lacks bypass_consent_for_offline_access; then consent remembered
//      for the user and client that covers the request still counts.
//   3. Everyone else (every third-party client, whatever client_skips_consent says, and first-party
//      clients that do not skip) asks unless consent remembered for the user and client covers
//      every requested scope; a request that grows beyond what was granted asks again.
//
// Login (DecideLogin) must be evaluated once, before authenticating, for each authorization
// request; after the user has just authenticated the caller proceeds. Without a session, with
// prompt=login, with max_age=0, or when more than max_age seconds have passed since auth_time,
// the user must log in (again).
//
// PromptNoneError maps a decision that would need UI to the OIDC error for prompt=none:
// kLoginRequired first (nothing else can be known without a user), then kConsentRequired.

#include <cstdint>
#include <optional>

#include "core/client.h"
#include "core/error.h"
#include "core/scope.h"

namespace gatehouse::core {

enum class ConsentDecision { kNotRequired, kRequired };

struct ConsentInput {
  ClientType client_type;
  bool client_skips_consent;  // honoured for first-party clients only
  bool bypass_consent_for_offline_access;
  const ScopeSet& requested;
  std::optional<ScopeSet> previously_granted;  // remembered consent for this user and client
  bool prompt_consent;
};

ConsentDecision DecideConsent(const ConsentInput& input);

enum class LoginDecision { kUseSession, kLoginRequired };

// `auth_time` and `now` are Unix seconds; `auth_time` is ignored without a session.
LoginDecision DecideLogin(bool has_session, int64_t auth_time, int64_t now, bool prompt_login,
                          std::optional<int64_t> max_age);

// For prompt=none: std::nullopt when no UI is needed, else login_required or consent_required.
std::optional<Error> PromptNoneError(LoginDecision login, ConsentDecision consent);

}  // namespace gatehouse::core
