// Store contract: UserRepository.

#include "store/user_repository.h"

#include <set>
#include <string>

#include "store/session_repository.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;

UserRecord MakeUser(std::string id, std::string email, int64_t now = 1'700'000'000) {
  UserRecord r;
  r.user.user_id = std::move(id);
  r.user.email = std::move(email);
  r.user.first_name = "Ada";
  r.user.last_name = "Lovelace";
  r.user.created_at = now;
  r.user.updated_at = now;
  return r;
}

class UserRepositoryTest : public EngineTest {};

TEST_P(UserRepositoryTest, InsertsAndReadsBackEveryField) {
  UserRepository users(db());
  UserRecord r = MakeUser("user-test-1", "ada@example.com");
  r.user.email_verified = true;
  r.user.phone_number = "+441234567890";
  r.user.external_id = "ext-1";
  r.user.status = "disabled";
  r.user.roles = {"admin", "quote \" and \\ backslash"};
  r.user.organization_id = "organization-test-1";
  r.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
  ASSERT_TRUE(users.Insert(r));

  std::optional<UserRecord> got = users.Get("user-test-1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->user.user_id, "user-test-1");
  EXPECT_EQ(got->user.email, "ada@example.com");
  EXPECT_TRUE(got->user.email_verified);
  EXPECT_EQ(got->user.first_name, "Ada");
  EXPECT_EQ(got->user.last_name, "Lovelace");
  EXPECT_EQ(got->user.phone_number, "+441234567890");
  EXPECT_EQ(got->user.external_id, "ext-1");
  EXPECT_EQ(got->user.status, "disabled");
  EXPECT_EQ(got->user.roles, r.user.roles);
  EXPECT_EQ(got->user.organization_id, "organization-test-1");
  EXPECT_TRUE(got->user.has_password);
  EXPECT_EQ(got->password_hash, r.password_hash);
  EXPECT_EQ(got->user.created_at, 1'700'000'000);
  EXPECT_EQ(got->user.updated_at, 1'700'000'000);
}

TEST_P(UserRepositoryTest, AUserWithoutPasswordOrEmailReadsBackEmpty) {
  UserRepository users(db());
  ASSERT_TRUE(users.Insert(MakeUser("user-test-1", "")));
  std::optional<UserRecord> got = users.Get("user-test-1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->user.email, "");
  EXPECT_FALSE(got->user.has_password);
  EXPECT_EQ(got->password_hash, std::nullopt);
  EXPECT_EQ(got->user.organization_id, std::nullopt);
  EXPECT_TRUE(got->user.roles.empty());
  EXPECT_EQ(users.Get("user-test-unknown"), std::nullopt);
}

TEST_P(UserRepositoryTest, RefusesADuplicateEmailButAllowsManyUsersWithoutOne) {
  UserRepository users(db());
  ASSERT_TRUE(users.Insert(MakeUser("user-test-1", "ada@example.com")));
  EXPECT_FALSE(users.Insert(MakeUser("user-test-2", "ada@example.com")));
  EXPECT_EQ(users.Get("user-test-2"), std::nullopt);
  EXPECT_TRUE(users.Insert(MakeUser("user-test-3", "")));
  EXPECT_TRUE(users.Insert(MakeUser("user-test-4", "")));
}

TEST_P(UserRepositoryTest, FindsByEmail) {
  UserRepository users(db());
  ASSERT_TRUE(users.Insert(MakeUser("user-test-1", "ada@example.com")));
  ASSERT_TRUE(users.Insert(MakeUser("user-test-2", "")));
  ASSERT_TRUE(users.FindByEmail("ada@example.com"));
  EXPECT_EQ(users.FindByEmail("ada@example.com")->user.user_id, "user-test-1");
  EXPECT_EQ(users.FindByEmail("bob@example.com"), std::nullopt);
  EXPECT_EQ(users.FindByEmail(""), std::nullopt);
}

TEST_P(UserRepositoryTest, UpdateReplacesFieldsAndReportsConflictsAndUnknownUsers) {
  UserRepository users(db());
  ASSERT_TRUE(users.Insert(MakeUser("user-test-1", "ada@example.com")));
  ASSERT_TRUE(users.Insert(MakeUser("user-test-2", "bob@example.com")));

  UserRecord changed = *users.Get("user-test-1");
  changed.user.email = "ada@new.example";
  changed.user.first_name = "Augusta";
  changed.user.roles = {"viewer"};
  changed.password_hash = "hash";
  changed.user.updated_at = 1'700'000'100;
  EXPECT_EQ(users.Update(changed), UserRepository::UpdateOutcome::kUpdated);
  UserRecord got = *users.Get("user-test-1");
  EXPECT_EQ(got.user.email, "ada@new.example");
  EXPECT_EQ(got.user.first_name, "Augusta");
  EXPECT_EQ(got.user.roles, std::vector<std::string>{"viewer"});
  EXPECT_EQ(got.password_hash, "hash");
  EXPECT_EQ(got.user.created_at, 1'700'000'000);
  EXPECT_EQ(got.user.updated_at, 1'700'000'100);

  changed.user.email = "bob@example.com";
  EXPECT_EQ(users.Update(changed), UserRepository::UpdateOutcome::kDuplicateEmail);
  EXPECT_EQ(users.Get("user-test-1")->user.email, "ada@new.example");

  changed.user.user_id = "user-test-unknown";
  changed.user.email = "other@example.com";
  EXPECT_EQ(users.Update(changed), UserRepository::UpdateOutcome::kNotFound);
}

TEST_P(UserRepositoryTest, SetPasswordHashReplacesOnlyTheHash) {
  UserRepository users(db());
  ASSERT_TRUE(users.Insert(MakeUser("user-test-1", "ada@example.com")));
  EXPECT_TRUE(users.SetPasswordHash("user-test-1", "new-hash", 1'700'000'050));
  EXPECT_FALSE(users.SetPasswordHash("user-test-unknown", "new-hash", 1'700'000'050));
  UserRecord got = *users.Get("user-test-1");
  EXPECT_EQ(got.password_hash, "new-hash");
  EXPECT_EQ(got.user.updated_at, 1'700'000'050);
  EXPECT_EQ(got.user.first_name, "Ada");
}

TEST_P(UserRepositoryTest, DeleteRemovesTheUserAndTheirSessions) {
  UserRepository users(db());
  SessionRepository sessions(db());
  ASSERT_TRUE(users.Insert(MakeUser("user-test-1", "ada@example.com")));
  ASSERT_TRUE(users.Insert(MakeUser("user-test-2", "bob@example.com")));
  SessionRecord s;
  s.session = {"session-1", "user-test-1", 100, 200, "password"};
  s.token_hash = "hash-1";
  sessions.Insert(s);
  s.session = {"session-2", "user-test-2", 100, 200, "password"};
  s.token_hash = "hash-2";
  sessions.Insert(s);

  EXPECT_TRUE(users.Delete("user-test-1"));
  EXPECT_FALSE(users.Delete("user-test-1"));
  EXPECT_EQ(users.Get("user-test-1"), std::nullopt);
  EXPECT_EQ(sessions.Get("session-1"), std::nullopt);
  EXPECT_TRUE(sessions.Get("session-2"));
  // The email is free again.
  EXPECT_TRUE(users.Insert(MakeUser("user-test-3", "ada@example.com")));
}

TEST_P(UserRepositoryTest, ListPagesInUserIdOrderAndFiltersByEmail) {
  UserRepository users(db());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(users.Insert(
        MakeUser("user-test-" + std::to_string(i), "u" + std::to_string(i) + "@example.com")));
  }
  std::vector<std::string> seen;
  std::optional<std::string> after;
  int pages = 0;
  do {
    UserPage page = users.List(std::nullopt, after, 2);
    EXPECT_EQ(page.total, 5);
    EXPECT_LE(page.users.size(), 2u);
    for (const UserRecord& r : page.users) seen.push_back(r.user.user_id);
    after = page.next_after_user_id;
    ++pages;
  } while (after && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"user-test-0", "user-test-1", "user-test-2",
                                            "user-test-3", "user-test-4"}));

  UserPage exact = users.List(std::nullopt, std::nullopt, 5);
  EXPECT_EQ(exact.users.size(), 5u);
  EXPECT_EQ(exact.next_after_user_id, std::nullopt);

  UserPage filtered = users.List("u3@example.com", std::nullopt, 10);
  ASSERT_EQ(filtered.users.size(), 1u);
  EXPECT_EQ(filtered.users[0].user.user_id, "user-test-3");
  EXPECT_EQ(filtered.total, 1);
  EXPECT_TRUE(users.List("nobody@example.com", std::nullopt, 10).users.empty());
  // Both conditions at once: the filtered user is behind the cursor or not.
  EXPECT_EQ(users.List("u3@example.com", "user-test-2", 10).users.size(), 1u);
  UserPage past = users.List("u3@example.com", "user-test-3", 10);
  EXPECT_TRUE(past.users.empty());
  EXPECT_EQ(past.total, 1);
}

GATEHOUSE_INSTANTIATE_ENGINE_TEST(UserRepositoryTest);

}  // namespace
}  // namespace gatehouse::store
