#include "core/consent.h"

namespace gatehouse::core {

ConsentDecision DecideConsent(const ConsentInput& input) {
  if (input.prompt_consent) return ConsentDecision::kRequired;
  const bool remembered =
      input.previously_granted && input.requested.IsSubsetOf(*input.previously_granted);
  if (IsFirstParty(input.client_type) && input.client_skips_consent) {
    const bool offline_needs_consent =
        input.requested.Contains(kScopeOfflineAccess) && !input.bypass_consent_for_offline_access;
    return (offline_needs_consent && !remembered) ? ConsentDecision::kRequired
                                                  : ConsentDecision::kNotRequired;
  }
  return remembered ? ConsentDecision::kNotRequired : ConsentDecision::kRequired;
}

LoginDecision DecideLogin(bool has_session, int64_t auth_time, int64_t now, bool prompt_login,
                          std::optional<int64_t> max_age) {
  if (!has_session || prompt_login) return LoginDecision::kLoginRequired;
  if (max_age) {
    // OIDC Core §3.1.2.1: max_age=0 behaves like prompt=login (a negative one cannot be met).
    if (*max_age <= 0) return LoginDecision::kLoginRequired;
    // A session from the future (clock skew between servers) counts as just authenticated.
    // Unsigned arithmetic: the difference of two int64 values may not fit in an int64.
    if (now > auth_time && static_cast<uint64_t>(now) - static_cast<uint64_t>(auth_time) >
                               static_cast<uint64_t>(*max_age)) {
      return LoginDecision::kLoginRequired;
    }
  }
  return LoginDecision::kUseSession;
}

std::optional<Error> PromptNoneError(LoginDecision login, ConsentDecision consent) {
  if (login == LoginDecision::kLoginRequired) {
    return Error(ErrorCode::kLoginRequired, "the user must log in, and prompt is none");
  }
  if (consent == ConsentDecision::kRequired) {
    return Error(ErrorCode::kConsentRequired, "the user must consent, and prompt is none");
  }
  return std::nullopt;
}

}  // namespace gatehouse::core
