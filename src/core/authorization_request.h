#pragma once
// AuthorizationRequest: the parameters of GET /oauth2/authorize (and the headless authorize API),
// parsed and checked against the client that was looked up for them. Pure; thread-safe.
//
// Flow: the caller decodes the query into AuthorizationParams, gets the client id with
// AuthorizationClientId (kInvalidRequest when missing or repeated: show an error page), looks the
// client up (unknown: error page), then calls ParseAuthorizationRequest.
//
// ParseAuthorizationRequest returns either the request or an AuthorizationError saying whether the
// error may be sent to the client by redirect. Rules (OAuth 2.1 §4.1.1, RFC 9700 §4.1, CHECKLIST):
//   - A parameter with an empty value is treated as absent (OAuth 2.1 §3.1).
//   - Unknown parameters are ignored.
//   - Never redirected (redirectable == false): client_id repeated, missing or not the looked-up
//     client, a disabled client, redirect_uri repeated, missing when required (several registered,
//     or `openid` requested), not registered (exact match, a native app's loopback port
//     excepted), or no longer allowed for the client in this environment. Nothing about an
//     untrusted URI is echoed.
//   - Redirected once the redirect URI is trusted, in this order of checks: any other repeated
//     parameter (invalid_request; `resource` may repeat); `request` / `request_uri` (not supported,
//     invalid_request); response_type missing (invalid_request) or not exactly `code`
//     (unsupported_response_type); response_mode other than `query` (invalid_request); scope syntax
//     (invalid_scope); `full_access` without a first-party client that allows it (invalid_scope);
//     PKCE (pkce.h, invalid_request; see AuthorizationPurpose for when a public client's missing
//     code_challenge is an error); resource (resource_indicator.h, invalid_target); prompt with
//     an unknown value or `none` combined with another (invalid_request); max_age not a
//     non-negative decimal integer (invalid_request).
//   - `state` is echoed in every redirected error, except when `state` itself was repeated (which
//     value to echo would be a guess).
//   - display, ui_locales, claims_locales, acr_values, login_hint and id_token_hint never cause an
//     error; a repeated one, or one longer than kMaxHintLength (kMaxIdTokenHintLength for
//     id_token_hint), is ignored (treated as absent).
//   - Sizes: state over kMaxStateLength (invalid_request, and not echoed), scope over
//     kMaxScopeLength (invalid_scope), nonce over kMaxNonceLength (invalid_request), more than
//     kMaxResources resource values (invalid_target). Every other value is bounded by the query
//     parser (http::FormLimits) and its own syntax.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/client.h"
#include "core/error.h"
#include "core/result.h"
#include "core/scope.h"

namespace gatehouse::core {

inline constexpr size_t kMaxStateLength = 2048;
inline constexpr size_t kMaxNonceLength = 512;
inline constexpr size_t kMaxScopeLength = 2048;
inline constexpr size_t kMaxResources = 10;
inline constexpr size_t kMaxHintLength = 512;
inline constexpr size_t kMaxIdTokenHintLength = 8192;

// Decoded query or form parameters as (name, value) pairs, in the order received.
using AuthorizationParams = std::vector<std::pair<std::string, std::string>>;

// The OIDC prompt values Gatehouse understands.
struct Prompt {
  bool none = false;
  bool login = false;
  bool consent = false;
  bool select_account = false;

  bool operator==(const Prompt&) const = default;
};

// Default member initializers throughout: see Client.
struct AuthorizationRequest {
  std::string client_id{};
  std::string redirect_uri{};      // the trusted URI responses go to (requested port kept)
  bool redirect_uri_sent = false;  // the token endpoint must then require the same redirect_uri
  std::string response_type{};     // always "code"
  ScopeSet scope{};                // syntax-checked; grantability is decided elsewhere
  std::optional<std::string> state{};
  std::optional<std::string> nonce{};
  std::optional<std::string> code_challenge{};         // set for every public client
  std::optional<std::string> code_challenge_method{};  // "S256" whenever code_challenge is set
  Prompt prompt{};
  std::optional<int64_t> max_age{};      // seconds; huge values saturate at INT64_MAX
  std::vector<std::string> resources{};  // RFC 8707, distinct, in request order
  std::optional<std::string> login_hint{};
  std::optional<std::string> id_token_hint{};
  std::optional<std::string> ui_locales{};
  std::optional<std::string> claims_locales{};
  std::optional<std::string> acr_values{};
  std::optional<std::string> display{};
};

struct AuthorizationError {
  Error error;
  bool redirectable = false;
  std::optional<std::string> redirect_uri;  // set exactly when redirectable
  std::optional<std::string> state;         // echo in the redirect when set
};

// Either an AuthorizationRequest or an AuthorizationError; used like Result<T>.
class [[nodiscard]] AuthorizationRequestResult {
 public:
  AuthorizationRequestResult(AuthorizationRequest request)  // NOLINT: implicit by design
      : v_(std::in_place_index<0>, std::move(request)) {}
  AuthorizationRequestResult(AuthorizationError error)  // NOLINT: implicit by design
      : v_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  const AuthorizationRequest& value() const& { return std::get<0>(v_); }
  AuthorizationRequest&& value() && { return std::get<0>(std::move(v_)); }
  const AuthorizationRequest& operator*() const& { return value(); }
  const AuthorizationRequest* operator->() const { return &value(); }
  const AuthorizationError& error() const { return std::get<1>(v_); }

 private:
  std::variant<AuthorizationRequest, AuthorizationError> v_;
};

// What the parsed request will be used for.
//  - kIssueCode: it leads to an authorization code (GET /oauth2/authorize, the headless submit),
//    so a public client must send a code_challenge.
//  - kDescribeConsent: it only describes the consent to ask for (the headless start step, which in
//    Stytch's API carries no code_challenge, state or nonce). A missing code_challenge is then no
//    error; one that is sent is checked all the same (S256 only, well-formed). Such a request must
//    not be used to issue a code.
enum class AuthorizationPurpose { kIssueCode, kDescribeConsent };

// The client_id to look up; kInvalidRequest when it is missing, empty or repeated.
Result<std::string> AuthorizationClientId(const AuthorizationParams& params);

AuthorizationRequestResult ParseAuthorizationRequest(
    const AuthorizationParams& params, const Client& client, Environment environment,
    AuthorizationPurpose purpose = AuthorizationPurpose::kIssueCode);

}  // namespace gatehouse::core
