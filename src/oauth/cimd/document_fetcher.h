#pragma once
// DocumentFetcher: the outbound-HTTP seam of the CIMD resolver. HttpsDocumentFetcher is the real
// one; resolver tests substitute a fake.
//
// HttpsDocumentFetcher performs one GET for a client_id URL (already checked by
// ParseClientIdUrl), hardened against server-side request forgery:
//  - The host name is resolved once and EVERY resolved address must pass PermitsAddress
//    (address_policy.h); if any fails, nothing is connected to. The connection then goes to those
//    checked addresses (never a second resolution), while the host name is kept for SNI, for
//    certificate host name verification and for the Host header.
//  - TLS 1.2 or later; the certificate must chain to the system trust store or to the optional
//    extra CA file, and match the host name (or the IP address for an IP-literal host).
//  - Only status 200 is accepted. Redirects are not followed (a 3xx is a failure), so a public
//    URL cannot bounce the fetch to an internal one.
//  - At most FetchOptions::max_body_bytes of body are read (a larger Content-Length, or more bytes
//    than that, is a failure); the response must be application/json (parameters allowed, as is
//    any application/*+json type) without a Content-Encoding.
//  - One deadline covers connect, TLS handshake, request and response. Host name resolution uses
//    the system resolver, which cannot be interrupted; its own timeouts bound it, and a resolution
//    that outlasts the deadline still fails the fetch.
//
// Failures are kInvalidClient "client metadata document could not be fetched: <reason>". The
// reason describes the deployment's network (how a name resolves, what answers): it is for the
// server's log, and ClientMetadataResolver keeps it from clients.
// Thread-safe: each Fetch uses its own io_context and socket and blocks the calling (worker)
// thread until done. The constructor throws std::runtime_error (start-up) when the CA file
// cannot be loaded.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "oauth/cimd/client_id_url.h"

namespace gatehouse::oauth::cimd {

struct FetchedDocument {
  std::string body{};
  std::string cache_control{};  // the Cache-Control header, empty when absent
};

class DocumentFetcher {
 public:
  virtual ~DocumentFetcher() = default;
  virtual core::Result<FetchedDocument> Fetch(const ClientIdUrl& url) = 0;
};

struct FetchOptions {
  bool allow_loopback = false;           // test-only: admit loopback addresses
  std::optional<std::string> ca_file{};  // PEM bundle trusted in addition to the system store
  std::chrono::milliseconds timeout{5000};
  size_t max_body_bytes = 5 * 1024;
};

class HttpsDocumentFetcher final : public DocumentFetcher {
 public:
  explicit HttpsDocumentFetcher(FetchOptions options);
  ~HttpsDocumentFetcher() override;

  core::Result<FetchedDocument> Fetch(const ClientIdUrl& url) override;

 private:
  struct Tls;
  FetchOptions options_;
  std::unique_ptr<Tls> tls_;  // the shared client TLS context (SSL_CTX is thread-safe once built)
};

}  // namespace gatehouse::oauth::cimd
