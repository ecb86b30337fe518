#pragma once
// JobRepository: periodic jobs (key rotation, garbage collection) that exactly one of several
// gatehouse processes runs each time they fall due. Every process calls TryClaim on its own
// timer; the one whose conditional upsert moves next_run_at forward runs the job.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

struct JobRecord {
  std::string name;
  int64_t next_run_at = 0;
  std::string owner;  // the process that claimed the last run
};

class JobRepository {
 public:
  explicit JobRepository(Database& db) : db_(db) {}

  // Claims job `name` if it is due (never claimed, or next_run_at <= now), moving next_run_at to
  // `next_run_at` and recording `owner`. One statement: of several concurrent callers (any
  // processes) exactly one gets true for a given due run.
  bool TryClaim(std::string_view name, int64_t now, int64_t next_run_at, std::string_view owner);
  std::optional<JobRecord> Get(std::string_view name);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
