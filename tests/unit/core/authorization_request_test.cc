#include "core/authorization_request.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace gatehouse::core {
namespace {

constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

Client PublicClient() {
  Client client;
  client.client_id = "connected-app-test-public";
  client.client_type = ClientType::kThirdPartyPublic;
  client.application_type = ApplicationType::kNative;
  client.redirect_uris = {"https://app.example.com/cb", "http://127.0.0.1/callback"};
  return client;
}

Client ConfidentialClient() {
  Client client;
  client.client_id = "connected-app-test-confidential";
  client.client_type = ClientType::kFirstParty;
  client.redirect_uris = {"https://app.example.com/cb"};
  return client;
}

// A complete, valid request for PublicClient(); tests change one thing each.
AuthorizationParams ValidParams() {
  return {
      {"response_type", "code"},
      {"client_id", "connected-app-test-public"},
      {"redirect_uri", "https://app.example.com/cb"},
      {"scope", "openid profile"},
      {"state", "xyz"},
      {"nonce", "n-0S6_WzA2Mj"},
      {"code_challenge", std::string(kChallenge)},
      {"code_challenge_method", "S256"},
  };
}

AuthorizationParams With(AuthorizationParams params, std::string name, std::string value) {
  params.emplace_back(std::move(name), std::move(value));
  return params;
}

AuthorizationParams Without(AuthorizationParams params, std::string_view name) {
  std::erase_if(params, [name](const auto& param) { return param.first == name; });
  return params;
}

AuthorizationParams Replacing(AuthorizationParams params, std::string_view name,
                              std::string value) {
  return With(Without(std::move(params), name), std::string(name), std::move(value));
}

AuthorizationRequestResult Parse(const AuthorizationParams& params,
                                 const Client& client = PublicClient(),
                                 Environment environment = Environment::kLive) {
  return ParseAuthorizationRequest(params, client, environment);
}

// The error is shown on an error page: nothing goes to the (untrusted) redirect URI.
::testing::AssertionResult ShownOnErrorPage(const AuthorizationRequestResult& result,
                                            ErrorCode code) {
  if (result) return ::testing::AssertionFailure() << "request was accepted";
  const AuthorizationError& error = result.error();
  if (error.redirectable || error.redirect_uri || error.state) {
    return ::testing::AssertionFailure() << "error would be redirected: " << error.error.name();
  }
  if (error.error.code() != code) {
    return ::testing::AssertionFailure() << "error is " << error.error.name();
  }
  return ::testing::AssertionSuccess();
}

// The error is sent back to the client's redirect URI, with the request's state.
::testing::AssertionResult Redirected(const AuthorizationRequestResult& result, ErrorCode code,
                                      std::optional<std::string> state = "xyz") {
  if (result) return ::testing::AssertionFailure() << "request was accepted";
  const AuthorizationError& error = result.error();
  if (!error.redirectable || !error.redirect_uri) {
    return ::testing::AssertionFailure()
           << "error is not redirectable: " << error.error.description();
  }
  if (error.error.code() != code) {
    return ::testing::AssertionFailure()
           << "error is " << error.error.name() << ": " << error.error.description();
  }
  if (error.state != state) return ::testing::AssertionFailure() << "state not echoed";
  return ::testing::AssertionSuccess();
}

// --- Success ------------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, ValidRequestIsParsed) {
  auto result = Parse(ValidParams());
  ASSERT_TRUE(result) << result.error().error.description();
  const AuthorizationRequest& request = *result;
  EXPECT_EQ(request.client_id, "connected-app-test-public");
  EXPECT_EQ(request.redirect_uri, "https://app.example.com/cb");
  EXPECT_TRUE(request.redirect_uri_sent);
  EXPECT_EQ(request.response_type, "code");
  EXPECT_EQ(request.scope.ToString(), "openid profile");
  EXPECT_EQ(request.state, "xyz");
  EXPECT_EQ(request.nonce, "n-0S6_WzA2Mj");
  EXPECT_EQ(request.code_challenge, kChallenge);
  EXPECT_EQ(request.code_challenge_method, "S256");
  EXPECT_EQ(request.prompt, Prompt{});
  EXPECT_EQ(request.max_age, std::nullopt);
  EXPECT_TRUE(request.resources.empty());
  EXPECT_EQ(request.login_hint, std::nullopt);
}

TEST(AuthorizationRequestTest, OptionalParametersMayBeAbsent) {
  auto params = Without(Without(Without(ValidParams(), "state"), "nonce"), "scope");
  auto result = Parse(params);
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->state, std::nullopt);
  EXPECT_EQ(result->nonce, std::nullopt);
  EXPECT_TRUE(result->scope.empty());
}

// --- client_id ----------------------------------------------------------------------------------

TEST(AuthorizationClientIdTest, IsReadForTheLookup) {
  auto client_id = AuthorizationClientId(ValidParams());
  ASSERT_TRUE(client_id);
  EXPECT_EQ(*client_id, "connected-app-test-public");
}

TEST(AuthorizationClientIdTest, MissingOrEmptyIsInvalidRequest) {
  auto missing = AuthorizationClientId(Without(ValidParams(), "client_id"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kInvalidRequest);
  auto empty = AuthorizationClientId(Replacing(ValidParams(), "client_id", ""));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), ErrorCode::kInvalidRequest);
}

TEST(AuthorizationClientIdTest, RepeatedIsInvalidRequest) {
  auto repeated = AuthorizationClientId(With(ValidParams(), "client_id", "other"));
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code(), ErrorCode::kInvalidRequest);
}

TEST(AuthorizationRequestTest, RepeatedClientIdIsNeverRedirected) {
  EXPECT_TRUE(ShownOnErrorPage(Parse(With(ValidParams(), "client_id", "connected-app-test-public")),
                               ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, ClientIdOfAnotherClientIsNeverRedirected) {
  EXPECT_TRUE(
      ShownOnErrorPage(Parse(ValidParams(), ConfidentialClient()), ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, DisabledClientIsNeverRedirected) {
  Client client = PublicClient();
  client.status = ClientStatus::kDisabled;
  EXPECT_TRUE(ShownOnErrorPage(Parse(ValidParams(), client), ErrorCode::kInvalidClient));
}

// --- redirect_uri -------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, RepeatedRedirectUriIsNeverRedirected) {
  EXPECT_TRUE(
      ShownOnErrorPage(Parse(With(ValidParams(), "redirect_uri", "https://app.example.com/cb")),
                       ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, UnregisteredRedirectUriIsNeverRedirected) {
  for (const char* uri : {"https://evil.example/cb", "https://app.example.com.evil.com/cb",
                          "https://app.example.com/cb/../evil", "https://app.example.com/cb#x"}) {
    EXPECT_TRUE(ShownOnErrorPage(Parse(Replacing(ValidParams(), "redirect_uri", uri)),
                                 ErrorCode::kInvalidRequest))
        << uri;
  }
}

TEST(AuthorizationRequestTest, MalformedRedirectUriIsNeverRedirected) {
  for (const char* uri : {"not a uri", "/cb", "javascript:alert(1)", "https://[::1/cb"}) {
    EXPECT_TRUE(ShownOnErrorPage(Parse(Replacing(ValidParams(), "redirect_uri", uri)),
                                 ErrorCode::kInvalidRequest))
        << uri;
  }
}

TEST(AuthorizationRequestTest, RedirectUriRequiredWhenSeveralAreRegistered) {
  auto params = Replacing(Without(ValidParams(), "redirect_uri"), "scope", "profile");
  auto result = Parse(params);
  EXPECT_TRUE(ShownOnErrorPage(result, ErrorCode::kInvalidRequest));
  EXPECT_NE(result.error().error.description().find("several"), std::string::npos);
}

TEST(AuthorizationRequestTest, RedirectUriAlwaysRequiredWithOpenId) {
  Client client = PublicClient();
  client.redirect_uris = {"https://app.example.com/cb"};
  auto result = Parse(Without(ValidParams(), "redirect_uri"), client);
  EXPECT_TRUE(ShownOnErrorPage(result, ErrorCode::kInvalidRequest));
  EXPECT_NE(result.error().error.description().find("openid"), std::string::npos);
}

TEST(AuthorizationRequestTest, RedirectUriRequiredWithOpenIdEvenWhenScopeIsMalformed) {
  Client client = PublicClient();
  client.redirect_uris = {"https://app.example.com/cb"};
  auto params = Replacing(Without(ValidParams(), "redirect_uri"), "scope", "openid \"bad\"");
  EXPECT_TRUE(ShownOnErrorPage(Parse(params, client), ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, SoleRegisteredRedirectUriIsUsedWhenAbsentWithoutOpenId) {
  Client client = PublicClient();
  client.redirect_uris = {"https://app.example.com/cb"};
  auto params = Replacing(Without(ValidParams(), "redirect_uri"), "scope", "profile");
  auto result = Parse(params, client);
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->redirect_uri, "https://app.example.com/cb");
  EXPECT_FALSE(result->redirect_uri_sent);
}

TEST(AuthorizationRequestTest, ClientWithoutRedirectUrisIsNeverRedirected) {
  Client client = PublicClient();
  client.redirect_uris.clear();
  EXPECT_TRUE(ShownOnErrorPage(Parse(Without(ValidParams(), "redirect_uri"), client),
                               ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, LoopbackRedirectUriKeepsTheRequestedPort) {
  auto result = Parse(Replacing(ValidParams(), "redirect_uri", "http://127.0.0.1:53682/callback"));
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->redirect_uri, "http://127.0.0.1:53682/callback");
}

TEST(AuthorizationRequestTest, WebClientLoopbackRedirectUriOnAnotherPortIsNeverRedirected) {
  Client client = ConfidentialClient();
  client.application_type = ApplicationType::kWeb;
  client.redirect_uris = {"http://localhost:3000/callback"};
  auto params = Replacing(ValidParams(), "client_id", client.client_id);
  EXPECT_TRUE(
      ShownOnErrorPage(Parse(Replacing(params, "redirect_uri", "http://localhost:4444/callback"),
                             client, Environment::kTest),
                       ErrorCode::kInvalidRequest));
  auto same_port = Parse(Replacing(params, "redirect_uri", "http://localhost:3000/callback"),
                         client, Environment::kTest);
  ASSERT_TRUE(same_port) << same_port.error().error.description();
  EXPECT_EQ(same_port->redirect_uri, "http://localhost:3000/callback");
}

TEST(AuthorizationRequestTest, RedirectUriNotAllowedInThisEnvironmentIsNeverRedirected) {
  // Registered while the deployment was in test; no longer acceptable once it is live.
  Client client = ConfidentialClient();
  client.redirect_uris = {"http://localhost:3000/cb"};
  auto params = Replacing(Replacing(ValidParams(), "client_id", client.client_id), "redirect_uri",
                          "http://localhost:3000/cb");
  EXPECT_TRUE(
      ShownOnErrorPage(Parse(params, client, Environment::kLive), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(Parse(params, client, Environment::kTest));
}

// --- Parameter hygiene --------------------------------------------------------------------------

TEST(AuthorizationRequestTest, EmptyParameterIsTreatedAsAbsent) {
  auto result = Parse(Replacing(Replacing(ValidParams(), "state", ""), "nonce", ""));
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->state, std::nullopt);
  EXPECT_EQ(result->nonce, std::nullopt);

  // An empty duplicate is not a repetition.
  EXPECT_TRUE(Parse(With(ValidParams(), "scope", "")));
  // An empty redirect_uri falls back to the sole registered one, like an absent one.
  Client client = ConfidentialClient();
  auto params = Replacing(
      Replacing(Replacing(ValidParams(), "client_id", client.client_id), "redirect_uri", ""),
      "scope", "profile");
  auto fallback = Parse(params, client);
  ASSERT_TRUE(fallback) << fallback.error().error.description();
  EXPECT_FALSE(fallback->redirect_uri_sent);
  // An empty code_challenge counts as missing, which a public client may not do.
  EXPECT_TRUE(Redirected(
      Parse(Replacing(Without(ValidParams(), "code_challenge_method"), "code_challenge", "")),
      ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, UnknownParametersAreIgnored) {
  auto params = With(With(With(ValidParams(), "foo", "bar"), "foo", "baz"), "claims", "{");
  EXPECT_TRUE(Parse(params));
}

TEST(AuthorizationRequestTest, RepeatedParameterIsInvalidRequest) {
  for (const char* name :
       {"response_type", "response_mode", "scope", "nonce", "code_challenge",
        "code_challenge_method", "prompt", "max_age", "request", "request_uri"}) {
    auto params = With(With(ValidParams(), name, "a"), name, "b");
    EXPECT_TRUE(Redirected(Parse(params), ErrorCode::kInvalidRequest)) << name;
  }
}

TEST(AuthorizationRequestTest, RepeatedStateIsRedirectedWithoutState) {
  EXPECT_TRUE(Redirected(Parse(With(ValidParams(), "state", "other")), ErrorCode::kInvalidRequest,
                         std::nullopt));
}

TEST(AuthorizationRequestTest, RequestObjectIsNotSupported) {
  auto result = Parse(With(ValidParams(), "request", "eyJhbGciOiJub25lIn0.e30."));
  EXPECT_TRUE(Redirected(result, ErrorCode::kInvalidRequest));
  EXPECT_NE(result.error().error.description().find("request_not_supported"), std::string::npos);
}

TEST(AuthorizationRequestTest, RequestUriIsNotSupported) {
  auto result = Parse(With(ValidParams(), "request_uri", "https://app.example.com/request.jwt"));
  EXPECT_TRUE(Redirected(result, ErrorCode::kInvalidRequest));
  EXPECT_NE(result.error().error.description().find("request_uri_not_supported"),
            std::string::npos);
}

// --- response_type ------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, MissingResponseTypeIsInvalidRequest) {
  EXPECT_TRUE(
      Redirected(Parse(Without(ValidParams(), "response_type")), ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, ResponseTypeTokenIsUnsupported) {
  EXPECT_TRUE(Redirected(Parse(Replacing(ValidParams(), "response_type", "token")),
                         ErrorCode::kUnsupportedResponseType));
}

TEST(AuthorizationRequestTest, OnlyResponseTypeCodeIsServed) {
  for (const char* type : {"id_token", "code id_token", "code token", "none", "CODE", "code "}) {
    EXPECT_TRUE(Redirected(Parse(Replacing(ValidParams(), "response_type", type)),
                           ErrorCode::kUnsupportedResponseType))
        << type;
  }
}

TEST(AuthorizationRequestTest, OnlyResponseModeQueryIsServed) {
  EXPECT_TRUE(Parse(With(ValidParams(), "response_mode", "query")));
  for (const char* mode : {"fragment", "form_post", "jwt"}) {
    EXPECT_TRUE(
        Redirected(Parse(With(ValidParams(), "response_mode", mode)), ErrorCode::kInvalidRequest))
        << mode;
  }
}

// --- scope --------------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, ScopeSyntaxErrorIsInvalidScope) {
  EXPECT_TRUE(Redirected(Parse(Replacing(ValidParams(), "scope", "openid pro\"file")),
                         ErrorCode::kInvalidScope));
  EXPECT_TRUE(Redirected(Parse(Replacing(ValidParams(), "scope", "openid\tprofile")),
                         ErrorCode::kInvalidScope));
}

TEST(AuthorizationRequestTest, FullAccessRequiresAFirstPartyClientThatAllowsIt) {
  auto params = Replacing(ValidParams(), "scope", "openid full_access");
  Client third_party = PublicClient();
  third_party.full_access_allowed = true;  // not honoured for third parties
  EXPECT_TRUE(Redirected(Parse(params, third_party), ErrorCode::kInvalidScope));

  Client first_party = PublicClient();
  first_party.client_type = ClientType::kFirstPartyPublic;
  EXPECT_TRUE(Redirected(Parse(params, first_party), ErrorCode::kInvalidScope));
  first_party.full_access_allowed = true;
  EXPECT_TRUE(Parse(params, first_party));
}

// --- PKCE ---------------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, PublicClientWithoutCodeChallengeIsRefused) {
  auto params = Without(Without(ValidParams(), "code_challenge"), "code_challenge_method");
  auto result = Parse(params);
  EXPECT_TRUE(Redirected(result, ErrorCode::kInvalidRequest));
  EXPECT_NE(result.error().error.description().find("code_challenge required"), std::string::npos);
}

TEST(AuthorizationRequestTest, PlainCodeChallengeMethodIsRefused) {
  EXPECT_TRUE(Redirected(Parse(Replacing(ValidParams(), "code_challenge_method", "plain")),
                         ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, ConfidentialClientMayOmitPkce) {
  Client client = ConfidentialClient();
  auto params =
      Replacing(Without(Without(ValidParams(), "code_challenge"), "code_challenge_method"),
                "client_id", client.client_id);
  auto result = Parse(params, client);
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->code_challenge, std::nullopt);
}

TEST(AuthorizationRequestTest, ConfidentialClientPkceIsCheckedWhenSent) {
  Client client = ConfidentialClient();
  auto params = Replacing(ValidParams(), "client_id", client.client_id);
  EXPECT_TRUE(Parse(params, client));
  EXPECT_TRUE(Redirected(Parse(Replacing(params, "code_challenge", "short"), client),
                         ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, DescribingConsentNeedsNoCodeChallengeStateOrNonce) {
  // The headless start step: the challenge comes with the submit that issues the code.
  auto params = Without(
      Without(Without(Without(ValidParams(), "code_challenge"), "code_challenge_method"), "state"),
      "nonce");
  auto result = ParseAuthorizationRequest(params, PublicClient(), Environment::kLive,
                                          AuthorizationPurpose::kDescribeConsent);
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->code_challenge, std::nullopt);
  EXPECT_EQ(result->state, std::nullopt);
  // Issuing a code from the same parameters still requires it.
  EXPECT_TRUE(Redirected(ParseAuthorizationRequest(params, PublicClient(), Environment::kLive,
                                                   AuthorizationPurpose::kIssueCode),
                         ErrorCode::kInvalidRequest, std::nullopt));
}

TEST(AuthorizationRequestTest, DescribingConsentStillChecksAChallengeThatIsSent) {
  for (const auto& params : {Replacing(ValidParams(), "code_challenge_method", "plain"),
                             Replacing(ValidParams(), "code_challenge", "short"),
                             Without(ValidParams(), "code_challenge_method")}) {
    EXPECT_TRUE(Redirected(ParseAuthorizationRequest(params, PublicClient(), Environment::kLive,
                                                     AuthorizationPurpose::kDescribeConsent),
                           ErrorCode::kInvalidRequest));
  }
  auto sent = ParseAuthorizationRequest(ValidParams(), PublicClient(), Environment::kLive,
                                        AuthorizationPurpose::kDescribeConsent);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->code_challenge, kChallenge);
}

// --- resource -----------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, ResourcesMayRepeatAndAreDeduplicated) {
  auto params = With(With(With(ValidParams(), "resource", "https://api.example.com"), "resource",
                          "https://mcp.example.com/mcp"),
                     "resource", "https://api.example.com");
  auto result = Parse(params);
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->resources,
            (std::vector<std::string>{"https://api.example.com", "https://mcp.example.com/mcp"}));
}

TEST(AuthorizationRequestTest, InvalidResourceIsInvalidTarget) {
  EXPECT_TRUE(
      Redirected(Parse(With(ValidParams(), "resource", "/api")), ErrorCode::kInvalidTarget));
  EXPECT_TRUE(Redirected(Parse(With(ValidParams(), "resource", "https://api.example.com#x")),
                         ErrorCode::kInvalidTarget));
}

// --- prompt and max_age -------------------------------------------------------------------------

TEST(AuthorizationRequestTest, PromptValuesAreParsed) {
  auto result = Parse(With(ValidParams(), "prompt", "login consent select_account"));
  ASSERT_TRUE(result) << result.error().error.description();
  EXPECT_EQ(result->prompt, (Prompt{.login = true, .consent = true, .select_account = true}));
  auto none = Parse(With(ValidParams(), "prompt", "none"));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->prompt, Prompt{.none = true});
}

TEST(AuthorizationRequestTest, PromptNoneWithOtherValuesIsInvalidRequest) {
  for (const char* prompt : {"none login", "consent none", "none select_account"}) {
    EXPECT_TRUE(
        Redirected(Parse(With(ValidParams(), "prompt", prompt)), ErrorCode::kInvalidRequest))
        << prompt;
  }
}

TEST(AuthorizationRequestTest, UnknownPromptValueIsInvalidRequest) {
  EXPECT_TRUE(Redirected(Parse(With(ValidParams(), "prompt", "login sometimes")),
                         ErrorCode::kInvalidRequest));
  EXPECT_TRUE(
      Redirected(Parse(With(ValidParams(), "prompt", "LOGIN")), ErrorCode::kInvalidRequest));
}

TEST(AuthorizationRequestTest, MaxAgeIsANonNegativeInteger) {
  auto result = Parse(With(ValidParams(), "max_age", "3600"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->max_age, 3600);
  auto zero = Parse(With(ValidParams(), "max_age", "0"));
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->max_age, 0);
}

TEST(AuthorizationRequestTest, HugeMaxAgeSaturates) {
  auto result = Parse(With(ValidParams(), "max_age", "99999999999999999999999999"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->max_age, std::numeric_limits<int64_t>::max());
}

TEST(AuthorizationRequestTest, MalformedMaxAgeIsInvalidRequest) {
  for (const char* max_age : {"-1", "abc", "1.5", "+5", " 5", "5 ", "0x10", "1e3"}) {
    EXPECT_TRUE(
        Redirected(Parse(With(ValidParams(), "max_age", max_age)), ErrorCode::kInvalidRequest))
        << max_age;
  }
}

// --- Hints --------------------------------------------------------------------------------------

TEST(AuthorizationRequestTest, HintParametersNeverCauseErrors) {
  auto params = ValidParams();
  for (const char* name :
       {"display", "ui_locales", "claims_locales", "acr_values", "login_hint", "id_token_hint"}) {
    params = With(With(std::move(params), name, "\"weird\" \\ value\x01"), name, "second");
  }
  params = With(std::move(params), "display", "popup-that-does-not-exist");
  EXPECT_TRUE(Parse(params));
}

TEST(AuthorizationRequestTest, HintParametersAreKept) {
  auto params = ValidParams();
  params = With(std::move(params), "login_hint", "ada@example.com");
  params = With(std::move(params), "ui_locales", "fr-CA fr en");
  params = With(std::move(params), "claims_locales", "fr");
  params = With(std::move(params), "acr_values", "urn:mace:incommon:iap:silver");
  params = With(std::move(params), "display", "page");
  params = With(std::move(params), "id_token_hint", "eyJ.eyJ.sig");
  auto result = Parse(params);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->login_hint, "ada@example.com");
  EXPECT_EQ(result->ui_locales, "fr-CA fr en");
  EXPECT_EQ(result->claims_locales, "fr");
  EXPECT_EQ(result->acr_values, "urn:mace:incommon:iap:silver");
  EXPECT_EQ(result->display, "page");
  EXPECT_EQ(result->id_token_hint, "eyJ.eyJ.sig");
}

TEST(AuthorizationRequestTest, RepeatedHintIsDropped) {
  auto result = Parse(
      With(With(ValidParams(), "login_hint", "a@example.com"), "login_hint", "b@example.com"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->login_hint, std::nullopt);
}

// --- Redirected errors --------------------------------------------------------------------------

TEST(AuthorizationRequestTest, StateIsEchoedInEveryRedirectedError) {
  const AuthorizationParams failing[] = {
      With(ValidParams(), "nonce", "again"),
      With(ValidParams(), "request", "x"),
      Without(ValidParams(), "response_type"),
      Replacing(ValidParams(), "response_type", "token"),
      Replacing(ValidParams(), "scope", "\\"),
      Replacing(ValidParams(), "code_challenge_method", "plain"),
      With(ValidParams(), "resource", "relative"),
      With(ValidParams(), "prompt", "none login"),
      With(ValidParams(), "max_age", "-5"),
  };
  for (const auto& params : failing) {
    auto result = Parse(params);
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().redirectable) << result.error().error.description();
    EXPECT_EQ(result.error().state, "xyz") << result.error().error.description();
  }
}

TEST(AuthorizationRequestTest, RedirectedErrorGoesToTheResolvedRedirectUri) {
  auto params =
      Replacing(Replacing(ValidParams(), "redirect_uri", "http://127.0.0.1:4242/callback"),
                "response_type", "token");
  auto result = Parse(params);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().redirect_uri, "http://127.0.0.1:4242/callback");
}

TEST(AuthorizationRequestTest, RedirectedErrorWithoutStateCarriesNone) {
  EXPECT_TRUE(
      Redirected(Parse(Replacing(Without(ValidParams(), "state"), "response_type", "token")),
                 ErrorCode::kUnsupportedResponseType, std::nullopt));
}

}  // namespace
}  // namespace gatehouse::core
