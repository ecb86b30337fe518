#pragma once
// WorkerPool: a fixed set of threads running tasks from a bounded FIFO queue. The server runs
// every handler here, never on an I/O thread, because handlers block on the database.
//
// CPU slots: at most `cpu_slots` of the threads run tasks at once (0 = one per CPU). A thread
// that waits off-CPU inside a task (a core::BlockingScope: database round trips, lock and
// connection waits) lends its slot to another thread for the wait, so with PostgreSQL many
// requests can be in flight, while CPU-bound work never has more runnable threads than cores.
// More runnable threads than cores only adds wake-ups and context switches: a posted task wakes
// a sleeping thread only when a slot is free, otherwise a running thread takes it next.
// A thread coming back from a wait takes the next free slot before any queued task does; if
// none frees within `slot_wait`, it runs anyway (a wait the scopes missed can slow the pool, never
// stall it).
//
// TryPost refuses (returns false) instead of blocking when `max_queued` tasks are already
// waiting, so the caller can shed load (the server answers 503). Tasks must not throw; one that
// does terminates the process, like any escaped exception on a std::thread.
//
// Thread-safe. Stop() (also run by the destructor) refuses further tasks, drops the ones still
// queued (destroying them on the calling thread), waits for the running ones and joins.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "core/blocking_scope.h"
#include "core/mutex.h"

namespace gatehouse::http {

class WorkerPool : private core::BlockingHooks {
 public:
  WorkerPool(size_t threads, size_t max_queued, size_t cpu_slots = 0,
             std::chrono::milliseconds slot_wait = std::chrono::milliseconds(20));
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool TryPost(std::function<void()> task);

  // Tasks waiting for a thread (not counting running ones).
  size_t queued() const;
  size_t cpu_slots() const { return slots_; }
  // Threads running a task on the CPU now (not in a wait), for tests and metrics.
  size_t running() const;

  void Stop();

 private:
  void Run();
  void BeginBlocking() override;
  void EndBlocking() override;
  // Lives on its thread's stack; woken is guarded by the pool's mu_.
  struct IdleThread {
    std::condition_variable wake;
    bool woken = false;
  };

  // Whether an idle thread may start a queued task now.
  bool CanStart() const REQUIRES(mu_) {
    return !queue_.empty() && running_ < slots_ && returning_ == 0;
  }
  // Wakes the most recently idle thread (its cache is warmest) when it would find a task and a
  // slot that no thread woken earlier, and not yet running, will take.
  void WakeIfUseful() REQUIRES(mu_);

  const size_t max_queued_;
  const size_t slots_;
  const std::chrono::milliseconds slot_wait_;
  mutable core::Mutex mu_;
  std::condition_variable slot_free_;  // threads back from a wait
  std::deque<std::function<void()>> queue_ GUARDED_BY(mu_);
  size_t running_ GUARDED_BY(mu_) = 0;             // threads holding a slot
  size_t returning_ GUARDED_BY(mu_) = 0;           // threads waiting to get one back
  std::vector<IdleThread*> idle_ GUARDED_BY(mu_);  // a stack, most recent last
  size_t waking_ GUARDED_BY(mu_) = 0;              // threads taken from idle_, not resumed yet
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace gatehouse::http
