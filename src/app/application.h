#pragma once
// Application: the one composition root. It owns every long-lived object of a gatehouse process —
// clock, randomness, database, signing keys, routes, server, background maintenance — builds them
// from the Config in dependency order, and tears them down in reverse. Nothing else constructs
// these objects, so each layer receives its dependencies by reference.
//
// Start-up failures (database unreachable, wrong master key, port taken) throw; main reports them
// in one line and exits non-zero.

#include <iosfwd>
#include <memory>
#include <string>

#include "app/config.h"

namespace gatehouse::accounts {
class ClientRegistry;
class M2mClients;
class RbacScopePolicy;
}  // namespace gatehouse::accounts

namespace gatehouse::app {

class Application {
 public:
  // Opens the database, applies migrations, resolves the master key, makes sure the project and
  // the signing keys exist (printing first-start credentials to `out`).
  Application(const Config& config, std::ostream& out);
  ~Application();

  // Serves until SIGINT/SIGTERM, then finishes in-flight requests and returns.
  void Serve();
  // Starts serving without blocking (tests); Stop() ends it. Returns the bound port.
  uint16_t Start();
  void Stop();

  // Operator commands.
  std::string RotateKeys();
  void ListKeys(std::ostream& out);
  void ResetProjectSecret(std::ostream& out);
  // The client registry, for the `clients` operator commands.
  accounts::ClientRegistry& Clients();
  // M2M clients and the RBAC policy, for the `m2m` and `rbac` operator commands.
  accounts::M2mClients& M2mClients();
  accounts::RbacScopePolicy& RbacPolicy();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// `gatehouse migrate`: applies pending migrations and reports them; needs no master key.
void MigrateDatabase(const Config& config, std::ostream& out);

}  // namespace gatehouse::app
