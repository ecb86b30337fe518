#pragma once
// PendingAuthorization: an authorization request on its way through the hosted pages (login ->
// resume -> consent), carried by the browser rather than kept in one process's memory, so any
// gatehouse process behind a load balancer can continue a flow another one started.
//
// PendingAuthorizationSeal turns it into an opaque base64url value (hidden form field, or the
// query of the redirect after login) with AES-256-GCM under a key derived from the master key:
//  - confidential and integrity-protected: the browser can neither read nor alter the parameters;
//  - bound to its purpose (login form, post-login resume, consent form) and to the browser's
//    anti-CSRF cookie, both as AES-GCM associated data: a value minted for one purpose or for
//    another browser does not open;
//  - expiring: Open reports kExpired once `expires_at` has passed (kLifetimeSeconds after Seal).
// The parameters are kept exactly as received and validated again on every step, so a client
// that is disabled or changed mid-flow is noticed.
//
// Immutable after construction; thread-safe when the Random is. The constructor throws
// std::invalid_argument for a key that is not 32 bytes (a start-up error).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/authorization_request.h"
#include "core/random.h"

namespace gatehouse::ui {

enum class PendingPurpose { kLogin, kResume, kConsent };

struct PendingAuthorization {
  core::AuthorizationParams params{};       // the authorization request as received
  std::optional<std::string> session_id{};  // the session the user proved (resume, consent)
  int64_t expires_at = 0;                   // Unix seconds
};

class PendingAuthorizationSeal {
 public:
  static constexpr int64_t kLifetimeSeconds = 600;

  enum class OpenFailure {
    kInvalid,  // not ours, altered, another purpose, another browser (CSRF cookie)
    kExpired,  // authentic but too old
  };

  PendingAuthorizationSeal(std::string key32, core::Random& random);

  // Seals `pending` with expires_at = now + kLifetimeSeconds (the field's own value is ignored).
  std::string Seal(PendingPurpose purpose, const PendingAuthorization& pending,
                   std::string_view csrf_token, int64_t now) const;

  std::variant<PendingAuthorization, OpenFailure> Open(PendingPurpose purpose,
                                                       std::string_view sealed,
                                                       std::string_view csrf_token,
                                                       int64_t now) const;

 private:
  std::string key_;
  core::Random& random_;
};

}  // namespace gatehouse::ui
