// The /v1/users, /v1/passwords and /v1/sessions management API through the router, as the
// server dispatches it, over a real SQLite database: authentication, validation, duplicate
// emails, search pagination, password login (success, wrong password and unknown email alike),
// session expiry and revocation.

#include "admin/users_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "admin/sessions_api.h"
#include "crypto/encoding.h"
#include "store/project_repository.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

struct Reply {
  int status;
  json::object body;
};

class UsersApiTest : public ::testing::Test {
 protected:
  UsersApiTest() {
    store::ProjectRepository(test_db_->db())
        .CreateIfAbsent({"project-test-1", hasher_.Hash("project-secret"), 1});
    api_ = std::make_unique<ManagementApi>(test_db_->db(), hasher_);
    AddUserRoutes(router_, *api_, accounts_);
    AddSessionRoutes(router_, *api_, sessions_, 3600);
  }

  Reply Call(std::string method, std::string path, std::optional<json::value> body = std::nullopt,
             std::optional<std::string> credentials = "project-test-1:project-secret") {
    http::Request q;
    q.method = std::move(method);
    q.path = q.target = std::move(path);
    if (body) q.body = json::serialize(*body);
    q.request_id = "req-1";
    q.headers.emplace_back("content-type", "application/json");
    if (credentials) {
      q.headers.emplace_back("authorization", "Basic " + crypto::Base64Encode(*credentials));
    }
    http::Response r = router_.Dispatch(q);
    json::value v = json::parse(r.body);
    return Reply{r.status, v.is_object() ? v.as_object() : json::object{}};
  }
  Reply Post(std::string path, json::object body) {
    return Call("POST", std::move(path), json::value(std::move(body)));
  }
  static std::string Str(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  static const json::object& User(const Reply& r) { return r.body.at("user").as_object(); }
  std::string CreateAda() {
    Reply r = Post("/v1/users", {{"email", "ada@example.com"},
                                 {"name", {{"first_name", "Ada"}, {"last_name", "Lovelace"}}},
                                 {"password", "correct horse"}});
    EXPECT_EQ(r.status, 200) << json::serialize(r.body);
    return Str(r.body, "user_id");
  }
  Reply Login(std::string email, std::string password) {
    return Post("/v1/passwords/authenticate",
                {{"email", std::move(email)}, {"password", std::move(password)}});
  }

  std::unique_ptr<testing::TestDatabase> test_db_ =
      testing::OpenFreshTestDatabase(store::Engine::kSqlite);
  testing::FakeClock clock_;
  testing::FakeRandom random_;
  accounts::SecretHasher hasher_{"pepper"};
  accounts::PasswordHasher passwords_{accounts::MinimumPasswordCost()};
  accounts::UserAccounts accounts_{test_db_->db(), clock_, random_, passwords_, "test"};
  accounts::Sessions sessions_{test_db_->db(),
                               clock_,
                               random_,
                               passwords_,
                               nullptr,
                               nullptr,
                               {"https://auth.example", "project-test-1", "test", 300}};
  std::unique_ptr<ManagementApi> api_;
  http::Router router_;
};

TEST_F(UsersApiTest, RequiresProjectCredentials) {
  for (const auto& [method, path] :
       {std::pair{"POST", "/v1/users"}, std::pair{"GET", "/v1/users/user-test-1"},
        std::pair{"POST", "/v1/users/search"}, std::pair{"POST", "/v1/passwords/authenticate"},
        std::pair{"POST", "/v1/sessions/authenticate"}, std::pair{"POST", "/v1/sessions/revoke"}}) {
    EXPECT_EQ(Call(method, path, json::object{}, std::nullopt).status, 401) << path;
    EXPECT_EQ(Call(method, path, json::object{}, "project-test-1:wrong").status, 401) << path;
  }
}

TEST_F(UsersApiTest, CreatesAUserAndNeverShowsThePasswordHash) {
  Reply r = Post("/v1/users", {{"email", "Ada@Example.com"},
                               {"first_name", "Ada"},
                               {"last_name", "Lovelace"},
                               {"phone_number", "+441234567890"},
                               {"external_id", "ext-1"},
                               {"roles", json::array{"admin"}},
                               {"password", "correct horse"}});
  ASSERT_EQ(r.status, 200) << json::serialize(r.body);
  EXPECT_EQ(r.body.at("status_code").as_int64(), 200);
  const json::object& user = User(r);
  EXPECT_EQ(Str(r.body, "user_id"), Str(user, "user_id"));
  EXPECT_TRUE(Str(user, "user_id").starts_with("user-test-"));
  EXPECT_EQ(Str(user, "email"), "ada@example.com");
  EXPECT_EQ(Str(user.at("name").as_object(), "first_name"), "Ada");
  EXPECT_EQ(Str(user.at("name").as_object(), "last_name"), "Lovelace");
  EXPECT_EQ(Str(user, "phone_number"), "+441234567890");
  EXPECT_EQ(Str(user, "external_id"), "ext-1");
  EXPECT_EQ(Str(user, "status"), "active");
  EXPECT_EQ(user.at("roles"), json::array{"admin"});
  EXPECT_TRUE(user.at("has_password").as_bool());
  EXPECT_EQ(Str(user, "created_at"), "2023-11-14T22:13:20Z");
  const std::string text = json::serialize(r.body);
  EXPECT_EQ(text.find("argon2"), std::string::npos);
  EXPECT_EQ(text.find("password_hash"), std::string::npos);

  Reply got = Call("GET", "/v1/users/" + Str(r.body, "user_id"));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(User(got), user);
}

TEST_F(UsersApiTest, ValidatesInput) {
  EXPECT_EQ(Post("/v1/users", {{"email", "nope"}}).status, 400);
  EXPECT_EQ(Post("/v1/users", {{"email", 7}}).status, 400);
  EXPECT_EQ(Post("/v1/users", {{"name", "Ada"}}).status, 400);
  EXPECT_EQ(Post("/v1/users", {{"roles", "admin"}}).status, 400);
  EXPECT_EQ(Post("/v1/users", {{"status", "asleep"}}).status, 400);
  Reply short_password = Post("/v1/users", {{"email", "a@example.com"}, {"password", "1234567"}});
  EXPECT_EQ(short_password.status, 400);
  EXPECT_EQ(Str(short_password.body, "error_type"), "bad_request");
  EXPECT_NE(Str(short_password.body, "error_message").find("at least 8"), std::string::npos);
  http::Request q;
  q.method = "POST";
  q.path = q.target = "/v1/users";
  q.body = "{not json";
  q.request_id = "req-1";
  q.headers.emplace_back("authorization",
                         "Basic " + crypto::Base64Encode("project-test-1:project-secret"));
  EXPECT_EQ(router_.Dispatch(q).status, 400);
}

TEST_F(UsersApiTest, ADuplicateEmailIs409DuplicateEmail) {
  CreateAda();
  Reply r = Post("/v1/users", {{"email", "ADA@example.com"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body.at("status_code").as_int64(), 409);
  EXPECT_EQ(Str(r.body, "error_type"), "duplicate_email");
  EXPECT_EQ(Str(r.body, "request_id"), "req-1");
  EXPECT_FALSE(Str(r.body, "error_message").empty());
}

TEST_F(UsersApiTest, UpdatesPartiallyAndDeletes) {
  const std::string id = CreateAda();
  Reply updated = Call("PUT", "/v1/users/" + id,
                       json::object{{"name", {{"last_name", "King"}}}, {"status", "disabled"}});
  ASSERT_EQ(updated.status, 200) << json::serialize(updated.body);
  EXPECT_EQ(Str(User(updated).at("name").as_object(), "first_name"), "Ada");
  EXPECT_EQ(Str(User(updated).at("name").as_object(), "last_name"), "King");
  EXPECT_EQ(Str(User(updated), "status"), "disabled");
  EXPECT_EQ(Call("PUT", "/v1/users/user-test-unknown", json::object{{"status", "active"}}).status,
            404);

  EXPECT_EQ(Call("DELETE", "/v1/users/" + id).status, 200);
  EXPECT_EQ(Call("GET", "/v1/users/" + id).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/users/" + id).status, 404);
}

TEST_F(UsersApiTest, SearchPagesWithAnOpaqueCursorAndFiltersByEmail) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Post("/v1/users", {{"email", "u" + std::to_string(i) + "@example.com"}}).status, 200);
  }
  std::set<std::string> seen;
  json::value cursor = nullptr;
  int pages = 0;
  do {
    Reply page = Post("/v1/users/search", {{"limit", 2}, {"cursor", cursor}});
    ASSERT_EQ(page.status, 200) << json::serialize(page.body);
    for (const json::value& u : page.body.at("results").as_array()) {
      seen.insert(Str(u.as_object(), "user_id"));
    }
    const json::object& meta = page.body.at("results_metadata").as_object();
    EXPECT_EQ(meta.at("total").as_int64(), 5);
    cursor = meta.at("next_cursor");
    ++pages;
  } while (!cursor.is_null() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);

  Reply filtered = Post("/v1/users/search", {{"email", "U3@example.com"}});
  ASSERT_EQ(filtered.status, 200);
  ASSERT_EQ(filtered.body.at("results").as_array().size(), 1u);
  EXPECT_EQ(Str(filtered.body.at("results").as_array()[0].as_object(), "email"), "u3@example.com");
  EXPECT_EQ(Post("/v1/users/search", {{"limit", 0}}).status, 400);
  EXPECT_EQ(Post("/v1/users/search", {{"limit", 5000}}).status, 400);
  EXPECT_EQ(Post("/v1/users/search", {{"cursor", "!!"}}).status, 400);
}

TEST_F(UsersApiTest, PasswordLoginAndSessionAuthentication) {
  const std::string id = CreateAda();
  Reply login = Login("ada@example.com", "correct horse");
  ASSERT_EQ(login.status, 200) << json::serialize(login.body);
  EXPECT_EQ(Str(login.body, "user_id"), id);
  EXPECT_EQ(Str(User(login), "user_id"), id);
  const std::string token = Str(login.body, "session_token");
  EXPECT_GE(token.size(), 43u);
  const json::object& session = login.body.at("session").as_object();
  EXPECT_EQ(Str(session, "user_id"), id);
  EXPECT_EQ(Str(session, "expires_at"), "2023-11-14T23:13:20Z");  // the default hour
  EXPECT_EQ(Str(session.at("authentication_factors").as_array()[0].as_object(), "type"),
            "password");

  Reply authenticated = Post("/v1/sessions/authenticate", {{"session_token", token}});
  ASSERT_EQ(authenticated.status, 200);
  EXPECT_EQ(Str(authenticated.body.at("session").as_object(), "session_id"),
            Str(session, "session_id"));
  EXPECT_EQ(Str(User(authenticated), "email"), "ada@example.com");
}

TEST_F(UsersApiTest, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
  CreateAda();
  Reply wrong = Login("ada@example.com", "wrong horse");
  Reply unknown = Login("nobody@example.com", "correct horse");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Str(wrong.body, "error_type"), Str(unknown.body, "error_type"));
  EXPECT_EQ(Str(wrong.body, "error_message"), Str(unknown.body, "error_message"));
  EXPECT_EQ(Post("/v1/passwords/authenticate", {{"email", "ada@example.com"}}).status, 400);
}

TEST_F(UsersApiTest, SessionDurationIsHonouredAndBounded) {
  CreateAda();
  Reply login = Post("/v1/passwords/authenticate", {{"email", "ada@example.com"},
                                                    {"password", "correct horse"},
                                                    {"session_duration_minutes", 10}});
  ASSERT_EQ(login.status, 200);
  const std::string token = Str(login.body, "session_token");
  clock_.Advance(599s);
  EXPECT_EQ(Post("/v1/sessions/authenticate", {{"session_token", token}}).status, 200);
  clock_.Advance(1s);
  Reply expired = Post("/v1/sessions/authenticate", {{"session_token", token}});
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(Str(expired.body, "error_type"), "unauthorized");

  for (int minutes : {0, 4, 527041}) {
    EXPECT_EQ(Post("/v1/passwords/authenticate", {{"email", "ada@example.com"},
                                                  {"password", "correct horse"},
                                                  {"session_duration_minutes", minutes}})
                  .status,
              400)
        << minutes;
  }
}

TEST_F(UsersApiTest, RevokeByTokenOrId) {
  CreateAda();
  const std::string first = Str(Login("ada@example.com", "correct horse").body, "session_token");
  Reply second = Login("ada@example.com", "correct horse");
  const std::string second_id = Str(second.body.at("session").as_object(), "session_id");

  EXPECT_EQ(Post("/v1/sessions/revoke", {{"session_token", first}}).status, 200);
  EXPECT_EQ(Post("/v1/sessions/authenticate", {{"session_token", first}}).status, 401);
  EXPECT_EQ(Post("/v1/sessions/revoke", {{"session_token", first}}).status, 200);

  EXPECT_EQ(Post("/v1/sessions/revoke", {{"session_id", second_id}}).status, 200);
  EXPECT_EQ(
      Post("/v1/sessions/authenticate", {{"session_token", Str(second.body, "session_token")}})
          .status,
      401);
  EXPECT_EQ(Post("/v1/sessions/revoke", {{"session_id", second_id}}).status, 404);
  EXPECT_EQ(Post("/v1/sessions/revoke", {}).status, 400);
  EXPECT_EQ(Post("/v1/sessions/revoke", {{"session_id", "x"}, {"session_token", "y"}}).status, 400);
}

TEST_F(UsersApiTest, DeletingAUserEndsTheirSessions) {
  const std::string id = CreateAda();
  const std::string token = Str(Login("ada@example.com", "correct horse").body, "session_token");
  ASSERT_EQ(Call("DELETE", "/v1/users/" + id).status, 200);
  EXPECT_EQ(Post("/v1/sessions/authenticate", {{"session_token", token}}).status, 401);
}

TEST_F(UsersApiTest, RefusesUnknownFieldsAndCreatesOrChangesNothing) {
  Reply typo = Post("/v1/users",
                    {{"email", "typo@example.com"}, {"pasword", "correct horse battery staple"}});
  EXPECT_EQ(typo.status, 400);
  EXPECT_EQ(Str(typo.body, "error_type"), "bad_request");
  EXPECT_EQ(Str(typo.body, "error_message"),
            R"(unknown field "pasword" (did you mean "password"?))");
  Reply nested = Post(
      "/v1/users", {{"email", "typo@example.com"}, {"name", json::object{{"middle_name", "K"}}}});
  EXPECT_EQ(Str(nested.body, "error_message"), R"(unknown field "name.middle_name")");
  Reply found = Post("/v1/users/search", {{"email", "typo@example.com"}});
  ASSERT_EQ(found.status, 200);
  EXPECT_TRUE(found.body.at("results").as_array().empty());

  Reply created = Post("/v1/users", {{"email", "ada@example.com"}});
  ASSERT_EQ(created.status, 200);
  const std::string path = "/v1/users/" + Str(created.body, "user_id");
  Reply update = Call("PUT", path, json::object{{"status", "disabled"}, {"nickname", "x"}});
  EXPECT_EQ(update.status, 400);
  EXPECT_EQ(Str(update.body, "error_message"), R"(unknown field "nickname")");
  EXPECT_EQ(Str(User(Call("GET", path)), "status"), "active");
  // remove_password is an update's field only.
  EXPECT_EQ(Post("/v1/users", {{"email", "b@example.com"}, {"remove_password", true}}).status, 400);
  EXPECT_EQ(Call("PUT", path, json::object{{"remove_password", true}}).status, 200);
  EXPECT_EQ(
      Post("/v1/sessions/authenticate", {{"session_token", "x"}, {"session_jwt", "y"}}).status,
      400);
}

}  // namespace
}  // namespace gatehouse::admin
