#include "accounts/m2m_clients.h"

#include <algorithm>
#include <cmath>

#include <boost/json.hpp>

#include "accounts/secret_rotation.h"
#include "core/display_text.h"
#include "core/ids.h"
#include "core/scope.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"
#include "store/client_repository.h"

namespace gatehouse::accounts {
namespace {
using core::Error;
using core::ErrorCode;

Error NotFound(std::string_view client_id) {
  return Error(ErrorCode::kNotFound, "no M2M client has client_id " + std::string(client_id));
}

core::Result<void> CheckImportedClientId(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return Error(ErrorCode::kBadRequest, "client_id must be 1 to 128 characters");
  }
  for (char ch : id) {
    if (ch <= 0x20 || ch >= 0x7f) {
      return Error(ErrorCode::kBadRequest, "client_id must be printable ASCII without spaces");
    }
  }
  if (id.starts_with("https://")) {
    return Error(ErrorCode::kBadRequest,
                 "client_id must not start with https:// (reserved for Client ID Metadata "
                 "Documents)");
  }
  if (id.starts_with("user-")) {
    return Error(ErrorCode::kBadRequest,
                 "client_id must not start with user- (reserved for users)");
  }
  return {};
}

}  // namespace

double EstimatedSecretEntropyBits(std::string_view secret) {
  bool lower = false, upper = false, digit = false, other = false;
  for (char ch : secret) {
    if (ch >= 'a' && ch <= 'z') {
      lower = true;
    } else if (ch >= 'A' && ch <= 'Z') {
      upper = true;
    } else if (ch >= '0' && ch <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
  if (pool == 0) return 0;
  return static_cast<double>(secret.size()) * std::log2(static_cast<double>(pool));
}

core::Result<void> CheckImportedSecret(std::string_view secret) {
  if (secret.size() < 8) {
    return Error(ErrorCode::kBadRequest, "client_secret must be at least 8 characters");
  }
  if (std::all_of(secret.begin(), secret.end(), [&](char ch) { return ch == secret.front(); })) {
    return Error(ErrorCode::kBadRequest, "client_secret must not repeat one character");
  }
  if (EstimatedSecretEntropyBits(secret) < kMinSecretEntropyBits) {
    return Error(ErrorCode::kBadRequest,
                 "client_secret is too weak: use a longer secret mixing letters, digits and "
                 "symbols");
  }
  return {};
}

M2mClients::M2mClients(store::Database& db, const SecretHasher& hasher, const core::Clock& clock,
                       core::Random& random, core::Environment environment)
    : db_(db),
      repository_(db),
      hasher_(hasher),
      clock_(clock),
      random_(random),
      environment_(environment) {}

core::Result<void> M2mClients::Validate(const store::M2mClient& client) {
  for (const auto& [field, text] :
       {std::pair<std::string_view, const std::string&>{"client_name", client.client_name},
        {"client_description", client.client_description}}) {
    if (auto ok = core::CheckDisplayText(field, text); !ok) return ok;
  }
  if (client.scopes.empty()) return Error(ErrorCode::kBadRequest, "scopes must not be empty");
  for (const auto& scope : client.scopes) {
    if (!core::ScopeSet::IsValidToken(scope)) {
      return Error(ErrorCode::kBadRequest, "scopes entry is not a valid scope token");
    }
  }
  if (client.status != "active" && client.status != "inactive") {
    return Error(ErrorCode::kBadRequest, "status must be active or inactive");
  }
  if (client.trusted_metadata_json.size() > kMaxTrustedMetadataBytes) {
    return Error(ErrorCode::kBadRequest, "trusted_metadata must be at most 4096 bytes");
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(client.trusted_metadata_json, ec);
  if (ec || !v.is_object()) {
    return Error(ErrorCode::kBadRequest, "trusted_metadata must be a JSON object");
  }
  return {};
}

std::shared_ptr<const store::M2mClient> M2mClients::Find(std::string_view client_id) {
  return cache_.Find(client_id, clock_.NowSeconds(), [&] { return repository_.Find(client_id); });
}

bool M2mClients::VerifySecret(const store::M2mClient& client, std::string_view secret) const {
  if (client.secret_hash.empty()) return false;
  const std::string presented = hasher_.Hash(secret);
  // Both comparisons always run, so the time does not tell which secret matched.
  const bool current = crypto::ConstantTimeEquals(presented, client.secret_hash);
  const bool next = crypto::ConstantTimeEquals(presented, client.next_secret_hash.value_or(""));
  return current || next;
}

void M2mClients::Invalidate() { cache_.Invalidate(); }

core::Result<CreatedM2mClient> M2mClients::Create(M2mClientDraft draft) {
  store::M2mClient client;
  if (draft.client_id) {
    if (auto ok = CheckImportedClientId(*draft.client_id); !ok) return ok.error();
    client.client_id = *draft.client_id;
  } else {
    client.client_id = core::NewId(random_, "m2m-client", core::EnvironmentName(environment_));
  }
  std::string secret;
  if (draft.client_secret) {
    if (auto ok = CheckImportedSecret(*draft.client_secret); !ok) return ok.error();
    secret = *draft.client_secret;
  } else {
    secret = crypto::RandomToken(random_, 32);
  }
  std::sort(draft.scopes.begin(), draft.scopes.end());
  draft.scopes.erase(std::unique(draft.scopes.begin(), draft.scopes.end()), draft.scopes.end());
  client.client_name = std::move(draft.client_name);
  client.client_description = std::move(draft.client_description);
  client.scopes = std::move(draft.scopes);
  client.trusted_metadata_json = std::move(draft.trusted_metadata_json);
  client.status = std::move(draft.status);
  if (auto ok = Validate(client); !ok) return ok.error();
  client.secret_hash = hasher_.Hash(secret);
  client.secret_last_four = secret.substr(secret.size() - 4);
  client.created_at = client.updated_at = clock_.NowSeconds();
  const auto conflict = [&] {
    return Error(ErrorCode::kConflict, "client_id " + client.client_id + " is already in use");
  };
  if (store::ClientRepository(db_).Find(client.client_id)) return conflict();
  try {
    repository_.Insert(client);
  } catch (const store::ConstraintViolation&) {
    return conflict();
  }
  Invalidate();
  return CreatedM2mClient{std::move(client), std::move(secret)};
}

core::Result<store::M2mClient> M2mClients::Get(std::string_view client_id) {
  std::optional<store::M2mClient> client = repository_.Find(client_id);
  if (!client) return NotFound(client_id);
  return std::move(*client);
}

core::Result<store::M2mClient> M2mClients::Update(const store::M2mClient& changed) {
  store::M2mClient stored = changed;
  std::sort(stored.scopes.begin(), stored.scopes.end());
  stored.scopes.erase(std::unique(stored.scopes.begin(), stored.scopes.end()), stored.scopes.end());
  if (auto ok = Validate(stored); !ok) return ok.error();
  stored.updated_at = clock_.NowSeconds();
  if (!repository_.Update(stored)) return NotFound(changed.client_id);
  Invalidate();
  return Get(changed.client_id);
}

core::Result<void> M2mClients::Delete(std::string_view client_id) {
  if (!repository_.Delete(client_id)) return NotFound(client_id);
  Invalidate();
  return {};
}

store::M2mClientPage M2mClients::Search(const store::M2mSearchQuery& query) {
  return repository_.Search(query);
}

core::Result<void> M2mClients::RotationResult(store::RotationOutcome outcome,
                                              std::string_view client_id) {
  if (outcome == store::RotationOutcome::kDone) Invalidate();
  return SecretRotationResult(outcome, NotFound(client_id));
}

core::Result<std::string> M2mClients::StartSecretRotation(std::string_view client_id) {
  std::string next = crypto::RandomToken(random_, 32);
  auto done = RotationResult(
      repository_.StartSecretRotation(client_id, hasher_.Hash(next), next.substr(next.size() - 4),
                                      clock_.NowSeconds()),
      client_id);
  if (!done) return done.error();
  return next;
}

core::Result<store::M2mClient> M2mClients::CompleteSecretRotation(std::string_view client_id) {
  auto done =
      RotationResult(repository_.CompleteSecretRotation(client_id, clock_.NowSeconds()), client_id);
  if (!done) return done.error();
  return Get(client_id);
}

core::Result<store::M2mClient> M2mClients::CancelSecretRotation(std::string_view client_id) {
  auto done =
      RotationResult(repository_.CancelSecretRotation(client_id, clock_.NowSeconds()), client_id);
  if (!done) return done.error();
  return Get(client_id);
}

}  // namespace gatehouse::accounts
