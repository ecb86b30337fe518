#include "core/error.h"

namespace gatehouse::core {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest:
      return "invalid_request";
    case ErrorCode::kInvalidClient:
      return "invalid_client";
    case ErrorCode::kInvalidGrant:
      return "invalid_grant";
    case ErrorCode::kUnauthorizedClient:
      return "unauthorized_client";
    case ErrorCode::kUnsupportedGrantType:
      return "unsupported_grant_type";
    case ErrorCode::kUnsupportedResponseType:
      return "unsupported_response_type";
    case ErrorCode::kInvalidScope:
      return "invalid_scope";
    case ErrorCode::kAccessDenied:
      return "access_denied";
    case ErrorCode::kInvalidTarget:
      return "invalid_target";
    case ErrorCode::kInvalidRedirectUri:
      return "invalid_redirect_uri";
    case ErrorCode::kInvalidClientMetadata:
      return "invalid_client_metadata";
    case ErrorCode::kLoginRequired:
      return "login_required";
    case ErrorCode::kConsentRequired:
      return "consent_required";
    case ErrorCode::kInteractionRequired:
      return "interaction_required";
    case ErrorCode::kInvalidToken:
      return "invalid_token";
    case ErrorCode::kInsufficientScope:
      return "insufficient_scope";
    case ErrorCode::kServerError:
      return "server_error";
    case ErrorCode::kTemporarilyUnavailable:
      return "temporarily_unavailable";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kTooManyRequests:
      return "too_many_requests";
    case ErrorCode::kBadRequest:
      return "bad_request";
  }
  return "server_error";
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidClient:
    case ErrorCode::kUnauthorized:
    case ErrorCode::kInvalidToken:
      return 401;
    case ErrorCode::kInsufficientScope:
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kServerError:
      return 500;
    case ErrorCode::kTemporarilyUnavailable:
      return 503;
    default:
      return 400;
  }
}

std::string SanitizeErrorText(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') c = '?';
  }
  return out;
}

Error::Error(ErrorCode code, std::string_view description)
    : code_(code), description_(SanitizeErrorText(description)) {}

}  // namespace gatehouse::core
