#pragma once
// Response rendering, in one place: JSON bodies and the two error shapes Gatehouse speaks.
//   OAuth / OIDC endpoints:  {"error": "...", "error_description": "..."}      (RFC 6749 §5.2)
//   Management API (/v1/…):  {"status_code": 400, "request_id": "...", "error_type": "...",
//                             "error_message": "..."}
// Every error response carries `Cache-Control: no-store`, and `Retry-After` when the error says
// when to retry (core::Error::retry_after_seconds). The HTTP status always comes from
// core::HttpStatusFor (via Error::http_status()); only the transport-level statuses that have no
// ErrorCode (431) are passed explicitly by the server.
//
// Pure functions: thread-safe, no I/O, never throw except std::bad_alloc.

#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "http/message.h"

namespace gatehouse::http {

// `status` with `value` serialized as the body and `Content-Type: application/json`.
Response JsonResponse(int status, const boost::json::value& value);

// `response` with `Cache-Control: no-store` and `Pragma: no-cache`: what RFC 6749 §5.1 asks of
// every response that carries tokens or credentials, and what the OAuth endpoints send on each of
// their answers, errors included.
Response NoStore(Response response);

// RFC 6749 §5.2 error body; status from error.http_status().
Response OAuthErrorResponse(const core::Error& error);

// The management API error body; status from error.http_status().
Response ApiErrorResponse(const core::Error& error, std::string_view request_id);

// True for paths served by the management API (/v1/…) except the OAuth endpoints under
// /v1/oauth2/, which speak the OAuth shape.
bool UsesApiErrorShape(std::string_view path);

// The shape `path` speaks: ApiErrorResponse or OAuthErrorResponse. What the router (404/405), the
// catch-all (500/503) and the server (400/413/431/503) use when no endpoint rendered the error.
Response ErrorResponseFor(std::string_view path, const core::Error& error,
                          std::string_view request_id);

}  // namespace gatehouse::http
