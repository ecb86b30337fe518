#pragma once
// The wire form of a Response's status line and header block (HTTP/1.0 and 1.1), kept apart from
// the socket code so it can be tested byte for byte.
//
// What it adds or enforces: Content-Length from the body (never for 204 / 304, which have no
// body), `X-Content-Type-Options: nosniff` and `Cache-Control: no-store` unless the handler set
// them, X-Request-Id unless the handler set it, Date, and `Connection: close` (or, for an
// HTTP/1.0 keep-alive, `Connection: keep-alive`). Handler-set Content-Length, Transfer-Encoding,
// Date and Connection headers are dropped (the server owns framing), as are headers whose name is
// not an RFC 9110 token; CR, LF and NUL in values become spaces, so no handler output can split
// a response.
//
// Pure functions: thread-safe; Date is the system clock's current second.

#include <string>
#include <string_view>

#include "http/message.h"

namespace gatehouse::http {

// "OK", "Not Found", ...; empty for codes without a registered phrase.
std::string_view ReasonPhrase(int status);

// Replaces `out` with the head of `response`. `version` is 10 or 11; `keep_alive` is what the
// request allows; `request_id` is sent when the response has no X-Request-Id. Returns whether
// the connection stays open after this response (false when the response says Connection:
// close).
bool SerializeResponseHead(const Response& response, unsigned version, bool keep_alive,
                           std::string_view request_id, std::string& out);

// Whether the body of a response with this status is sent at all.
inline bool StatusHasBody(int status) { return status != 204 && status != 304; }

}  // namespace gatehouse::http
