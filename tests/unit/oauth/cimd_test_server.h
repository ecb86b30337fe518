#pragma once
// Test fixtures for the CIMD fetcher: a throw-away PKI (a CA and a server certificate for
// "localhost", 127.0.0.1 and ::1, generated with OpenSSL at test time; the CA is written to a
// temporary PEM file for FetchOptions::ca_file) and a small in-process HTTPS server on a loopback
// port that serves canned responses per request target and counts what it sees.
//
// The server is synchronous: one thread accepts, one thread per connection answers. A "hang"
// route completes the TLS handshake, reads the request and then never answers, until the client
// gives up and closes. The destructor wakes the acceptor and joins every thread.
// Test-only code: failures abort the test via exceptions.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gatehouse::testing {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

class TestPki {
 public:
  // `server_names` is the server certificate's subjectAltName.
  explicit TestPki(const char* server_names = "DNS:localhost,IP:127.0.0.1,IP:::1") {
    ca_key_.reset(EVP_EC_gen("P-256"));
    ca_ = MakeCertificate("Gatehouse CIMD test CA", ca_key_.get(), nullptr, ca_key_.get(),
                          {{NID_basic_constraints, "critical,CA:TRUE"},
                           {NID_key_usage, "critical,keyCertSign,cRLSign"}});
    server_key_.reset(EVP_EC_gen("P-256"));
    server_ = MakeCertificate("localhost", server_key_.get(), ca_.get(), ca_key_.get(),
                              {{NID_basic_constraints, "critical,CA:FALSE"},
                               {NID_ext_key_usage, "serverAuth"},
                               {NID_subject_alt_name, server_names}});
    ca_file_ = std::filesystem::temp_directory_path() /
               ("gatehouse-cimd-ca-" + std::to_string(::getpid()) + "-" +
                std::to_string(reinterpret_cast<uintptr_t>(this)) + ".pem");
    FILE* f = std::fopen(ca_file_.c_str(), "w");
    if (!f || PEM_write_X509(f, ca_.get()) != 1) throw std::runtime_error("write CA file");
    std::fclose(f);
  }
  ~TestPki() { std::filesystem::remove(ca_file_); }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string ca_file() const { return ca_file_.string(); }
  X509* server_certificate() const { return server_.get(); }
  EVP_PKEY* server_key() const { return server_key_.get(); }

 private:
  static X509Ptr MakeCertificate(const char* common_name, EVP_PKEY* key, X509* issuer,
                                 EVP_PKEY* issuer_key,
                                 std::vector<std::pair<int, const char*>> extensions) {
    static std::atomic<long> serial{1};
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer ? issuer : cert.get()));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      if (!ext) throw std::runtime_error("bad test certificate extension");
      X509_add_ext(cert.get(), ext, -1);
      X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) {
      throw std::runtime_error("cannot sign test certificate");
    }
    return cert;
  }

  KeyPtr ca_key_;
  X509Ptr ca_;
  KeyPtr server_key_;
  X509Ptr server_;
  std::filesystem::path ca_file_;
};

struct CannedResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
  bool chunked = false;
  bool hang = false;  // read the request, then never answer
};

class TestHttpsServer {
 public:
  explicit TestHttpsServer(const TestPki& pki)
      : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        tls_(boost::asio::ssl::context::tls_server),
        port_(acceptor_.local_endpoint().port()) {
    SSL_CTX_use_certificate(tls_.native_handle(), pki.server_certificate());
    SSL_CTX_use_PrivateKey(tls_.native_handle(), pki.server_key());
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestHttpsServer() {
    stopping_ = true;
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket wake(ioc_);
    wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(connection_threads_);
    }
    for (auto& t : threads) t.join();
  }

  uint16_t port() const { return port_; }
  // "https://<host>:<port><path>".
  std::string Url(std::string_view host, std::string_view path) const {
    return "https://" + std::string(host) + ":" + std::to_string(port()) + std::string(path);
  }

  void Serve(const std::string& target, CannedResponse response) {
    std::lock_guard lock(mu_);
    routes_[target] = std::move(response);
  }
  int Requests(const std::string& target) const {
    std::lock_guard lock(mu_);
    const auto it = requests_.find(target);
    return it == requests_.end() ? 0 : it->second;
  }
  int Connections() const { return connections_.load(); }

 private:
  void AcceptLoop() {
    for (;;) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (stopping_ || ec) return;
      ++connections_;
      std::lock_guard lock(mu_);
      connection_threads_.emplace_back(
          [this, s = std::move(socket)]() mutable { Answer(std::move(s)); });
    }
  }

  void Answer(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::ssl_stream<boost::asio::ip::tcp::socket> stream(std::move(socket), tls_);
    boost::system::error_code ec;
    stream.handshake(boost::asio::ssl::stream_base::server, ec);
    if (ec) return;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    const std::string target(request.target());
    CannedResponse canned{.status = 404, .body = R"({"error":"not found"})"};
    {
      std::lock_guard lock(mu_);
      ++requests_[target];
      if (const auto it = routes_.find(target); it != routes_.end()) canned = it->second;
    }
    if (canned.hang) {
      http::read(stream, buffer, request, ec);  // returns once the client closes
      return;
    }
    http::response<http::string_body> response(static_cast<http::status>(canned.status), 11);
    if (!canned.content_type.empty()) response.set(http::field::content_type, canned.content_type);
    for (const auto& [name, value] : canned.headers) response.set(name, value);
    response.body() = canned.body;
    if (canned.chunked) {
      response.chunked(true);
    } else {
      response.prepare_payload();
    }
    http::write(stream, response, ec);
    stream.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ssl::context tls_;
  const uint16_t port_;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::map<std::string, CannedResponse> routes_;  // guarded by mu_
  std::map<std::string, int> requests_;           // guarded by mu_
  std::vector<std::thread> connection_threads_;   // guarded by mu_
};

}  // namespace gatehouse::testing
