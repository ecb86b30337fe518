#pragma once
// Application: the one composition root. It owns every long-lived object of a gatehouse process —
// clock, randomness, database, signing keys, routes, server, background maintenance — builds them
// from the Config in dependency order, and tears them down in reverse. Nothing else constructs
// these objects, so each layer receives its dependencies by reference, through its constructor.
//
// It answers operator commands with data; what the command line prints is the CLI's
// (cli_output.h).
//
// Start-up failures (database unreachable, wrong master key, port taken) throw; main reports them
// in one line and exits non-zero.

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/project_bootstrap.h"
#include "http/listen_socket.h"

namespace gatehouse::accounts {
class ClientRegistry;
class M2mClients;
class RbacScopePolicy;
struct SigningKeyInfo;
}  // namespace gatehouse::accounts

namespace gatehouse::app {

class Application {
 public:
  // Opens the database, applies migrations, resolves the master key, makes sure the project and
  // the signing keys exist (printing first-start credentials to `out`). `listener`: the port
  // `serve` claimed before calling this, which Start() serves on (without it, Start() binds
  // config.listen itself).
  Application(const Config& config, std::ostream& out,
              std::optional<http::ListenSocket> listener = std::nullopt);
  ~Application();

  // Starts serving without blocking. Returns the bound port.
  uint16_t Start();
  // Start() if needed, then serves until SIGINT/SIGTERM (or Stop() from another thread), finishes
  // in-flight requests and stops.
  void RunUntilSignal();
  void Stop();

  // Operator commands.
  std::string RotateKeys();  // the kid that signs from now on
  std::vector<accounts::SigningKeyInfo> ListKeys() const;
  // A new project secret; the previous one stops working.
  ProjectCredentials ResetProjectSecret();
  // The client registry, for the `clients` operator commands.
  accounts::ClientRegistry& Clients();
  // M2M clients and the RBAC policy, for the `m2m` and `rbac` operator commands.
  accounts::M2mClients& M2mClients();
  accounts::RbacScopePolicy& RbacPolicy();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// `gatehouse migrate`: applies pending migrations; needs no master key. Returns the names of the
// migrations it applied (none: the database was up to date).
std::vector<std::string> MigrateDatabase(const Config& config);

}  // namespace gatehouse::app
