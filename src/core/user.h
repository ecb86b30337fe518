#pragma once
// User and Session: the people who grant connected apps access, and their signed-in sessions.
// Plain aggregates; persistence lives in src/store, rules in src/oauth.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse::core {

struct User {
  std::string user_id{};  // "user-<env>-<uuid>"
  std::string email{};    // lower-cased; unique when set
  bool email_verified = false;
  std::string first_name{};
  std::string last_name{};
  std::string phone_number{};
  std::string external_id{};
  std::string status = "active";  // "active" | "disabled"
  bool has_password = false;      // the hash itself never leaves the store layer's records
  std::vector<std::string> roles{};
  std::optional<std::string> organization_id{};
  int64_t created_at = 0;
  int64_t updated_at = 0;

  std::string DisplayName() const {
    if (!first_name.empty() && !last_name.empty()) return first_name + " " + last_name;
    if (!first_name.empty()) return first_name;
    return email;
  }
};

struct Session {
  std::string session_id{};
  std::string user_id{};
  int64_t authenticated_at = 0;  // when the user last proved who they are (OIDC auth_time)
  int64_t expires_at = 0;
  std::string authentication_method{};  // "password", "access_token_exchange", ...
};

}  // namespace gatehouse::core
