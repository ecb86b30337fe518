#pragma once
// Errors on the request path are values. An Error carries a code from the OAuth / Gatehouse
// vocabulary and a human-readable description; the HTTP status is derived from the code in one
// place (HttpStatusFor) and the wire shape is chosen by the surface that renders it (OAuth
// endpoints: {error, error_description}; management API: {status_code, request_id, error_type,
// error_message}).
//
// Descriptions must be printable ASCII without '"' and '\\' (RFC 6749 §5.2); the constructor
// enforces that by replacing anything else, so callers may pass user input safely.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gatehouse::core {

enum class ErrorCode {
  // RFC 6749 / OAuth 2.1 / OIDC protocol errors.
  kInvalidRequest,
  kInvalidClient,
  kInvalidGrant,
  kUnauthorizedClient,
  kUnsupportedGrantType,
  kUnsupportedResponseType,
  kInvalidScope,
  kAccessDenied,
  kInvalidTarget,          // RFC 8707
  kInvalidRedirectUri,     // RFC 7591
  kInvalidClientMetadata,  // RFC 7591
  kLoginRequired,          // OIDC
  kConsentRequired,        // OIDC
  kInteractionRequired,    // OIDC
  kInvalidToken,           // RFC 6750
  kInsufficientScope,      // RFC 6750
  kServerError,
  kTemporarilyUnavailable,
  // Management API and transport errors.
  kUnauthorized,  // management API credentials missing or wrong
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPayloadTooLarge,
  kTooManyRequests,
  kBadRequest,
};

// The wire name: "invalid_request", "not_found", ...
std::string_view ErrorCodeName(ErrorCode code);

// The one mapping from error code to HTTP status.
int HttpStatusFor(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string_view description);

  ErrorCode code() const { return code_; }
  std::string_view name() const { return ErrorCodeName(code_); }
  const std::string& description() const { return description_; }
  int http_status() const { return HttpStatusFor(code_); }

  // When the client may retry (kTooManyRequests, kTemporarilyUnavailable): whole seconds, which
  // every error renderer sends as `Retry-After`. 0: not said.
  Error& WithRetryAfter(int64_t seconds) {
    retry_after_seconds_ = seconds;
    return *this;
  }
  int64_t retry_after_seconds() const { return retry_after_seconds_; }

 private:
  ErrorCode code_;
  std::string description_;
  int64_t retry_after_seconds_ = 0;
};

// Infrastructure faults (database unreachable, pool exhausted, disk full) are exceptions, not
// request errors: they unwind to the HTTP catch-all, which answers 503 when transient() (retrying
// later may succeed) and 500 otherwise. Layers derive their own fault types from this one.
class InfrastructureError : public std::runtime_error {
 public:
  InfrastructureError(const std::string& what, bool transient)
      : std::runtime_error(what), transient_(transient) {}
  bool transient() const { return transient_; }

 private:
  bool transient_;
};

// Replaces every character outside printable ASCII, and '"' and '\\', with '?'.
std::string SanitizeErrorText(std::string_view text);

}  // namespace gatehouse::core
