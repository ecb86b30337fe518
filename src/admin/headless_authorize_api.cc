#include "admin/headless_authorize_api.h"

#include <boost/json.hpp>

namespace gatehouse::admin {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

struct HeadlessAuthorizeApi::Prepared {
  std::optional<oauth::ValidatedAuthorization> authorization;  // set unless redirect_error
  std::optional<core::AuthorizationError> redirect_error;
  oauth::AuthenticatedUser user;
  bool login_required = false;
};

namespace {

// String fields copied verbatim into the authorization parameters.
constexpr std::string_view kStringFields[] = {
    "client_id",  "redirect_uri", "response_type",  "prompt",
    "state",      "nonce",        "code_challenge", "code_challenge_method",
    "login_hint", "ui_locales",   "claims_locales", "acr_values",
    "display",    "id_token_hint"};

// The fields Prepare reads: ToParams' and the user's.
BodyFields PrepareFields() {
  BodyFields fields{"scope", "scopes", "resources", "max_age", "user_id", "session_token"};
  for (std::string_view name : kStringFields) fields = fields.With({name});
  return fields;
}

core::Result<core::AuthorizationParams> ToParams(const json::object& body) {
  core::AuthorizationParams params;
  for (std::string_view name : kStringFields) {
    auto value = OptionalString(body, name);
    if (!value) return value.error();
    if (*value) params.emplace_back(std::string(name), **value);
  }
  auto scope = OptionalString(body, "scope");
  if (!scope) return scope.error();
  auto scopes = OptionalStringArray(body, "scopes");
  if (!scopes) return scopes.error();
  if (*scope && *scopes) return Error(ErrorCode::kBadRequest, "send scope or scopes, not both");
  if (*scope) params.emplace_back("scope", **scope);
  if (*scopes) {
    std::string joined;
    for (const std::string& s : **scopes) {
      if (!joined.empty()) joined += ' ';
      joined += s;
    }
    params.emplace_back("scope", joined);
  }
  auto resources = OptionalStringArray(body, "resources");
  if (!resources) return resources.error();
  if (*resources) {
    for (const std::string& r : **resources) params.emplace_back("resource", r);
  }
  auto max_age = OptionalInt(body, "max_age");
  if (!max_age) return max_age.error();
  if (*max_age) params.emplace_back("max_age", std::to_string(**max_age));
  return params;
}

json::object UserView(const core::User& user) {
  return json::object{{"user_id", user.user_id},
                      {"email", user.email},
                      {"first_name", user.first_name},
                      {"last_name", user.last_name},
                      {"status", user.status}};
}

json::object ClientView(const core::Client& client) {
  return json::object{{"client_id", client.client_id},
                      {"client_name", client.client_name},
                      {"client_description", client.client_description},
                      {"client_type", core::ClientTypeName(client.client_type)},
                      {"logo_url", client.logo_url}};
}

}  // namespace

HeadlessAuthorizeApi::HeadlessAuthorizeApi(const oauth::AuthorizationService& service,
                                           accounts::UserSessions& users, const core::Clock& clock)
    : service_(service), users_(users), clock_(clock) {}

void HeadlessAuthorizeApi::AddRoutes(http::Router& router, const ManagementApi& api) const {
  const BodyFields start = PrepareFields();
  router.Add("POST", "/v1/idp/oauth/authorize/start",
             api.Route(start, [this](ApiCall& call) { return Start(call.body); }));
  router.Add("POST", "/v1/idp/oauth/authorize",
             api.Route(start.With({"consent_granted"}),
                       [this](ApiCall& call) { return Submit(call.body); }));
}

core::Result<HeadlessAuthorizeApi::Prepared> HeadlessAuthorizeApi::Prepare(
    const json::object& body, core::AuthorizationPurpose purpose) const {
  core::Result<core::AuthorizationParams> params = ToParams(body);
  if (!params) return params.error();
  auto user_id = OptionalString(body, "user_id");
  if (!user_id) return user_id.error();
  auto session_token = OptionalString(body, "session_token");
  if (!session_token) return session_token.error();
  if (user_id->has_value() == session_token->has_value()) {
    return Error(ErrorCode::kBadRequest, "send exactly one of user_id and session_token");
  }

  oauth::AuthorizationService::Validation validation = service_.Validate(*params, purpose);
  Prepared prepared;
  if (!validation) {
    const core::AuthorizationError& error = validation.error();
    if (!error.redirectable) {
      return Error(ErrorCode::kBadRequest,
                   std::string(error.error.name()) + ": " + error.error.description());
    }
    prepared.redirect_error = error;
    return prepared;
  }
  prepared.authorization = *validation;

  if (*user_id) {
    std::optional<core::User> user = users_.FindUser(**user_id);
    if (!user) return Error(ErrorCode::kNotFound, "user not found");
    prepared.user =
        oauth::AuthenticatedUser{.user = std::move(*user), .auth_time = clock_.NowSeconds()};
  } else {
    core::Result<accounts::ActiveSession> session = users_.Authenticate(**session_token);
    if (!session) return session.error();
    prepared.user = oauth::AuthenticatedUser{.user = session->user,
                                             .auth_time = session->session.authenticated_at};
    prepared.login_required =
        core::DecideLogin(true, session->session.authenticated_at, clock_.NowSeconds(), false,
                          prepared.authorization->request.max_age) ==
        core::LoginDecision::kLoginRequired;
  }
  return prepared;
}

core::Result<json::object> HeadlessAuthorizeApi::Start(const json::object& body) const {
  core::Result<Prepared> prepared = Prepare(body, core::AuthorizationPurpose::kDescribeConsent);
  if (!prepared) return prepared.error();
  if (prepared->redirect_error) return prepared->redirect_error->error;
  if (prepared->login_required) {
    return Error(ErrorCode::kLoginRequired, "the session is older than max_age allows");
  }
  const oauth::ConsentView consent =
      service_.DescribeConsent(*prepared->authorization, prepared->user.user);
  json::array scope_results;
  for (const oauth::ScopeResult& result : consent.scope_results) {
    scope_results.push_back(json::object{{"scope", result.scope},
                                         {"description", result.description},
                                         {"is_grantable", result.is_grantable}});
  }
  return json::object{{"user_id", prepared->user.user.user_id},
                      {"user", UserView(prepared->user.user)},
                      {"client", ClientView(*prepared->authorization->client)},
                      {"consent_required", consent.consent_required()},
                      {"scope_results", std::move(scope_results)}};
}

core::Result<json::object> HeadlessAuthorizeApi::Submit(const json::object& body) const {
  auto consent_granted = OptionalBool(body, "consent_granted");
  if (!consent_granted) return consent_granted.error();
  core::Result<Prepared> prepared = Prepare(body, core::AuthorizationPurpose::kIssueCode);
  if (!prepared) return prepared.error();
  if (prepared->redirect_error) {
    return json::object{{"redirect_uri", service_.ErrorRedirect(*prepared->redirect_error)}};
  }
  oauth::AuthorizationResponse response;
  if (prepared->login_required) {
    if (!prepared->authorization->request.prompt.none) {
      return Error(ErrorCode::kLoginRequired, "the session is older than max_age allows");
    }
    response = service_.Reject(*prepared->authorization,
                               Error(ErrorCode::kLoginRequired, "the user must log in again"));
  } else {
    response = service_.Complete(*prepared->authorization, prepared->user,
                                 consent_granted->value_or(false));
  }
  json::object out{{"redirect_uri", response.redirect_uri}};
  if (response.code) out["authorization_code"] = *response.code;
  return out;
}

}  // namespace gatehouse::admin
