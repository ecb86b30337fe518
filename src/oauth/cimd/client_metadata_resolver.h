#pragma once
// ClientMetadataResolver: the CIMD implementation of accounts::ClientMetadataSource. Resolve(url)
// checks the URL (client_id_url.h), fetches the document (document_fetcher.h), validates it
// (metadata_document.h) and caches the resulting client.
//
// Cache: keyed by the exact client_id URL; an entry stays fresh for FreshnessSeconds(its
// Cache-Control) measured on the injected Clock. A stale entry is not served: the next Resolve
// refetches it (that is the periodic refresh; a document that changed or vanished takes effect
// within its freshness lifetime). Failures — fetch or validation — are never cached, so a fixed
// document is picked up on the next attempt. At most Options::max_entries clients are kept; the
// least recently used one is evicted first.
//
// Bounded fetching: at most Options::max_concurrent_fetches different URLs are fetched at once
// (each fetch holds a worker thread for up to the fetch timeout, so unbounded fetches of slow
// documents could occupy every worker). A miss beyond that is refused with
// kTemporarilyUnavailable and Retry-After: 1, before any connection is made.
//
// Single flight: concurrent Resolve calls for the same URL that miss the cache share one fetch;
// the first caller fetches on its own thread, the others wait for its outcome (success or
// failure). Calls for different URLs never wait for each other; the lock is never held while
// fetching.
//
// Errors: a URL that breaks the client_id rules -> kInvalidClient naming the rule; an invalid
// document -> kInvalidClientMetadata naming the member (both about what the client sent). A failed
// fetch -> kInvalidClient "client metadata document could not be fetched", without the reason: the
// fetcher's reason says how a host name resolves from inside the deployment and which addresses
// answer, which would make every error page an oracle for the internal network. The reason goes,
// with the client_id URL, to the fetch failure log instead (one line per failed fetch; waiters on
// the same fetch add none).
//
// Thread-safe. The settings, clock and fetcher must outlive the resolver; the log is called on
// worker threads.

#include <cstddef>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "accounts/client_directory.h"
#include "core/client.h"
#include "core/clock.h"
#include "core/mutex.h"
#include "core/result.h"
#include "oauth/cimd/document_fetcher.h"
#include "oauth/cimd/freshness.h"
#include "oauth/settings.h"

namespace gatehouse::oauth::cimd {

// Receives one line (no newline) per failed fetch: the client_id URL and the fetcher's reason.
using FetchFailureLog = std::function<void(std::string_view line)>;
// Writes the line and a newline to stderr with one write.
void StderrFetchFailureLog(std::string_view line);

class ClientMetadataResolver final : public accounts::ClientMetadataSource {
 public:
  struct Options {
    CacheBounds freshness{};
    size_t max_entries = 10'000;
    size_t max_concurrent_fetches = 4;
    FetchFailureLog fetch_failure_log = StderrFetchFailureLog;
  };

  // Production: fetches over HTTPS with settings.cimd_allow_loopback and settings.cimd_ca_file.
  // Throws std::runtime_error (start-up) when the CA file cannot be loaded.
  ClientMetadataResolver(const ProtocolSettings& settings, const core::Clock& clock,
                         FetchFailureLog fetch_failure_log = StderrFetchFailureLog);
  // With any fetcher (tests) and explicit cache options.
  ClientMetadataResolver(const ProtocolSettings& settings, const core::Clock& clock,
                         std::unique_ptr<DocumentFetcher> fetcher, Options options);

  core::Result<std::shared_ptr<const core::Client>> Resolve(
      std::string_view client_id_url) override;

  size_t CachedCount() const;

 private:
  using Outcome = core::Result<std::shared_ptr<const core::Client>>;
  struct Entry {
    std::shared_ptr<const core::Client> client;
    int64_t fresh_until_ms;
    std::list<std::string>::iterator recency;
  };

  Outcome FetchAndValidate(const ClientIdUrl& url);
  void Store(const std::string& url, std::shared_ptr<const core::Client> client, int64_t ttl_s);
  int64_t NowMs() const;

  const ProtocolSettings& settings_;
  const core::Clock& clock_;
  std::unique_ptr<DocumentFetcher> fetcher_;
  const Options options_;

  mutable core::Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ GUARDED_BY(mu_);
  std::list<std::string> recency_ GUARDED_BY(mu_);  // front = most recent
  std::unordered_map<std::string, std::shared_future<Outcome>> in_flight_ GUARDED_BY(mu_);
};

}  // namespace gatehouse::oauth::cimd
