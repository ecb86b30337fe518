#pragma once
// Rows that grants hang off (users from migration 0003, clients from 0002), inserted with plain
// SQL so the grant, code, refresh token and consent suites need no other repository.
// Header-only; used by tests/store and tests/unit/oauth. Not thread-safe (one test at a time).

#include <string>
#include <string_view>

#include "store/database.h"

namespace gatehouse::testing {

inline void InsertTestUser(store::Database& db, std::string_view user_id,
                           std::string_view email = "", std::string_view status = "active") {
  db.Run([&](store::Connection& c) {
    c.Execute(
        "INSERT INTO users (user_id, email, email_verified, first_name, last_name, phone_number, "
        "external_id, status, password_hash, roles, organization_id, created_at, updated_at) "
        "VALUES (?, ?, 1, 'Ada', 'Lovelace', '', '', ?, NULL, '[]', NULL, 1, 1)",
        {std::string(user_id),
         email.empty() ? store::Value(std::monostate{}) : store::Value(std::string(email)),
         std::string(status)});
  });
}

inline void InsertTestClient(store::Database& db, std::string_view client_id,
                             std::string_view client_type = "third_party") {
  db.Run([&](store::Connection& c) {
    c.Execute(
        "INSERT INTO clients (client_id, client_type, creation_method, client_name, "
        "client_description, redirect_uris, post_logout_redirect_uris, logo_url, client_uri, "
        "full_access_allowed, bypass_consent_for_offline_access, application_type, secret_hash, "
        "secret_last_four, status, created_at, updated_at) VALUES (?, ?, 'api', 'Test app', '', "
        "'[]', '[]', '', '', 0, 0, 'web', '', '', 'active', 1, 1)",
        {std::string(client_id), std::string(client_type)});
  });
}

}  // namespace gatehouse::testing
