#include "oauth/cimd/document_fetcher.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <stdexcept>
#include <vector>

#include "oauth/cimd/address_policy.h"

namespace gatehouse::oauth::cimd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using Deadline = std::chrono::steady_clock::time_point;

struct HttpsDocumentFetcher::Tls {
  asio::ssl::context context{asio::ssl::context::tls_client};
};

namespace {

constexpr size_t kMaxHeaderBytes = 16 * 1024;

core::Error FetchFailure(std::string_view why) {
  return core::Error(core::ErrorCode::kInvalidClient,
                     "client metadata document could not be fetched: " + std::string(why));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// application/json or application/<anything>+json, ignoring parameters, case and whitespace.
bool IsJsonMediaType(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(), Lower);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  const size_t start = type.find_first_not_of(" \t");
  if (start == std::string::npos) return false;
  type.erase(0, start);
  if (type == "application/json") return true;
  return type.starts_with("application/") && type.ends_with("+json");
}

// The addresses to connect to, every one of them checked, or the reason to refuse.
core::Result<std::vector<tcp::endpoint>> CheckedEndpoints(const ClientIdUrl& url,
                                                          const FetchOptions& options,
                                                          Deadline deadline) {
  std::vector<asio::ip::address> addresses;
  if (url.host_is_ip_literal) {
    addresses.push_back(asio::ip::make_address(url.host));
  } else {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    const auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec || results.empty())
      return FetchFailure("the host " + url.host + " could not be resolved");
    for (const auto& entry : results) addresses.push_back(entry.endpoint().address());
    if (std::chrono::steady_clock::now() >= deadline) {
      return FetchFailure("timed out resolving " + url.host);
    }
  }
  std::vector<tcp::endpoint> endpoints;
  for (const auto& address : addresses) {
    if (!PermitsAddress(address, options.allow_loopback)) {
      return FetchFailure("the host " + url.host + " has the address " + address.to_string() +
                          ", which is " + std::string(*SpecialUseRange(address)) +
                          " and may not be fetched");
    }
    const tcp::endpoint endpoint(address, url.port);
    if (std::find(endpoints.begin(), endpoints.end(), endpoint) == endpoints.end()) {
      endpoints.push_back(endpoint);
    }
  }
  return endpoints;
}

std::string Describe(const boost::system::error_code& ec, std::string_view stage) {
  if (ec == beast::error::timeout) return "timed out during " + std::string(stage);
  return std::string(stage) + " failed (" + ec.message() + ")";
}

// Sets SNI and the name (or address) the certificate must match.
bool PrepareTls(SSL* ssl, const ClientIdUrl& url) {
  if (url.host_is_ip_literal) {
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str()) == 1;
  }
  return SSL_set_tlsext_host_name(ssl, url.host.c_str()) == 1 &&
         SSL_set1_host(ssl, url.host.c_str()) == 1;
}

std::string HostHeader(const ClientIdUrl& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != 443) host += ":" + std::to_string(url.port);
  return host;
}

asio::awaitable<void> Exchange(asio::ssl::context& tls, const ClientIdUrl& url,
                               std::vector<tcp::endpoint> endpoints, Deadline deadline,
                               size_t max_body_bytes,
                               std::optional<core::Result<FetchedDocument>>& outcome) {
  auto fail = [&](std::string_view why) { outcome.emplace(FetchFailure(why)); };
  const auto awaitable_ec = [](boost::system::error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
  };
  beast::ssl_stream<beast::tcp_stream> stream(co_await asio::this_coro::executor, tls);
  beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
  boost::system::error_code ec;

  tcp.expires_at(deadline);
  co_await tcp.async_connect(endpoints, awaitable_ec(ec));
  if (ec) co_return fail(Describe(ec, "connect to " + url.host));

  if (!PrepareTls(stream.native_handle(), url)) co_return fail("TLS set-up failed");
  tcp.expires_at(deadline);
  co_await stream.async_handshake(asio::ssl::stream_base::client, awaitable_ec(ec));
  if (ec) {
    const long verify = SSL_get_verify_result(stream.native_handle());
    if (verify != X509_V_OK) {
      co_return fail("the TLS certificate was not accepted (" +
                     std::string(X509_verify_cert_error_string(verify)) + ")");
    }
    co_return fail(Describe(ec, "the TLS handshake"));
  }

  http::request<http::empty_body> request(http::verb::get, url.target, 11);
  request.set(http::field::host, HostHeader(url));
  request.set(http::field::user_agent, "Gatehouse (client metadata document fetcher)");
  request.set(http::field::accept, "application/json");
  request.set(http::field::connection, "close");
  tcp.expires_at(deadline);
  co_await http::async_write(stream, request, awaitable_ec(ec));
  if (ec) co_return fail(Describe(ec, "sending the request"));

  beast::flat_buffer buffer(kMaxHeaderBytes + max_body_bytes);
  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(max_body_bytes);
  tcp.expires_at(deadline);
  const std::string too_large =
      "the document is larger than " + std::to_string(max_body_bytes) + " bytes";
  co_await http::async_read_header(stream, buffer, parser, awaitable_ec(ec));
  // A Content-Length above the limit is refused here, before any of the body is read.
  if (ec == http::error::body_limit) co_return fail(too_large);
  if (ec) co_return fail(Describe(ec, "reading the response"));

  const auto& head = parser.get();
  const unsigned status = head.result_int();
  if (status >= 300 && status < 400) {
    co_return fail("the server answered " + std::to_string(status) +
                   " (a redirect); redirects are not followed");
  }
  if (status != 200) co_return fail("the server answered " + std::to_string(status));
  if (!IsJsonMediaType(head[http::field::content_type])) {
    co_return fail("the Content-Type is not application/json");
  }
  if (const auto encoding = head[http::field::content_encoding];
      !encoding.empty() && encoding != "identity") {
    co_return fail("the response has a Content-Encoding");
  }

  tcp.expires_at(deadline);
  co_await http::async_read(stream, buffer, parser, awaitable_ec(ec));
  if (ec == http::error::body_limit) co_return fail(too_large);
  if (ec) co_return fail(Describe(ec, "reading the response"));

  FetchedDocument document;
  document.cache_control = std::string(parser.get()[http::field::cache_control]);
  document.body = parser.release().body();
  // No TLS close_notify exchange: the body is complete and a slow peer must not hold us.
  tcp.socket().close(ec);
  outcome.emplace(std::move(document));
}

}  // namespace

HttpsDocumentFetcher::HttpsDocumentFetcher(FetchOptions options)
    : options_(std::move(options)), tls_(std::make_unique<Tls>()) {
  SSL_CTX* ctx = tls_->context.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  tls_->context.set_default_verify_paths();
  if (options_.ca_file) {
    boost::system::error_code ec;
    tls_->context.load_verify_file(*options_.ca_file, ec);
    if (ec) {
      throw std::runtime_error("cannot load the CIMD CA file " + *options_.ca_file + ": " +
                               ec.message());
    }
  }
  tls_->context.set_verify_mode(asio::ssl::verify_peer);
}

HttpsDocumentFetcher::~HttpsDocumentFetcher() = default;

core::Result<FetchedDocument> HttpsDocumentFetcher::Fetch(const ClientIdUrl& url) {
  const Deadline deadline = std::chrono::steady_clock::now() + options_.timeout;
  auto endpoints = CheckedEndpoints(url, options_, deadline);
  if (!endpoints) return endpoints.error();

  asio::io_context ioc(1);
  std::optional<core::Result<FetchedDocument>> outcome;
  asio::co_spawn(ioc,
                 Exchange(tls_->context, url, std::move(*endpoints), deadline,
                          options_.max_body_bytes, outcome),
                 [&outcome](std::exception_ptr failure) {
                   // Asio and Beast report through error codes here; an exception means a fault
                   // such as allocation failure, and the fetch simply fails.
                   if (failure && !outcome) outcome.emplace(FetchFailure("internal error"));
                 });
  ioc.run();
  if (!outcome) return FetchFailure("internal error");
  return std::move(*outcome);
}

}  // namespace gatehouse::oauth::cimd
