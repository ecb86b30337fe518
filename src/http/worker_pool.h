#pragma once
// WorkerPool: a fixed set of threads running tasks from a bounded FIFO queue. The server runs
// every handler here, never on an I/O thread, because handlers block on the database.
//
// TryPost refuses (returns false) instead of blocking when `max_queued` tasks are already
// waiting, so the caller can shed load (the server answers 503). Tasks must not throw; one that
// does terminates the process, like any escaped exception on a std::thread.
//
// Thread-safe. Stop() (also run by the destructor) refuses further tasks, drops the ones still
// queued (destroying them on the calling thread), waits for the running ones and joins.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gatehouse::http {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool TryPost(std::function<void()> task);

  // Tasks waiting for a thread (not counting running ones).
  size_t queued() const;

  void Stop();

 private:
  void Run();

  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace gatehouse::http
