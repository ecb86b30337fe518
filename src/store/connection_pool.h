#pragma once
// ConnectionPool<C>: the bounded pool both engines lend their connections from.
//
// Promises: at most `size` connections exist at once; they are opened lazily (the factory runs
// outside the lock, so a slow connect never blocks other borrowers); idle connections are reused
// last-in first-out (the warmest statement cache first); a borrower waits up to
// `acquire_timeout` for a free connection and then gets DatabaseError(transient). A connection
// that reports itself broken is closed instead of returned, which frees its slot so the next
// borrower opens a fresh one: that is how the engines survive a database restart.
//
// Ownership: the pool owns idle connections; a Lease owns a borrowed one and hands it back when
// destroyed. Every Lease must be gone before the pool is destroyed.
//
// Thread safety: Borrow() and Stats() may be called from any thread; a Lease belongs to the thread
// holding it.
//
// C must provide:
//   bool Usable();           // cheap check of an idle connection before it is lent (no round trip)
//   void Recycle() noexcept; // called when a lease ends: clears per-use state (open transaction)
//   bool Broken() const;     // after Recycle(): true when the connection must be closed

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/blocking_scope.h"
#include "core/mutex.h"
#include "store/database.h"

namespace gatehouse::store {

struct PoolOptions {
  int size = 4;                                     // most connections open at once
  std::chrono::milliseconds acquire_timeout{5000};  // longest wait for a free connection
};

template <class C>
class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<C>()>;

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<C> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Return(std::move(conn_));
    }

    C& operator*() const { return *conn_; }
    C* operator->() const { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<C> conn_;
  };

  ConnectionPool(PoolOptions options, Factory factory)
      : options_(options), factory_(std::move(factory)) {
    if (options_.size < 1) throw DatabaseError("database pool size must be at least 1", false);
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Lends a connection: an idle one that is still usable, else a new one while under the bound,
  // else waits. Throws DatabaseError(transient) on timeout and whatever the factory throws.
  Lease Borrow() {
    // Declared before the lock so that it closes after the lock is released: closing may wait.
    std::optional<core::BlockingScope> waiting;
    core::UniqueLock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    bool counted_wait = false;
    for (;;) {
      if (!idle_.empty()) {
        std::unique_ptr<C> conn = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        lock.Unlock();
        if (conn->Usable()) return Lease(this, std::move(conn));
        conn.reset();  // close outside the lock
        lock.Lock();
        --in_use_;
        --open_;
        continue;
      }
      if (open_ < options_.size) {
        ++open_;
        ++in_use_;
        lock.Unlock();
        try {
          return Lease(this, factory_());
        } catch (...) {
          lock.Lock();
          --open_;
          --in_use_;
          cv_.notify_one();
          throw;
        }
      }
      if (!counted_wait) {
        counted_wait = true;
        ++waits_;
        waiting.emplace();
      }
      if (cv_.wait_until(lock.native(), deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.size) {
        throw DatabaseError("database connection pool exhausted: all " +
                                std::to_string(options_.size) + " connections stayed busy for " +
                                std::to_string(options_.acquire_timeout.count()) + " ms",
                            true);
      }
    }
  }

  Database::PoolStats Stats() const {
    core::MutexLock lock(mu_);
    return {.size = open_, .in_use = in_use_, .waits = waits_};
  }

 private:
  void Return(std::unique_ptr<C> conn) {
    conn->Recycle();
    if (conn->Broken()) {
      conn.reset();
      core::MutexLock lock(mu_);
      --open_;
      --in_use_;
    } else {
      core::MutexLock lock(mu_);
      idle_.push_back(std::move(conn));
      --in_use_;
    }
    cv_.notify_one();
  }

  const PoolOptions options_;
  const Factory factory_;
  mutable core::Mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<C>> idle_ GUARDED_BY(mu_);
  int open_ GUARDED_BY(mu_) = 0;    // idle + lent + being opened
  int in_use_ GUARDED_BY(mu_) = 0;  // lent + being opened
  int64_t waits_ GUARDED_BY(mu_) = 0;
};

}  // namespace gatehouse::store
