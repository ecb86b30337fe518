// LoginThrottle through Sessions::AuthenticatePassword: counting, locking, doubling, clearing.

#include "accounts/login_throttle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "accounts/sessions.h"
#include "accounts/user_accounts.h"
#include "store/login_throttle_repository.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::accounts {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;

class LoginThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
    throttle_ = std::make_unique<LoginThrottle>(test_db_->db(), clock_,
                                                LoginThrottlePolicy{.max_failures = 3,
                                                                    .window_seconds = 600,
                                                                    .lockout_seconds = 10,
                                                                    .max_lockout_seconds = 35});
    sessions_ = SessionsThrottledBy(throttle_.get());
    NewUser ada;
    ada.email = "ada@example.com";
    ada.password = "correct horse";
    ASSERT_TRUE(UserAccounts(test_db_->db(), clock_, random_, passwords_, "test").CreateUser(ada));
  }

  std::unique_ptr<Sessions> SessionsThrottledBy(const LoginThrottle* throttle) {
    return std::make_unique<Sessions>(
        test_db_->db(), clock_, random_, passwords_, throttle, [] { return nullptr; },
        SessionOptions{"https://issuer.example", "project-test-1", "test", 300});
  }

  core::Result<IssuedSession> Login(std::string_view email, std::string_view password) {
    return sessions_->AuthenticatePassword(email, password, 3600);
  }
  void ExpectLocked(std::string_view email, int64_t retry_after) {
    auto r = Login(email, "correct horse");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kTooManyRequests);
    EXPECT_EQ(r.error().retry_after_seconds(), retry_after);
  }

  testing::FakeClock clock_;
  testing::FakeRandom random_;
  PasswordHasher passwords_{MinimumPasswordCost()};
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<Sessions> sessions_;
};

TEST_F(LoginThrottleTest, LocksAfterTheFailuresAndDoublesEachFurtherOneUpToTheMaximum) {
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(Login("ada@example.com", "wrong").error().code(), ErrorCode::kUnauthorized);
  EXPECT_TRUE(Login("ADA@example.com ", "correct horse"));  // not locked yet; success clears
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Login("ada@example.com", "wrong").error().code(), ErrorCode::kUnauthorized);
  ExpectLocked("ada@example.com", 10);
  ExpectLocked("Ada@Example.com", 10);  // the normalized email is what counts
  clock_.Advance(10s);
  EXPECT_EQ(Login("ada@example.com", "wrong").error().code(), ErrorCode::kUnauthorized);
  ExpectLocked("ada@example.com", 20);
  clock_.Advance(20s);
  EXPECT_FALSE(Login("ada@example.com", "wrong"));
  ExpectLocked("ada@example.com", 35);  // 40 capped at the maximum
  clock_.Advance(35s);
  EXPECT_TRUE(Login("ada@example.com", "correct horse"));
  EXPECT_FALSE(store::LoginThrottleRepository(test_db_->db())
                   .Get(LoginThrottle::SubjectFor("ada@example.com")));
}

TEST_F(LoginThrottleTest, UnknownEmailsAreCountedAlikeAndTheWindowExpires) {
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(Login("ghost@example.com", "guess"));
  clock_.Advance(601s);  // the window ended: counting starts over
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(Login("ghost@example.com", "guess"));
  EXPECT_EQ(Login("ghost@example.com", "guess").error().code(), ErrorCode::kUnauthorized);
  auto locked = Login("ghost@example.com", "guess");
  EXPECT_EQ(locked.error().code(), ErrorCode::kTooManyRequests);
  // Another account is unaffected.
  EXPECT_TRUE(Login("ada@example.com", "correct horse"));
}

TEST_F(LoginThrottleTest, ZeroFailuresTurnsThrottlingOff) {
  LoginThrottle off(test_db_->db(), clock_, LoginThrottlePolicy{.max_failures = 0});
  sessions_ = SessionsThrottledBy(&off);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(Login("ada@example.com", "wrong").error().code(), ErrorCode::kUnauthorized);
  EXPECT_TRUE(Login("ada@example.com", "correct horse"));
}

}  // namespace
}  // namespace gatehouse::accounts
