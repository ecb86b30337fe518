#include "admin/users_api.h"

#include "admin/list_paging.h"
#include "crypto/encoding.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

// Reads a name part from the nested `name` object when present, else from the flat field.
core::Result<std::optional<std::string>> NamePart(const json::object& body, std::string_view part) {
  if (const json::value* name = body.if_contains("name"); name != nullptr && !name->is_null()) {
    if (!name->is_object()) {
      return Error(ErrorCode::kBadRequest, "name must be an object {first_name, last_name}");
    }
    auto nested = OptionalString(name->as_object(), part);
    if (!nested) return Error(ErrorCode::kBadRequest, "name." + nested.error().description());
    if (*nested) return nested;
  }
  return OptionalString(body, part);
}

// The fields POST and PUT share, all optional at this point.
struct UserFields {
  std::optional<std::string> email, first_name, last_name, phone_number, external_id, status,
      organization_id, password;
  std::optional<bool> email_verified;
  std::optional<std::vector<std::string>> roles;
};

// The fields ReadUserFields reads.
BodyFields UserBodyFields() {
  return BodyFields{"email",    "phone_number", "external_id", "status",         "organization_id",
                    "password", "first_name",   "last_name",   "email_verified", "roles"}
      .WithObject("name", {"first_name", "last_name"});
}

core::Result<UserFields> ReadUserFields(const json::object& body) {
  UserFields f;
  const std::pair<std::string_view, std::optional<std::string>*> strings[] = {
      {"email", &f.email},
      {"phone_number", &f.phone_number},
      {"external_id", &f.external_id},
      {"status", &f.status},
      {"organization_id", &f.organization_id},
      {"password", &f.password}};
  for (const auto& [name, out] : strings) {
    auto v = OptionalString(body, name);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  auto first = NamePart(body, "first_name");
  if (!first) return first.error();
  f.first_name = std::move(*first);
  auto last = NamePart(body, "last_name");
  if (!last) return last.error();
  f.last_name = std::move(*last);
  auto verified = OptionalBool(body, "email_verified");
  if (!verified) return verified.error();
  f.email_verified = *verified;
  auto roles = OptionalStringArray(body, "roles");
  if (!roles) return roles.error();
  f.roles = std::move(*roles);
  return f;
}

json::object UserAnswer(const core::User& user) {
  return json::object{{"user_id", user.user_id}, {"user", UserJson(user)}};
}

core::Result<json::object> CreateUser(ApiCall& call, accounts::UserAccounts& accounts) {
  auto fields = ReadUserFields(call.body);
  if (!fields) return fields.error();
  accounts::NewUser u;
  u.email = fields->email.value_or("");
  u.email_verified = fields->email_verified.value_or(false);
  u.first_name = fields->first_name.value_or("");
  u.last_name = fields->last_name.value_or("");
  u.phone_number = fields->phone_number.value_or("");
  u.external_id = fields->external_id.value_or("");
  u.status = fields->status.value_or("active");
  u.roles = fields->roles.value_or(std::vector<std::string>{});
  if (fields->organization_id && !fields->organization_id->empty()) {
    u.organization_id = fields->organization_id;
  }
  u.password = fields->password;
  auto created = accounts.CreateUser(u);
  if (!created) return AccountError(call, created.error());
  return UserAnswer(*created);
}

core::Result<json::object> GetUser(ApiCall& call, accounts::UserAccounts& accounts) {
  std::optional<core::User> user = accounts.FindUser(call.request.PathParam("user_id"));
  if (!user) return Error(ErrorCode::kNotFound, "user not found");
  return UserAnswer(*user);
}

core::Result<json::object> UpdateUser(ApiCall& call, accounts::UserAccounts& accounts) {
  auto fields = ReadUserFields(call.body);
  if (!fields) return fields.error();
  auto remove_password = OptionalBool(call.body, "remove_password");
  if (!remove_password) return remove_password.error();
  accounts::UserChanges c;
  c.email = std::move(fields->email);
  c.email_verified = fields->email_verified;
  c.first_name = std::move(fields->first_name);
  c.last_name = std::move(fields->last_name);
  c.phone_number = std::move(fields->phone_number);
  c.external_id = std::move(fields->external_id);
  c.status = std::move(fields->status);
  c.roles = std::move(fields->roles);
  c.organization_id = std::move(fields->organization_id);
  c.password = std::move(fields->password);
  c.remove_password = remove_password->value_or(false);
  auto updated = accounts.UpdateUser(call.request.PathParam("user_id"), c);
  if (!updated) return AccountError(call, updated.error());
  return UserAnswer(*updated);
}

core::Result<json::object> DeleteUser(ApiCall& call, accounts::UserAccounts& accounts) {
  const std::string user_id(call.request.PathParam("user_id"));
  if (auto deleted = accounts.DeleteUser(user_id); !deleted) return deleted.error();
  return json::object{{"user_id", user_id}};
}

// One page of users in user_id order, the answer of both POST search and GET list.
core::Result<json::object> UsersPage(const PageRequest& request, std::optional<std::string> email,
                                     accounts::UserAccounts& accounts) {
  accounts::UserSearch search;
  search.limit = static_cast<int>(request.limit);
  auto after = CursorKey(kUsersList, request.cursor);
  if (!after) return after.error();
  search.after_user_id = std::move(*after);
  if (email && !email->empty()) search.email = std::move(email);
  auto page = accounts.SearchUsers(search);
  if (!page) return page.error();
  json::array results;
  for (const core::User& u : page->users) results.push_back(UserJson(u));
  return json::object{
      {"results", std::move(results)},
      {"results_metadata",
       ResultsMetadata(page->total, NextCursor(kUsersList, page->next_after_user_id))}};
}

core::Result<json::object> SearchUsers(ApiCall& call, accounts::UserAccounts& accounts) {
  auto request = ReadPageRequest(call.body);
  if (!request) return request.error();
  auto email = OptionalString(call.body, "email");
  if (!email) return email.error();
  return UsersPage(*request, std::move(*email), accounts);
}

core::Result<json::object> ListUsers(ApiCall& call, accounts::UserAccounts& accounts) {
  auto request = ReadPageQuery(call.request.query);
  if (!request) return request.error();
  return UsersPage(*request, std::nullopt, accounts);
}

}  // namespace

json::object UserJson(const core::User& user) {
  json::object out;
  out["user_id"] = user.user_id;
  out["email"] = user.email;
  out["email_verified"] = user.email_verified;
  json::array emails;
  if (!user.email.empty()) {
    emails.push_back(json::object{{"email", user.email}, {"verified", user.email_verified}});
  }
  out["emails"] = std::move(emails);
  out["name"] = json::object{{"first_name", user.first_name}, {"last_name", user.last_name}};
  out["phone_number"] = user.phone_number;
  json::array phones;
  if (!user.phone_number.empty()) {
    phones.push_back(json::object{{"phone_number", user.phone_number}});
  }
  out["phone_numbers"] = std::move(phones);
  out["external_id"] = user.external_id;
  out["status"] = user.status;
  out["has_password"] = user.has_password;
  out["roles"] = StringArrayJson(user.roles);
  out["organization_id"] = NullableJson(user.organization_id);
  out["created_at"] = Rfc3339(user.created_at);
  out["updated_at"] = Rfc3339(user.updated_at);
  return out;
}

core::Result<json::object> AccountError(ApiCall& call, const core::Error& error) {
  const std::string& text = error.description();
  const std::string prefix = std::string(accounts::kDuplicateEmail) + ": ";
  if (error.code() == ErrorCode::kConflict && text.starts_with(prefix)) {
    // ManagementApi adds request_id and status_code to this body.
    call.status = error.http_status();
    return json::object{{"error_type", accounts::kDuplicateEmail},
                        {"error_message", text.substr(prefix.size())}};
  }
  return error;
}

void AddUserRoutes(http::Router& router, const ManagementApi& api,
                   accounts::UserAccounts& accounts) {
  const auto bind = [&api, &accounts](BodyFields fields, auto handler) {
    return api.Route(std::move(fields),
                     [&accounts, handler](ApiCall& call) { return handler(call, accounts); });
  };
  const BodyFields create = UserBodyFields();
  router.Add("POST", "/v1/users", bind(create, CreateUser));
  router.Add("GET", "/v1/users", bind({}, ListUsers));
  router.Add("POST", "/v1/users/search", bind({"limit", "cursor", "email"}, SearchUsers));
  router.Add("GET", "/v1/users/{user_id}", bind({}, GetUser));
  router.Add("PUT", "/v1/users/{user_id}", bind(create.With({"remove_password"}), UpdateUser));
  router.Add("DELETE", "/v1/users/{user_id}", bind({}, DeleteUser));
}

}  // namespace gatehouse::admin
