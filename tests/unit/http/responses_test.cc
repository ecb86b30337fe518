#include "http/responses.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::http {
namespace {

using core::Error;
using core::ErrorCode;

TEST(ResponsesTest, OAuthErrorShape) {
  Response response = OAuthErrorResponse(Error(ErrorCode::kInvalidGrant, "code already used"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.size(), 2u);
  EXPECT_EQ(body.at("error").as_string(), "invalid_grant");
  EXPECT_EQ(body.at("error_description").as_string(), "code already used");

  Response client = OAuthErrorResponse(Error(ErrorCode::kInvalidClient, "bad secret"));
  EXPECT_EQ(client.status, 401);
  Response bare = OAuthErrorResponse(Error(ErrorCode::kServerError, ""));
  EXPECT_EQ(bare.status, 500);
  EXPECT_FALSE(boost::json::parse(bare.body).as_object().contains("error_description"));
}

TEST(ResponsesTest, NoStoreForbidsCachingAndKeepsTheRest) {
  Response response = JsonResponse(201, boost::json::object{{"a", 1}});
  response.Set("Cache-Control", "public, max-age=60");
  Response kept = NoStore(std::move(response));
  EXPECT_EQ(kept.status, 201);
  EXPECT_EQ(kept.body, R"({"a":1})");
  EXPECT_EQ(kept.Header("Content-Type"), "application/json");
  EXPECT_EQ(kept.Header("Cache-Control"), "no-store");
  EXPECT_EQ(kept.Header("Pragma"), "no-cache");
}

TEST(ResponsesTest, ApiErrorShape) {
  Response response =
      ApiErrorResponse(Error(ErrorCode::kNotFound, "client not found"), "0123456789abcdef");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.size(), 4u);
  EXPECT_EQ(body.at("status_code").as_int64(), 404);
  EXPECT_EQ(body.at("request_id").as_string(), "0123456789abcdef");
  EXPECT_EQ(body.at("error_type").as_string(), "not_found");
  EXPECT_EQ(body.at("error_message").as_string(), "client not found");
}

TEST(ResponsesTest, ShapeFollowsThePath) {
  EXPECT_TRUE(UsesApiErrorShape("/v1/connected_apps/clients"));
  EXPECT_TRUE(UsesApiErrorShape("/v1/m2m/clients/x"));
  EXPECT_FALSE(UsesApiErrorShape("/v1/oauth2/token"));
  EXPECT_FALSE(UsesApiErrorShape("/v1"));
  EXPECT_FALSE(UsesApiErrorShape("/v10/x"));
  EXPECT_FALSE(UsesApiErrorShape("/oauth2/authorize"));
  EXPECT_FALSE(UsesApiErrorShape("/.well-known/jwks.json"));

  const Error error(ErrorCode::kForbidden, "no");
  EXPECT_TRUE(boost::json::parse(ErrorResponseFor("/v1/users", error, "id").body)
                  .as_object()
                  .contains("error_type"));
  EXPECT_TRUE(boost::json::parse(ErrorResponseFor("/v1/oauth2/revoke", error, "id").body)
                  .as_object()
                  .contains("error"));
}

TEST(ResponsesTest, JsonResponseSerializes) {
  Response response = JsonResponse(201, boost::json::object{{"a", 1}, {"b", "x\"y"}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"a":1,"b":"x\"y"})");
}

}  // namespace
}  // namespace gatehouse::http
