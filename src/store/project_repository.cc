#include "store/project_repository.h"

namespace gatehouse::store {

std::optional<ProjectRecord> ProjectRepository::Get() {
  std::optional<ProjectRecord> project;
  db_.Run([&project](Connection& c) {
    Rows rows = c.Query("SELECT project_id, secret_hash, created_at FROM projects");
    if (!rows.empty()) project = ProjectRecord{rows[0].Text(0), rows[0].Text(1), rows[0].Int(2)};
  });
  return project;
}

bool ProjectRepository::CreateIfAbsent(const ProjectRecord& project) {
  int64_t inserted = 0;
  db_.Run([&](Connection& c) {
    inserted = c.Execute(
        "INSERT INTO projects (project_id, singleton, secret_hash, created_at) "
        "VALUES (?, 1, ?, ?) ON CONFLICT DO NOTHING",
        {project.project_id, project.secret_hash, project.created_at});
  });
  return inserted == 1;
}

bool ProjectRepository::UpdateSecretHash(std::string_view project_id,
                                         std::string_view secret_hash) {
  int64_t updated = 0;
  db_.Run([&](Connection& c) {
    updated = c.Execute("UPDATE projects SET secret_hash = ? WHERE project_id = ?",
                        {std::string(secret_hash), std::string(project_id)});
  });
  return updated == 1;
}

}  // namespace gatehouse::store
