#include "core/redirect_uri_policy.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::core {
namespace {

constexpr ClientType kConfidential = ClientType::kThirdParty;
constexpr ClientType kPublic = ClientType::kThirdPartyPublic;
constexpr ApplicationType kWeb = ApplicationType::kWeb;
constexpr ApplicationType kNative = ApplicationType::kNative;
constexpr Environment kTest = Environment::kTest;
constexpr Environment kLive = Environment::kLive;

// Every registration refusal uses one code; tests assert it through these helpers.
::testing::AssertionResult Refused(std::string_view uri, ClientType type, Environment environment,
                                   ApplicationType application_type) {
  auto result = ValidateRedirectUriForRegistration(uri, type, environment, application_type);
  if (result) return ::testing::AssertionFailure() << uri << " was accepted";
  if (result.error().code() != ErrorCode::kInvalidRedirectUri) {
    return ::testing::AssertionFailure() << uri << " refused with " << result.error().name();
  }
  if (result.error().description().empty()) {
    return ::testing::AssertionFailure() << uri << " refused without a description";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Accepted(std::string_view uri, ClientType type, Environment environment,
                                    ApplicationType application_type) {
  auto result = ValidateRedirectUriForRegistration(uri, type, environment, application_type);
  if (!result) {
    return ::testing::AssertionFailure() << uri << " refused: " << result.error().description();
  }
  return ::testing::AssertionSuccess();
}

// Refused for every client type, environment and application type.
::testing::AssertionResult RefusedForEveryone(std::string_view uri) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kFirstPartyPublic,
                          ClientType::kThirdParty, ClientType::kThirdPartyPublic}) {
    for (Environment environment : {kTest, kLive}) {
      for (ApplicationType application_type : {kWeb, kNative}) {
        if (auto r = Refused(uri, type, environment, application_type); !r) return r;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// --- Registration -------------------------------------------------------------------------------

TEST(RedirectUriRegistrationTest, HttpsIsAllowedForEveryClientTypeAndEnvironment) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kFirstPartyPublic,
                          ClientType::kThirdParty, ClientType::kThirdPartyPublic}) {
    for (Environment environment : {kTest, kLive}) {
      EXPECT_TRUE(Accepted("https://app.example.com/cb", type, environment, kWeb));
      EXPECT_TRUE(Accepted("https://app.example.com:8443/cb?tenant=a", type, environment, kNative));
    }
  }
}

TEST(RedirectUriRegistrationTest, MustBeAbsolute) {
  EXPECT_TRUE(RefusedForEveryone("/cb"));
  EXPECT_TRUE(RefusedForEveryone("//app.example.com/cb"));
  EXPECT_TRUE(RefusedForEveryone("app.example.com/cb"));
  EXPECT_TRUE(RefusedForEveryone(""));
}

TEST(RedirectUriRegistrationTest, MustBeWellFormed) {
  EXPECT_TRUE(RefusedForEveryone("https://app.example.com/c b"));
  EXPECT_TRUE(RefusedForEveryone("https://app.example.com/cb\n"));
  EXPECT_TRUE(RefusedForEveryone("https://[::1/cb"));
  EXPECT_TRUE(RefusedForEveryone("https://app.example.com/%zz"));
}

TEST(RedirectUriRegistrationTest, IsLimitedInLength) {
  const std::string prefix = "https://app.example.com/";
  std::string longest = prefix + std::string(kMaxRedirectUriLength - prefix.size(), 'a');
  EXPECT_TRUE(Accepted(longest, kConfidential, kLive, kWeb));
  EXPECT_TRUE(RefusedForEveryone(longest + "a"));
}

TEST(RedirectUriRegistrationTest, MustNotContainAFragment) {
  EXPECT_TRUE(RefusedForEveryone("https://app.example.com/cb#section"));
  EXPECT_TRUE(RefusedForEveryone("https://app.example.com/cb#"));
  EXPECT_TRUE(RefusedForEveryone("http://127.0.0.1/cb#x"));
}

TEST(RedirectUriRegistrationTest, MustNotContainUserinfo) {
  EXPECT_TRUE(RefusedForEveryone("https://user:pass@app.example.com/cb"));
  EXPECT_TRUE(RefusedForEveryone("https://app.example.com@evil.example/cb"));
  EXPECT_TRUE(RefusedForEveryone("https://@app.example.com/cb"));
  EXPECT_TRUE(RefusedForEveryone("http://user@127.0.0.1/cb"));
}

TEST(RedirectUriRegistrationTest, MustNotContainWildcardsInTheHost) {
  EXPECT_TRUE(RefusedForEveryone("https://*.example.com/cb"));
  EXPECT_TRUE(RefusedForEveryone("https://app.*.com/cb"));
  EXPECT_TRUE(RefusedForEveryone("https://*/cb"));
  EXPECT_TRUE(RefusedForEveryone("https://app%2A.example.com/cb"));
}

TEST(RedirectUriRegistrationTest, HostMustNotBePercentEncoded) {
  EXPECT_TRUE(RefusedForEveryone("https://app%2Eexample.com/cb"));
  EXPECT_TRUE(RefusedForEveryone("http://local%68ost/cb"));
}

TEST(RedirectUriRegistrationTest, RefusesDangerousSchemes) {
  for (const char* uri : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi",
                          "file:///etc/passwd", "vbscript:msgbox", "blob:https://a.example/x",
                          "about:blank", "view-source:https://app.example.com/"}) {
    EXPECT_TRUE(RefusedForEveryone(uri)) << uri;
  }
  auto result = ValidateRedirectUriForRegistration("javascript:alert(1)", kPublic, kTest, kNative);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().description().find("javascript"), std::string::npos);
}

TEST(RedirectUriRegistrationTest, RefusesOtherSchemesThatAreNotPrivateUse) {
  for (const char* uri : {"ftp://files.example.com/cb", "mailto:me@example.com", "myapp:/cb",
                          "ws://127.0.0.1/cb", "urn:example:cb"}) {
    EXPECT_TRUE(RefusedForEveryone(uri)) << uri;
  }
}

TEST(RedirectUriRegistrationTest, HttpsRequiresAHost) {
  EXPECT_TRUE(RefusedForEveryone("https:/cb"));
  EXPECT_TRUE(RefusedForEveryone("https:///cb"));
  EXPECT_TRUE(RefusedForEveryone("https:cb"));
}

TEST(RedirectUriRegistrationTest, HttpOnlyForLoopbackHosts) {
  for (const char* uri :
       {"http://app.example.com/cb", "http://127.0.0.2/cb", "http://127.1/cb",
        "http://[0:0:0:0:0:0:0:1]/cb", "http://localhost.evil.example/cb", "http://localhost./cb",
        "http://127.0.0.1.evil.example/cb", "http://10.0.0.1/cb", "http:/cb", "http:///cb"}) {
    EXPECT_TRUE(RefusedForEveryone(uri)) << uri;
  }
}

TEST(RedirectUriRegistrationTest, PublicClientsMayUseHttpLoopbackInLive) {
  for (ClientType type : {ClientType::kFirstPartyPublic, ClientType::kThirdPartyPublic}) {
    for (ApplicationType application_type : {kWeb, kNative}) {
      EXPECT_TRUE(Accepted("http://127.0.0.1/cb", type, kLive, application_type));
      EXPECT_TRUE(Accepted("http://127.0.0.1:8080/cb", type, kLive, application_type));
      EXPECT_TRUE(Accepted("http://[::1]:53682/cb", type, kLive, application_type));
      EXPECT_TRUE(Accepted("http://localhost:3000/callback", type, kLive, application_type));
    }
  }
}

TEST(RedirectUriRegistrationTest, LocalhostIsRecognisedInAnyCase) {
  EXPECT_TRUE(Accepted("http://LocalHost:3000/cb", kPublic, kLive, kNative));
  EXPECT_TRUE(IsLoopbackHost("LOCALHOST"));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.2"));
  EXPECT_FALSE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("localhost."));
}

TEST(RedirectUriRegistrationTest, PublicClientsMayUseHttpsLoopbackInLive) {
  EXPECT_TRUE(Accepted("https://localhost:8443/cb", kPublic, kLive, kWeb));
  EXPECT_TRUE(Accepted("https://127.0.0.1/cb", ClientType::kFirstPartyPublic, kLive, kNative));
}

TEST(RedirectUriRegistrationTest, LiveConfidentialClientsMayNotUseHttpLoopback) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kThirdParty}) {
    for (ApplicationType application_type : {kWeb, kNative}) {
      EXPECT_TRUE(Refused("http://127.0.0.1:8080/cb", type, kLive, application_type));
      EXPECT_TRUE(Refused("http://[::1]/cb", type, kLive, application_type));
      EXPECT_TRUE(Refused("http://localhost/cb", type, kLive, application_type));
    }
  }
}

TEST(RedirectUriRegistrationTest, LiveConfidentialClientsMayNotUseHttpsLoopback) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kThirdParty}) {
    EXPECT_TRUE(Refused("https://127.0.0.1/cb", type, kLive, kWeb));
    EXPECT_TRUE(Refused("https://[::1]:8443/cb", type, kLive, kWeb));
    EXPECT_TRUE(Refused("https://localhost/cb", type, kLive, kNative));
  }
}

TEST(RedirectUriRegistrationTest, TestEnvironmentAllowsLoopbackForConfidentialClients) {
  for (ClientType type : {ClientType::kFirstParty, ClientType::kThirdParty}) {
    EXPECT_TRUE(Accepted("http://127.0.0.1:8080/cb", type, kTest, kWeb));
    EXPECT_TRUE(Accepted("http://localhost:3000/cb", type, kTest, kWeb));
    EXPECT_TRUE(Accepted("https://localhost/cb", type, kTest, kWeb));
  }
}

TEST(RedirectUriRegistrationTest, TestEnvironmentStillRefusesHttpForOtherHosts) {
  EXPECT_TRUE(Refused("http://app.example.com/cb", kConfidential, kTest, kWeb));
  EXPECT_TRUE(Refused("http://app.example.com/cb", kPublic, kTest, kNative));
}

TEST(RedirectUriRegistrationTest, PrivateUseSchemesAllowedForPublicClients) {
  for (Environment environment : {kTest, kLive}) {
    EXPECT_TRUE(Accepted("com.example.app:/oauth2redirect", kPublic, environment, kNative));
    EXPECT_TRUE(Accepted("com.example.app://callback", kPublic, environment, kNative));
    EXPECT_TRUE(Accepted("com.example.app:/cb", ClientType::kFirstPartyPublic, environment, kWeb));
  }
}

TEST(RedirectUriRegistrationTest, PrivateUseSchemesAllowedForNativeApplicationsInTest) {
  EXPECT_TRUE(Accepted("com.example.app:/cb", kConfidential, kTest, kNative));
}

TEST(RedirectUriRegistrationTest, PrivateUseSchemesRefusedForConfidentialWebClients) {
  EXPECT_TRUE(Refused("com.example.app:/cb", ClientType::kFirstParty, kTest, kWeb));
  EXPECT_TRUE(Refused("com.example.app:/cb", ClientType::kThirdParty, kTest, kWeb));
}

TEST(RedirectUriRegistrationTest, LiveConfidentialClientsUseHttpsOnly) {
  EXPECT_TRUE(Refused("com.example.app:/cb", kConfidential, kLive, kNative));
  EXPECT_TRUE(Refused("com.example.app:/cb", ClientType::kFirstParty, kLive, kWeb));
}

TEST(RedirectUriRegistrationTest, PrivateUseSchemeNeedsADot) {
  EXPECT_TRUE(Refused("exampleapp:/cb", kPublic, kTest, kNative));
  EXPECT_TRUE(Refused("exampleapp://cb", kPublic, kLive, kNative));
}

// --- Matching -----------------------------------------------------------------------------------

constexpr std::string_view kRegistered = "https://app.example.com/cb";

// The cases below hold for native apps, the only ones the RFC 8252 any-port rule applies to; a
// web app's URI matches only itself (WebApplications* below).
bool NativeMatches(std::string_view registered, std::string_view requested) {
  return RedirectUriMatches(registered, requested, kNative);
}

TEST(RedirectUriMatchTest, ExactStringMatches) {
  EXPECT_TRUE(NativeMatches(kRegistered, kRegistered));
  EXPECT_TRUE(NativeMatches("https://app.example.com/cb?a=1", "https://app.example.com/cb?a=1"));
  EXPECT_TRUE(NativeMatches("com.example.app:/cb", "com.example.app:/cb"));
}

TEST(RedirectUriMatchTest, EmptyNeverMatches) {
  EXPECT_FALSE(NativeMatches("", ""));
  EXPECT_FALSE(NativeMatches(kRegistered, ""));
}

TEST(RedirectUriMatchTest, HostSuffixAttackDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com.evil.com/cb"));
  EXPECT_FALSE(NativeMatches("https://app.example.com", "https://app.example.com.evil.com"));
}

TEST(RedirectUriMatchTest, SubdomainDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://evil.app.example.com/cb"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://example.com/cb"));
}

TEST(RedirectUriMatchTest, UserinfoAttackDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com@evil.com/cb"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com%40evil.com/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1@evil.com/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:80@evil.com/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://user@127.0.0.1/cb"));
}

TEST(RedirectUriMatchTest, PercentEncodedCharactersDoNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/%63b"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb%2F..%2Fevil"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb/%2e%2e/evil"));
  EXPECT_FALSE(NativeMatches("https://app.example.com/a%2Fb", "https://app.example.com/a/b"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:9000/%63b"));
}

TEST(RedirectUriMatchTest, PathTraversalDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb/../evil"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/evil/../cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb/../evil"));
}

TEST(RedirectUriMatchTest, DotSegmentsDoNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/./cb"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb/."));
}

TEST(RedirectUriMatchTest, ExtraQueryParameterDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb?next=https://evil"));
  EXPECT_FALSE(
      NativeMatches("https://app.example.com/cb?a=1", "https://app.example.com/cb?a=1&b=2"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb?"));
}

TEST(RedirectUriMatchTest, FragmentDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb#evil"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb#"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb#x"));
}

TEST(RedirectUriMatchTest, PortChangeOnNonLoopbackDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com:8443/cb"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com:443/cb"));
  EXPECT_FALSE(NativeMatches("https://app.example.com:8443/cb", "https://app.example.com:9443/cb"));
}

TEST(RedirectUriMatchTest, SchemeChangeDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "http://app.example.com/cb"));
  EXPECT_FALSE(NativeMatches(kRegistered, "HTTPS://app.example.com/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "https://127.0.0.1:8443/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "HTTP://127.0.0.1:8000/cb"));
}

TEST(RedirectUriMatchTest, UppercaseHostDoesNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://APP.example.com/cb"));
  EXPECT_FALSE(NativeMatches("http://localhost/cb", "http://LOCALHOST:3000/cb"));
}

TEST(RedirectUriMatchTest, PathCaseAndTrailingSlashDoNotMatch) {
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/CB"));
  EXPECT_FALSE(NativeMatches(kRegistered, "https://app.example.com/cb/"));
  EXPECT_FALSE(NativeMatches("https://app.example.com", "https://app.example.com/"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1:80", "http://127.0.0.1:81/"));
}

TEST(RedirectUriMatchTest, Ipv4LoopbackMatchesAnyPort) {
  EXPECT_TRUE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:51004/cb"));
  EXPECT_TRUE(NativeMatches("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb"));
  EXPECT_TRUE(NativeMatches("http://127.0.0.1:8080/cb", "http://127.0.0.1/cb"));
  EXPECT_TRUE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:/cb"));
  EXPECT_TRUE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:65535/cb"));
}

TEST(RedirectUriMatchTest, Ipv6LoopbackMatchesAnyPort) {
  EXPECT_TRUE(NativeMatches("http://[::1]/cb", "http://[::1]:61023/cb"));
  EXPECT_TRUE(NativeMatches("http://[::1]:80/cb", "http://[::1]/cb"));
}

TEST(RedirectUriMatchTest, LocalhostMatchesAnyPort) {
  EXPECT_TRUE(NativeMatches("http://localhost/callback", "http://localhost:33418/callback"));
  EXPECT_TRUE(NativeMatches("http://localhost:3000/callback", "http://localhost:4000/callback"));
}

TEST(RedirectUriMatchTest, LoopbackStillComparesPathExactly) {
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb2"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/CB"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb/"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000"));
}

TEST(RedirectUriMatchTest, LoopbackStillComparesQueryExactly) {
  EXPECT_TRUE(NativeMatches("http://127.0.0.1/cb?a=1", "http://127.0.0.1:5000/cb?a=1"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb?a=1", "http://127.0.0.1:5000/cb?a=2"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb?a=1"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb?"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb?a=1", "http://127.0.0.1:5000/cb"));
}

TEST(RedirectUriMatchTest, LoopbackStillComparesHostExactly) {
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://localhost:5000/cb"));
  EXPECT_FALSE(NativeMatches("http://localhost/cb", "http://127.0.0.1:5000/cb"));
  EXPECT_FALSE(NativeMatches("http://[::1]/cb", "http://127.0.0.1:5000/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.2:5000/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1.evil.com:5000/cb"));
}

// boostorg/url#755: Boost.URL 1.81 would read these hosts as 127.0.0.1 (see uri_components.h).
TEST(RedirectUriMatchTest, HostThatMerelyStartsWithALoopbackAddressIsNotLoopback) {
  EXPECT_FALSE(NativeMatches("http://127.0.0.1", "http://127.0.0.1.evil.example"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1.evil.example/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1x:8080/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1x", "http://127.0.0.1x:8080"));
  EXPECT_FALSE(NativeMatches("http://[::1]/cb", "http://[::1]x/cb"));
}

TEST(RedirectUriMatchTest, LoopbackRejectsPortsOutOfRange) {
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:65536/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:123456/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:99999999999999999999/cb"));
}

TEST(RedirectUriMatchTest, HttpsLoopbackIsNotPortFlexible) {
  EXPECT_FALSE(NativeMatches("https://127.0.0.1/cb", "https://127.0.0.1:8443/cb"));
  EXPECT_FALSE(NativeMatches("https://localhost:1/cb", "https://localhost:2/cb"));
}

TEST(RedirectUriMatchTest, WebApplicationsMatchLoopbackUrisExactlyPortIncluded) {
  EXPECT_FALSE(
      RedirectUriMatches("http://localhost:3000/callback", "http://localhost:4444/callback", kWeb));
  EXPECT_FALSE(RedirectUriMatches("http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", kWeb));
  EXPECT_FALSE(RedirectUriMatches("http://127.0.0.1:8080/cb", "http://127.0.0.1/cb", kWeb));
  EXPECT_FALSE(RedirectUriMatches("http://127.0.0.1/cb", "http://127.0.0.1:/cb", kWeb));
  EXPECT_FALSE(RedirectUriMatches("http://[::1]/cb", "http://[::1]:61023/cb", kWeb));
  EXPECT_TRUE(
      RedirectUriMatches("http://localhost:3000/callback", "http://localhost:3000/callback", kWeb));
}

TEST(RedirectUriMatchTest, ExactMatchesHoldForBothApplicationTypes) {
  for (ApplicationType application_type : {kWeb, kNative}) {
    EXPECT_TRUE(RedirectUriMatches(kRegistered, kRegistered, application_type));
    EXPECT_TRUE(RedirectUriMatches("com.example.app:/cb", "com.example.app:/cb", application_type));
    EXPECT_TRUE(RedirectUriMatches("http://[::1]:80/cb", "http://[::1]:80/cb", application_type));
    EXPECT_FALSE(RedirectUriMatches("", "", application_type));
    EXPECT_FALSE(
        RedirectUriMatches("com.example.app:/cb", "com.example.app:/cb2", application_type));
  }
}

TEST(RedirectUriMatchTest, MalformedRequestedUriDoesNotMatch) {
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:50 00/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "http://127.0.0.1:abc/cb"));
  EXPECT_FALSE(NativeMatches("http://127.0.0.1/cb", "/cb"));
}

// --- Resolution ---------------------------------------------------------------------------------

const std::vector<std::string> kOne = {"https://app.example.com/cb"};
const std::vector<std::string> kTwo = {"https://app.example.com/cb", "http://127.0.0.1/cb"};

TEST(RedirectUriResolutionTest, RegisteredRequestedUriIsUsed) {
  EXPECT_EQ(ResolveRedirectUri(kTwo, "https://app.example.com/cb", false, kNative),
            "https://app.example.com/cb");
  EXPECT_EQ(ResolveRedirectUri(kOne, "https://app.example.com/cb", true, kNative),
            "https://app.example.com/cb");
}

TEST(RedirectUriResolutionTest, LoopbackResolutionKeepsTheRequestedPort) {
  EXPECT_EQ(ResolveRedirectUri(kTwo, "http://127.0.0.1:49152/cb", true, kNative),
            "http://127.0.0.1:49152/cb");
}

TEST(RedirectUriResolutionTest, WebResolutionKeepsToTheRegisteredPort) {
  EXPECT_EQ(ResolveRedirectUri(kTwo, "http://127.0.0.1:49152/cb", true, kWeb), std::nullopt);
  EXPECT_EQ(ResolveRedirectUri(kTwo, "http://127.0.0.1/cb", true, kWeb), "http://127.0.0.1/cb");
}

TEST(RedirectUriResolutionTest, UnregisteredRequestedUriIsRefused) {
  EXPECT_EQ(ResolveRedirectUri(kOne, "https://evil.example/cb", false, kNative), std::nullopt);
  EXPECT_EQ(ResolveRedirectUri({}, "https://app.example.com/cb", false, kNative), std::nullopt);
}

TEST(RedirectUriResolutionTest, AbsentWithOneRegisteredUsesIt) {
  EXPECT_EQ(ResolveRedirectUri(kOne, std::nullopt, false, kNative), "https://app.example.com/cb");
}

TEST(RedirectUriResolutionTest, RequiredWhenSeveralAreRegistered) {
  EXPECT_EQ(ResolveRedirectUri(kTwo, std::nullopt, false, kNative), std::nullopt);
}

TEST(RedirectUriResolutionTest, AlwaysRequiredWithOpenId) {
  EXPECT_EQ(ResolveRedirectUri(kOne, std::nullopt, true, kNative), std::nullopt);
}

TEST(RedirectUriResolutionTest, AbsentWithNoneRegisteredIsRefused) {
  EXPECT_EQ(ResolveRedirectUri({}, std::nullopt, false, kNative), std::nullopt);
  EXPECT_EQ(ResolveRedirectUri({""}, std::nullopt, false, kNative), std::nullopt);
}

// --- Application types --------------------------------------------------------------------------

TEST(ApplicationTypeTest, NativeRedirectUrisAreLoopbackHttpAndPrivateUseSchemes) {
  EXPECT_TRUE(IsNativeRedirectUri("http://localhost:4242"));
  EXPECT_TRUE(IsNativeRedirectUri("http://127.0.0.1/cb"));
  EXPECT_TRUE(IsNativeRedirectUri("HTTP://[::1]:8080/cb"));
  EXPECT_TRUE(IsNativeRedirectUri("edu.kit.data.oidc-agent:/redirect"));
  EXPECT_FALSE(IsNativeRedirectUri("https://localhost/cb"));
  EXPECT_FALSE(IsNativeRedirectUri("https://app.example.com/cb"));
  EXPECT_FALSE(IsNativeRedirectUri("http://app.example.com/cb"));
  EXPECT_FALSE(IsNativeRedirectUri("http://127.0.0.2/cb"));
  EXPECT_FALSE(IsNativeRedirectUri("myapp:/cb"));
  EXPECT_FALSE(IsNativeRedirectUri("not a uri"));
  EXPECT_FALSE(IsNativeRedirectUri(""));
}

TEST(ApplicationTypeTest, PublicClientsDefaultToNativeAndConfidentialOnesToWeb) {
  EXPECT_EQ(DefaultApplicationType(ClientType::kFirstPartyPublic), kNative);
  EXPECT_EQ(DefaultApplicationType(ClientType::kThirdPartyPublic), kNative);
  EXPECT_EQ(DefaultApplicationType(ClientType::kFirstParty), kWeb);
  EXPECT_EQ(DefaultApplicationType(ClientType::kThirdParty), kWeb);
}

}  // namespace
}  // namespace gatehouse::core
