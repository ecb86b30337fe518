#include "store/user_repository.h"

#include <boost/json.hpp>

#include "store/string_list_column.h"

namespace gatehouse::store {
namespace {

namespace json = boost::json;

// The column is written only by this repository; anything else in it reads as no roles rather
// than failing every request that touches the user.
std::vector<std::string> RolesFromJson(const std::string& text) {
  return DecodeStringList(text).value_or(std::vector<std::string>{});
}

Value EmailValue(const std::string& email) {
  return email.empty() ? Value(std::monostate{}) : Value(email);
}

const std::string kSelectUser = "SELECT " + std::string(kUserColumns) + " FROM users u ";

}  // namespace

UserRecord UserFromRow(const Row& row, size_t first) {
  UserRecord record;
  core::User& u = record.user;
  u.user_id = row.Text(first);
  u.email = row.Text(first + 1);
  u.email_verified = row.Bool(first + 2);
  u.first_name = row.Text(first + 3);
  u.last_name = row.Text(first + 4);
  u.phone_number = row.Text(first + 5);
  u.external_id = row.Text(first + 6);
  u.status = row.Text(first + 7);
  record.password_hash = row.OptionalText(first + 8);
  u.has_password = record.password_hash.has_value();
  u.roles = RolesFromJson(row.Text(first + 9));
  u.organization_id = row.OptionalText(first + 10);
  u.created_at = row.Int(first + 11);
  u.updated_at = row.Int(first + 12);
  return record;
}

bool UserRepository::Insert(const UserRecord& record) {
  const core::User& u = record.user;
  int64_t inserted = 0;
  db_.Run([&](Connection& c) {
    inserted = c.Execute(
        "INSERT INTO users (user_id, email, email_verified, first_name, last_name, phone_number, "
        "external_id, status, password_hash, roles, organization_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
        {u.user_id, EmailValue(u.email), int64_t{u.email_verified ? 1 : 0}, u.first_name,
         u.last_name, u.phone_number, u.external_id, u.status, Nullable(record.password_hash),
         EncodeStringList(u.roles), Nullable(u.organization_id), u.created_at, u.updated_at});
  });
  return inserted == 1;
}

std::optional<UserRecord> UserRepository::Get(std::string_view user_id) {
  std::optional<UserRecord> found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(kSelectUser + "WHERE u.user_id = ?", {std::string(user_id)});
    if (!rows.empty()) found = UserFromRow(rows[0], 0);
  });
  return found;
}

std::optional<UserRecord> UserRepository::FindByEmail(std::string_view email) {
  std::optional<UserRecord> found;
  if (email.empty()) return found;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(kSelectUser + "WHERE u.email = ?", {std::string(email)});
    if (!rows.empty()) found = UserFromRow(rows[0], 0);
  });
  return found;
}

UserRepository::UpdateOutcome UserRepository::Update(const UserRecord& record) {
  const core::User& u = record.user;
  int64_t updated = 0;
  try {
    db_.Run([&](Connection& c) {
      updated = c.Execute(
          "UPDATE users SET email = ?, email_verified = ?, first_name = ?, last_name = ?, "
          "phone_number = ?, external_id = ?, status = ?, password_hash = ?, roles = ?, "
          "organization_id = ?, updated_at = ? WHERE user_id = ?",
          {EmailValue(u.email), int64_t{u.email_verified ? 1 : 0}, u.first_name, u.last_name,
           u.phone_number, u.external_id, u.status, Nullable(record.password_hash),
           EncodeStringList(u.roles), Nullable(u.organization_id), u.updated_at, u.user_id});
    });
  } catch (const ConstraintViolation&) {
    // The only unique column an update can collide on is email.
    return UpdateOutcome::kDuplicateEmail;
  }
  return updated == 1 ? UpdateOutcome::kUpdated : UpdateOutcome::kNotFound;
}

bool UserRepository::SetPasswordHash(std::string_view user_id, std::string_view password_hash,
                                     int64_t updated_at) {
  int64_t updated = 0;
  db_.Run([&](Connection& c) {
    updated = c.Execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE user_id = ?",
                        {std::string(password_hash), updated_at, std::string(user_id)});
  });
  return updated == 1;
}

bool UserRepository::Delete(std::string_view user_id) {
  int64_t deleted = 0;
  db_.Run([&](Connection& c) {
    deleted = c.Execute("DELETE FROM users WHERE user_id = ?", {std::string(user_id)});
  });
  return deleted == 1;
}

UserPage UserRepository::List(const std::optional<std::string>& email,
                              const std::optional<std::string>& after_user_id, int limit) {
  if (limit < 1) limit = 1;
  UserPage page;
  // Only the conditions asked for are written: "? IS NULL OR user_id > ?" would keep both
  // engines from seeking the primary key, and every later page would scan all earlier ones.
  std::string where;
  std::vector<Value> filter;
  if (email) {
    where = "WHERE u.email = ? ";
    filter.emplace_back(*email);
  }
  std::vector<Value> params = filter;
  if (after_user_id) {
    where += where.empty() ? "WHERE " : "AND ";
    where += "u.user_id > ? ";
    params.emplace_back(*after_user_id);
  }
  params.emplace_back(int64_t{limit} + 1);
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(kSelectUser + where + "ORDER BY u.user_id LIMIT ?", params);
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(limit); ++i) {
      page.users.push_back(UserFromRow(rows[i], 0));
    }
    if (rows.size() > static_cast<size_t>(limit)) {
      page.next_after_user_id = page.users.back().user.user_id;
    }
    Rows count = email ? c.Query("SELECT COUNT(*) FROM users WHERE email = ?", filter)
                       : c.Query("SELECT COUNT(*) FROM users");
    page.total = count.empty() ? 0 : count[0].Int(0);
  });
  return page;
}

}  // namespace gatehouse::store
