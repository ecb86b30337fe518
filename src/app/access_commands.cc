#include "app/access_commands.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>

#include "accounts/m2m_clients.h"
#include "accounts/rbac_scope_policy.h"
#include "app/application.h"

namespace gatehouse::app {
namespace {

int Report(const core::Error& error) {
  std::cerr << "gatehouse: " << error.name() << ": " << error.description() << "\n";
  return 1;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

}  // namespace

void AccessCommands::Add(CLI::App& cli) {
  m2m_ = cli.add_subcommand("m2m", "Machine-to-machine clients (client_credentials)");
  m2m_->require_subcommand(1);
  m2m_create_ = m2m_->add_subcommand("create", "Create an M2M client; prints its secret once");
  m2m_create_->add_option("--scope", scopes_, "Scope assigned to the client (repeat)")->required();
  m2m_create_->add_option("--name", name_, "Client name");
  m2m_create_->add_option("--description", description_, "Description");
  m2m_create_->add_option("--client-id", client_id_, "Import: keep this existing client id");
  m2m_create_->add_option("--client-secret", client_secret_,
                          "Import: keep this existing secret (at least 8 characters, strong)");
  m2m_list_ = m2m_->add_subcommand("list", "List M2M clients by client_id");
  m2m_list_->add_option("--limit", limit_, "At most this many")->check(CLI::Range(1, 100000));
  m2m_rotate_ = m2m_->add_subcommand("rotate-secret", "Rotate an M2M client secret");
  m2m_rotate_->add_option("client_id", rotate_id_)->required();
  auto* start = m2m_rotate_->add_flag("--start", start_, "Issue a next secret; both work");
  auto* complete = m2m_rotate_->add_flag("--complete", complete_, "Make the next secret current");
  m2m_rotate_->add_flag("--cancel", cancel_, "Discard the next secret")
      ->excludes(start)
      ->excludes(complete);
  start->excludes(complete);

  auto* rbac = cli.add_subcommand("rbac", "The RBAC policy (resources, roles, custom scopes)");
  rbac->require_subcommand(1);
  rbac_import_ = rbac->add_subcommand("import", "Replace the RBAC policy with a JSON file");
  rbac_import_->add_option("file", policy_file_, "policy.json")->required();
}

std::optional<int> AccessCommands::Run(Application& app) const {
  if (*m2m_create_) {
    auto created =
        app.M2mClients().Create(accounts::M2mClientDraft{.client_id = client_id_,
                                                         .client_secret = client_secret_,
                                                         .client_name = name_,
                                                         .client_description = description_,
                                                         .scopes = scopes_});
    if (!created) return Report(created.error());
    std::cout << "client_id: " << created->client.client_id << "\n"
              << "client_secret: " << created->client_secret << "\n"
              << "scopes: " << Join(created->client.scopes) << "\n"
              << "(The secret is shown only now; Gatehouse keeps a hash.)\n";
    return 0;
  }
  if (*m2m_list_) {
    std::cout << std::left << std::setw(56) << "client_id" << std::setw(10) << "status"
              << "scopes\n";
    store::M2mSearchQuery query;
    int64_t left = limit_;
    do {
      query.limit = std::min<int64_t>(left, 1000);
      const auto page = app.M2mClients().Search(query);
      for (const auto& c : page.clients) {
        std::cout << std::setw(56) << c.client_id << std::setw(10) << c.status << Join(c.scopes)
                  << "\n";
      }
      left -= static_cast<int64_t>(page.clients.size());
      query.after = page.next_cursor;
    } while (query.after && left > 0);
    return 0;
  }
  if (*m2m_rotate_) {
    auto& clients = app.M2mClients();
    if (complete_ || cancel_) {
      auto done = complete_ ? clients.CompleteSecretRotation(rotate_id_)
                            : clients.CancelSecretRotation(rotate_id_);
      if (!done) return Report(done.error());
      std::cout << (complete_ ? "gatehouse: the next secret is now current\n"
                              : "gatehouse: the pending secret was discarded\n");
      return 0;
    }
    auto next = clients.StartSecretRotation(rotate_id_);
    if (!next) return Report(next.error());
    if (!start_) {
      if (auto done = clients.CompleteSecretRotation(rotate_id_); !done) {
        return Report(done.error());
      }
    }
    std::cout << "client_secret: " << *next << "\n"
              << (start_ ? "(Both secrets work until `--complete` or `--cancel`.)\n"
                         : "(The previous secret no longer works.)\n");
    return 0;
  }
  if (*rbac_import_) {
    std::ifstream in(policy_file_);
    if (!in) {
      std::cerr << "gatehouse: cannot read " << policy_file_ << "\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    boost::json::value document = boost::json::parse(text.str(), ec);
    if (ec) {
      std::cerr << "gatehouse: " << policy_file_ << " is not valid JSON\n";
      return 1;
    }
    if (const auto* wrapped =
            document.is_object() ? document.as_object().if_contains("policy") : nullptr) {
      document = *wrapped;
    }
    auto policy = app.RbacPolicy().Replace(document);
    if (!policy) return Report(policy.error());
    std::cout << "gatehouse: imported the RBAC policy: " << (*policy)->resources().size()
              << " resources, " << (*policy)->roles().size() << " roles, "
              << (*policy)->scopes().size() << " scopes\n";
    return 0;
  }
  return std::nullopt;
}

}  // namespace gatehouse::app
