#pragma once
// LookupCache<T>: the in-process cache in front of a table that the protocol reads on every
// request (connected apps, M2M clients): a map from id to shared_ptr<const T>, filled from the
// database on a miss by the loader the caller passes to Find().
//  - A found row stays until Invalidate(). An unknown id is remembered for kNegativeTtlSeconds,
//    so guessing ids cannot hammer the database; beyond kMaxNegativeEntries unknown ids, the
//    unknown ones are dropped and counting starts over, so a flood of random ids cannot grow the
//    cache without bound.
//  - Invalidate() (the owner calls it after its own writes and when the table's cache version
//    moves) drops everything and moves a generation counter: a fill that read the database before
//    an invalidation is returned to its caller but not stored, so a row read just before a write
//    cannot outlive the write's invalidation.
//
// Thread-safe: one mutex, never held while the loader runs (concurrent misses of one id may both
// load; the later fill wins). The loader's exceptions (store::DatabaseError) propagate and store
// nothing.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace gatehouse::accounts {

inline constexpr int64_t kNegativeTtlSeconds = 10;
inline constexpr size_t kMaxNegativeEntries = 10000;

template <class T>
class LookupCache {
 public:
  // The cached value of `id`, or what `load()` (returning std::optional<T>) finds on a miss;
  // nullptr when the id is unknown. `now` is Unix seconds, for the negative entries' expiry.
  template <class Load>
  std::shared_ptr<const T> Find(std::string_view id, int64_t now, Load&& load) {
    uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(std::string(id));
      if (it != entries_.end() && (it->second.value != nullptr || it->second.expires_at > now)) {
        return it->second.value;
      }
      generation = generation_;
    }
    std::optional<T> loaded = std::forward<Load>(load)();
    std::shared_ptr<const T> value =
        loaded ? std::make_shared<const T>(std::move(*loaded)) : nullptr;
    std::lock_guard lock(mu_);
    if (generation != generation_) return value;
    if (value == nullptr) {
      if (negative_entries_ >= kMaxNegativeEntries) {
        std::erase_if(entries_, [](const auto& e) { return e.second.value == nullptr; });
        negative_entries_ = 0;
      }
      if (entries_.insert_or_assign(std::string(id), Entry{nullptr, now + kNegativeTtlSeconds})
              .second) {
        ++negative_entries_;
      }
    } else {
      entries_.insert_or_assign(std::string(id), Entry{value, 0});
    }
    return value;
  }

  void Invalidate() {
    std::lock_guard lock(mu_);
    entries_.clear();
    negative_entries_ = 0;
    ++generation_;
  }

 private:
  struct Entry {
    std::shared_ptr<const T> value;  // nullptr: known to be absent
    int64_t expires_at = 0;          // negative entries only
  };

  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  size_t negative_entries_ = 0;                     // GUARDED_BY(mu_)
  uint64_t generation_ = 0;                         // GUARDED_BY(mu_)
};

}  // namespace gatehouse::accounts
