// ClientMetadataResolver over a fake fetcher: caching, freshness, failures, single flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "oauth/cimd/client_metadata_resolver.h"
#include "support/fake_clock.h"

namespace gatehouse::oauth::cimd {
namespace {

using std::chrono::seconds;

std::string Document(const std::string& url) {
  return R"({"client_id":")" + url +
         R"(","client_name":"Example","redirect_uris":["https://app.example.com/cb"]})";
}

// Serves canned outcomes per URL and counts fetches. Optionally blocks fetches until released.
class FakeFetcher final : public DocumentFetcher {
 public:
  core::Result<FetchedDocument> Fetch(const ClientIdUrl& url) override {
    std::unique_lock lock(mu_);
    ++fetches_[url.url];
    released_cv_.wait(lock, [this] { return released_; });
    const auto it = outcomes_.find(url.url);
    if (it == outcomes_.end()) {
      return core::Error(core::ErrorCode::kInvalidClient,
                         "client metadata document could not be fetched: the server answered 404");
    }
    return it->second;
  }

  void Set(const std::string& url, core::Result<FetchedDocument> outcome) {
    std::lock_guard lock(mu_);
    outcomes_.insert_or_assign(url, std::move(outcome));
  }
  void Hold() {
    std::lock_guard lock(mu_);
    released_ = false;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    released_cv_.notify_all();
  }
  int Fetches(const std::string& url) {
    std::lock_guard lock(mu_);
    return fetches_[url];
  }

 private:
  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = true;
  std::map<std::string, core::Result<FetchedDocument>> outcomes_;
  std::map<std::string, int> fetches_;
};

class CimdResolver : public ::testing::Test {
 protected:
  explicit CimdResolver(size_t max_entries = 10'000) {
    settings_.issuer = "https://auth.example.com";
    settings_.live = true;
    auto fetcher = std::make_unique<FakeFetcher>();
    fetcher_ = fetcher.get();
    resolver_ = std::make_unique<ClientMetadataResolver>(
        settings_, clock_, std::move(fetcher),
        ClientMetadataResolver::Options{.max_entries = max_entries,
                                        .fetch_failure_log = [this](std::string_view line) {
                                          std::lock_guard lock(log_mu_);
                                          log_.emplace_back(line);
                                        }});
  }

  std::vector<std::string> Log() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  void Serve(const std::string& url, std::string cache_control = "") {
    fetcher_->Set(url, FetchedDocument{.body = Document(url), .cache_control = cache_control});
  }

  ProtocolSettings settings_;
  testing::FakeClock clock_;
  FakeFetcher* fetcher_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
  std::unique_ptr<ClientMetadataResolver> resolver_;
};

const std::string kUrl = "https://app.example.com/client.json";

TEST_F(CimdResolver, ResolvesAndCaches) {
  Serve(kUrl);
  const auto first = resolver_->Resolve(kUrl);
  ASSERT_TRUE(first) << first.error().description();
  EXPECT_EQ((*first)->client_id, kUrl);
  EXPECT_EQ((*first)->creation_method, core::CreationMethod::kClientIdMetadataDocument);
  const auto second = resolver_->Resolve(kUrl);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(fetcher_->Fetches(kUrl), 1);
}

TEST_F(CimdResolver, DefaultFreshnessIsFiveMinutes) {
  Serve(kUrl);
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  clock_.Advance(seconds(299));
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 1);
  clock_.Advance(seconds(1));
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 2);
}

TEST_F(CimdResolver, MaxAgeIsHonouredWithinBounds) {
  Serve(kUrl, "max-age=3600");
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  clock_.Advance(seconds(3599));
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 1);
  clock_.Advance(seconds(1));
  Serve(kUrl, "max-age=1");  // clamped to the 60 s minimum
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 2);
  clock_.Advance(seconds(59));
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 2);
  clock_.Advance(seconds(1));
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 3);
}

TEST_F(CimdResolver, AStaleEntryIsRefetchedAndTheNewDocumentServed) {
  Serve(kUrl);
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  fetcher_->Set(
      kUrl,
      FetchedDocument{
          .body = R"({"client_id":")" + kUrl +
                  R"(","client_name":"Renamed","redirect_uris":["https://app.example.com/cb"]})"});
  clock_.Advance(seconds(301));
  const auto refreshed = resolver_->Resolve(kUrl);
  ASSERT_TRUE(refreshed);
  EXPECT_EQ((*refreshed)->client_name, "Renamed");
}

TEST_F(CimdResolver, FailuresAreNotCached) {
  const auto missing = resolver_->Resolve(kUrl);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), core::ErrorCode::kInvalidClient);
  ASSERT_FALSE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 2);

  fetcher_->Set(kUrl, FetchedDocument{.body = R"({"client_id":")" + kUrl + R"(/"})"});
  const auto invalid = resolver_->Resolve(kUrl);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code(), core::ErrorCode::kInvalidClientMetadata);
  Serve(kUrl);  // fixed: picked up on the very next attempt
  EXPECT_TRUE(resolver_->Resolve(kUrl));
  EXPECT_EQ(fetcher_->Fetches(kUrl), 4);
  EXPECT_EQ(resolver_->CachedCount(), 1u);
}

TEST_F(CimdResolver, FetchFailuresAreGenericAndTheReasonIsLoggedWithTheUrl) {
  fetcher_->Set(kUrl, core::Error(core::ErrorCode::kInvalidClient,
                                  "client metadata document could not be fetched: the host "
                                  "app.example.com has the address 10.1.2.3, which is private-use "
                                  "and may not be fetched"));
  const auto result = resolver_->Resolve(kUrl);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClient);
  EXPECT_EQ(result.error().description(), "client metadata document could not be fetched");
  const std::vector<std::string> log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find(kUrl), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("has the address 10.1.2.3, which is private-use"), std::string::npos)
      << log[0];
  EXPECT_EQ(log[0].find('\n'), std::string::npos);
}

TEST_F(CimdResolver, DocumentErrorsAreTheClientsToSeeAndAreNotLogged) {
  fetcher_->Set(kUrl, FetchedDocument{.body = R"({"client_id":")" + kUrl + R"(/"})"});
  const auto invalid = resolver_->Resolve(kUrl);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code(), core::ErrorCode::kInvalidClientMetadata);
  EXPECT_NE(invalid.error().description().find("client_id must equal"), std::string::npos);
  EXPECT_TRUE(Log().empty());
}

TEST_F(CimdResolver, ALoggedReasonCannotBreakTheLogLine) {
  fetcher_->Set(kUrl, core::Error(core::ErrorCode::kInvalidClient,
                                  "client metadata document could not be fetched: a\nb\rc"));
  ASSERT_FALSE(resolver_->Resolve(kUrl));
  const std::vector<std::string> log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].find_first_of("\r\n"), std::string::npos) << log[0];
}

TEST_F(CimdResolver, AFailedRefreshIsNotHiddenByTheStaleEntry) {
  Serve(kUrl);
  ASSERT_TRUE(resolver_->Resolve(kUrl));
  fetcher_->Set(kUrl, core::Error(core::ErrorCode::kInvalidClient, "gone"));
  clock_.Advance(seconds(301));
  EXPECT_FALSE(resolver_->Resolve(kUrl));
}

TEST_F(CimdResolver, InvalidUrlsAreRefusedWithoutFetching) {
  for (const char* url : {"http://app.example.com/c.json", "https://app.example.com/",
                          "https://app.example.com/c.json#f", "https://u@app.example.com/c"}) {
    const auto result = resolver_->Resolve(url);
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error().code(), core::ErrorCode::kInvalidClient);
    EXPECT_EQ(fetcher_->Fetches(url), 0);
  }
}

TEST_F(CimdResolver, ConcurrentLookupsShareOneFetch) {
  Serve(kUrl);
  fetcher_->Hold();
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<const core::Client>> clients(4);
  for (size_t i = 0; i < clients.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = resolver_->Resolve(kUrl);
      if (r) clients[i] = *r;
    });
  }
  // Give every thread time to reach the resolver; those that have not yet will find the cache.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  fetcher_->Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(fetcher_->Fetches(kUrl), 1);
  for (const auto& c : clients) {
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c.get(), clients[0].get());
  }
}

TEST_F(CimdResolver, ConcurrentLookupsShareOneFailure) {
  fetcher_->Hold();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      if (!resolver_->Resolve(kUrl)) ++failures;
    });
  }
  // Wait until the first fetch is under way, then let the others queue behind it.
  while (fetcher_->Fetches(kUrl) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  fetcher_->Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 3);
  EXPECT_EQ(fetcher_->Fetches(kUrl), 1);
  EXPECT_EQ(Log().size(), 1u);  // one fetch failed, so one line
}

TEST_F(CimdResolver, FetchesOfDifferentDocumentsAreBounded) {
  // Options default: 4 at once. Four slow documents hold four fetches; a fifth URL is refused
  // without a fetch, and is served once the others have landed.
  std::vector<std::string> urls;
  for (int i = 0; i < 5; ++i) {
    urls.push_back("https://app" + std::to_string(i) + ".example.com/client.json");
    Serve(urls.back());
  }
  fetcher_->Hold();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { EXPECT_TRUE(resolver_->Resolve(urls[i])); });
  }
  for (int i = 0; i < 4; ++i) {
    while (fetcher_->Fetches(urls[i]) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  const auto refused = resolver_->Resolve(urls[4]);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(refused.error().retry_after_seconds(), 1);
  EXPECT_EQ(fetcher_->Fetches(urls[4]), 0);
  // A document already being fetched is still shared, not refused.
  std::thread joiner([&] { EXPECT_TRUE(resolver_->Resolve(urls[0])); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  fetcher_->Release();
  for (auto& t : threads) t.join();
  joiner.join();
  EXPECT_EQ(fetcher_->Fetches(urls[0]), 1);
  EXPECT_TRUE(resolver_->Resolve(urls[4]));
}

class CimdResolverSmallCache : public CimdResolver {
 protected:
  CimdResolverSmallCache() : CimdResolver(2) {}
};

TEST_F(CimdResolverSmallCache, EvictsTheLeastRecentlyUsedEntry) {
  const std::string a = "https://a.example/c", b = "https://b.example/c", c = "https://c.example/c";
  Serve(a);
  Serve(b);
  Serve(c);
  ASSERT_TRUE(resolver_->Resolve(a));
  ASSERT_TRUE(resolver_->Resolve(b));
  ASSERT_TRUE(resolver_->Resolve(a));  // a is now the most recent
  ASSERT_TRUE(resolver_->Resolve(c));  // evicts b
  EXPECT_EQ(resolver_->CachedCount(), 2u);
  ASSERT_TRUE(resolver_->Resolve(a));
  EXPECT_EQ(fetcher_->Fetches(a), 1);
  ASSERT_TRUE(resolver_->Resolve(b));
  EXPECT_EQ(fetcher_->Fetches(b), 2);
}

}  // namespace
}  // namespace gatehouse::oauth::cimd
