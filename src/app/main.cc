// gatehouse: the server and its operator commands.
//   gatehouse [--config FILE] serve | migrate | doctor [--json] | keys rotate | keys list | project
//   reset-secret
//             | clients create | list | show | delete | rotate-secret
//             | m2m create | list | rotate-secret | rbac import (app/access_commands.h)
// Exit status: 0 success, 1 runtime failure, 2 invalid configuration or usage.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "accounts/client_registry.h"
#include "admin/connected_apps_api.h"
#include "app/access_commands.h"
#include "app/application.h"
#include "app/cli_output.h"
#include "app/config.h"
#include "app/doctor.h"
#include "core/redirect_uri_policy.h"

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

// What `gatehouse clients ...` was asked to do.
struct ClientsCommand {
  std::string type = "first_party";
  std::string name;
  std::string description;
  std::vector<std::string> redirect_urls;
  std::vector<std::string> post_logout_urls;
  std::string client_id;
  int64_t limit = 100;
  bool start = false;
  bool complete = false;
  bool cancel = false;
};

int ReportError(const gatehouse::core::Error& error) {
  return Fail(std::string(error.name()) + ": " + error.description(), 1);
}

// `clients create`: prints the client and, once, its secret.
int CreateClient(gatehouse::accounts::ClientRegistry& registry, const ClientsCommand& cmd) {
  const auto type = gatehouse::core::ParseClientType(cmd.type);
  if (!type) {
    return Fail(
        "--type must be first_party, first_party_public, third_party or "
        "third_party_public",
        2);
  }
  auto created = registry.Create(gatehouse::core::Client{
      .client_type = *type,
      .client_name = cmd.name,
      .client_description = cmd.description,
      .redirect_uris = cmd.redirect_urls,
      .post_logout_redirect_uris = cmd.post_logout_urls,
      .application_type = gatehouse::core::DefaultApplicationType(*type),
  });
  if (!created) return ReportError(created.error());
  std::cout << "client_id: " << created->client.client_id << "\n";
  if (created->client_secret) {
    std::cout << "client_secret: " << *created->client_secret
              << "\n(The secret is shown only now; Gatehouse keeps a hash.)\n";
  }
  return 0;
}

int ListClients(gatehouse::accounts::ClientRegistry& registry, int64_t limit) {
  std::optional<std::string> cursor;
  std::cout << std::left << std::setw(64) << "client_id" << std::setw(20) << "client_type"
            << "client_name\n";
  do {
    const auto page = registry.Search(cursor, std::min<int64_t>(limit, 1000));
    for (const auto& c : page.clients) {
      std::cout << std::setw(64) << c.client_id << std::setw(20)
                << gatehouse::core::ClientTypeName(c.client_type) << c.client_name << "\n";
    }
    limit -= static_cast<int64_t>(page.clients.size());
    cursor = page.next_cursor;
  } while (cursor && limit > 0);
  return 0;
}

// `clients rotate-secret ID`: --start / --complete / --cancel drive a two-step rotation (both
// secrets valid in between); without a flag the secret is replaced at once.
int RotateClientSecret(gatehouse::accounts::ClientRegistry& registry, const ClientsCommand& cmd) {
  if (cmd.complete || cmd.cancel) {
    auto done = cmd.complete ? registry.CompleteSecretRotation(cmd.client_id)
                             : registry.CancelSecretRotation(cmd.client_id);
    if (!done) return ReportError(done.error());
    std::cout << (cmd.complete ? "gatehouse: the next secret is now current\n"
                               : "gatehouse: the pending secret was discarded\n");
    return 0;
  }
  auto next = registry.StartSecretRotation(cmd.client_id);
  if (!next) return ReportError(next.error());
  if (!cmd.start) {
    auto done = registry.CompleteSecretRotation(cmd.client_id);
    if (!done) return ReportError(done.error());
  }
  std::cout << "client_secret: " << *next << "\n"
            << (cmd.start ? "(Both secrets work until `--complete` or `--cancel`.)\n"
                          : "(The previous secret no longer works.)\n");
  return 0;
}

int RunClientsCommand(gatehouse::accounts::ClientRegistry& registry, const CLI::App& command,
                      const ClientsCommand& cmd) {
  if (command.got_subcommand("create")) return CreateClient(registry, cmd);
  if (command.got_subcommand("list")) return ListClients(registry, cmd.limit);
  if (command.got_subcommand("show")) {
    auto client = registry.Get(cmd.client_id);
    if (!client) return ReportError(client.error());
    std::cout << boost::json::serialize(gatehouse::admin::ConnectedAppJson(*client)) << "\n";
    return 0;
  }
  if (command.got_subcommand("delete")) {
    if (auto ok = registry.Delete(cmd.client_id); !ok) return ReportError(ok.error());
    std::cout << "gatehouse: deleted " << cmd.client_id << " and everything issued to it\n";
    return 0;
  }
  return RotateClientSecret(registry, cmd);
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
  auto* doctor = cli.add_subcommand(
      "doctor", "Check this deployment against OAuth 2.1, RFC 9700 and the MCP profile");
  bool doctor_json = false;
  doctor->add_flag("--json", doctor_json, "Print the report as JSON");
  auto* keys = cli.add_subcommand("keys", "Signing keys");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand("rotate", "Retire the current key, promote the next");
  auto* keys_list = keys->add_subcommand("list", "List signing keys and their states");
  auto* project = cli.add_subcommand("project", "The project (issuer)");
  project->require_subcommand(1);
  auto* reset_secret = project->add_subcommand("reset-secret", "Issue a new project secret");
  ClientsCommand clients_cmd;
  auto* clients = cli.add_subcommand("clients", "Connected apps (OAuth clients)");
  clients->require_subcommand(1);
  auto* clients_create =
      clients->add_subcommand("create", "Create a client; prints its secret once");
  clients_create
      ->add_option("--type", clients_cmd.type,
                   "first_party | first_party_public | third_party | third_party_public")
      ->capture_default_str();
  clients_create->add_option("--name", clients_cmd.name, "Client name shown on consent");
  clients_create->add_option("--description", clients_cmd.description, "Description");
  clients_create->add_option("--redirect-url", clients_cmd.redirect_urls, "Redirect URL (repeat)");
  clients_create->add_option("--post-logout-url", clients_cmd.post_logout_urls,
                             "Post-logout redirect URL (repeat)");
  auto* clients_list = clients->add_subcommand("list", "List clients by client_id");
  clients_list->add_option("--limit", clients_cmd.limit, "At most this many")
      ->capture_default_str();
  for (auto [name, help] : {std::pair{"show", "Show one client as JSON"},
                            std::pair{"delete", "Delete a client and everything issued to it"}}) {
    clients->add_subcommand(name, help)->add_option("client_id", clients_cmd.client_id)->required();
  }
  auto* clients_rotate = clients->add_subcommand("rotate-secret", "Rotate a client secret");
  clients_rotate->add_option("client_id", clients_cmd.client_id)->required();
  auto* rotate_start =
      clients_rotate->add_flag("--start", clients_cmd.start, "Issue a next secret; both work");
  auto* rotate_complete =
      clients_rotate->add_flag("--complete", clients_cmd.complete, "Make the next secret current");
  clients_rotate->add_flag("--cancel", clients_cmd.cancel, "Discard the next secret")
      ->excludes(rotate_start)
      ->excludes(rotate_complete);
  rotate_start->excludes(rotate_complete);

  gatehouse::app::AccessCommands access_commands;
  access_commands.Add(cli);

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
    if (*doctor) {
      // Read-only: it runs before the Application, which would create the project and keys.
      const gatehouse::core::SystemClock clock;
      const std::vector<gatehouse::app::DoctorCheck> checks =
          gatehouse::app::Examine(config, gatehouse::app::GatherDoctorFacts(config, clock));
      gatehouse::app::PrintDoctorReport(std::cout, checks, doctor_json);
      return gatehouse::app::DoctorPassed(checks) ? 0 : 1;
    }
    if (*migrate) {
      gatehouse::app::PrintMigrations(std::cout, gatehouse::app::MigrateDatabase(config));
      return 0;
    }
    // `serve` claims its port first: a run that cannot listen must fail before a first start
    // prints the once-only project secret.
    std::optional<gatehouse::http::ListenSocket> listener;
    if (*serve)
      listener = gatehouse::http::ListenSocket::Bind(config.listen_host, config.listen_port);
    Application app(config, std::cout, std::move(listener));
    if (*serve) {
      const uint16_t port = app.Start();
      gatehouse::app::WarnIfIssuerPortDiffers(std::cerr, config, port);
      gatehouse::app::PrintServing(std::cout, config, port);
      app.RunUntilSignal();
      gatehouse::app::PrintStopped(std::cout);
    } else if (*keys_rotate) {
      gatehouse::app::PrintRotatedKey(std::cout, app.RotateKeys());
    } else if (*keys_list) {
      gatehouse::app::PrintSigningKeys(std::cout, app.ListKeys());
    } else if (*reset_secret) {
      gatehouse::app::PrintNewProjectSecret(std::cout, app.ResetProjectSecret());
    } else if (*clients) {
      return RunClientsCommand(app.Clients(), *clients, clients_cmd);
    } else if (auto status = access_commands.Run(app)) {
      return *status;
    }
    return 0;
  } catch (const gatehouse::app::ConfigError& e) {
    return Fail(std::string("invalid configuration: ") + e.what(), 2);
  } catch (const std::exception& e) {
    return Fail(e.what(), 1);
  }
}
