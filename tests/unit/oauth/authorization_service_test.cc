// AuthorizationService: validation, login and consent decisions, and completion to a redirect
// carrying code/error, state and iss (CHECKLIST "Authorization endpoint" lines not already covered
// by the core suites).

#include "oauth/authorization_service.h"

#include <gtest/gtest.h>

#include "flow_test_support.h"
#include "store/authorization_code_repository.h"
#include "store/consent_repository.h"
#include "store/grant_repository.h"

namespace gatehouse::oauth {
namespace {

using core::ClientType;
using testing::QueryParam;

class AuthorizationServiceTest : public testing::FlowTest {
 protected:
  AuthorizationServiceTest() {
    AddClient("third", ClientType::kThirdParty);
    AddClient("public", ClientType::kThirdPartyPublic);
    AddClient("first", ClientType::kFirstParty);
  }
};

TEST_F(AuthorizationServiceTest, UnknownClientIsAnErrorPageNeverARedirect) {
  auto v = service_.Validate(Params("nobody"));
  ASSERT_FALSE(v);
  EXPECT_FALSE(v.error().redirectable);
  EXPECT_EQ(v.error().error.code(), core::ErrorCode::kInvalidClient);
}

TEST_F(AuthorizationServiceTest, MissingClientIdIsAnErrorPage) {
  auto params = Params("third");
  params.erase(params.begin());
  auto v = service_.Validate(params);
  ASSERT_FALSE(v);
  EXPECT_FALSE(v.error().redirectable);
}

TEST_F(AuthorizationServiceTest, UnregisteredRedirectUriIsAnErrorPage) {
  auto params = Params("third");
  params[1].second = "https://evil.example.com/cb";
  auto v = service_.Validate(params);
  ASSERT_FALSE(v);
  EXPECT_FALSE(v.error().redirectable);
}

TEST_F(AuthorizationServiceTest, SuccessRedirectCarriesCodeStateAndIss) {
  auto response = Authorize(Params("third"));
  ASSERT_TRUE(response.code);
  EXPECT_EQ(response.redirect_uri.rfind("https://app.example.com/cb?", 0), 0u);
  EXPECT_EQ(QueryParam(response.redirect_uri, "code"), *response.code);
  EXPECT_EQ(QueryParam(response.redirect_uri, "state"), "st-1");
  EXPECT_EQ(QueryParam(response.redirect_uri, "iss"), testing::kIssuer);
}

TEST_F(AuthorizationServiceTest, RedirectableErrorsCarryStateAndIss) {
  auto params = Params("third");
  params[2].second = "token";
  auto v = service_.Validate(params);
  ASSERT_FALSE(v);
  ASSERT_TRUE(v.error().redirectable);
  const std::string uri = service_.ErrorRedirect(v.error());
  EXPECT_EQ(QueryParam(uri, "error"), "unsupported_response_type");
  EXPECT_EQ(QueryParam(uri, "state"), "st-1");
  EXPECT_EQ(QueryParam(uri, "iss"), testing::kIssuer);
}

TEST_F(AuthorizationServiceTest, PublicClientWithoutPkceGetsInvalidRequestRedirect) {
  auto params = Params("public");
  params.resize(6);  // drop code_challenge and its method
  auto v = service_.Validate(params);
  ASSERT_FALSE(v);
  EXPECT_TRUE(v.error().redirectable);
  EXPECT_EQ(v.error().error.code(), core::ErrorCode::kInvalidRequest);
}

TEST_F(AuthorizationServiceTest, DescribingConsentForAPublicClientNeedsNoPkce) {
  auto params = Params("public");
  params.resize(6);  // drop code_challenge and its method
  auto v = service_.Validate(params, core::AuthorizationPurpose::kDescribeConsent);
  ASSERT_TRUE(v) << v.error().error.description();
  EXPECT_TRUE(service_.DescribeConsent(*v, User()).consent_required());
  EXPECT_FALSE(service_.Validate(params, core::AuthorizationPurpose::kIssueCode));
}

TEST_F(AuthorizationServiceTest, DeniedConsentRedirectsAccessDeniedWithStateAndIss) {
  auto response = Authorize(Params("third"), "user-1", /*consent_granted=*/false);
  EXPECT_FALSE(response.code);
  EXPECT_EQ(QueryParam(response.redirect_uri, "error"), "access_denied");
  EXPECT_EQ(QueryParam(response.redirect_uri, "state"), "st-1");
  EXPECT_EQ(QueryParam(response.redirect_uri, "iss"), testing::kIssuer);
}

TEST_F(AuthorizationServiceTest, ThirdPartyConsentIsRememberedAndAskedAgainWhenScopesGrow) {
  auto v = service_.Validate(Params("third", "openid email"));
  ASSERT_TRUE(v);
  EXPECT_TRUE(service_.DescribeConsent(*v, User()).consent_required());
  ASSERT_TRUE(Authorize(Params("third", "openid email")).code);
  EXPECT_FALSE(service_.DescribeConsent(*v, User()).consent_required());
  EXPECT_EQ(store::ConsentRepository(db()).Find("user-1", "third"), "email openid");

  auto narrower = service_.Validate(Params("third", "openid"));
  EXPECT_FALSE(service_.DescribeConsent(*narrower, User()).consent_required());
  auto wider = service_.Validate(Params("third", "openid email phone"));
  EXPECT_TRUE(service_.DescribeConsent(*wider, User()).consent_required());
  ASSERT_TRUE(Authorize(Params("third", "openid phone")).code);
  EXPECT_EQ(store::ConsentRepository(db()).Find("user-1", "third"), "email openid phone");
}

TEST_F(AuthorizationServiceTest, PromptConsentAlwaysAsks) {
  ASSERT_TRUE(Authorize(Params("third", "openid")).code);
  auto params = Params("third", "openid");
  params.emplace_back("prompt", "consent");
  auto v = service_.Validate(params);
  ASSERT_TRUE(v);
  EXPECT_TRUE(service_.DescribeConsent(*v, User()).consent_required());
}

TEST_F(AuthorizationServiceTest, PromptNoneNeverAsksAndAnswersConsentRequired) {
  auto params = Params("third", "openid");
  params.emplace_back("prompt", "none");
  auto response = Authorize(params, "user-1", /*consent_granted=*/true);
  EXPECT_FALSE(response.code);
  EXPECT_EQ(QueryParam(response.redirect_uri, "error"), "consent_required");
  EXPECT_EQ(QueryParam(response.redirect_uri, "state"), "st-1");
  EXPECT_EQ(QueryParam(response.redirect_uri, "iss"), testing::kIssuer);
}

TEST_F(AuthorizationServiceTest, PromptNoneWithoutSessionIsLoginRequired) {
  auto params = Params("third", "openid");
  params.emplace_back("prompt", "none");
  auto v = service_.Validate(params);
  ASSERT_TRUE(v);
  const core::LoginDecision login = service_.DecideLogin(*v, nullptr);
  EXPECT_EQ(login, core::LoginDecision::kLoginRequired);
  auto error = core::PromptNoneError(login, core::ConsentDecision::kNotRequired);
  ASSERT_TRUE(error);
  auto response = service_.Reject(*v, *error);
  EXPECT_EQ(QueryParam(response.redirect_uri, "error"), "login_required");
  EXPECT_EQ(QueryParam(response.redirect_uri, "iss"), testing::kIssuer);
}

TEST_F(AuthorizationServiceTest, MaxAgeAndPromptLoginForceReauthentication) {
  core::Session session{.session_id = "s",
                        .user_id = "user-1",
                        .authenticated_at = clock_.NowSeconds() - 100,
                        .expires_at = clock_.NowSeconds() + 1000,
                        .authentication_method = "password"};
  auto plain = service_.Validate(Params("third"));
  EXPECT_EQ(service_.DecideLogin(*plain, &session), core::LoginDecision::kUseSession);
  auto params = Params("third");
  params.emplace_back("max_age", "60");
  auto aged = service_.Validate(params);
  EXPECT_EQ(service_.DecideLogin(*aged, &session), core::LoginDecision::kLoginRequired);
  auto login_params = Params("third");
  login_params.emplace_back("prompt", "login");
  auto login = service_.Validate(login_params);
  EXPECT_EQ(service_.DecideLogin(*login, &session), core::LoginDecision::kLoginRequired);
}

TEST_F(AuthorizationServiceTest, IgnoredParametersNeverCauseErrors) {
  auto params = Params("third");
  for (const char* name : {"display", "ui_locales", "claims_locales", "acr_values", "login_hint",
                           "id_token_hint", "unknown_thing"}) {
    params.emplace_back(name, "x y");
  }
  EXPECT_TRUE(Authorize(params).code);
}

TEST_F(AuthorizationServiceTest, FirstPartyClientSkipsConsent) {
  auto v = service_.Validate(Params("first", "openid email"));
  ASSERT_TRUE(v);
  EXPECT_FALSE(service_.DescribeConsent(*v, User()).consent_required());
  auto response = service_.Complete(*v, {.user = User(), .auth_time = 1}, false);
  EXPECT_TRUE(response.code);
}

TEST_F(AuthorizationServiceTest, ScopeResultsListEveryScopeWithDescription) {
  auto v = service_.Validate(Params("third", "openid email custom:read"));
  ASSERT_TRUE(v);
  const ConsentView view = service_.DescribeConsent(*v, User());
  ASSERT_EQ(view.scope_results.size(), 3u);
  for (const ScopeResult& r : view.scope_results) {
    EXPECT_FALSE(r.description.empty()) << r.scope;
    EXPECT_TRUE(r.is_grantable);
  }
  EXPECT_EQ(view.scope_results[0].scope, "custom:read");
}

class NoEmailPolicy final : public accounts::ScopePolicy {
 public:
  std::string Describe(std::string_view scope) const override { return std::string(scope); }
  bool IsGrantable(const core::User&, std::string_view scope) const override {
    return scope != "email";
  }
};

TEST_F(AuthorizationServiceTest, TheGrantHoldsOnlyGrantableScopes) {
  NoEmailPolicy policy;
  AuthorizationService service(settings_, clients_, db(), clock_, random_, &policy);
  auto v = service.Validate(Params("third", "openid email"));
  ASSERT_TRUE(v);
  EXPECT_FALSE(service.DescribeConsent(*v, User()).scope_results[0].is_grantable);
  auto response = service.Complete(*v, {.user = User(), .auth_time = 1}, true);
  ASSERT_TRUE(response.code);
  auto code = store::AuthorizationCodeRepository(db()).Get(crypto::Sha256Hex(*response.code));
  ASSERT_TRUE(code);
  EXPECT_EQ(store::GrantRepository(db()).Get(code->grant_id)->scope, "openid");
}

TEST_F(AuthorizationServiceTest, DisabledUserIsDenied) {
  AddUser("user-off", "disabled");
  auto response = Authorize(Params("third"), "user-off");
  EXPECT_FALSE(response.code);
  EXPECT_EQ(QueryParam(response.redirect_uri, "error"), "access_denied");
}

TEST_F(AuthorizationServiceTest, CodeHas256BitsAndIsStoredOnlyAsItsHash) {
  const std::string code = AuthorizeCode("public");
  EXPECT_EQ(code.size(), 43u);  // 32 random bytes, base64url
  store::AuthorizationCodeRepository codes(db());
  EXPECT_FALSE(codes.Get(code));
  auto stored = codes.Get(crypto::Sha256Hex(code));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->client_id, "public");
  EXPECT_EQ(stored->redirect_uri, "https://app.example.com/cb");
  EXPECT_TRUE(stored->redirect_uri_sent);
  EXPECT_EQ(stored->code_challenge, testing::S256Challenge(testing::kVerifier));
  EXPECT_EQ(stored->nonce, "n-1");
  EXPECT_EQ(stored->expires_at, clock_.NowSeconds() + 60);
}

TEST_F(AuthorizationServiceTest, ResourcesAreBoundIntoTheGrant) {
  auto params = Params("third");
  params.emplace_back("resource", "https://api.example.com/");
  params.emplace_back("resource", "https://other.example.com/");
  auto response = Authorize(params);
  ASSERT_TRUE(response.code);
  auto code = store::AuthorizationCodeRepository(db()).Get(crypto::Sha256Hex(*response.code));
  EXPECT_EQ(store::GrantRepository(db()).Get(code->grant_id)->resources_json,
            R"(["https://api.example.com/","https://other.example.com/"])");

  auto bad = Params("third");
  bad.emplace_back("resource", "https://api.example.com/#frag");
  auto v = service_.Validate(bad);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().error.code(), core::ErrorCode::kInvalidTarget);
  EXPECT_EQ(QueryParam(service_.ErrorRedirect(v.error()), "iss"), testing::kIssuer);
}

TEST_F(AuthorizationServiceTest, MetadataDocumentClientIsRecordedSoItsGrantCanReferenceIt) {
  const std::string id = "https://mcp.example.com/client.json";
  clients_.Add(core::Client{.client_id = id,
                            .client_type = ClientType::kThirdPartyPublic,
                            .creation_method = core::CreationMethod::kClientIdMetadataDocument,
                            .client_name = "MCP client",
                            .redirect_uris = {"https://app.example.com/cb"},
                            .client_id_metadata_url = id},
               "");
  auto response = Authorize(Params(id));
  ASSERT_TRUE(response.code);
  auto code = store::AuthorizationCodeRepository(db()).Get(crypto::Sha256Hex(*response.code));
  EXPECT_EQ(store::GrantRepository(db()).Get(code->grant_id)->client_id, id);
  // A second authorization finds the row and leaves it alone.
  EXPECT_TRUE(Authorize(Params(id, "openid")).code);
}

}  // namespace
}  // namespace gatehouse::oauth
