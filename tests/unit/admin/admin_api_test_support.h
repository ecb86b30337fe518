#pragma once
// A management API router over a fresh SQLite database with the project credentials set up, for
// the admin suites that drive routes as the server dispatches them. Header-only; one per test.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>

#include "accounts/secret_hasher.h"
#include "admin/management_api.h"
#include "crypto/encoding.h"
#include "http/router.h"
#include "store/project_repository.h"
#include "store/store_test_support.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::testing {

struct ApiReply {
  int status = 0;
  boost::json::object body{};
};

class AdminApiTest : public ::testing::Test {
 protected:
  AdminApiTest() {
    store::ProjectRepository(db()).CreateIfAbsent({"project-test-1", hasher_.Hash("secret"), 1});
    api_ = std::make_unique<admin::ManagementApi>(db(), hasher_);
  }

  store::Database& db() { return test_db_->db(); }

  ApiReply Call(std::string method, std::string path,
                std::optional<boost::json::value> body = std::nullopt) {
    http::Request q;
    q.method = std::move(method);
    q.path = q.target = std::move(path);
    if (body) q.body = boost::json::serialize(*body);
    q.request_id = "req-1";
    q.headers.emplace_back("content-type", "application/json");
    q.headers.emplace_back("authorization",
                           "Basic " + crypto::Base64Encode("project-test-1:secret"));
    http::Response r = router_.Dispatch(q);
    return ApiReply{r.status, boost::json::parse(r.body).as_object()};
  }

  static std::string Str(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  std::unique_ptr<TestDatabase> test_db_ = OpenFreshTestDatabase(store::Engine::kSqlite);
  FakeClock clock_;
  FakeRandom random_;
  accounts::SecretHasher hasher_{"pepper"};
  std::unique_ptr<admin::ManagementApi> api_;
  http::Router router_;
};

}  // namespace gatehouse::testing
