#include "core/authorization_request.h"

#include <array>
#include <limits>
#include <string_view>

#include "core/pkce.h"
#include "core/redirect_uri_policy.h"
#include "core/resource_indicator.h"

namespace gatehouse::core {
namespace {

// Parameters that must appear at most once. `resource` may repeat (RFC 8707); the hint parameters
// are handled apart because they never cause errors.
constexpr std::array<std::string_view, 10> kSingleValued = {
    "response_type",         "response_mode", "scope",   "nonce",   "code_challenge",
    "code_challenge_method", "prompt",        "max_age", "request", "request_uri",
};

// A parameter's non-empty values: empty values count as absent (OAuth 2.1 §3.1).
std::vector<std::string_view> Values(const AuthorizationParams& params, std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : params) {
    if (key == name && !value.empty()) values.emplace_back(value);
  }
  return values;
}

struct SingleValue {
  std::optional<std::string_view> value;  // set when sent exactly once
  bool repeated = false;
};

SingleValue Single(const AuthorizationParams& params, std::string_view name) {
  const std::vector<std::string_view> values = Values(params, name);
  if (values.size() > 1) return {std::nullopt, true};
  if (values.empty()) return {};
  return {values.front(), false};
}

std::optional<std::string> ToOptionalString(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  return std::string(*value);
}

// Never-failing hints: a repeated hint is ambiguous and dropped, and so is one beyond
// `max_length` (a hint is advice; it is not worth refusing a sign-in over).
std::optional<std::string> Hint(const AuthorizationParams& params, std::string_view name,
                                size_t max_length = kMaxHintLength) {
  const std::optional<std::string_view> value = Single(params, name).value;
  if (value && value->size() > max_length) return std::nullopt;
  return ToOptionalString(value);
}

// True when any scope value names `openid`, even if the value is otherwise malformed: the stricter
// redirect_uri rule must not be dodged by a syntax error.
bool MentionsOpenId(const std::vector<std::string_view>& scope_values) {
  for (std::string_view value : scope_values) {
    size_t pos = 0;
    while (pos <= value.size()) {
      size_t end = value.find(' ', pos);
      if (end == std::string_view::npos) end = value.size();
      if (value.substr(pos, end - pos) == kScopeOpenId) return true;
      pos = end + 1;
    }
  }
  return false;
}

AuthorizationError ErrorPage(ErrorCode code, std::string_view description) {
  return AuthorizationError{Error(code, description), false, std::nullopt, std::nullopt};
}

Result<Prompt> ParsePrompt(std::string_view value) {
  Prompt prompt;
  size_t pos = 0;
  while (pos < value.size()) {
    if (value[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = value.find(' ', pos);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view token = value.substr(pos, end - pos);
    pos = end;
    if (token == "none") {
      prompt.none = true;
    } else if (token == "login") {
      prompt.login = true;
    } else if (token == "consent") {
      prompt.consent = true;
    } else if (token == "select_account") {
      prompt.select_account = true;
    } else {
      return Error(ErrorCode::kInvalidRequest, "unsupported prompt value");
    }
  }
  if (prompt.none && (prompt.login || prompt.consent || prompt.select_account)) {
    return Error(ErrorCode::kInvalidRequest, "prompt none must not be combined with other values");
  }
  return prompt;
}

// A non-negative decimal integer; values beyond int64 saturate (they constrain nothing).
Result<int64_t> ParseMaxAge(std::string_view value) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t result = 0;
  for (char c : value) {
    if (c < '0' || c > '9') {
      return Error(ErrorCode::kInvalidRequest, "max_age must be a non-negative integer");
    }
    const int digit = c - '0';
    result = (result > (kMax - digit) / 10) ? kMax : result * 10 + digit;
  }
  return result;
}

}  // namespace

Result<std::string> AuthorizationClientId(const AuthorizationParams& params) {
  const SingleValue client_id = Single(params, "client_id");
  if (client_id.repeated) return Error(ErrorCode::kInvalidRequest, "client_id repeated");
  if (!client_id.value) return Error(ErrorCode::kInvalidRequest, "client_id missing");
  return std::string(*client_id.value);
}

AuthorizationRequestResult ParseAuthorizationRequest(const AuthorizationParams& params,
                                                     const Client& client, Environment environment,
                                                     AuthorizationPurpose purpose) {
  // 1. Until the redirect URI is trusted, every error is shown, never redirected.
  const Result<std::string> client_id = AuthorizationClientId(params);
  if (!client_id) return ErrorPage(client_id.error().code(), client_id.error().description());
  if (*client_id != client.client_id) {
    return ErrorPage(ErrorCode::kInvalidRequest, "client_id does not name this client");
  }
  if (client.status != ClientStatus::kActive) {
    return ErrorPage(ErrorCode::kInvalidClient, "client is disabled");
  }
  const SingleValue requested_redirect = Single(params, "redirect_uri");
  if (requested_redirect.repeated) {
    return ErrorPage(ErrorCode::kInvalidRequest, "redirect_uri repeated");
  }
  const std::vector<std::string_view> scope_values = Values(params, "scope");
  const bool openid = MentionsOpenId(scope_values);
  std::optional<std::string> redirect_uri = ResolveRedirectUri(
      client.redirect_uris, requested_redirect.value, openid, client.application_type);
  if (!redirect_uri) {
    if (requested_redirect.value) {
      return ErrorPage(ErrorCode::kInvalidRequest,
                       "redirect_uri is not registered for this client");
    }
    if (client.redirect_uris.empty()) {
      return ErrorPage(ErrorCode::kInvalidRequest, "client has no registered redirect URIs");
    }
    return ErrorPage(ErrorCode::kInvalidRequest,
                     openid ? "redirect_uri required when openid is requested"
                            : "redirect_uri required when several are registered");
  }
  // A URI registered under looser rules (e.g. before the deployment went live) is not trusted.
  if (auto allowed = ValidateRedirectUriForRegistration(*redirect_uri, client.client_type,
                                                        environment, client.application_type);
      !allowed) {
    return ErrorPage(ErrorCode::kInvalidRequest,
                     "redirect_uri is not allowed: " + allowed.error().description());
  }

  // 2. From here on errors go back to the client, with state.
  const SingleValue state = Single(params, "state");
  auto redirect_error = [&](ErrorCode code, std::string_view description) {
    return AuthorizationError{Error(code, description), true, redirect_uri,
                              ToOptionalString(state.value)};
  };
  if (state.repeated) return redirect_error(ErrorCode::kInvalidRequest, "state repeated");
  if (state.value && state.value->size() > kMaxStateLength) {
    // Echoing it would make the redirect as long as the attacker likes.
    return AuthorizationError{Error(ErrorCode::kInvalidRequest, "state is too long"), true,
                              redirect_uri, std::nullopt};
  }
  for (std::string_view name : kSingleValued) {
    if (Single(params, name).repeated) {
      return redirect_error(ErrorCode::kInvalidRequest, std::string(name) + " repeated");
    }
  }
  if (Single(params, "request").value) {
    return redirect_error(ErrorCode::kInvalidRequest,
                          "request objects are not supported (request_not_supported)");
  }
  if (Single(params, "request_uri").value) {
    return redirect_error(ErrorCode::kInvalidRequest,
                          "request_uri is not supported (request_uri_not_supported)");
  }

  const std::optional<std::string_view> response_type = Single(params, "response_type").value;
  if (!response_type) return redirect_error(ErrorCode::kInvalidRequest, "response_type missing");
  if (*response_type != "code") {
    return redirect_error(ErrorCode::kUnsupportedResponseType,
                          "only response_type code is supported");
  }
  const std::optional<std::string_view> response_mode = Single(params, "response_mode").value;
  if (response_mode && *response_mode != "query") {
    return redirect_error(ErrorCode::kInvalidRequest, "only response_mode query is supported");
  }

  if (!scope_values.empty() && scope_values.front().size() > kMaxScopeLength) {
    return redirect_error(ErrorCode::kInvalidScope, "scope is too long");
  }
  Result<ScopeSet> scope =
      ScopeSet::Parse(scope_values.empty() ? std::string_view() : scope_values.front());
  if (!scope) return redirect_error(scope.error().code(), scope.error().description());
  if (scope->Contains(kScopeFullAccess) &&
      !(IsFirstParty(client.client_type) && client.full_access_allowed)) {
    return redirect_error(ErrorCode::kInvalidScope, "full_access is not allowed for this client");
  }

  const std::optional<std::string_view> code_challenge = Single(params, "code_challenge").value;
  const std::optional<std::string_view> code_challenge_method =
      Single(params, "code_challenge_method").value;
  const bool challenge_required =
      IsPublic(client.client_type) && purpose == AuthorizationPurpose::kIssueCode;
  if (auto pkce = ValidateCodeChallenge(code_challenge, code_challenge_method, challenge_required);
      !pkce) {
    return redirect_error(pkce.error().code(), pkce.error().description());
  }

  if (const auto nonce = Single(params, "nonce").value; nonce && nonce->size() > kMaxNonceLength) {
    return redirect_error(ErrorCode::kInvalidRequest, "nonce is too long");
  }
  const std::vector<std::string_view> resource_values = Values(params, "resource");
  if (resource_values.size() > kMaxResources) {
    return redirect_error(ErrorCode::kInvalidTarget, "too many resource values");
  }
  Result<std::vector<std::string>> resources = ValidateResources(resource_values);
  if (!resources) return redirect_error(resources.error().code(), resources.error().description());

  Prompt prompt;
  if (const auto prompt_value = Single(params, "prompt").value) {
    Result<Prompt> parsed = ParsePrompt(*prompt_value);
    if (!parsed) return redirect_error(parsed.error().code(), parsed.error().description());
    prompt = *parsed;
  }

  std::optional<int64_t> max_age;
  if (const auto max_age_value = Single(params, "max_age").value) {
    Result<int64_t> parsed = ParseMaxAge(*max_age_value);
    if (!parsed) return redirect_error(parsed.error().code(), parsed.error().description());
    max_age = *parsed;
  }

  AuthorizationRequest request;
  request.client_id = client.client_id;
  request.redirect_uri = std::move(*redirect_uri);
  request.redirect_uri_sent = requested_redirect.value.has_value();
  request.response_type = std::string(*response_type);
  request.scope = std::move(*scope);
  request.state = ToOptionalString(state.value);
  request.nonce = ToOptionalString(Single(params, "nonce").value);
  request.code_challenge = ToOptionalString(code_challenge);
  request.code_challenge_method = ToOptionalString(code_challenge_method);
  request.prompt = prompt;
  request.max_age = max_age;
  request.resources = std::move(*resources);
  request.login_hint = Hint(params, "login_hint");
  request.id_token_hint = Hint(params, "id_token_hint", kMaxIdTokenHintLength);
  request.ui_locales = Hint(params, "ui_locales");
  request.claims_locales = Hint(params, "claims_locales");
  request.acr_values = Hint(params, "acr_values");
  request.display = Hint(params, "display");
  return request;
}

}  // namespace gatehouse::core
