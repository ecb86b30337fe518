#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace gatehouse::http {
namespace {

Handler Reply(std::string body) {
  return [body](Request&) { return Response::Text(200, body); };
}

Request Make(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  request.request_id = "req-1";
  return request;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/healthz", Reply("health"));
    router_.Add("GET", "/v1/connected_apps/clients/{client_id}", [](Request& r) {
      return Response::Text(200, "get " + std::string(r.PathParam("client_id")));
    });
    router_.Add("DELETE", "/v1/connected_apps/clients/{client_id}", Reply("delete"));
    router_.Add("POST", "/v1/connected_apps/clients/search", Reply("search"));
    router_.Add("POST", "/v1/users/{user_id}/connected_apps/{client_id}/revoke", [](Request& r) {
      return Response::Text(
          200, std::string(r.PathParam("user_id")) + "|" + std::string(r.PathParam("client_id")));
    });
    router_.Add("POST", "/v1/oauth2/token", Reply("token"), {.cors = true});
    router_.Add("GET", "/.well-known/jwks.json", Reply("jwks"), {.cors = true});
    router_.Add("GET", "/", Reply("root"));
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoutes) {
  Request request = Make("GET", "/healthz");
  Response response = router_.Dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "health");
  EXPECT_EQ(request.route_name, "/healthz");
  Request root = Make("GET", "/");
  EXPECT_EQ(router_.Dispatch(root).body, "root");
}

TEST_F(RouterTest, CapturesArePercentDecoded) {
  Request request = Make("GET", "/v1/connected_apps/clients/https%3A%2F%2Fapp.example%2Fc.json");
  Response response = router_.Dispatch(request);
  EXPECT_EQ(response.body, "get https://app.example/c.json");
  EXPECT_EQ(request.route_name, "/v1/connected_apps/clients/{client_id}");
  Request two = Make("POST", "/v1/users/u-1/connected_apps/c-2/revoke");
  EXPECT_EQ(router_.Dispatch(two).body, "u-1|c-2");
  EXPECT_EQ(two.path_params.size(), 2u);
}

TEST_F(RouterTest, LiteralBeatsCaptureAndMethodsFallThrough) {
  Request search = Make("POST", "/v1/connected_apps/clients/search");
  EXPECT_EQ(router_.Dispatch(search).body, "search");
  EXPECT_EQ(search.route_name, "/v1/connected_apps/clients/search");
  // GET is not registered on the literal, but the capture route takes it.
  Request get = Make("GET", "/v1/connected_apps/clients/search");
  EXPECT_EQ(router_.Dispatch(get).body, "get search");
}

TEST_F(RouterTest, UnknownPathIs404InTheShapeOfThePath) {
  Request api = Make("GET", "/v1/nothing");
  Response response = router_.Dispatch(api);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(api.route_name, Router::kUnmatchedRoute);
  auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("status_code").as_int64(), 404);
  EXPECT_EQ(body.at("error_type").as_string(), "not_found");
  EXPECT_EQ(body.at("request_id").as_string(), "req-1");

  Request oauth = Make("GET", "/v1/oauth2/nothing");
  Response oauth_response = router_.Dispatch(oauth);
  EXPECT_EQ(oauth_response.status, 404);
  EXPECT_EQ(boost::json::parse(oauth_response.body).at("error").as_string(), "not_found");

  for (std::string path : {"/healthz/", "/HEALTHZ", "healthz", "", "/v1/connected_apps/clients/",
                           "/v1/connected_apps/clients/a/b", "*"}) {
    Request request = Make("GET", path);
    EXPECT_EQ(router_.Dispatch(request).status, 404) << path;
  }
}

TEST_F(RouterTest, BadlyEncodedCaptureDoesNotMatch) {
  Request request = Make("GET", "/v1/connected_apps/clients/a%zz");
  EXPECT_EQ(router_.Dispatch(request).status, 404);
}

TEST_F(RouterTest, KnownPathOtherMethodIs405WithAllow) {
  Request request = Make("PUT", "/v1/connected_apps/clients/abc");
  Response response = router_.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, HEAD, DELETE, OPTIONS");
  EXPECT_EQ(request.route_name, "/v1/connected_apps/clients/{client_id}");
  EXPECT_EQ(response.Header("Access-Control-Allow-Origin"), std::nullopt);
  // Every pattern matching the path contributes its methods.
  Request search = Make("PUT", "/v1/connected_apps/clients/search");
  EXPECT_EQ(router_.Dispatch(search).Header("Allow"), "POST, GET, HEAD, DELETE, OPTIONS");
  Request token = Make("GET", "/v1/oauth2/token");
  Response token_response = router_.Dispatch(token);
  EXPECT_EQ(token_response.status, 405);
  EXPECT_EQ(boost::json::parse(token_response.body).at("error").as_string(), "method_not_allowed");
}

TEST_F(RouterTest, HeadUsesGet) {
  Request request = Make("HEAD", "/healthz");
  EXPECT_EQ(router_.Dispatch(request).body, "health");
}

TEST_F(RouterTest, CorsPreflightOnlyForCorsRoutes) {
  Request preflight = Make("OPTIONS", "/v1/oauth2/token");
  Response response = router_.Dispatch(preflight);
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.Header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(response.Header("Access-Control-Allow-Methods"), "POST, OPTIONS");
  EXPECT_EQ(response.Header("Access-Control-Allow-Headers"),
            "Authorization, Content-Type, mcp-protocol-version");
  EXPECT_TRUE(response.Header("Access-Control-Max-Age"));
  EXPECT_EQ(preflight.route_name, "/v1/oauth2/token");

  Request plain = Make("OPTIONS", "/healthz");
  Response plain_response = router_.Dispatch(plain);
  EXPECT_EQ(plain_response.status, 204);
  EXPECT_EQ(plain_response.Header("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(plain_response.Header("Access-Control-Allow-Origin"), std::nullopt);
  EXPECT_EQ(plain_response.Header("Access-Control-Allow-Methods"), std::nullopt);

  Request unknown = Make("OPTIONS", "/nowhere");
  EXPECT_EQ(router_.Dispatch(unknown).status, 404);
}

TEST_F(RouterTest, CorsHeaderOnActualResponsesOfCorsRoutesOnly) {
  Request token = Make("POST", "/v1/oauth2/token");
  EXPECT_EQ(router_.Dispatch(token).Header("Access-Control-Allow-Origin"), "*");
  Request jwks = Make("GET", "/.well-known/jwks.json");
  EXPECT_EQ(router_.Dispatch(jwks).Header("Access-Control-Allow-Origin"), "*");
  Request health = Make("GET", "/healthz");
  EXPECT_EQ(router_.Dispatch(health).Header("Access-Control-Allow-Origin"), std::nullopt);
}

TEST_F(RouterTest, ExplicitOptionsHandlerWins) {
  router_.Add("OPTIONS", "/custom", Reply("custom options"));
  Request request = Make("OPTIONS", "/custom");
  EXPECT_EQ(router_.Dispatch(request).body, "custom options");
}

TEST(RouterAddTest, RejectsMalformedAndConflictingPatterns) {
  Router router;
  router.Add("GET", "/a/{id}", Reply("a"));
  EXPECT_THROW(router.Add("GET", "/a/{id}", Reply("again")), std::invalid_argument);
  EXPECT_THROW(router.Add("POST", "/a/{other}", Reply("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "no-slash", Reply("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{}", Reply("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/x{id}", Reply("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/b", Handler()), std::invalid_argument);
  EXPECT_NO_THROW(router.Add("POST", "/a/{id}", Reply("post")));
}

TEST(RouterAddTest, LeftmostLiteralWinsBetweenOverlappingPatterns) {
  Router router;
  router.Add("GET", "/{x}/b/c", Reply("capture first"));
  router.Add("GET", "/a/{y}/c", Reply("literal first"));
  Request request = Make("GET", "/a/b/c");
  EXPECT_EQ(router.Dispatch(request).body, "literal first");
  Request other = Make("GET", "/z/b/c");
  EXPECT_EQ(router.Dispatch(other).body, "capture first");
}

}  // namespace
}  // namespace gatehouse::http
