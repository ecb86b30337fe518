#include "http/metrics.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace gatehouse::http {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(MetricsTest, RendersCountersHistogramsAndGauges) {
  Metrics metrics;
  metrics.RecordRequest("/v1/oauth2/token", "POST", 200, microseconds(300));
  metrics.RecordRequest("/v1/oauth2/token", "POST", 200, milliseconds(3));
  metrics.RecordRequest("/v1/oauth2/token", "POST", 400, milliseconds(7));
  metrics.RecordRequest("/healthz", "GET", 200, milliseconds(10));
  metrics.AddGauge("gatehouse_worker_queue_depth", "Requests waiting for a worker.",
                   [] { return 3.0; });
  metrics.AddGauge("gatehouse_db_pool_in_use", "Connections in use.", [] { return 0.5; });

  const std::string text = metrics.Render();
  const std::string expected_counters =
      "# HELP gatehouse_http_requests_total HTTP requests by route pattern, method and status.\n"
      "# TYPE gatehouse_http_requests_total counter\n"
      "gatehouse_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1\n"
      "gatehouse_http_requests_total{route=\"/v1/oauth2/token\",method=\"POST\",status=\"200\"} 2\n"
      "gatehouse_http_requests_total{route=\"/v1/oauth2/token\",method=\"POST\",status=\"400\"} "
      "1\n";
  EXPECT_EQ(text.substr(0, expected_counters.size()), expected_counters);
  EXPECT_NE(text.find("# TYPE gatehouse_http_request_duration_seconds histogram\n"),
            std::string::npos);
  const std::string token_buckets =
      "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"0.0005\"} 1\n"
      "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"0.001\"} 1\n"
      "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"0.0025\"} 1\n"
      "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"0.005\"} 2\n"
      "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"0.01\"} 3\n";
  EXPECT_NE(text.find(token_buckets), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"5\"} 3\n"
          "gatehouse_http_request_duration_seconds_bucket{route=\"/v1/oauth2/token\",le=\"+Inf\"} "
          "3\n"
          "gatehouse_http_request_duration_seconds_sum{route=\"/v1/oauth2/token\"} 0.0103\n"
          "gatehouse_http_request_duration_seconds_count{route=\"/v1/oauth2/token\"} 3\n"),
      std::string::npos)
      << text;
  // The boundary is inclusive: 10 ms lands in le="0.01".
  EXPECT_NE(
      text.find(
          "gatehouse_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.01\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("# HELP gatehouse_worker_queue_depth Requests waiting for a worker.\n"
                      "# TYPE gatehouse_worker_queue_depth gauge\n"
                      "gatehouse_worker_queue_depth 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("gatehouse_db_pool_in_use 0.5\n"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, BoundsLabelValues) {
  Metrics metrics;
  metrics.RecordRequest("/r", "BREW", 999, milliseconds(1));
  metrics.RecordRequest("/r\"x\\", "get", 200, milliseconds(1));
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("{route=\"/r\",method=\"OTHER\",status=\"0\"} 1"), std::string::npos);
  EXPECT_NE(text.find("{route=\"/r\\\"x\\\\\",method=\"OTHER\",status=\"200\"} 1"),
            std::string::npos);
}

TEST(MetricsTest, RejectsBadOrDuplicateGauges) {
  Metrics metrics;
  metrics.AddGauge("ok_name:sub", "help", [] { return 1.0; });
  EXPECT_THROW(metrics.AddGauge("ok_name:sub", "again", [] { return 1.0; }), std::invalid_argument);
  EXPECT_THROW(metrics.AddGauge("9starts_with_digit", "h", [] { return 1.0; }),
               std::invalid_argument);
  EXPECT_THROW(metrics.AddGauge("has-dash", "h", [] { return 1.0; }), std::invalid_argument);
  EXPECT_THROW(metrics.AddGauge("no_reader", "h", nullptr), std::invalid_argument);
}

TEST(MetricsTest, CounterCallbacksRenderAsCounters) {
  Metrics metrics;
  metrics.AddCounter("gatehouse_db_pool_waits_total", "Waits for a connection.",
                     [] { return 12.0; });
  EXPECT_NE(metrics.Render().find("# TYPE gatehouse_db_pool_waits_total counter\n"
                                  "gatehouse_db_pool_waits_total 12\n"),
            std::string::npos);
  EXPECT_THROW(metrics.AddGauge("gatehouse_db_pool_waits_total", "h", [] { return 1.0; }),
               std::invalid_argument);
}

TEST(MetricsTest, FailingGaugeRendersNaN) {
  Metrics metrics;
  metrics.AddGauge("broken", "h", []() -> double { throw std::runtime_error("db down"); });
  EXPECT_NE(metrics.Render().find("broken NaN\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Each thread creates its own series too, racing on creation.
        metrics.RecordRequest("/shared", "GET", 200, microseconds(100));
        metrics.RecordRequest("/own/" + std::to_string(t), "GET", 200 + i % 3, microseconds(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("{route=\"/shared\",method=\"GET\",status=\"200\"} 20000\n"),
            std::string::npos);
  EXPECT_NE(text.find("gatehouse_http_request_duration_seconds_count{route=\"/shared\"} 20000\n"),
            std::string::npos);
}

}  // namespace
}  // namespace gatehouse::http
