#include "app/project_bootstrap.h"

#include <ostream>
#include <stdexcept>

#include "core/ids.h"
#include "crypto/secure_random.h"
#include "store/cache_version_repository.h"
#include "store/project_repository.h"

namespace gatehouse::app {
namespace {

std::string NewProjectSecret(core::Random& random, std::string_view environment) {
  return "secret-" + std::string(environment) + "-" + crypto::RandomToken(random, 32);
}

}  // namespace

std::string EnsureProject(store::Database& db, core::Random& random, const core::Clock& clock,
                          const accounts::SecretHasher& hasher, std::string_view environment,
                          std::ostream& out) {
  store::ProjectRepository projects(db);
  if (auto existing = projects.Get()) return existing->project_id;
  const std::string id = core::NewId(random, "project", environment);
  const std::string secret = NewProjectSecret(random, environment);
  if (projects.CreateIfAbsent({id, hasher.Hash(secret), clock.NowSeconds()})) {
    out << "project_id: " << id << "\n"
        << "project_secret: " << secret << "\n"
        << "(The project secret is shown only this once; Gatehouse keeps only its hash.)\n"
        << std::flush;
    return id;
  }
  return projects.Get().value().project_id;  // another process created it first
}

ProjectCredentials ResetProjectSecret(store::Database& db, core::Random& random,
                                      const accounts::SecretHasher& hasher,
                                      std::string_view environment) {
  store::ProjectRepository projects(db);
  const auto project = projects.Get();
  if (!project) throw std::runtime_error("no project yet: start `gatehouse serve` once first");
  ProjectCredentials creds{project->project_id, NewProjectSecret(random, environment)};
  db.Transaction([&](store::Connection& c) {
    c.Execute("UPDATE projects SET secret_hash = ? WHERE project_id = ?",
              {hasher.Hash(creds.project_secret), project->project_id});
    // Running servers re-read the credentials when they see this bump.
    store::CacheVersionRepository::Bump(c, "project");
  });
  return creds;
}

}  // namespace gatehouse::app
