#pragma once
// ClientDirectory: the one way the protocol layer looks up a client by client_id.
//  - Registry clients (created by the management API or Dynamic Client Registration) come from an
//    in-process cache filled from the clients table. Any change to a client bumps the "clients"
//    cache version in the same transaction; every process's Maintenance loop calls Invalidate()
//    when it sees the bump, so an update or delete is seen everywhere within about a second.
//  - When CIMD is enabled, a client_id that is an https:// URL is resolved through the
//    ClientMetadataSource (its own cache honours Cache-Control); the result is a
//    third_party_public client with creation_method client_id_metadata_document.
//
// Errors: unknown or deleted client -> kInvalidClient ("unknown client"); a disabled client ->
// kInvalidClient; a CIMD fetch failure -> kInvalidClient; a CIMD document that is invalid ->
// kInvalidClientMetadata. Infrastructure faults throw store::DatabaseError.
// Thread-safe. Returned clients are immutable snapshots.

#include <memory>
#include <string_view>

#include "core/client.h"
#include "core/result.h"

namespace gatehouse::accounts {

// Resolves Client ID Metadata Document URLs (the CIMD resolver implements it; tests use fakes).
class ClientMetadataSource {
 public:
  virtual ~ClientMetadataSource() = default;
  virtual core::Result<std::shared_ptr<const core::Client>> Resolve(
      std::string_view client_id_url) = 0;
};

class ClientDirectory {
 public:
  virtual ~ClientDirectory() = default;
  virtual core::Result<std::shared_ptr<const core::Client>> Find(std::string_view client_id) = 0;
  // True when `secret` is the client's current secret or, during a rotation, its next secret.
  // Constant time in the secret. Always false for public clients.
  virtual bool VerifySecret(const core::Client& client, std::string_view secret) const = 0;
  // Drops cached registry clients (called when the "clients" cache version moves).
  virtual void Invalidate() = 0;
};

}  // namespace gatehouse::accounts
