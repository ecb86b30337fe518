#include "core/consent.h"

#include <gtest/gtest.h>

#include <limits>

namespace gatehouse::core {
namespace {

ScopeSet Scopes(std::string_view text) { return *ScopeSet::Parse(text); }

const ScopeSet kOpenIdProfile = Scopes("openid profile");
const ScopeSet kWithOffline = Scopes("openid profile offline_access");

ConsentInput ThirdParty(const ScopeSet& requested) {
  return ConsentInput{.client_type = ClientType::kThirdParty,
                      .client_skips_consent = false,
                      .bypass_consent_for_offline_access = false,
                      .requested = requested,
                      .previously_granted = std::nullopt,
                      .prompt_consent = false};
}

ConsentInput FirstPartySkipping(const ScopeSet& requested) {
  ConsentInput input = ThirdParty(requested);
  input.client_type = ClientType::kFirstParty;
  input.client_skips_consent = true;
  return input;
}

// --- Consent ------------------------------------------------------------------------------------

TEST(ConsentTest, ThirdPartyRequiresConsentTheFirstTime) {
  EXPECT_EQ(DecideConsent(ThirdParty(kOpenIdProfile)), ConsentDecision::kRequired);
  ConsentInput public_client = ThirdParty(kOpenIdProfile);
  public_client.client_type = ClientType::kThirdPartyPublic;
  EXPECT_EQ(DecideConsent(public_client), ConsentDecision::kRequired);
  EXPECT_EQ(DecideConsent(ThirdParty(ScopeSet())), ConsentDecision::kRequired);
}

TEST(ConsentTest, ThirdPartyCannotSkipConsent) {
  ConsentInput input = ThirdParty(kOpenIdProfile);
  input.client_skips_consent = true;
  input.bypass_consent_for_offline_access = true;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kRequired);
}

TEST(ConsentTest, RememberedConsentCoversTheSameScopes) {
  ConsentInput input = ThirdParty(kOpenIdProfile);
  input.previously_granted = kOpenIdProfile;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kNotRequired);
}

TEST(ConsentTest, RememberedConsentCoversFewerScopes) {
  const ScopeSet requested = Scopes("openid");
  ConsentInput input = ThirdParty(requested);
  input.previously_granted = kWithOffline;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kNotRequired);
}

TEST(ConsentTest, AskedAgainWhenRequestedScopesGrowBeyondTheGrant) {
  ConsentInput input = ThirdParty(kWithOffline);
  input.previously_granted = kOpenIdProfile;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kRequired);
}

TEST(ConsentTest, PromptConsentAlwaysAsks) {
  ConsentInput remembered = ThirdParty(kOpenIdProfile);
  remembered.previously_granted = kOpenIdProfile;
  remembered.prompt_consent = true;
  EXPECT_EQ(DecideConsent(remembered), ConsentDecision::kRequired);

  ConsentInput first_party = FirstPartySkipping(kOpenIdProfile);
  first_party.prompt_consent = true;
  EXPECT_EQ(DecideConsent(first_party), ConsentDecision::kRequired);
}

TEST(ConsentTest, FirstPartySkipsConsent) {
  EXPECT_EQ(DecideConsent(FirstPartySkipping(kOpenIdProfile)), ConsentDecision::kNotRequired);
  ConsentInput public_client = FirstPartySkipping(kOpenIdProfile);
  public_client.client_type = ClientType::kFirstPartyPublic;
  EXPECT_EQ(DecideConsent(public_client), ConsentDecision::kNotRequired);
}

TEST(ConsentTest, FirstPartyOfflineAccessRequiresConsentWithoutBypass) {
  EXPECT_EQ(DecideConsent(FirstPartySkipping(kWithOffline)), ConsentDecision::kRequired);
}

TEST(ConsentTest, FirstPartyOfflineAccessWithBypassSkipsConsent) {
  ConsentInput input = FirstPartySkipping(kWithOffline);
  input.bypass_consent_for_offline_access = true;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kNotRequired);
}

TEST(ConsentTest, FirstPartyOfflineAccessHonoursRememberedConsent) {
  ConsentInput input = FirstPartySkipping(kWithOffline);
  input.previously_granted = kWithOffline;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kNotRequired);
  input.previously_granted = kOpenIdProfile;  // never granted offline_access
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kRequired);
}

TEST(ConsentTest, FirstPartyThatDoesNotSkipBehavesLikeThirdParty) {
  ConsentInput input = FirstPartySkipping(kOpenIdProfile);
  input.client_skips_consent = false;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kRequired);
  input.previously_granted = kOpenIdProfile;
  EXPECT_EQ(DecideConsent(input), ConsentDecision::kNotRequired);
}

// --- Login --------------------------------------------------------------------------------------

constexpr int64_t kNow = 1'700'000'000;

TEST(LoginTest, NoSessionRequiresLogin) {
  EXPECT_EQ(DecideLogin(false, 0, kNow, false, std::nullopt), LoginDecision::kLoginRequired);
}

TEST(LoginTest, ExistingSessionIsUsed) {
  EXPECT_EQ(DecideLogin(true, kNow - 86'400, kNow, false, std::nullopt),
            LoginDecision::kUseSession);
}

TEST(LoginTest, PromptLoginReauthenticates) {
  EXPECT_EQ(DecideLogin(true, kNow, kNow, true, std::nullopt), LoginDecision::kLoginRequired);
}

TEST(LoginTest, SessionWithinMaxAgeIsUsed) {
  EXPECT_EQ(DecideLogin(true, kNow - 60, kNow, false, 60), LoginDecision::kUseSession);
  EXPECT_EQ(DecideLogin(true, kNow - 59, kNow, false, 60), LoginDecision::kUseSession);
}

TEST(LoginTest, MaxAgeExceededForcesReauthentication) {
  EXPECT_EQ(DecideLogin(true, kNow - 61, kNow, false, 60), LoginDecision::kLoginRequired);
}

TEST(LoginTest, MaxAgeZeroForcesReauthentication) {
  EXPECT_EQ(DecideLogin(true, kNow, kNow, false, 0), LoginDecision::kLoginRequired);
}

TEST(LoginTest, AuthTimeInTheFutureCountsAsFresh) {
  EXPECT_EQ(DecideLogin(true, kNow + 5, kNow, false, 1), LoginDecision::kUseSession);
}

TEST(LoginTest, ExtremeTimesDoNotOverflow) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(DecideLogin(true, kMin, kMax, false, kMax), LoginDecision::kLoginRequired);
  EXPECT_EQ(DecideLogin(true, kNow - 1, kNow, false, kMax), LoginDecision::kUseSession);
}

// --- prompt=none --------------------------------------------------------------------------------

TEST(PromptNoneTest, NoErrorWhenNoInteractionIsNeeded) {
  EXPECT_EQ(PromptNoneError(LoginDecision::kUseSession, ConsentDecision::kNotRequired),
            std::nullopt);
}

TEST(PromptNoneTest, LoginNeededIsLoginRequired) {
  auto error = PromptNoneError(LoginDecision::kLoginRequired, ConsentDecision::kNotRequired);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::kLoginRequired);
}

TEST(PromptNoneTest, ConsentNeededIsConsentRequired) {
  auto error = PromptNoneError(LoginDecision::kUseSession, ConsentDecision::kRequired);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::kConsentRequired);
}

TEST(PromptNoneTest, LoginRequiredTakesPrecedence) {
  auto error = PromptNoneError(LoginDecision::kLoginRequired, ConsentDecision::kRequired);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::kLoginRequired);
}

}  // namespace
}  // namespace gatehouse::core
