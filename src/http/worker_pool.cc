#include "http/worker_pool.h"

#include <algorithm>

namespace gatehouse::http {
namespace {

size_t SlotsFor(size_t requested) {
  if (requested > 0) return requested;
  return std::max<size_t>(std::thread::hardware_concurrency(), 1);
}

}  // namespace

WorkerPool::WorkerPool(size_t threads, size_t max_queued, size_t cpu_slots,
                       std::chrono::milliseconds slot_wait)
    : max_queued_(max_queued), slots_(SlotsFor(cpu_slots)), slot_wait_(slot_wait) {
  threads = std::max<size_t>(threads, 1);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TryPost(std::function<void()> task) {
  core::MutexLock lock(mu_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(task));
  WakeIfUseful();
  return true;
}

size_t WorkerPool::queued() const {
  core::MutexLock lock(mu_);
  return queue_.size();
}

size_t WorkerPool::running() const {
  core::MutexLock lock(mu_);
  return running_;
}

void WorkerPool::Stop() {
  std::deque<std::function<void()>> dropped;
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
    for (IdleThread* idle : idle_) idle->wake.notify_one();
    slot_free_.notify_all();
  }
  dropped.clear();  // outside the lock: destroying a task may run arbitrary destructors
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::WakeIfUseful() {
  // With every slot taken, a running thread takes the task when it finishes. And without counting
  // the threads already woken, every task posted before the first of them resumes would wake
  // another one, which would then find no slot and sleep again.
  if (idle_.empty() || queue_.size() <= waking_ || running_ + waking_ >= slots_ || returning_ > 0) {
    return;
  }
  IdleThread* idle = idle_.back();
  idle_.pop_back();
  idle->woken = true;
  ++waking_;
  // Under the lock: once it is released the thread may resume, exit and take `idle` with it.
  idle->wake.notify_one();
}

void WorkerPool::Run() {
  core::SetThreadBlockingHooks(this);
  IdleThread self;
  core::UniqueLock lock(mu_);
  while (true) {
    while (!stopping_ && !CanStart()) {
      self.woken = false;
      idle_.push_back(&self);
      self.wake.wait(lock.native(), [&]() REQUIRES(mu_) { return self.woken || stopping_; });
      if (self.woken) {
        --waking_;
      } else {
        idle_.erase(std::find(idle_.begin(), idle_.end(), &self));
      }
    }
    if (stopping_) break;
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    // More tasks than this thread: maybe another idle one can start too.
    WakeIfUseful();
    lock.Unlock();
    task();
    task = nullptr;  // its captures die outside the lock too
    lock.Lock();
    --running_;
    // The freed slot goes to a thread back from a wait first; otherwise this thread loops and
    // takes the next task itself, without a wake-up.
    if (returning_ > 0) slot_free_.notify_one();
  }
  lock.Unlock();
  core::SetThreadBlockingHooks(nullptr);
}

void WorkerPool::BeginBlocking() {
  core::MutexLock lock(mu_);
  --running_;
  if (returning_ > 0) {
    slot_free_.notify_one();
  } else {
    WakeIfUseful();
  }
}

void WorkerPool::EndBlocking() {
  core::UniqueLock lock(mu_);
  ++returning_;
  slot_free_.wait_for(lock.native(), slot_wait_,
                      [this]() REQUIRES(mu_) { return stopping_ || running_ < slots_; });
  --returning_;
  ++running_;
  // Several slots may have freed at once: another returning thread may fit, else an idle one.
  if (returning_ > 0 && running_ < slots_) {
    slot_free_.notify_one();
  } else {
    WakeIfUseful();
  }
}

}  // namespace gatehouse::http
