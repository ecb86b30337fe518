#pragma once
// TokenLifecycleRepository: the queries session exchange and consent management need beyond the
// grant/token repositories (a refresh token with its grant: RefreshTokenRepository::GetWithGrant).
//
//  - RecordExchange: marks an access token (by jti) as exchanged for a session. The jti is the
//    table's primary key, so of any number of concurrent exchanges exactly one inserts; the others
//    get false. Rows expire (expires_at) and garbage collection deletes them.
//  - ListConnectedApps: the clients a user has authorized (an active grant or a remembered
//    consent), with the client's display fields and the scopes granted; two queries, no N+1.
//  - RevokeConnectedApp: in one transaction, revokes every grant of the user for the client and
//    their refresh tokens (the access tokens die with the grant: gh_grant claim) and forgets the
//    remembered consent, so the next authorization asks again.
//
// Thread-safe (stateless over a thread-safe Database). Failures: DatabaseError.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace gatehouse::store {

struct ExchangedAccessToken {
  std::string jti{};
  std::string user_id{};
  std::string client_id{};
  int64_t exchanged_at = 0;
  int64_t expires_at = 0;
};

// One client a user has authorized.
struct ConnectedApp {
  std::string client_id{};
  std::string client_name{};
  std::string client_description{};
  std::string client_type{};
  std::string logo_url{};
  // The remembered consent's scope when there is one, else the union of the active grants'
  // scopes; space-delimited, deduplicated, in first-seen order.
  std::string scopes_granted{};
};

class TokenLifecycleRepository {
 public:
  explicit TokenLifecycleRepository(Database& db) : db_(db) {}

  // True when this call recorded the jti; false when it had been exchanged before.
  bool RecordExchange(const ExchangedAccessToken& exchange);

  // Ordered by client name, then client id.
  std::vector<ConnectedApp> ListConnectedApps(std::string_view user_id);

  // Returns how many grants were revoked (0 when there was nothing to revoke; the consent is
  // forgotten either way).
  int64_t RevokeConnectedApp(std::string_view user_id, std::string_view client_id, int64_t now);

 private:
  Database& db_;
};

}  // namespace gatehouse::store
