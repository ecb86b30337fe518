// HttpsDocumentFetcher against a real HTTPS server on loopback (see cimd_test_server.h).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "oauth/cimd/document_fetcher.h"
#include "unit/oauth/cimd_test_server.h"

namespace gatehouse::oauth::cimd {
namespace {

using testing::CannedResponse;
using testing::TestHttpsServer;
using testing::TestPki;

class CimdHttpsFetch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  CimdHttpsFetch() : server_(*pki_) {}

  FetchOptions Options(bool allow_loopback) const {
    return FetchOptions{.allow_loopback = allow_loopback,
                        .ca_file = pki_->ca_file(),
                        .timeout = std::chrono::milliseconds(1000)};
  }

  core::Result<FetchedDocument> Fetch(const std::string& url, bool allow_loopback = true) {
    auto parsed = ParseClientIdUrl(url);
    EXPECT_TRUE(parsed) << url;
    if (!parsed) return parsed.error();
    HttpsDocumentFetcher fetcher(Options(allow_loopback));
    return fetcher.Fetch(*parsed);
  }

  static void ExpectFetchFailure(const core::Result<FetchedDocument>& result,
                                 std::string_view reason) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClient);
    const std::string& d = result.error().description();
    EXPECT_EQ(d.rfind("client metadata document could not be fetched: ", 0), 0u) << d;
    EXPECT_NE(d.find(reason), std::string::npos) << d;
  }

  static TestPki* pki_;
  TestHttpsServer server_;
};

TestPki* CimdHttpsFetch::pki_ = nullptr;

TEST_F(CimdHttpsFetch, FetchesADocumentFromAnAllowedLoopbackServer) {
  server_.Serve("/client.json", CannedResponse{.body = R"({"a":1})",
                                               .headers = {{"Cache-Control", "max-age=600"}}});
  for (const char* host : {"127.0.0.1", "localhost"}) {
    const auto document = Fetch(server_.Url(host, "/client.json"));
    ASSERT_TRUE(document) << host << ": " << document.error().description();
    EXPECT_EQ(document->body, R"({"a":1})");
    EXPECT_EQ(document->cache_control, "max-age=600");
  }
  EXPECT_EQ(server_.Requests("/client.json"), 2);
}

TEST_F(CimdHttpsFetch, JsonMediaTypesWithParametersAreAccepted) {
  server_.Serve("/a",
                CannedResponse{.content_type = "application/json; charset=utf-8", .body = "{}"});
  server_.Serve("/b",
                CannedResponse{.content_type = "Application/Client-Metadata+JSON", .body = "{}"});
  EXPECT_TRUE(Fetch(server_.Url("127.0.0.1", "/a")));
  EXPECT_TRUE(Fetch(server_.Url("127.0.0.1", "/b")));
}

TEST_F(CimdHttpsFetch, SpecialUseAddressesAreRefusedWithoutConnecting) {
  server_.Serve("/client.json", CannedResponse{.body = "{}"});
  const auto port = std::to_string(server_.port());
  for (const std::string host : {"127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "localhost",
                                 "192.168.1.1", "[fe80::1]", "[::ffff:127.0.0.1]", "0.0.0.0"}) {
    const auto started = std::chrono::steady_clock::now();
    const auto result = Fetch("https://" + host + ":" + port + "/client.json",
                              /*allow_loopback=*/false);
    ExpectFetchFailure(result, "may not be fetched");
    // Refused before any connection: no waiting on unroutable addresses either.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500)) << host;
  }
  EXPECT_EQ(server_.Connections(), 0);
}

TEST_F(CimdHttpsFetch, LoopbackAllowListDoesNotAdmitOtherSpecialUseAddresses) {
  for (const char* url : {"https://10.0.0.1/c.json", "https://169.254.169.254/latest/meta-data",
                          "https://[fc00::1]/c.json", "https://100.64.0.1/c.json"}) {
    ExpectFetchFailure(Fetch(url, /*allow_loopback=*/true), "may not be fetched");
  }
}

TEST_F(CimdHttpsFetch, RedirectsAreNotFollowed) {
  server_.Serve("/target.json", CannedResponse{.body = "{}"});
  const std::vector<std::string> locations = {
      server_.Url("127.0.0.1", "/target.json"), "https://10.0.0.1/target.json",
      "https://169.254.169.254/latest/meta-data", "https://[::1]/target.json"};
  for (size_t i = 0; i < locations.size(); ++i) {
    const std::string path = "/redirect" + std::to_string(i);
    server_.Serve(path, CannedResponse{.status = i % 2 ? 302u : 307u,
                                       .content_type = "",
                                       .headers = {{"Location", locations[i]}}});
    ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", path)), "redirects are not followed");
    EXPECT_EQ(server_.Requests(path), 1);
  }
  EXPECT_EQ(server_.Requests("/target.json"), 0);
}

TEST_F(CimdHttpsFetch, OnlyStatus200IsAccepted) {
  server_.Serve("/gone", CannedResponse{.status = 410, .body = "{}"});
  server_.Serve("/empty", CannedResponse{.status = 204, .content_type = ""});
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/gone")), "answered 410");
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/empty")), "answered 204");
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/missing")), "answered 404");
}

TEST_F(CimdHttpsFetch, DocumentsOverFiveKilobytesAreRefused) {
  const std::string big = "{\"x\":\"" + std::string(6 * 1024, 'a') + "\"}";
  const std::string at_limit = "{\"x\":\"" + std::string(5 * 1024 - 8, 'a') + "\"}";
  server_.Serve("/big", CannedResponse{.body = big});
  server_.Serve("/big-chunked", CannedResponse{.body = big, .chunked = true});
  server_.Serve("/at-limit", CannedResponse{.body = at_limit});
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/big")), "larger than 5120 bytes");
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/big-chunked")), "larger than 5120 bytes");
  ASSERT_EQ(at_limit.size(), 5u * 1024);
  EXPECT_TRUE(Fetch(server_.Url("127.0.0.1", "/at-limit")));
}

TEST_F(CimdHttpsFetch, AServerThatNeverAnswersTimesOut) {
  server_.Serve("/hang", CannedResponse{.hang = true});
  const auto started = std::chrono::steady_clock::now();
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/hang")), "timed out");
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
}

TEST_F(CimdHttpsFetch, NonJsonResponsesAreRefused) {
  server_.Serve("/html", CannedResponse{.content_type = "text/html", .body = "<p>hi</p>"});
  server_.Serve("/untyped", CannedResponse{.content_type = "", .body = "{}"});
  server_.Serve("/gzip", CannedResponse{.body = "{}", .headers = {{"Content-Encoding", "gzip"}}});
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/html")), "not application/json");
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/untyped")), "not application/json");
  ExpectFetchFailure(Fetch(server_.Url("127.0.0.1", "/gzip")), "Content-Encoding");
}

TEST_F(CimdHttpsFetch, UntrustedCertificatesAreRefused) {
  server_.Serve("/client.json", CannedResponse{.body = "{}"});
  // Without the test CA the server's chain is unknown.
  HttpsDocumentFetcher system_store_only(
      FetchOptions{.allow_loopback = true, .timeout = std::chrono::milliseconds(1000)});
  ExpectFetchFailure(
      system_store_only.Fetch(*ParseClientIdUrl(server_.Url("127.0.0.1", "/client.json"))),
      "certificate was not accepted");
  EXPECT_EQ(server_.Requests("/client.json"), 0);
}

TEST_F(CimdHttpsFetch, CertificatesMustNameTheHost) {
  const TestPki other_names("DNS:app.example.com");
  TestHttpsServer server(other_names);
  server.Serve("/client.json", CannedResponse{.body = "{}"});
  HttpsDocumentFetcher fetcher(FetchOptions{.allow_loopback = true,
                                            .ca_file = other_names.ca_file(),
                                            .timeout = std::chrono::milliseconds(1000)});
  for (const char* host : {"localhost", "127.0.0.1"}) {
    ExpectFetchFailure(fetcher.Fetch(*ParseClientIdUrl(server.Url(host, "/client.json"))),
                       "certificate was not accepted");
  }
  EXPECT_EQ(server.Requests("/client.json"), 0);
}

TEST_F(CimdHttpsFetch, UnresolvableHostsFail) {
  ExpectFetchFailure(Fetch("https://does-not-exist.invalid/client.json"), "could not be resolved");
}

TEST(CimdHttpsFetcher, AMissingCaFileFailsAtStartUp) {
  EXPECT_THROW(HttpsDocumentFetcher(FetchOptions{.ca_file = "/nonexistent/ca.pem"}),
               std::runtime_error);
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
