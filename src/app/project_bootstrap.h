#pragma once
// The project (issuer) this database serves. On the first start with an empty database exactly
// one process creates it, prints `project_id: …` and `project_secret: …` once (two lines a
// script can read) and stores only the secret's hash; later starts print nothing.

#include <iosfwd>
#include <string>

#include "accounts/secret_hasher.h"
#include "core/clock.h"
#include "core/random.h"
#include "store/database.h"

namespace gatehouse::app {

struct ProjectCredentials {
  std::string project_id;
  std::string project_secret;
};

// Creates the project when absent and writes the credentials to `out`. Returns the project id.
std::string EnsureProject(store::Database& db, core::Random& random, const core::Clock& clock,
                          const accounts::SecretHasher& hasher, std::string_view environment,
                          std::ostream& out);

// Issues a new project secret (the old one stops working) and returns the new credentials.
// Throws std::runtime_error when no project exists yet.
ProjectCredentials ResetProjectSecret(store::Database& db, core::Random& random,
                                      const accounts::SecretHasher& hasher,
                                      std::string_view environment);

}  // namespace gatehouse::app
