#include "ui/pending_authorization.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "support/fake_random.h"

namespace gatehouse::ui {
namespace {

constexpr int64_t kNow = 1'700'000'000;
const std::string kCsrf(43, 'c');

class PendingAuthorizationSealTest : public ::testing::Test {
 protected:
  testing::FakeRandom random_;
  PendingAuthorizationSeal seal_{std::string(32, 'k'), random_};
  PendingAuthorization pending_{.params = {{"client_id", "app"},
                                           {"scope", "openid"},
                                           {"resource", "https://a"},
                                           {"resource", "https://b"}},
                                .session_id = "session-1"};
};

TEST_F(PendingAuthorizationSealTest, RoundTripsParamsInOrderWithSessionAndExpiry) {
  const std::string sealed = seal_.Seal(PendingPurpose::kConsent, pending_, kCsrf, kNow);
  EXPECT_EQ(sealed.find("openid"), std::string::npos);  // encrypted, not just signed
  auto opened = seal_.Open(PendingPurpose::kConsent, sealed, kCsrf, kNow + 10);
  ASSERT_TRUE(std::holds_alternative<PendingAuthorization>(opened));
  const PendingAuthorization& p = std::get<PendingAuthorization>(opened);
  EXPECT_EQ(p.params, pending_.params);
  EXPECT_EQ(p.session_id, "session-1");
  EXPECT_EQ(p.expires_at, kNow + PendingAuthorizationSeal::kLifetimeSeconds);
}

TEST_F(PendingAuthorizationSealTest, OpensOnlyForItsPurposeAndCsrfToken) {
  const std::string sealed = seal_.Seal(PendingPurpose::kLogin, pending_, kCsrf, kNow);
  using Failure = PendingAuthorizationSeal::OpenFailure;
  auto other_purpose = seal_.Open(PendingPurpose::kConsent, sealed, kCsrf, kNow);
  ASSERT_TRUE(std::holds_alternative<Failure>(other_purpose));
  EXPECT_EQ(std::get<Failure>(other_purpose), Failure::kInvalid);
  auto other_browser = seal_.Open(PendingPurpose::kLogin, sealed, std::string(43, 'd'), kNow);
  EXPECT_TRUE(std::holds_alternative<Failure>(other_browser));
  testing::FakeRandom random;
  PendingAuthorizationSeal other_key(std::string(32, 'x'), random);
  EXPECT_TRUE(
      std::holds_alternative<Failure>(other_key.Open(PendingPurpose::kLogin, sealed, kCsrf, kNow)));
}

TEST_F(PendingAuthorizationSealTest, RejectsTamperingGarbageAndExpiry) {
  using Failure = PendingAuthorizationSeal::OpenFailure;
  std::string sealed = seal_.Seal(PendingPurpose::kResume, pending_, kCsrf, kNow);
  auto expired = seal_.Open(PendingPurpose::kResume, sealed, kCsrf,
                            kNow + PendingAuthorizationSeal::kLifetimeSeconds);
  ASSERT_TRUE(std::holds_alternative<Failure>(expired));
  EXPECT_EQ(std::get<Failure>(expired), Failure::kExpired);
  sealed[20] = sealed[20] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(
      std::holds_alternative<Failure>(seal_.Open(PendingPurpose::kResume, sealed, kCsrf, kNow)));
  EXPECT_TRUE(std::holds_alternative<Failure>(
      seal_.Open(PendingPurpose::kResume, "not base64!", kCsrf, kNow)));
  EXPECT_TRUE(
      std::holds_alternative<Failure>(seal_.Open(PendingPurpose::kResume, "", kCsrf, kNow)));
}

TEST(PendingAuthorizationSealKeyTest, RefusesAKeyThatIsNot32Bytes) {
  testing::FakeRandom random;
  EXPECT_THROW(PendingAuthorizationSeal(std::string(16, 'k'), random), std::invalid_argument);
}

}  // namespace
}  // namespace gatehouse::ui
