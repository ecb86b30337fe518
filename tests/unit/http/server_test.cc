// Server tests over real sockets on 127.0.0.1, port 0, with a plain Asio/Beast client. Every wait
// is bounded; the only deliberate delays are the short timeouts under test.

#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include "core/error.h"
#include "http/pipeline.h"
#include "http/router.h"
#include "support/fake_clock.h"
#include "support/fake_random.h"

namespace gatehouse::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using WireResponse = bhttp::response<bhttp::string_body>;

// A blocking-style client whose every wait has a deadline (async operations run with run_for).
class TestClient {
 public:
  explicit TestClient(uint16_t port) : socket_(ioc_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  void Send(std::string_view raw) { asio::write(socket_, asio::buffer(raw.data(), raw.size())); }

  std::optional<WireResponse> Read(bool head_request = false,
                                   std::chrono::milliseconds timeout = 5000ms) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    parser.skip(head_request);
    beast::error_code result;
    bool done = false;
    bhttp::async_read(socket_, buffer_, parser, [&](beast::error_code ec, size_t) {
      result = ec;
      done = true;
    });
    Run(timeout, done);
    if (!done || result) return std::nullopt;
    return parser.release();
  }

  // True when the server closes the connection (EOF or reset) within `timeout`; any bytes
  // arriving before that are discarded.
  bool WaitClosed(std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      beast::error_code result;
      bool done = false;
      socket_.async_read_some(asio::buffer(scratch_), [&](beast::error_code ec, size_t) {
        result = ec;
        done = true;
      });
      Run(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()), done);
      if (!done) return false;
      if (result) return true;
    }
    return false;
  }

 private:
  // Runs the pending operation until it completes or `timeout` passes (then cancels it).
  void Run(std::chrono::milliseconds timeout, bool& done) {
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
      beast::error_code ignored;
      socket_.cancel(ignored);
      ioc_.restart();
      ioc_.run();
      done = false;
    }
  }

  asio::io_context ioc_;
  asio::ip::tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::array<char, 4096> scratch_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) +
         "\r\n";
}

// A gate a handler waits on, released by the test.
class Gate {
 public:
  void Enter() {
    entered_.set_value();
    released_.wait();
  }
  void WaitEntered() { ASSERT_EQ(entered_future_.wait_for(5s), std::future_status::ready); }
  void Release() { release_.set_value(); }

 private:
  std::promise<void> entered_;
  std::future<void> entered_future_ = entered_.get_future();
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    options_.address = "127.0.0.1";
    options_.port = 0;
    options_.worker_threads = 2;
    options_.read_timeout = 2000ms;
    options_.idle_timeout = 2000ms;
    options_.drain_timeout = 2000ms;
    options_.random = &random_;
    options_.metrics = &metrics_;

    router_.Add("GET", "/hello", [](Request& r) {
      Response response = Response::Text(200, "hello " + r.query);
      response.Set("X-Echo-Remote", r.remote_address);
      response.Set("X-Echo-Header", r.Header("x-test").value_or("none"));
      return response;
    });
    router_.Add("POST", "/echo", [](Request& r) { return Response::Text(200, r.body); });
    router_.Add("GET", "/cached", [](Request&) {
      return Response::Text(200, "c").Set("Cache-Control", "public, max-age=60");
    });
    router_.Add("GET", "/split", [](Request&) {
      return Response::Text(200, "s").Set("X-Bad", "a\r\nSet-Cookie: evil=1");
    });
    router_.Add("GET", "/gate", [this](Request&) {
      gate_.Enter();
      return Response::Text(200, "gate done");
    });
    router_.Add("GET", "/throw",
                [](Request&) -> Response { throw std::runtime_error("secret internals"); });
    router_.Add("GET", "/v1/busy", [](Request&) -> Response {
      throw core::InfrastructureError("database unreachable", /*transient=*/true);
    });
  }

  ~ServerTest() override {
    if (server_) server_->Stop();
  }

  void StartServer() {
    server_ = std::make_unique<Server>(options_, pipeline_.AsHandler());
    server_->Start();
    ASSERT_NE(server_->port(), 0);
  }

  uint16_t port() const { return server_->port(); }

  testing::FakeRandom random_{11};
  testing::FakeClock clock_;
  Metrics metrics_;
  Router router_;
  Pipeline pipeline_{router_, metrics_, random_, clock_, [](std::string_view) {}};
  Gate gate_;
  ServerOptions options_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, ServesARequestWithDefaultHeaders) {
  StartServer();
  TestClient client(port());
  client.Send(Get("/hello?name=x", "X-Test: yes\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->body(), "hello name=x");
  EXPECT_EQ((*response)["Content-Length"], "12");
  EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ((*response)["Cache-Control"], "no-store");
  EXPECT_EQ((*response)["X-Request-Id"].size(), 16u);
  EXPECT_FALSE((*response)["Date"].empty());
  EXPECT_EQ((*response)["X-Echo-Remote"], "127.0.0.1");
  EXPECT_EQ((*response)["X-Echo-Header"], "yes");
  EXPECT_TRUE(response->keep_alive());
}

TEST_F(ServerTest, HandlerCacheControlIsKeptAndHeaderInjectionNeutralised) {
  StartServer();
  TestClient client(port());
  client.Send(Get("/cached"));
  auto cached = client.Read();
  ASSERT_TRUE(cached);
  EXPECT_EQ((*cached)["Cache-Control"], "public, max-age=60");
  client.Send(Get("/split"));
  auto split = client.Read();
  ASSERT_TRUE(split);
  EXPECT_EQ(split->count("Set-Cookie"), 0u);
  EXPECT_EQ((*split)["X-Bad"], "a  Set-Cookie: evil=1");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  TestClient client(port());
  client.Send(Get("/hello?n=1"));
  auto first = client.Read();
  client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nbody!");
  auto second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body(), "hello n=1");
  EXPECT_EQ(second->body(), "body!");
  EXPECT_EQ(server_->ConnectionCount(), 1u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  TestClient client(port());
  client.Send(Get("/hello?n=1") + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc" +
              Get("/hello?n=3"));
  auto a = client.Read();
  auto b = client.Read();
  auto c = client.Read();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->body(), "hello n=1");
  EXPECT_EQ(b->body(), "abc");
  EXPECT_EQ(c->body(), "hello n=3");
}

TEST_F(ServerTest, ChunkedBodyAndExpectContinue) {
  StartServer();
  TestClient client(port());
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  auto chunked = client.Read();
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body(), "abcde");

  client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result_int(), 100);
  client.Send("wxyz");
  auto final_response = client.Read();
  ASSERT_TRUE(final_response);
  EXPECT_EQ(final_response->body(), "wxyz");
}

TEST_F(ServerTest, HeadSendsNoBody) {
  StartServer();
  TestClient client(port());
  client.Send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.Read(/*head_request=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->result_int(), 200);
  EXPECT_EQ((*head)["Content-Length"], "6");
  EXPECT_TRUE(head->body().empty());
  client.Send(Get("/hello"));  // the stream is still in sync
  auto get = client.Read();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body(), "hello ");
}

TEST_F(ServerTest, Http10AndConnectionCloseAreHonoured) {
  StartServer();
  {
    TestClient client(port());
    client.Send("GET /hello HTTP/1.0\r\n\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->version(), 10);
    EXPECT_FALSE(response->keep_alive());
    EXPECT_TRUE(client.WaitClosed());
  }
  {
    TestClient client(port());
    client.Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_TRUE(response->keep_alive());
    EXPECT_EQ((*response)["Connection"], "keep-alive");
  }
  {
    TestClient client(port());
    client.Send(Get("/hello", "Connection: close\r\n"));
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ((*response)["Connection"], "close");
    EXPECT_TRUE(client.WaitClosed());
  }
}

TEST_F(ServerTest, OversizedHeaderIs431AndServerStaysHealthy) {
  options_.header_limit = 1024;
  StartServer();
  {
    TestClient client(port());
    client.Send(Get("/hello", "X-Big: " + std::string(4096, 'a') + "\r\n"));
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 431);
    EXPECT_EQ((*response)["Connection"], "close");
    EXPECT_EQ(boost::json::parse(response->body()).at("error").as_string(), "invalid_request");
    EXPECT_EQ((*response)["X-Request-Id"].size(), 16u);
    EXPECT_TRUE(client.WaitClosed());
  }
  TestClient next(port());
  next.Send(Get("/hello"));
  auto response = next.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
}

TEST_F(ServerTest, OversizedBodyIs413BeforeTheBodyIsRead) {
  options_.body_limit = 1024;
  StartServer();
  {
    TestClient client(port());
    // Announces 10 MB and sends none of it: the answer must not wait for the body.
    client.Send("POST /v1/things HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 413);
    EXPECT_EQ((*response)["Connection"], "close");
    const auto body = boost::json::parse(response->body()).as_object();  // API shape: /v1/
    EXPECT_EQ(body.at("error_type").as_string(), "payload_too_large");
    EXPECT_TRUE(client.WaitClosed());
  }
  {
    TestClient client(port());  // chunked: caught while reading
    client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
                std::string(2048, 'x') + "\r\n0\r\n\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 413);
    EXPECT_TRUE(client.WaitClosed());
  }
  TestClient next(port());
  next.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok");
  auto response = next.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body(), "ok");
  EXPECT_NE(metrics_.Render().find("{route=\"rejected\",method=\"POST\",status=\"413\"} 2"),
            std::string::npos);
}

TEST_F(ServerTest, GarbageIs400AndClosed) {
  StartServer();
  TestClient client(port());
  client.Send(std::string("\x01\x02\x03") + " not http\r\n\r\n");
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 400);
  EXPECT_EQ((*response)["Connection"], "close");
  EXPECT_TRUE(client.WaitClosed());

  TestClient bad_version(port());
  bad_version.Send("GET / HTTP/9.9\r\n\r\n");
  auto version_response = bad_version.Read();
  ASSERT_TRUE(version_response);
  EXPECT_EQ(version_response->result_int(), 400);
}

TEST_F(ServerTest, AmbiguousMessageLengthIs400) {
  StartServer();
  for (std::string_view raw :
       {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n"}) {
    TestClient client(port());
    client.Send(raw);
    auto response = client.Read();
    ASSERT_TRUE(response) << raw;
    EXPECT_EQ(response->result_int(), 400) << raw;
    EXPECT_TRUE(client.WaitClosed()) << raw;
  }
}

TEST_F(ServerTest, ServerMadeErrorsCarryTheirOwnRequestId) {
  options_.body_limit = 16;
  StartServer();
  TestClient client(port());
  client.Send(Get("/hello"));
  auto first = client.Read();
  ASSERT_TRUE(first);
  client.Send("POST /v1/x HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n");
  auto rejected = client.Read();
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->result_int(), 413);
  const std::string id((*rejected)["X-Request-Id"]);
  EXPECT_EQ(id.size(), 16u);
  EXPECT_NE(id, (*first)["X-Request-Id"]);
  EXPECT_EQ(boost::json::parse(rejected->body()).at("request_id").as_string(), id);
}

TEST_F(ServerTest, SlowClientIsCutOffWhileOthersAreServed) {
  options_.read_timeout = 300ms;
  StartServer();
  const auto start = Clock::now();
  TestClient slow(port());
  slow.Send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Partial:");  // and nothing more
  TestClient other(port());
  other.Send(Get("/hello"));
  auto response = other.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_TRUE(slow.WaitClosed(3000ms));
  const auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2000ms);
}

TEST_F(ServerTest, TricklingClientIsCutOffByTheWholeRequestDeadline) {
  options_.read_timeout = 300ms;
  StartServer();
  TestClient slow(port());
  const auto start = Clock::now();
  // A byte every 50 ms keeps each read alive; the deadline covers the whole head.
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    try {
      slow.Send(i == 0 ? "GET /hello HTTP/1.1\r\n" : "X");
    } catch (const std::exception&) {
      closed = true;
      break;
    }
    std::this_thread::sleep_for(50ms);
    if (Clock::now() - start > 600ms) break;
  }
  EXPECT_TRUE(closed || slow.WaitClosed(2000ms));
  EXPECT_LT(Clock::now() - start, 2500ms);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  options_.idle_timeout = 200ms;
  StartServer();
  TestClient client(port());
  client.Send(Get("/hello"));
  ASSERT_TRUE(client.Read());
  const auto start = Clock::now();
  EXPECT_TRUE(client.WaitClosed(3000ms));
  EXPECT_GE(Clock::now() - start, 150ms);
}

TEST_F(ServerTest, HandlerExceptionIs500AndServingContinues) {
  StartServer();
  TestClient client(port());
  client.Send(Get("/throw"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 500);
  EXPECT_EQ(response->body().find("secret"), std::string::npos);
  EXPECT_EQ(boost::json::parse(response->body()).at("error").as_string(), "server_error");
  client.Send(Get("/hello"));
  auto next = client.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->result_int(), 200);
}

TEST_F(ServerTest, RawHandlerExceptionIsCaughtByTheServer) {
  server_ = std::make_unique<Server>(
      options_, [](Request&) -> Response { throw std::runtime_error("no pipeline around me"); });
  server_->Start();
  TestClient client(port());
  client.Send(Get("/anything"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 500);
  EXPECT_EQ((*response)["X-Request-Id"].size(), 16u);
}

TEST_F(ServerTest, TransientInfrastructureErrorIs503) {
  StartServer();
  TestClient client(port());
  client.Send(Get("/v1/busy"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 503);
  EXPECT_EQ((*response)["Retry-After"], "1");
  const auto body = boost::json::parse(response->body()).as_object();
  EXPECT_EQ(body.at("error_type").as_string(), "temporarily_unavailable");
  EXPECT_EQ(body.at("request_id").as_string(), (*response)["X-Request-Id"]);
}

TEST_F(ServerTest, BlockedHandlerDoesNotBlockOtherConnections) {
  StartServer();
  TestClient blocked(port());
  blocked.Send(Get("/gate"));
  gate_.WaitEntered();
  TestClient other(port());
  other.Send(Get("/hello"));
  auto response = other.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  gate_.Release();
  auto gated = blocked.Read();
  ASSERT_TRUE(gated);
  EXPECT_EQ(gated->body(), "gate done");
}

TEST_F(ServerTest, FullWorkerQueueIs503WithoutRunningTheHandler) {
  options_.worker_threads = 1;
  options_.max_queued = 1;
  StartServer();
  TestClient running(port());
  running.Send(Get("/gate"));
  gate_.WaitEntered();
  TestClient queued(port());
  queued.Send(Get("/hello?queued"));
  const auto deadline = Clock::now() + 5s;
  while (server_->QueueDepth() < 1 && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(server_->QueueDepth(), 1u);

  TestClient rejected(port());
  rejected.Send(Get("/hello?rejected"));
  auto busy = rejected.Read();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->result_int(), 503);
  EXPECT_EQ((*busy)["Retry-After"], "1");
  EXPECT_EQ(boost::json::parse(busy->body()).at("error").as_string(), "temporarily_unavailable");

  gate_.Release();
  auto first = running.Read();
  auto second = queued.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->body(), "hello queued");
  // The rejected connection was kept open: it can retry.
  rejected.Send(Get("/hello?retry"));
  auto retried = rejected.Read();
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->body(), "hello retry");
}

TEST_F(ServerTest, GracefulStopDeliversInFlightResponses) {
  StartServer();
  const uint16_t bound_port = port();
  TestClient idle(bound_port);
  idle.Send(Get("/hello"));
  ASSERT_TRUE(idle.Read());
  TestClient in_flight(bound_port);
  in_flight.Send(Get("/gate"));
  gate_.WaitEntered();

  const auto start = Clock::now();
  std::thread stopper([this] { server_->Stop(); });
  EXPECT_TRUE(idle.WaitClosed());  // idle keep-alive connections go first
  gate_.Release();
  auto response = in_flight.Read();
  stopper.join();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->body(), "gate done");
  EXPECT_EQ((*response)["Connection"], "close");
  EXPECT_LT(Clock::now() - start, options_.drain_timeout);  // drained, not timed out
  EXPECT_THROW(TestClient refused(bound_port), boost::system::system_error);
}

TEST_F(ServerTest, StopIsBoundedByTheDrainTimeout) {
  options_.drain_timeout = 200ms;
  StartServer();
  TestClient in_flight(port());
  in_flight.Send(Get("/gate"));
  gate_.WaitEntered();
  const auto start = Clock::now();
  std::thread release_later([this] {
    std::this_thread::sleep_for(400ms);
    gate_.Release();
  });
  server_->Stop();  // closes the connection at 200 ms, then waits for the running handler
  release_later.join();
  EXPECT_TRUE(in_flight.WaitClosed());
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST_F(ServerTest, RunUntilSignalReturnsWhenStoppedElsewhere) {
  server_ = std::make_unique<Server>(options_, pipeline_.AsHandler());
  std::thread runner([this] { server_->RunUntilSignal(); });
  const auto deadline = Clock::now() + 5s;
  while (server_->port() == 0 && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
  ASSERT_NE(server_->port(), 0);
  TestClient client(port());
  client.Send(Get("/hello"));
  EXPECT_TRUE(client.Read());
  server_->Stop();
  runner.join();
}

TEST_F(ServerTest, AddressInUseFailsAtStartWithAClearMessage) {
  StartServer();
  ServerOptions taken = options_;
  taken.port = port();
  Server second(taken, [](Request&) { return Response::Text(200, ""); });
  try {
    second.Start();
    FAIL() << "Start should have thrown";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port())), std::string::npos)
        << e.what();
  }
  ServerOptions bad = options_;
  bad.address = "not an address";
  Server third(bad, [](Request&) { return Response::Text(200, ""); });
  EXPECT_THROW(third.Start(), std::runtime_error);
}

TEST_F(ServerTest, ConnectionsPastTheLimitAreClosed) {
  options_.max_connections = 1;
  StartServer();
  TestClient first(port());
  first.Send(Get("/hello"));
  ASSERT_TRUE(first.Read());
  TestClient second(port());
  EXPECT_TRUE(second.WaitClosed());
  first.Send(Get("/hello"));
  EXPECT_TRUE(first.Read());
}

}  // namespace
}  // namespace gatehouse::http
