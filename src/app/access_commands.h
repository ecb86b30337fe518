#pragma once
// Operator commands for machine-to-machine clients and the RBAC policy:
//   gatehouse m2m create --scope S [--scope S ...] [--name N] [--description D]
//                        [--client-id ID --client-secret SECRET]   (import from another provider)
//   gatehouse m2m list [--limit N]
//   gatehouse m2m rotate-secret ID [--start | --complete | --cancel]
//   gatehouse rbac import policy.json
// Add() registers the subcommands on the CLI; Run() executes the one that was chosen (nullopt when
// none of these was) and returns the exit status. Output: one `key: value` line per secret, so a
// script can read it. Errors: one line on stderr, status 1 (2 for usage).
//
// Not thread-safe (a CLI invocation is single-threaded).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse::app {

class Application;

class AccessCommands {
 public:
  void Add(CLI::App& cli);
  std::optional<int> Run(Application& app) const;

 private:
  CLI::App* m2m_ = nullptr;
  CLI::App* m2m_create_ = nullptr;
  CLI::App* m2m_list_ = nullptr;
  CLI::App* m2m_rotate_ = nullptr;
  CLI::App* rbac_import_ = nullptr;
  std::vector<std::string> scopes_;
  std::string name_;
  std::string description_;
  std::optional<std::string> client_id_;
  std::optional<std::string> client_secret_;
  std::string rotate_id_;
  int64_t limit_ = 100;
  bool start_ = false;
  bool complete_ = false;
  bool cancel_ = false;
  std::string policy_file_;
};

}  // namespace gatehouse::app
