#include "store/cache_version_repository.h"

namespace gatehouse::store {

void CacheVersionRepository::Bump(Connection& c, std::string_view name) {
  c.Execute(
      "INSERT INTO cache_versions (name, version) VALUES (?, 1) "
      "ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1",
      {std::string(name)});
}

void CacheVersionRepository::Bump(std::string_view name) {
  db_.Run([name](Connection& c) { Bump(c, name); });
}

std::vector<std::pair<std::string, int64_t>> CacheVersionRepository::ReadAll() {
  std::vector<std::pair<std::string, int64_t>> versions;
  db_.Run([&versions](Connection& c) {
    Rows rows = c.Query("SELECT name, version FROM cache_versions ORDER BY name");
    versions.reserve(rows.size());
    for (const Row& row : rows) versions.emplace_back(row.Text(0), row.Int(1));
  });
  return versions;
}

}  // namespace gatehouse::store
