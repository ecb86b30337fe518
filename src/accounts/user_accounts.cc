#include "accounts/user_accounts.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/display_text.h"
#include "core/ids.h"
#include "store/session_repository.h"
#include "store/user_repository.h"

namespace gatehouse::accounts {
namespace {

using core::Error;
using core::ErrorCode;

constexpr size_t kMaxEmailLength = 254;  // RFC 5321 path limit
constexpr size_t kMaxFieldLength = 256;
constexpr size_t kMaxRoles = 100;
constexpr int kMaxSearchLimit = 1000;

Error BadRequest(std::string_view text) { return Error(ErrorCode::kBadRequest, text); }

Error DuplicateEmail() {
  return Error(ErrorCode::kConflict,
               std::string(kDuplicateEmail) + ": a user with this email already exists");
}

bool IsControlOrSpace(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

// A deliberately loose shape check: one '@', something on both sides, a dot in the domain, no
// spaces or control characters. Deliverability is the verification flow's business.
core::Result<void> CheckEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return BadRequest("email is too long");
  const size_t at = email.find('@');
  const bool ok = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                  email.find('@', at + 1) == std::string_view::npos &&
                  email.find('.', at + 1) != std::string_view::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(), IsControlOrSpace);
  if (!ok) return BadRequest("email is not a valid email address");
  return {};
}

core::Result<void> CheckPassword(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return BadRequest("password must be at least " + std::to_string(kMinPasswordLength) +
                      " characters");
  }
  if (password.size() > kMaxPasswordLength) return BadRequest("password is too long");
  return {};
}

core::Result<void> CheckStatus(std::string_view status) {
  if (status != "active" && status != "disabled") {
    return BadRequest("status must be active or disabled");
  }
  return {};
}

core::Result<void> CheckField(std::string_view name, std::string_view value) {
  if (value.size() > kMaxFieldLength) return BadRequest(std::string(name) + " is too long");
  // Names are shown as written (the headless API hands them to the authorization page).
  if (name == "first_name" || name == "last_name") return core::CheckDisplayText(name, value);
  return {};
}

// Drops duplicates, keeping the first occurrence's order.
core::Result<std::vector<std::string>> CheckRoles(const std::vector<std::string>& roles) {
  if (roles.size() > kMaxRoles) return BadRequest("roles has too many entries");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& role : roles) {
    if (role.empty() || role.size() > kMaxFieldLength) {
      return BadRequest("roles must be non-empty strings of at most 256 characters");
    }
    if (seen.insert(role).second) out.push_back(role);
  }
  return out;
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) {
    email.remove_prefix(1);
  }
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) {
    email.remove_suffix(1);
  }
  std::string out(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

UserAccounts::UserAccounts(store::Database& db, const core::Clock& clock, core::Random& random,
                           const PasswordHasher& passwords, std::string environment)
    : db_(db),
      clock_(clock),
      random_(random),
      passwords_(passwords),
      environment_(std::move(environment)) {}

core::Result<core::User> UserAccounts::CreateUser(const NewUser& in) {
  store::UserRecord record;
  core::User& u = record.user;
  u.email = NormalizeEmail(in.email);
  if (!u.email.empty()) {
    if (auto ok = CheckEmail(u.email); !ok) return ok.error();
  }
  for (const auto& [name, value] :
       {std::pair<std::string_view, const std::string&>{"first_name", in.first_name},
        {"last_name", in.last_name},
        {"phone_number", in.phone_number},
        {"external_id", in.external_id}}) {
    if (auto ok = CheckField(name, value); !ok) return ok.error();
  }
  if (auto ok = CheckStatus(in.status); !ok) return ok.error();
  auto roles = CheckRoles(in.roles);
  if (!roles) return roles.error();
  if (in.password) {
    if (auto ok = CheckPassword(*in.password); !ok) return ok.error();
  }
  if (!u.email.empty() && store::UserRepository(db_).FindByEmail(u.email)) {
    // Answer before spending a password hash on a request that cannot succeed.
    return DuplicateEmail();
  }

  u.user_id = core::NewId(random_, "user", environment_);
  u.email_verified = in.email_verified;
  u.first_name = in.first_name;
  u.last_name = in.last_name;
  u.phone_number = in.phone_number;
  u.external_id = in.external_id;
  u.status = in.status;
  u.roles = std::move(*roles);
  u.organization_id = in.organization_id;
  u.created_at = u.updated_at = clock_.NowSeconds();
  if (in.password) record.password_hash = passwords_.Hash(*in.password);
  u.has_password = record.password_hash.has_value();
  // The unique index settles a race between two creations with one email.
  if (!store::UserRepository(db_).Insert(record)) return DuplicateEmail();
  return u;
}

core::Result<core::User> UserAccounts::UpdateUser(std::string_view user_id,
                                                  const UserChanges& changes) {
  store::UserRepository users(db_);
  std::optional<store::UserRecord> record = users.Get(user_id);
  if (!record) return Error(ErrorCode::kNotFound, "user not found");
  core::User& u = record->user;
  if (changes.email) {
    u.email = NormalizeEmail(*changes.email);
    if (!u.email.empty()) {
      if (auto ok = CheckEmail(u.email); !ok) return ok.error();
    }
  }
  const std::pair<const std::optional<std::string>*, std::string*> fields[] = {
      {&changes.first_name, &u.first_name},
      {&changes.last_name, &u.last_name},
      {&changes.phone_number, &u.phone_number},
      {&changes.external_id, &u.external_id}};
  const std::string_view names[] = {"first_name", "last_name", "phone_number", "external_id"};
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (!*fields[i].first) continue;
    if (auto ok = CheckField(names[i], **fields[i].first); !ok) return ok.error();
    *fields[i].second = **fields[i].first;
  }
  if (changes.email_verified) u.email_verified = *changes.email_verified;
  if (changes.status) {
    if (auto ok = CheckStatus(*changes.status); !ok) return ok.error();
    u.status = *changes.status;
  }
  if (changes.roles) {
    auto roles = CheckRoles(*changes.roles);
    if (!roles) return roles.error();
    u.roles = std::move(*roles);
  }
  if (changes.organization_id) {
    u.organization_id = changes.organization_id->empty()
                            ? std::nullopt
                            : std::optional<std::string>(*changes.organization_id);
  }
  if (changes.password && changes.remove_password) {
    return BadRequest("password and remove_password cannot be combined");
  }
  if (changes.password) {
    if (auto ok = CheckPassword(*changes.password); !ok) return ok.error();
    record->password_hash = passwords_.Hash(*changes.password);
  }
  if (changes.remove_password) record->password_hash.reset();
  u.has_password = record->password_hash.has_value();
  u.updated_at = clock_.NowSeconds();

  switch (users.Update(*record)) {
    case store::UserRepository::UpdateOutcome::kUpdated:
      break;
    case store::UserRepository::UpdateOutcome::kNotFound:
      return Error(ErrorCode::kNotFound, "user not found");
    case store::UserRepository::UpdateOutcome::kDuplicateEmail:
      return DuplicateEmail();
  }
  // A new password ends every session signed in with the old one.
  if (changes.password || changes.remove_password) {
    store::SessionRepository(db_).RevokeAllForUser(u.user_id, u.updated_at);
  }
  return u;
}

core::Result<void> UserAccounts::DeleteUser(std::string_view user_id) {
  if (!store::UserRepository(db_).Delete(user_id)) {
    return Error(ErrorCode::kNotFound, "user not found");
  }
  return {};
}

core::Result<UserSearchPage> UserAccounts::SearchUsers(const UserSearch& search) {
  if (search.limit < 1 || search.limit > kMaxSearchLimit) {
    return BadRequest("limit must be between 1 and 1000");
  }
  std::optional<std::string> email;
  if (search.email) email = NormalizeEmail(*search.email);
  store::UserPage page = store::UserRepository(db_).List(email, search.after_user_id, search.limit);
  UserSearchPage out;
  out.users.reserve(page.users.size());
  for (store::UserRecord& r : page.users) out.users.push_back(std::move(r.user));
  out.next_after_user_id = std::move(page.next_after_user_id);
  out.total = page.total;
  return out;
}

std::optional<core::User> UserAccounts::FindUser(std::string_view user_id) {
  std::optional<store::UserRecord> record = store::UserRepository(db_).Get(user_id);
  if (!record) return std::nullopt;
  return std::move(record->user);
}

}  // namespace gatehouse::accounts
