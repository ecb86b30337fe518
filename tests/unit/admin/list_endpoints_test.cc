// GET on the users, connected apps, M2M clients and organizations collections through the router,
// as the server dispatches it: the search's answer page by page, cursors shared with the search,
// 400 on bad paging input and 401 without the project credentials.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "accounts/client_registry.h"
#include "accounts/m2m_clients.h"
#include "accounts/password_hash.h"
#include "accounts/user_accounts.h"
#include "admin/connected_apps_api.h"
#include "admin/m2m_api.h"
#include "admin/organizations_api.h"
#include "admin/users_api.h"
#include "admin_api_test_support.h"
#include "http/form.h"

namespace gatehouse::admin {
namespace {
namespace json = boost::json;

struct Collection {
  std::string name;  // for the test's name
  std::string path;  // GET here, POST path + "/search"
  std::string key;   // the items' key, the search's
  std::string id;    // an item's id field
  friend void PrintTo(const Collection& c, std::ostream* os) { *os << c.path; }
};

const Collection kUsers{"Users", "/v1/users", "results", "user_id"};
const Collection kConnectedApps{"ConnectedApps", "/v1/connected_apps/clients", "connected_apps",
                                "client_id"};
const Collection kM2mClients{"M2mClients", "/v1/m2m/clients", "m2m_clients", "client_id"};
const Collection kOrganizations{"Organizations", "/v1/organizations", "organizations",
                                "organization_id"};

class ListEndpointsTest : public testing::AdminApiTest,
                          public ::testing::WithParamInterface<Collection> {
 protected:
  ListEndpointsTest() {
    AddUserRoutes(router_, *api_, users_);
    AddConnectedAppsRoutes(router_, *api_, registry_);
    AddM2mRoutes(router_, *api_, m2m_);
    AddOrganizationRoutes(router_, *api_, {db(), clock_, random_, "test"});
    for (int i = 0; i < 5; ++i) {
      const std::string n = std::to_string(i);
      Create("/v1/users", {{"email", "u" + n + "@example.com"}});
      Create("/v1/connected_apps/clients", {{"client_type", "third_party"}});
      Create("/v1/m2m/clients", {{"client_name", "worker " + n}, {"scopes", json::array{"read"}}});
      Create("/v1/organizations",
             {{"organization_name", "Org " + n}, {"organization_slug", "o-" + n}});
    }
  }

  void Create(const std::string& path, json::object body) {
    auto r = Call("POST", path, json::value(std::move(body)));
    ASSERT_EQ(r.status, 200) << path << ": " << json::serialize(r.body);
  }

  // GET `path` with `query` as the server hands it over: path and query apart.
  testing::ApiReply Get(const std::string& path, const std::string& query,
                        bool with_credentials = true) {
    http::Request q;
    q.method = "GET";
    q.path = path;
    q.query = query;
    q.target = query.empty() ? path : path + "?" + query;
    q.request_id = "req-1";
    if (with_credentials) {
      q.headers.emplace_back("authorization",
                             "Basic " + crypto::Base64Encode("project-test-1:secret"));
    }
    http::Response r = router_.Dispatch(q);
    return testing::ApiReply{r.status, json::parse(r.body).as_object()};
  }

  static std::vector<std::string> Ids(const testing::ApiReply& r, const Collection& c) {
    std::vector<std::string> ids;
    for (const auto& item : r.body.at(c.key).as_array()) ids.push_back(Str(item.as_object(), c.id));
    return ids;
  }

  void ExpectBadRequest(const testing::ApiReply& r, std::string_view mentions) {
    EXPECT_EQ(r.status, 400) << json::serialize(r.body);
    EXPECT_EQ(Str(r.body, "error_type"), "bad_request");
    EXPECT_NE(Str(r.body, "error_message").find(mentions), std::string::npos)
        << json::serialize(r.body);
  }

  accounts::PasswordHasher passwords_{accounts::MinimumPasswordCost()};
  accounts::UserAccounts users_{db(), clock_, random_, passwords_, "test"};
  accounts::ClientRegistry registry_{db(), hasher_, clock_, random_, core::Environment::kTest};
  accounts::M2mClients m2m_{db(), hasher_, clock_, random_, core::Environment::kTest};
};

TEST_P(ListEndpointsTest, WalksEveryItemOnceInTheSearchOrder) {
  const Collection& c = GetParam();
  auto all = Call("POST", c.path + "/search", json::value(json::object{}));
  ASSERT_EQ(all.status, 200);
  const std::vector<std::string> expected = Ids(all, c);
  ASSERT_EQ(expected.size(), 5u);

  std::vector<std::string> seen;
  std::string query = "limit=2";
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto page = Get(c.path, query);
    ASSERT_EQ(page.status, 200) << json::serialize(page.body);
    const auto ids = Ids(page, c);
    seen.insert(seen.end(), ids.begin(), ids.end());
    const json::object& meta = page.body.at("results_metadata").as_object();
    EXPECT_EQ(meta.at("total").as_int64(), 5);
    if (meta.at("next_cursor").is_null()) break;
    query = "limit=2&cursor=" + http::UrlEncode(meta.at("next_cursor").as_string());
  }
  EXPECT_EQ(pages + 1, 3);
  EXPECT_EQ(seen, expected);

  auto whole = Get(c.path, "");
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body.at(c.key), all.body.at(c.key)) << "rendered as the search renders";
  EXPECT_TRUE(whole.body.at("results_metadata").at("next_cursor").is_null());
}

TEST_P(ListEndpointsTest, SharesCursorsWithTheSearch) {
  const Collection& c = GetParam();
  auto first = Get(c.path, "limit=3");
  ASSERT_EQ(first.status, 200);
  const json::value cursor = first.body.at("results_metadata").at("next_cursor");
  ASSERT_TRUE(cursor.is_string());
  auto via_get = Get(c.path, "limit=3&cursor=" + http::UrlEncode(cursor.as_string()));
  auto via_search =
      Call("POST", c.path + "/search", json::value(json::object{{"limit", 3}, {"cursor", cursor}}));
  ASSERT_EQ(via_get.status, 200);
  ASSERT_EQ(via_search.status, 200);
  EXPECT_EQ(via_get.body.at(c.key), via_search.body.at(c.key));
  EXPECT_EQ(via_get.body.at("results_metadata"), via_search.body.at("results_metadata"));
  EXPECT_EQ(Ids(via_get, c).size(), 2u);
}

TEST_P(ListEndpointsTest, RefusesBadPagingInput) {
  const Collection& c = GetParam();
  for (std::string limit : {"abc", "0", "-1", "1001", "", "2.5"}) {
    ExpectBadRequest(Get(c.path, "limit=" + limit), "limit");
  }
  ExpectBadRequest(Get(c.path, "limit=2&limit=3"), "limit");
  ExpectBadRequest(Get(c.path, "cursor=!!"), "cursor");
  ExpectBadRequest(Get(c.path, "cursor=" + crypto::Base64UrlEncode("garbage")), "cursor");
  ExpectBadRequest(Get(c.path, "page=2"), "page");
  for (const Collection* other : {&kUsers, &kConnectedApps, &kM2mClients, &kOrganizations}) {
    if (other->path == c.path) continue;
    auto page = Get(other->path, "limit=1");
    const std::string foreign(page.body.at("results_metadata").at("next_cursor").as_string());
    ExpectBadRequest(Get(c.path, "cursor=" + http::UrlEncode(foreign)), "cursor");
    ExpectBadRequest(
        Call("POST", c.path + "/search", json::value(json::object{{"cursor", foreign}})), "cursor");
  }
}

TEST_P(ListEndpointsTest, NeedsTheProjectCredentials) {
  const Collection& c = GetParam();
  auto r = Get(c.path, "limit=2", false);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Str(r.body, "error_type"), "unauthorized");
  EXPECT_FALSE(r.body.contains(c.key));
}

INSTANTIATE_TEST_SUITE_P(Collections, ListEndpointsTest,
                         ::testing::Values(kUsers, kConnectedApps, kM2mClients, kOrganizations),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gatehouse::admin
