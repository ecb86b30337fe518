#pragma once
// Decoding of what clients send in URLs and headers: application/x-www-form-urlencoded bodies and
// query strings, percent-encoding, HTTP Basic and Bearer credentials, media types and cookies.
//
// Every parser here takes untrusted input of any size and answers with a value or an
// invalid_request error (or nullopt); none throws except std::bad_alloc, none allocates beyond
// the stated caps. Pure functions and immutable values: thread-safe.
//
// OAuth 2.1 §3.1: a parameter sent without a value is treated as omitted. FormParams applies that
// rule in Get/Count/GetAll/Single; pairs() still shows exactly what was sent.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace gatehouse::http {

struct FormLimits {
  size_t max_bytes = 64 * 1024;       // longer input → invalid_request
  size_t max_params = 256;            // more name=value pairs → invalid_request
  size_t max_value_bytes = 8 * 1024;  // a longer decoded value (or name) → invalid_request
};

class FormParams {
 public:
  using Pair = std::pair<std::string, std::string>;

  FormParams() = default;
  explicit FormParams(std::vector<Pair> pairs) : pairs_(std::move(pairs)) {}

  // The first non-empty value of `name`. The view lives as long as this object.
  std::optional<std::string_view> Get(std::string_view name) const;
  // How many times `name` was sent with a non-empty value.
  size_t Count(std::string_view name) const;
  // Every non-empty value of `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  // Like Get, but invalid_request "parameter X is repeated" when sent more than once (RFC 6749
  // §3.1: request parameters must not be included more than once).
  core::Result<std::optional<std::string_view>> Single(std::string_view name) const;

  // Decoded pairs in arrival order, empty values and all.
  const std::vector<Pair>& pairs() const { return pairs_; }

 private:
  std::vector<Pair> pairs_;
};

// Parses "a=1&b=two+words&c=%2F" ('+' is a space; '%' must be followed by two hex digits).
// Empty segments ("a=1&&b=2") and pairs with an empty name are skipped.
core::Result<FormParams> ParseForm(std::string_view text, const FormLimits& limits = {});

// Percent-decodes `text` ('+' stays '+'); nullopt on a malformed escape. For path segments.
std::optional<std::string> PercentDecode(std::string_view text);

// Percent-encodes everything except the RFC 3986 unreserved set (ALPHA DIGIT - . _ ~).
std::string UrlEncode(std::string_view text);

// `uri` with `params` added to its query: '?' when it has none, '&' otherwise. A fragment, if
// any, stays at the end.
std::string AppendQueryParams(std::string_view uri,
                              const std::vector<std::pair<std::string, std::string>>& params);

// The (client_id, client_secret) of an `Authorization: Basic …` header value: scheme matched
// case-insensitively, standard base64 (padding optional), split at the first ':', then each side
// form-urldecoded (RFC 6749 §2.3.1). nullopt when any step fails or the id is empty.
std::optional<std::pair<std::string, std::string>> ParseBasicAuth(std::string_view header);

// The token of an `Authorization: Bearer …` header value (RFC 6750 §2.1 b64token syntax); nullopt
// for another scheme, an empty token or characters outside the syntax. Views into `header`.
std::optional<std::string_view> BearerToken(std::string_view header);

// Media-type comparisons ignoring case and parameters ("Application/JSON; charset=utf-8").
bool IsFormContentType(std::string_view content_type);
bool IsJsonContentType(std::string_view content_type);

// The value of cookie `name` (exact, case-sensitive) from the request's Cookie headers, with
// surrounding DQUOTEs removed. The view lives as long as `request`.
std::optional<std::string_view> Cookie(const Request& request, std::string_view name);

}  // namespace gatehouse::http
