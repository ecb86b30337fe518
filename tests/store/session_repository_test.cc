// Store contract: SessionRepository.

#include "store/session_repository.h"

#include <string>

#include "store/store_test_support.h"
#include "store/user_repository.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;

constexpr int64_t kNow = 1'700'000'000;

class SessionRepositoryTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const char* id : {"user-test-1", "user-test-2"}) {
      UserRecord u;
      u.user.user_id = id;
      u.user.email = std::string(id) + "@example.com";
      u.user.first_name = "Ada";
      u.user.roles = {"admin"};
      u.user.created_at = kNow;
      u.user.updated_at = kNow;
      ASSERT_TRUE(UserRepository(db()).Insert(u));
    }
  }

  SessionRecord Insert(std::string id, std::string user_id, int64_t expires_at) {
    SessionRecord s;
    s.session = {id, std::move(user_id), kNow - 10, expires_at, "password"};
    s.token_hash = "hash-of-" + id;
    s.created_at = kNow;
    SessionRepository(db()).Insert(s);
    return s;
  }
};

TEST_P(SessionRepositoryTest, FindsASessionAndItsUserByTokenHash) {
  Insert("session-1", "user-test-1", kNow + 3600);
  std::optional<SessionWithUser> found =
      SessionRepository(db()).FindByTokenHash("hash-of-session-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.session.session_id, "session-1");
  EXPECT_EQ(found->session.session.user_id, "user-test-1");
  EXPECT_EQ(found->session.session.authenticated_at, kNow - 10);
  EXPECT_EQ(found->session.session.expires_at, kNow + 3600);
  EXPECT_EQ(found->session.session.authentication_method, "password");
  EXPECT_EQ(found->session.created_at, kNow);
  EXPECT_EQ(found->session.revoked_at, std::nullopt);
  EXPECT_EQ(found->user.user.user_id, "user-test-1");
  EXPECT_EQ(found->user.user.email, "user-test-1@example.com");
  EXPECT_EQ(found->user.user.roles, std::vector<std::string>{"admin"});
  EXPECT_EQ(SessionRepository(db()).FindByTokenHash("hash-unknown"), std::nullopt);
}

TEST_P(SessionRepositoryTest, ATokenHashIsUnique) {
  Insert("session-1", "user-test-1", kNow + 3600);
  SessionRecord dup;
  dup.session = {"session-2", "user-test-1", kNow, kNow + 60, "password"};
  dup.token_hash = "hash-of-session-1";
  EXPECT_THROW(SessionRepository(db()).Insert(dup), ConstraintViolation);
}

TEST_P(SessionRepositoryTest, RevokeStampsTheSessionAndEndsItNow) {
  SessionRepository sessions(db());
  Insert("session-1", "user-test-1", kNow + 3600);
  Insert("session-2", "user-test-1", kNow + 3600);
  EXPECT_TRUE(sessions.RevokeByTokenHash("hash-of-session-1", kNow + 5));
  EXPECT_FALSE(sessions.RevokeByTokenHash("hash-of-session-1", kNow + 6));
  EXPECT_FALSE(sessions.RevokeByTokenHash("hash-unknown", kNow + 6));
  std::optional<SessionRecord> revoked = sessions.Get("session-1");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->revoked_at, kNow + 5);
  EXPECT_EQ(revoked->session.expires_at, kNow + 5);

  EXPECT_TRUE(sessions.RevokeById("session-2", kNow + 7));
  EXPECT_FALSE(sessions.RevokeById("session-2", kNow + 8));
  EXPECT_FALSE(sessions.RevokeById("session-unknown", kNow + 8));
  EXPECT_EQ(sessions.Get("session-2")->revoked_at, kNow + 7);
}

TEST_P(SessionRepositoryTest, RevokingKeepsAnEarlierExpiry) {
  SessionRepository sessions(db());
  Insert("session-1", "user-test-1", kNow - 100);
  EXPECT_TRUE(sessions.RevokeById("session-1", kNow));
  EXPECT_EQ(sessions.Get("session-1")->session.expires_at, kNow - 100);
}

TEST_P(SessionRepositoryTest, ListsAndRevokesTheLiveSessionsOfOneUser) {
  SessionRepository sessions(db());
  Insert("session-1", "user-test-1", kNow + 3600);
  Insert("session-2", "user-test-1", kNow - 1);  // expired
  Insert("session-3", "user-test-1", kNow + 60);
  Insert("session-4", "user-test-2", kNow + 3600);
  ASSERT_TRUE(sessions.RevokeById("session-3", kNow));

  std::vector<SessionRecord> live = sessions.ListActiveForUser("user-test-1", kNow);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].session.session_id, "session-1");

  Insert("session-5", "user-test-1", kNow + 3600);
  EXPECT_EQ(sessions.RevokeAllForUser("user-test-1", kNow), 2);
  EXPECT_TRUE(sessions.ListActiveForUser("user-test-1", kNow).empty());
  EXPECT_EQ(sessions.ListActiveForUser("user-test-2", kNow).size(), 1u);
}

TEST_P(SessionRepositoryTest, DeleteExpiredCollectsExpiredAndRevokedSessions) {
  SessionRepository sessions(db());
  Insert("session-1", "user-test-1", kNow - 1);
  Insert("session-2", "user-test-1", kNow + 3600);
  Insert("session-3", "user-test-2", kNow + 3600);
  ASSERT_TRUE(sessions.RevokeById("session-3", kNow - 5));
  Insert("session-4", "user-test-2", kNow);  // ends exactly now: no longer valid
  EXPECT_EQ(sessions.DeleteExpired(kNow), 3);
  EXPECT_EQ(sessions.Get("session-4"), std::nullopt);
  EXPECT_EQ(sessions.Get("session-1"), std::nullopt);
  EXPECT_EQ(sessions.Get("session-3"), std::nullopt);
  EXPECT_TRUE(sessions.Get("session-2"));
  EXPECT_EQ(sessions.DeleteExpired(kNow), 0);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(SessionRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
