#include "store/job_repository.h"

namespace gatehouse::store {

bool JobRepository::TryClaim(std::string_view name, int64_t now, int64_t next_run_at,
                             std::string_view owner) {
  int64_t changed = 0;
  db_.Run([&](Connection& c) {
    // On a conflict both engines lock the existing row and evaluate the WHERE on its latest
    // committed version, so a concurrent claimer that lost the race sees the moved next_run_at.
    changed = c.Execute(
        "INSERT INTO scheduled_jobs (name, next_run_at, owner) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at, "
        "owner = excluded.owner WHERE scheduled_jobs.next_run_at <= ?",
        {std::string(name), next_run_at, std::string(owner), now});
  });
  return changed == 1;
}

std::optional<JobRecord> JobRepository::Get(std::string_view name) {
  std::optional<JobRecord> job;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query("SELECT name, next_run_at, owner FROM scheduled_jobs WHERE name = ?",
                        {std::string(name)});
    if (!rows.empty()) job = JobRecord{rows[0].Text(0), rows[0].Int(1), rows[0].Text(2)};
  });
  return job;
}

}  // namespace gatehouse::store
