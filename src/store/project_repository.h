#pragma once
// ProjectRepository: the one project (issuer) this database serves. The project secret is stored
// only as a hash; this repository never sees the secret.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::store {

struct ProjectRecord {
  std::string project_id;
  std::string secret_hash;
  int64_t created_at = 0;
};

class ProjectRepository {
 public:
  explicit ProjectRepository(Database& db) : db_(db) {}

  // The project, or nullopt before the first start created it.
  std::optional<ProjectRecord> Get();
  // Creates the project unless one exists. True only for the one caller (in any process) that
  // created it: that caller prints the secret; the others read the project with Get().
  bool CreateIfAbsent(const ProjectRecord& project);
  // Replaces the secret hash. False when no project has that id.
  bool UpdateSecretHash(std::string_view project_id, std::string_view secret_hash);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
