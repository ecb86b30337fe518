#include "oauth/cimd/client_metadata_resolver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "core/blocking_scope.h"
#include "oauth/cimd/metadata_document.h"

namespace gatehouse::oauth::cimd {
namespace {

FetchOptions FetchOptionsFrom(const ProtocolSettings& settings) {
  FetchOptions options;
  options.allow_loopback = settings.cimd_allow_loopback;
  options.ca_file = settings.cimd_ca_file;
  return options;
}

// The one thing a client learns about a failed fetch.
core::Error FetchFailed() {
  return core::Error(core::ErrorCode::kInvalidClient,
                     "client metadata document could not be fetched");
}

// "gatehouse: client_id <url>: <reason>", on one line whatever the reason holds (the URL is
// printable ASCII already: ParseClientIdUrl refuses anything else).
std::string FetchFailureLine(std::string_view url, std::string_view reason) {
  std::string line = "gatehouse: client_id ";
  line += url;
  line += ": ";
  for (const char c : reason) {
    const auto u = static_cast<unsigned char>(c);
    line += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  return line;
}

}  // namespace

void StderrFetchFailureLog(std::string_view line) {
  std::string buffer(line);
  buffer += '\n';
  std::fwrite(buffer.data(), 1, buffer.size(), stderr);
}

ClientMetadataResolver::ClientMetadataResolver(const ProtocolSettings& settings,
                                               const core::Clock& clock,
                                               FetchFailureLog fetch_failure_log)
    : ClientMetadataResolver(settings, clock,
                             std::make_unique<HttpsDocumentFetcher>(FetchOptionsFrom(settings)),
                             Options{.freshness = {},
                                     .max_entries = settings.cimd_cache_entries,
                                     .max_concurrent_fetches = settings.cimd_max_concurrent_fetches,
                                     .fetch_failure_log = std::move(fetch_failure_log)}) {}

ClientMetadataResolver::ClientMetadataResolver(const ProtocolSettings& settings,
                                               const core::Clock& clock,
                                               std::unique_ptr<DocumentFetcher> fetcher,
                                               Options options)
    : settings_(settings), clock_(clock), fetcher_(std::move(fetcher)), options_(options) {}

int64_t ClientMetadataResolver::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

core::Result<std::shared_ptr<const core::Client>> ClientMetadataResolver::Resolve(
    std::string_view client_id_url) {
  auto url = ParseClientIdUrl(client_id_url);
  if (!url) return url.error();

  std::promise<Outcome> promise;
  std::shared_future<Outcome> pending;
  {
    core::MutexLock lock(mu_);
    const auto it = entries_.find(url->url);
    if (it != entries_.end() && NowMs() < it->second.fresh_until_ms) {
      recency_.splice(recency_.begin(), recency_, it->second.recency);
      return it->second.client;
    }
    if (auto flight = in_flight_.find(url->url); flight != in_flight_.end()) {
      pending = flight->second;
    } else if (in_flight_.size() >= std::max<size_t>(1, options_.max_concurrent_fetches)) {
      return core::Error(core::ErrorCode::kTemporarilyUnavailable,
                         "too many client metadata documents are being fetched; retry shortly")
          .WithRetryAfter(1);
    } else {
      in_flight_.emplace(url->url, promise.get_future().share());
    }
  }
  if (pending.valid()) {  // another caller is fetching this URL
    {
      core::BlockingScope waiting_for_the_fetch;
      pending.wait();
    }
    return pending.get();
  }

  const auto land = [&] {
    core::MutexLock lock(mu_);
    in_flight_.erase(url->url);
  };
  try {
    Outcome outcome = FetchAndValidate(*url);
    land();
    promise.set_value(outcome);
    return outcome;
  } catch (...) {
    // An infrastructure fault (e.g. allocation failure): the waiters see it too, and the next
    // caller starts afresh instead of finding a dead flight.
    land();
    promise.set_exception(std::current_exception());
    throw;
  }
}

ClientMetadataResolver::Outcome ClientMetadataResolver::FetchAndValidate(const ClientIdUrl& url) {
  core::Result<FetchedDocument> fetched = [&] {
    core::BlockingScope waiting_on_the_network;
    return fetcher_->Fetch(url);
  }();
  if (!fetched) {
    if (options_.fetch_failure_log) {
      options_.fetch_failure_log(FetchFailureLine(url.url, fetched.error().description()));
    }
    return FetchFailed();
  }
  const core::Environment environment = settings_.environment();
  auto client = ParseClientMetadataDocument(url, fetched->body, environment, clock_.NowSeconds());
  if (!client) return client.error();
  auto shared = std::make_shared<const core::Client>(std::move(*client));
  Store(url.url, shared, FreshnessSeconds(fetched->cache_control, options_.freshness));
  return std::shared_ptr<const core::Client>(std::move(shared));
}

void ClientMetadataResolver::Store(const std::string& url,
                                   std::shared_ptr<const core::Client> client, int64_t ttl_s) {
  core::MutexLock lock(mu_);
  const int64_t fresh_until_ms = NowMs() + ttl_s * 1000;
  if (auto it = entries_.find(url); it != entries_.end()) {
    it->second.client = std::move(client);
    it->second.fresh_until_ms = fresh_until_ms;
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return;
  }
  while (!entries_.empty() && entries_.size() >= options_.max_entries) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
  if (options_.max_entries == 0) return;
  recency_.push_front(url);
  entries_.emplace(url, Entry{std::move(client), fresh_until_ms, recency_.begin()});
}

size_t ClientMetadataResolver::CachedCount() const {
  core::MutexLock lock(mu_);
  return entries_.size();
}

}  // namespace gatehouse::oauth::cimd
