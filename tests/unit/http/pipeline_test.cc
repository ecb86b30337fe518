#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/error.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::http {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest()
      : pipeline_(router_, metrics_, random_, clock_, [this](std::string_view line) {
          std::lock_guard lock(mu_);
          lines_.emplace_back(line);
        }) {
    router_.Add("GET", "/v1/things/{id}",
                [](Request& r) { return Response::Text(200, std::string(r.PathParam("id"))); });
    router_.Add("POST", "/v1/oauth2/token", [](Request&) -> Response {
      throw std::runtime_error("database password is hunter2");
    });
    router_.Add("POST", "/v1/users", [](Request&) -> Response {
      throw core::InfrastructureError("pool exhausted", /*transient=*/true);
    });
    router_.Add("GET", "/broken", [](Request&) -> Response {
      throw core::InfrastructureError("disk full", /*transient=*/false);
    });
    router_.Add("GET", "/weird", [](Request&) -> Response { throw 42; });
  }

  Request Make(std::string method, std::string target) {
    Request request;
    request.method = std::move(method);
    request.target = target;
    const size_t q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.remote_address = "192.0.2.7";
    return request;
  }

  boost::json::object LastLogLine() {
    std::lock_guard lock(mu_);
    EXPECT_FALSE(lines_.empty());
    return boost::json::parse(lines_.back()).as_object();
  }

  Router router_;
  Metrics metrics_;
  testing::FakeRandom random_{7};
  testing::FakeClock clock_{1'700'000'000};
  std::mutex mu_;
  std::vector<std::string> lines_;
  Pipeline pipeline_;
};

TEST_F(PipelineTest, AssignsRequestIdAndLogsOneLineWithoutQuery) {
  Request request = Make("GET", "/v1/things/abc?code=SECRETCODE");
  Response response = pipeline_.Handle(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "abc");
  ASSERT_EQ(request.request_id.size(), 16u);
  EXPECT_EQ(request.request_id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(response.Header("X-Request-Id"), request.request_id);

  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find("SECRETCODE"), std::string::npos);
  const auto line = LastLogLine();
  EXPECT_EQ(line.at("time").as_string(), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(line.at("request_id").as_string(), request.request_id);
  EXPECT_EQ(line.at("method").as_string(), "GET");
  EXPECT_EQ(line.at("route").as_string(), "/v1/things/{id}");
  EXPECT_EQ(line.at("path").as_string(), "/v1/things/abc");
  EXPECT_EQ(line.at("status").as_int64(), 200);
  EXPECT_TRUE(line.at("duration_ms").is_double());
  EXPECT_EQ(line.at("remote").as_string(), "192.0.2.7");
  EXPECT_FALSE(line.contains("error"));

  Request second = Make("GET", "/v1/things/x");
  pipeline_.Handle(second);
  EXPECT_NE(second.request_id, request.request_id);
}

TEST_F(PipelineTest, ExceptionBecomes500WithoutLeakingButIsLogged) {
  Request request = Make("POST", "/v1/oauth2/token");
  Response response = pipeline_.Handle(request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("error").as_string(), "server_error");  // OAuth shape under /v1/oauth2/
  EXPECT_EQ(response.Header("X-Request-Id"), request.request_id);
  const auto line = LastLogLine();
  EXPECT_EQ(line.at("status").as_int64(), 500);
  EXPECT_EQ(line.at("error").as_string(), "database password is hunter2");
  EXPECT_EQ(line.at("route").as_string(), "/v1/oauth2/token");
}

TEST_F(PipelineTest, TransientInfrastructureErrorIs503WithRetryAfter) {
  Request request = Make("POST", "/v1/users");
  Response response = pipeline_.Handle(request);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.Header("Retry-After"), "1");
  const auto body = boost::json::parse(response.body).as_object();  // API shape under /v1/
  EXPECT_EQ(body.at("error_type").as_string(), "temporarily_unavailable");
  EXPECT_EQ(body.at("request_id").as_string(), request.request_id);
  EXPECT_EQ(response.body.find("pool exhausted"), std::string::npos);

  Request broken = Make("GET", "/broken");
  Response broken_response = pipeline_.Handle(broken);
  EXPECT_EQ(broken_response.status, 500);
  EXPECT_EQ(broken_response.Header("Retry-After"), std::nullopt);

  Request weird = Make("GET", "/weird");
  EXPECT_EQ(pipeline_.Handle(weird).status, 500);
  EXPECT_EQ(LastLogLine().at("error").as_string(), "non-standard exception");
}

TEST_F(PipelineTest, RefusesRepeatedSensitiveHeaders) {
  Request request = Make("GET", "/v1/things/abc");
  request.headers = {{"authorization", "Basic a"}, {"authorization", "Basic b"}};
  Response response = pipeline_.Handle(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(boost::json::parse(response.body).at("error_message").as_string(),
            "repeated header: authorization");
  EXPECT_EQ(LastLogLine().at("route").as_string(), "unmatched");

  Request types = Make("POST", "/v1/oauth2/token");
  types.headers = {{"content-type", "application/json"},
                   {"content-type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(pipeline_.Handle(types).status, 400);
}

TEST_F(PipelineTest, RecordsMetricsByRoutePattern) {
  for (std::string id : {"a", "b", "c"}) {
    Request request = Make("GET", "/v1/things/" + id);
    pipeline_.Handle(request);
  }
  Request missing = Make("GET", "/nope/123");
  pipeline_.Handle(missing);
  const std::string text = metrics_.Render();
  EXPECT_NE(text.find("{route=\"/v1/things/{id}\",method=\"GET\",status=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(text.find("/nope/123"), std::string::npos);
}

TEST_F(PipelineTest, LogLineEscapesHostileInput) {
  Request request = Make("GET", "/a\"b\x01\xff");
  pipeline_.Handle(request);
  const auto line = LastLogLine();  // parses: valid JSON
  EXPECT_EQ(line.at("path").as_string(), "/a\"b\x01\xc3\xbf");
}

TEST_F(PipelineTest, AsHandlerRunsTheChain) {
  Handler handler = pipeline_.AsHandler();
  Request request = Make("GET", "/v1/things/q");
  EXPECT_EQ(handler(request).body, "q");
}

}  // namespace
}  // namespace gatehouse::http
