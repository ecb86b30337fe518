#include "app/maintenance.h"

#include <algorithm>
#include <iostream>
#include <utility>

#include "accounts/client_registry.h"
#include "store/cache_version_repository.h"
#include "store/garbage_collection.h"
#include "store/job_repository.h"

namespace gatehouse::app {

Maintenance::Maintenance(store::Database& db, const core::Clock& clock, std::string owner,
                         std::chrono::milliseconds poll_interval)
    : db_(db), clock_(clock), owner_(std::move(owner)), poll_interval_(poll_interval) {}

Maintenance::~Maintenance() { Stop(); }

void Maintenance::OnCacheChange(std::string_view name, std::function<void()> listener) {
  listeners_[std::string(name)].push_back(std::move(listener));
}

void Maintenance::AddJob(std::string name, std::chrono::seconds period, bool exclusive,
                         std::function<void()> job) {
  jobs_.push_back({std::move(name), period, exclusive, std::move(job), 0});
}

void Maintenance::Start() {
  // The versions seen at start are the baseline: what is loaded now is current.
  try {
    for (auto& [name, version] : store::CacheVersionRepository(db_).ReadAll()) {
      versions_[name] = version;
    }
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: maintenance: cannot read cache versions: " << e.what() << "\n";
  }
  thread_ = std::thread([this] { Run(); });
}

void Maintenance::Stop() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::Run() {
  core::UniqueLock lock(mu_);
  while (!stopping_) {
    lock.Unlock();
    Tick();
    lock.Lock();
    wake_.wait_for(lock.native(), poll_interval_, [this]() REQUIRES(mu_) { return stopping_; });
  }
}

void Maintenance::Tick() {
  try {
    for (auto& [name, version] : store::CacheVersionRepository(db_).ReadAll()) {
      auto& seen = versions_[name];
      if (seen == version) continue;
      seen = version;
      if (auto it = listeners_.find(name); it != listeners_.end()) {
        for (auto& listener : it->second) listener();
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: maintenance: cache poll failed: " << e.what() << "\n";
  }
  const int64_t now = clock_.NowSeconds();
  for (auto& job : jobs_) {
    if (now < job.next_local_run) continue;
    job.next_local_run = now + job.period.count();
    try {
      if (job.exclusive &&
          !store::JobRepository(db_).TryClaim(job.name, now, now + job.period.count(), owner_)) {
        continue;
      }
      job.run();
    } catch (const std::exception& e) {
      std::cerr << "gatehouse: maintenance: job " << job.name << " failed: " << e.what() << "\n";
    }
  }
}

void AddGarbageCollection(Maintenance& maintenance, store::Database& db, const core::Clock& clock,
                          int64_t access_token_ttl_seconds) {
  const int64_t longest_access_token =
      std::max<int64_t>(access_token_ttl_seconds, accounts::kMaxAccessTokenExpiryMinutes * 60);
  // Where the idle-grant walk resumes; only the maintenance thread runs the job, so the lambda
  // owns it.
  std::pair<int64_t, std::string> idle_grant_cursor;
  maintenance.AddJob(
      "tokens.gc", std::chrono::seconds(600), true,
      [&db, &clock, longest_access_token, idle_grant_cursor]() mutable {
        const store::GarbageCollectionOptions options{
            .access_token_retention_seconds = longest_access_token + 300,
            .idle_grant_cursor = idle_grant_cursor};
        idle_grant_cursor =
            store::GarbageCollection(db, options).Collect(clock.NowSeconds()).idle_grant_cursor;
      });
}

}  // namespace gatehouse::app
