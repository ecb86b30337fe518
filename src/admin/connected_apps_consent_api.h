#pragma once
// A user's connected apps (the clients they have authorized) through the management API:
//   GET  /v1/users/{user_id}/connected_apps
//        -> {user_id, connected_apps: [{client_id, client_name, client_description, client_type,
//            logo_url, scopes_granted}]}   scopes_granted: space-delimited (as Stytch's API).
//        A client is listed while the user has an active grant or a remembered consent for it.
//   POST /v1/users/{user_id}/connected_apps/{client_id}/revoke
//        -> {user_id, client_id, revoked_grants}: revokes every grant of the pair, their refresh
//        tokens (and so, through the grant claim, their access tokens) and forgets the remembered
//        consent, so the next authorization asks for consent again. Idempotent: revoking a pair
//        with nothing left is 200 with revoked_grants 0.
// An unknown user is 404 on both. Project authentication and the envelope come from
// ManagementApi::Route. The listing is two indexed queries whatever the number of apps.
//
// Routes are added at start-up; handlers are thread-safe. Store faults throw DatabaseError.

#include "accounts/user_sessions.h"
#include "admin/management_api.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/database.h"

namespace gatehouse::admin {

void AddUserConnectedAppsRoutes(http::Router& router, const ManagementApi& api,
                                accounts::UserSessions& users, store::Database& db,
                                const core::Clock& clock);

}  // namespace gatehouse::admin
