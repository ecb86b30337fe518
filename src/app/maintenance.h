#pragma once
// Maintenance: the one background thread of a gatehouse process. It
//  - polls the cache_versions table (every poll_interval) and calls the listeners registered for a
//    counter that moved, so a change made by any process (client update, key rotation) reaches
//    every process's in-process caches within about a second;
//  - runs periodic jobs (key rotation check, garbage collection); a job marked `exclusive` is
//    claimed through the scheduled_jobs table, so one process runs it per period.
// A failing poll or job is logged and retried on the next tick: a database outage must not kill
// the process. Start/Stop are called by the composition root; listeners and jobs are registered
// before Start.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "store/database.h"

namespace gatehouse::app {

class Maintenance {
 public:
  Maintenance(store::Database& db, const core::Clock& clock, std::string owner,
              std::chrono::milliseconds poll_interval = std::chrono::milliseconds(500));
  ~Maintenance();

  void OnCacheChange(std::string_view name, std::function<void()> listener);
  void AddJob(std::string name, std::chrono::seconds period, bool exclusive,
              std::function<void()> job);

  void Start();
  void Stop();

 private:
  void Run();
  void Tick();

  struct Job {
    std::string name;
    std::chrono::seconds period;
    bool exclusive;
    std::function<void()> run;
    int64_t next_local_run = 0;
  };

  store::Database& db_;
  const core::Clock& clock_;
  const std::string owner_;
  const std::chrono::milliseconds poll_interval_;
  std::map<std::string, std::vector<std::function<void()>>> listeners_;
  std::map<std::string, int64_t> versions_;
  std::vector<Job> jobs_;
  core::Mutex mu_;
  std::condition_variable wake_;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Registers the exclusive job "tokens.gc" (every 10 minutes): expired codes, sessions,
// exchanged-token records, refresh tokens and spent grants, deleted in bounded batches
// (store/garbage_collection.h). Refresh tokens and grants are kept until every access token minted
// from them has expired: the longest lifetime a client may configure, or
// `access_token_ttl_seconds` when longer, plus a margin. `db` and `clock` must outlive the
// maintenance thread.
void AddGarbageCollection(Maintenance& maintenance, store::Database& db, const core::Clock& clock,
                          int64_t access_token_ttl_seconds);

}  // namespace gatehouse::app
