#include "accounts/user_accounts.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "accounts/sessions.h"
#include "crypto/jwt.h"
#include "crypto/keyring.h"
#include "store/session_repository.h"
#include "store/store_test_support.h"
#include "store/user_repository.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::accounts {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;

class UserAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = testing::OpenFreshTestDatabase(store::Engine::kSqlite);
    auto keyring = crypto::Keyring::Create(
        {crypto::KeyringEntry{crypto::SigningKey::Generate(crypto::Algorithm::kEs256),
                              crypto::KeyState::kCurrent, 0}},
        clock_.NowSeconds());
    ASSERT_TRUE(keyring);
    keyring_ = *keyring;
    accounts_ = std::make_unique<UserAccounts>(test_db_->db(), clock_, random_, passwords_, "test");
    sessions_ = std::make_unique<Sessions>(
        test_db_->db(), clock_, random_, passwords_, nullptr, [this] { return keyring_; },
        SessionOptions{"https://issuer.example", "project-test-1", "test", 300});
  }

  core::User CreateAda(std::optional<std::string> password = "correct horse") {
    NewUser u;
    u.email = "Ada@Example.com";
    u.first_name = "Ada";
    u.password = std::move(password);
    auto created = accounts_->CreateUser(u);
    EXPECT_TRUE(created) << created.error().description();
    return *created;
  }

  testing::FakeClock clock_;
  testing::FakeRandom random_;
  PasswordHasher passwords_{MinimumPasswordCost()};
  std::shared_ptr<const crypto::Keyring> keyring_;
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<UserAccounts> accounts_;
  std::unique_ptr<Sessions> sessions_;
};

TEST_F(UserAccountsTest, CreatesAUserWithANormalizedEmailAndAHashedPassword) {
  const core::User ada = CreateAda();
  EXPECT_TRUE(ada.user_id.starts_with("user-test-"));
  EXPECT_EQ(ada.email, "ada@example.com");
  EXPECT_TRUE(ada.has_password);
  EXPECT_EQ(ada.status, "active");
  EXPECT_EQ(ada.created_at, clock_.NowSeconds());
  auto stored = store::UserRepository(test_db_->db()).Get(ada.user_id);
  ASSERT_TRUE(stored && stored->password_hash);
  EXPECT_TRUE(stored->password_hash->starts_with("$argon2id$"));
  EXPECT_TRUE(passwords_.Verify("correct horse", *stored->password_hash));
}

TEST_F(UserAccountsTest, RefusesInvalidInput) {
  const auto code = [this](NewUser u) {
    auto r = accounts_->CreateUser(u);
    return r ? std::optional<ErrorCode>() : std::optional<ErrorCode>(r.error().code());
  };
  NewUser bad_email;
  bad_email.email = "not-an-email";
  EXPECT_EQ(code(bad_email), ErrorCode::kBadRequest);
  NewUser short_password;
  short_password.email = "a@example.com";
  short_password.password = "1234567";
  EXPECT_EQ(code(short_password), ErrorCode::kBadRequest);
  NewUser bad_status;
  bad_status.status = "sleeping";
  EXPECT_EQ(code(bad_status), ErrorCode::kBadRequest);
  NewUser empty_role;
  empty_role.roles = {""};
  EXPECT_EQ(code(empty_role), ErrorCode::kBadRequest);
  NewUser no_email;
  EXPECT_EQ(code(no_email), std::nullopt);
  EXPECT_EQ(code(no_email), std::nullopt);
}

TEST_F(UserAccountsTest, NamesAreDisplayTextButIdentifiersAreNot) {
  NewUser rlo;
  rlo.first_name = "Ada\xE2\x80\xAE";  // U+202E right-to-left override
  auto refused = accounts_->CreateUser(rlo);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kBadRequest);
  EXPECT_TRUE(refused.error().description().starts_with("first_name contains U+202E"));

  NewUser zoe;
  zoe.first_name = "Zoë";
  zoe.last_name = "Ōtsuka";
  zoe.external_id = "ext\x7F";  // an identifier, not shown: the name rule does not apply
  auto created = accounts_->CreateUser(zoe);
  ASSERT_TRUE(created) << created.error().description();

  UserChanges change;
  change.last_name = "Love\xE2\x80\x8Blace";  // U+200B zero-width space
  auto updated = accounts_->UpdateUser(created->user_id, change);
  ASSERT_FALSE(updated);
  EXPECT_TRUE(updated.error().description().starts_with("last_name contains U+200B"));
}

TEST_F(UserAccountsTest, ADuplicateEmailIsAConflictWhateverItsCase) {
  CreateAda();
  NewUser again;
  again.email = "  ADA@example.COM ";
  auto r = accounts_->CreateUser(again);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConflict);
  EXPECT_TRUE(r.error().description().starts_with(kDuplicateEmail));
}

TEST_F(UserAccountsTest, PasswordLoginIssuesASessionWhoseTokenIsStoredOnlyAsAHash) {
  const core::User ada = CreateAda();
  auto issued = sessions_->AuthenticatePassword("ADA@example.com", "correct horse", 3600);
  ASSERT_TRUE(issued) << issued.error().description();
  EXPECT_EQ(issued->user.user_id, ada.user_id);
  EXPECT_EQ(issued->session.user_id, ada.user_id);
  EXPECT_EQ(issued->session.authentication_method, "password");
  EXPECT_EQ(issued->session.expires_at, clock_.NowSeconds() + 3600);
  EXPECT_GE(issued->session_token.size(), 43u);
  auto stored = store::SessionRepository(test_db_->db()).Get(issued->session.session_id);
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->token_hash, issued->session_token);
  EXPECT_EQ(stored->token_hash.find(issued->session_token), std::string::npos);

  auto active = sessions_->Authenticate(issued->session_token);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->session.session_id, issued->session.session_id);
  EXPECT_EQ(active->user.email, "ada@example.com");
}

TEST_F(UserAccountsTest, WrongPasswordUnknownEmailAndNoPasswordGetTheSameError) {
  CreateAda();
  NewUser no_password;
  no_password.email = "nopass@example.com";
  ASSERT_TRUE(accounts_->CreateUser(no_password));
  for (auto [email, password] : {std::pair{"ada@example.com", "wrong horse"},
                                 std::pair{"nobody@example.com", "correct horse"},
                                 std::pair{"nopass@example.com", "correct horse"}}) {
    auto r = sessions_->AuthenticatePassword(email, password, 3600);
    ASSERT_FALSE(r) << email;
    EXPECT_EQ(r.error().code(), ErrorCode::kUnauthorized);
    EXPECT_EQ(r.error().description(), "invalid email or password");
  }
}

TEST_F(UserAccountsTest, ADisabledUserCannotSignIn) {
  const core::User ada = CreateAda();
  UserChanges disable;
  disable.status = "disabled";
  ASSERT_TRUE(accounts_->UpdateUser(ada.user_id, disable));
  auto r = sessions_->AuthenticatePassword("ada@example.com", "correct horse", 3600);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kForbidden);
  EXPECT_FALSE(sessions_->CreateSession(ada.user_id, "password", 60));
}

TEST_F(UserAccountsTest, SessionsExpire) {
  const core::User ada = CreateAda();
  auto issued = sessions_->CreateSession(ada.user_id, "access_token_exchange", 600);
  ASSERT_TRUE(issued);
  clock_.Advance(599s);
  EXPECT_TRUE(sessions_->Authenticate(issued->session_token));
  clock_.Advance(1s);
  auto expired = sessions_->Authenticate(issued->session_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code(), ErrorCode::kUnauthorized);
  EXPECT_EQ(sessions_->DeleteExpiredSessions(), 1);
}

TEST_F(UserAccountsTest, RevokedAndUnknownTokensDoNotAuthenticate) {
  const core::User ada = CreateAda();
  auto first = sessions_->CreateSession(ada.user_id, "password", 600);
  auto second = sessions_->CreateSession(ada.user_id, "password", 600);
  ASSERT_TRUE(first && second);
  sessions_->Revoke(first->session_token);
  EXPECT_FALSE(sessions_->Authenticate(first->session_token));
  EXPECT_TRUE(sessions_->Authenticate(second->session_token));
  EXPECT_TRUE(sessions_->RevokeSessionById(second->session.session_id));
  EXPECT_FALSE(sessions_->Authenticate(second->session_token));
  EXPECT_EQ(sessions_->RevokeSessionById(second->session.session_id).error().code(),
            ErrorCode::kNotFound);
  EXPECT_FALSE(sessions_->Authenticate("unknown-token"));
  EXPECT_FALSE(sessions_->Authenticate(""));
  EXPECT_FALSE(sessions_->Authenticate(std::string(10000, 'a')));
  sessions_->Revoke("unknown-token");
}

TEST_F(UserAccountsTest, APasswordChangeRevokesSessionsAndTheNewPasswordWorks) {
  const core::User ada = CreateAda();
  auto issued = sessions_->AuthenticatePassword("ada@example.com", "correct horse", 3600);
  ASSERT_TRUE(issued);
  UserChanges change;
  change.password = "new password!";
  ASSERT_TRUE(accounts_->UpdateUser(ada.user_id, change));
  EXPECT_FALSE(sessions_->Authenticate(issued->session_token));
  EXPECT_FALSE(sessions_->AuthenticatePassword("ada@example.com", "correct horse", 3600));
  EXPECT_TRUE(sessions_->AuthenticatePassword("ada@example.com", "new password!", 3600));
  UserChanges too_short;
  too_short.password = "short";
  EXPECT_EQ(accounts_->UpdateUser(ada.user_id, too_short).error().code(), ErrorCode::kBadRequest);
}

TEST_F(UserAccountsTest, UpdateChangesOnlyTheGivenFields) {
  const core::User ada = CreateAda();
  clock_.Advance(10s);
  UserChanges change;
  change.last_name = "Lovelace";
  change.roles = std::vector<std::string>{"admin", "admin", "viewer"};
  auto updated = accounts_->UpdateUser(ada.user_id, change);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->first_name, "Ada");
  EXPECT_EQ(updated->last_name, "Lovelace");
  EXPECT_EQ(updated->roles, (std::vector<std::string>{"admin", "viewer"}));
  EXPECT_TRUE(updated->has_password);
  EXPECT_EQ(updated->updated_at, ada.created_at + 10);
  EXPECT_EQ(accounts_->UpdateUser("user-test-unknown", change).error().code(),
            ErrorCode::kNotFound);
}

TEST_F(UserAccountsTest, UpdatingToAnotherUsersEmailIsAConflict) {
  CreateAda();
  NewUser bob;
  bob.email = "bob@example.com";
  auto created = accounts_->CreateUser(bob);
  ASSERT_TRUE(created);
  UserChanges change;
  change.email = "ADA@example.com";
  auto r = accounts_->UpdateUser(created->user_id, change);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConflict);
}

TEST_F(UserAccountsTest, DeletingAUserEndsTheirSessions) {
  const core::User ada = CreateAda();
  auto issued = sessions_->CreateSession(ada.user_id, "password", 600);
  ASSERT_TRUE(issued);
  ASSERT_TRUE(accounts_->DeleteUser(ada.user_id));
  EXPECT_FALSE(sessions_->Authenticate(issued->session_token));
  EXPECT_EQ(accounts_->FindUser(ada.user_id), std::nullopt);
  EXPECT_EQ(accounts_->DeleteUser(ada.user_id).error().code(), ErrorCode::kNotFound);
}

TEST_F(UserAccountsTest, TheSessionJwtIsSignedByTheCurrentKeyAndShortLived) {
  const core::User ada = CreateAda();
  auto issued = sessions_->AuthenticatePassword("ada@example.com", "correct horse", 3600);
  ASSERT_TRUE(issued);
  crypto::JwtVerifyOptions options;
  options.issuer = "https://issuer.example";
  options.audience = "project-test-1";
  auto decoded = crypto::JwtVerifier(clock_, options).Verify(issued->session_jwt, *keyring_);
  ASSERT_TRUE(decoded) << decoded.error().description();
  EXPECT_EQ(decoded->claims.at("sub").as_string(), ada.user_id);
  EXPECT_EQ(decoded->claims.at("sid").as_string(), issued->session.session_id);
  EXPECT_EQ(decoded->claims.at("exp").as_int64() - decoded->claims.at("iat").as_int64(), 300);

  // Never past the session's own end.
  auto brief = sessions_->CreateSession(ada.user_id, "password", 60);
  ASSERT_TRUE(brief);
  auto brief_jwt = crypto::JwtVerifier(clock_, options).Verify(brief->session_jwt, *keyring_);
  ASSERT_TRUE(brief_jwt);
  EXPECT_EQ(brief_jwt->claims.at("exp").as_int64(), brief->session.expires_at);
}

TEST_F(UserAccountsTest, RefusesSessionDurationsOutOfRange) {
  const core::User ada = CreateAda();
  EXPECT_EQ(sessions_->CreateSession(ada.user_id, "password", 0).error().code(),
            ErrorCode::kBadRequest);
  EXPECT_EQ(sessions_->CreateSession(ada.user_id, "password", 400LL * 24 * 3600).error().code(),
            ErrorCode::kBadRequest);
  EXPECT_EQ(sessions_->CreateSession("user-test-unknown", "password", 60).error().code(),
            ErrorCode::kNotFound);
}

TEST_F(UserAccountsTest, SearchPagesThroughUsers) {
  for (int i = 0; i < 3; ++i) {
    NewUser u;
    u.email = "u" + std::to_string(i) + "@example.com";
    ASSERT_TRUE(accounts_->CreateUser(u));
  }
  auto first = accounts_->SearchUsers({std::nullopt, std::nullopt, 2});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->users.size(), 2u);
  EXPECT_EQ(first->total, 3);
  ASSERT_TRUE(first->next_after_user_id);
  auto second = accounts_->SearchUsers({std::nullopt, first->next_after_user_id, 2});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->users.size(), 1u);
  EXPECT_EQ(second->next_after_user_id, std::nullopt);
  auto by_email = accounts_->SearchUsers({"U1@example.com", std::nullopt, 10});
  ASSERT_TRUE(by_email);
  ASSERT_EQ(by_email->users.size(), 1u);
  EXPECT_EQ(by_email->users[0].email, "u1@example.com");
  EXPECT_FALSE(accounts_->SearchUsers({std::nullopt, std::nullopt, 0}));
}

}  // namespace
}  // namespace gatehouse::accounts
