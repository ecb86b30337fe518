#pragma once
// What the gatehouse command line prints for the server and the project and key commands: the
// start-up banner and the lines around serving, the signing key table, new project credentials
// and the migrations applied. The Application answers with data; the wording lives here, so
// scripts that read these lines (`project_secret: …`) depend on one file. Pure functions of their
// arguments; they only write to `out`.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "accounts/signing_keys.h"
#include "app/config.h"
#include "app/project_bootstrap.h"

namespace gatehouse::app {

// Where the server listens and what to do next; `port` is the bound one.
void PrintServing(std::ostream& out, const Config& config, uint16_t port);
void PrintStopped(std::ostream& out);
// Warns (on `err`) when the issuer is a loopback URL on another port than the served `port`: the
// banner, discovery and every redirect would send clients to an address that does not answer.
// Writes nothing otherwise (an issuer on another host is a proxy's business).
void WarnIfIssuerPortDiffers(std::ostream& err, const Config& config, uint16_t port);

// `keys list`: one row per key (retired keys with the time their publication ends), times in UTC.
void PrintSigningKeys(std::ostream& out, const std::vector<accounts::SigningKeyInfo>& keys);
// `keys rotate`.
void PrintRotatedKey(std::ostream& out, const std::string& kid);

// `project reset-secret`.
void PrintNewProjectSecret(std::ostream& out, const ProjectCredentials& credentials);

// `migrate`.
void PrintMigrations(std::ostream& out, const std::vector<std::string>& applied);

}  // namespace gatehouse::app
