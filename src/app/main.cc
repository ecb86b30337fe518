// gatehouse: the server and its operator commands.
//   gatehouse [--config FILE] serve | migrate | keys rotate | keys list | project reset-secret
// Exit status: 0 success, 1 runtime failure, 2 invalid configuration or usage.

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/application.h"
#include "app/config.h"

namespace {

// One line on stderr: library messages (libpq's among them) may span several.
int Fail(std::string message, int status) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!message.empty() && message.back() == ' ') message.pop_back();
  std::cerr << "gatehouse: " << message << "\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  using gatehouse::app::Application;
  CLI::App cli{"Gatehouse: an OAuth 2.1 and OpenID Connect authorization server"};
  cli.require_subcommand(1);
  std::optional<std::string> config_file;
  cli.add_option("-c,--config", config_file, "TOML configuration file");

  auto* serve = cli.add_subcommand("serve", "Run the server");
  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  auto* keys = cli.add_subcommand("keys", "Signing keys");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand("rotate", "Retire the current key, promote the next");
  auto* keys_list = keys->add_subcommand("list", "List signing keys and their states");
  auto* project = cli.add_subcommand("project", "The project (issuer)");
  project->require_subcommand(1);
  auto* reset_secret = project->add_subcommand("reset-secret", "Issue a new project secret");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }

  gatehouse::app::Config config;
  try {
    config = gatehouse::app::LoadConfig(config_file, gatehouse::app::ProcessEnvironment());
  } catch (const gatehouse::app::ConfigError& e) {
    return Fail(std::string("invalid configuration: ") + e.what(), 2);
  }

  try {
    if (*migrate) {
      gatehouse::app::MigrateDatabase(config, std::cout);
      return 0;
    }
    Application app(config, std::cout);
    if (*serve) {
      app.Serve();
    } else if (*keys_rotate) {
      std::cout << "gatehouse: the signing key is now " << app.RotateKeys() << "\n";
    } else if (*keys_list) {
      app.ListKeys(std::cout);
    } else if (*reset_secret) {
      app.ResetProjectSecret(std::cout);
    }
    return 0;
  } catch (const gatehouse::app::ConfigError& e) {
    return Fail(std::string("invalid configuration: ") + e.what(), 2);
  } catch (const std::exception& e) {
    return Fail(e.what(), 1);
  }
}
