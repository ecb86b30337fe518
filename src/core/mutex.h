#pragma once
// core::Mutex and its locks: std::mutex, std::lock_guard and std::unique_lock as Clang's
// thread-safety analysis sees them (core/thread_annotations.h). Members guarded by a Mutex are
// declared GUARDED_BY(mu_); `clang++ -Wthread-safety` (scripts/thread-safety-check) then proves
// that every access holds it. libstdc++'s std::mutex carries no capability attributes, so the
// analysis cannot see it being locked.
//
// Zero cost: each type holds exactly what its std counterpart holds and every function forwards
// inline; under g++ the annotations compile to nothing.
//
//   MutexLock   a critical section for the rest of the scope (std::lock_guard).
//   UniqueLock  a section that unlocks and relocks, or waits on a std::condition_variable
//               through native() (std::unique_lock). A wait predicate that reads guarded members
//               is a lambda annotated REQUIRES(mu_): the analysis checks a lambda on its own, and
//               the condition variable calls the predicate with the mutex held.
//
// Like std::mutex, a Mutex is neither recursive nor movable; unlocking one this thread does not
// hold is undefined behaviour (the analysis rejects the code that would do it).

#include <mutex>

#include "core/thread_annotations.h"

namespace gatehouse::core {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  bool TryLock() TRY_ACQUIRE(true) { return mu_.try_lock(); }

 private:
  friend class UniqueLock;
  std::mutex mu_;
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

class SCOPED_CAPABILITY UniqueLock {
 public:
  explicit UniqueLock(Mutex& mu) ACQUIRE(mu) : lock_(mu.mu_) {}
  // Releases the mutex if it is held.
  ~UniqueLock() RELEASE() = default;
  UniqueLock(const UniqueLock&) = delete;
  UniqueLock& operator=(const UniqueLock&) = delete;

  void Lock() ACQUIRE() { lock_.lock(); }
  void Unlock() RELEASE() { lock_.unlock(); }

  // For std::condition_variable's waits only: they release the mutex while blocked and hold it
  // again when they return, which is what the analysis assumes of the whole call.
  std::unique_lock<std::mutex>& native() { return lock_; }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace gatehouse::core
