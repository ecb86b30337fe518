#pragma once
// The /v1/users management API (Stytch's user shapes), over accounts::UserAccounts:
//   POST   /v1/users              {email, name{first_name,last_name} | first_name, last_name,
//                                  phone_number, password, external_id, roles[], status,
//                                  email_verified, organization_id} -> {user_id, user}
//   GET    /v1/users/{user_id}    -> {user_id, user}
//   PUT    /v1/users/{user_id}    the same fields, each optional (partial update; a new password
//                                  revokes the user's sessions) -> {user_id, user}
//   DELETE /v1/users/{user_id}    -> {user_id}   (the user's sessions go too)
//   POST   /v1/users/search       {cursor, limit (1..1000, default 100), email}
//                                  -> {results[], results_metadata{total, next_cursor}}
//   GET    /v1/users?limit=&cursor=  the search's answer without the email filter
// Lists and searches page alike (list_paging.h): ordered by id, opaque cursors, 400 on a bad
// limit, cursor or query parameter.
// A user renders without any password hash: `has_password` says whether one is set. A duplicate
// email answers 409 with error_type "duplicate_email".
//
// Routes are added at start-up; handlers are thread-safe (they share only UserAccounts).

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "accounts/user_accounts.h"
#include "admin/management_api.h"
#include "core/result.h"
#include "core/user.h"
#include "http/router.h"

namespace gatehouse::admin {

void AddUserRoutes(http::Router& router, const ManagementApi& api,
                   accounts::UserAccounts& accounts);

// The API view of a user.
boost::json::object UserJson(const core::User& user);

// Turns an account error into the handler's answer: a duplicate email becomes the 409 body with
// error_type "duplicate_email" (ManagementApi renders other errors by their code's name).
core::Result<boost::json::object> AccountError(ApiCall& call, const core::Error& error);

}  // namespace gatehouse::admin
