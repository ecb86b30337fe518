#include "accounts/client_registry.h"

#include <boost/json.hpp>

#include "accounts/secret_rotation.h"
#include "core/claims_template.h"
#include "core/display_text.h"
#include "core/ids.h"
#include "core/redirect_uri_policy.h"
#include "crypto/hash.h"
#include "crypto/secure_random.h"

namespace gatehouse::accounts {
namespace {
using core::Error;
using core::ErrorCode;

Error UnknownClient() { return Error(ErrorCode::kInvalidClient, "unknown client"); }

Error NotFound(std::string_view client_id) {
  return Error(ErrorCode::kNotFound, "no connected app has client_id " + std::string(client_id));
}

core::Result<void> ValidateRedirectList(const std::vector<std::string>& uris,
                                        std::string_view field, const core::Client& client,
                                        core::Environment environment) {
  for (const auto& uri : uris) {
    auto ok = core::ValidateRedirectUriForRegistration(uri, client.client_type, environment,
                                                       client.application_type);
    if (!ok) {
      return Error(ErrorCode::kInvalidRedirectUri,
                   std::string(field) + " entry " + uri + ": " + ok.error().description());
    }
  }
  return {};
}

}  // namespace

ClientRegistry::ClientRegistry(store::Database& db, const SecretHasher& hasher,
                               const core::Clock& clock, core::Random& random,
                               core::Environment environment, ClientMetadataSource* metadata_source)
    : repository_(db),
      hasher_(hasher),
      clock_(clock),
      random_(random),
      environment_(environment),
      metadata_source_(metadata_source) {}

core::Result<std::shared_ptr<const core::Client>> ClientRegistry::Find(std::string_view client_id) {
  if (client_id.starts_with("https://")) {
    if (metadata_source_ == nullptr) return UnknownClient();
    return metadata_source_->Resolve(client_id);
  }
  const std::shared_ptr<const core::Client> client =
      cache_.Find(client_id, clock_.NowSeconds(), [&] { return repository_.Find(client_id); });
  if (client == nullptr) return UnknownClient();
  if (client->status != core::ClientStatus::kActive) {
    return Error(ErrorCode::kInvalidClient, "client is disabled");
  }
  return client;
}

bool ClientRegistry::VerifySecret(const core::Client& client, std::string_view secret) const {
  if (core::IsPublic(client.client_type) || client.secret_hash.empty()) return false;
  const std::string presented = hasher_.Hash(secret);
  // Both comparisons always run, so the time does not tell which secret matched.
  const bool current = crypto::ConstantTimeEquals(presented, client.secret_hash);
  const bool next = crypto::ConstantTimeEquals(presented, client.next_secret_hash.value_or(""));
  return current || next;
}

void ClientRegistry::Invalidate() { cache_.Invalidate(); }

core::Result<void> ClientRegistry::Validate(const core::Client& client) const {
  for (const auto& [field, text] :
       {std::pair<std::string_view, const std::string&>{"client_name", client.client_name},
        {"client_description", client.client_description}}) {
    if (auto ok = core::CheckDisplayText(field, text); !ok) return ok;
  }
  if (auto ok = ValidateRedirectList(client.redirect_uris, "redirect_urls", client, environment());
      !ok) {
    return ok;
  }
  if (auto ok = ValidateRedirectList(client.post_logout_redirect_uris, "post_logout_redirect_urls",
                                     client, environment());
      !ok) {
    return ok;
  }
  if (!core::IsFirstParty(client.client_type)) {
    if (client.full_access_allowed) {
      return Error(ErrorCode::kBadRequest,
                   "full_access_allowed is only available to first_party and first_party_public "
                   "clients");
    }
    if (client.bypass_consent_for_offline_access) {
      return Error(ErrorCode::kBadRequest,
                   "bypass_consent_for_offline_access is only available to first_party and "
                   "first_party_public clients");
    }
  }
  // The one template grammar (size, JSON object, placeholders, reserved claims) lives in core.
  for (const auto& [field, text] :
       {std::pair<std::string_view, const std::optional<std::string>&>{
            "access_token_template_content", client.access_token_template_content},
        {"id_token_template_content", client.id_token_template_content}}) {
    if (!text) continue;
    auto parsed = core::ParseClaimsTemplate(*text);
    if (!parsed) {
      return Error(ErrorCode::kBadRequest,
                   std::string(field) + ": " + parsed.error().description());
    }
  }
  if (client.access_token_expiry_minutes &&
      (*client.access_token_expiry_minutes < 1 ||
       *client.access_token_expiry_minutes > kMaxAccessTokenExpiryMinutes)) {
    return Error(ErrorCode::kBadRequest, "access_token_expiry_minutes must be between 1 and 1440");
  }
  return {};
}

std::string ClientRegistry::NewClientId() {
  return core::NewId(random_, "connected-app", core::EnvironmentName(environment_));
}

IssuedSecret ClientRegistry::NewSecret() {
  IssuedSecret s;
  s.secret = crypto::RandomToken(random_, 32);
  s.hash = hasher_.Hash(s.secret);
  s.last_four = s.secret.substr(s.secret.size() - 4);
  return s;
}

core::Result<CreatedClient> ClientRegistry::Create(core::Client draft) {
  if (auto ok = Validate(draft); !ok) return ok.error();
  CreatedClient created;
  draft.client_id = NewClientId();
  draft.created_at = draft.updated_at = clock_.NowSeconds();
  draft.next_secret_hash.reset();
  draft.next_secret_last_four.reset();
  if (core::IsPublic(draft.client_type)) {
    draft.secret_hash.clear();
    draft.secret_last_four.clear();
  } else {
    IssuedSecret secret = NewSecret();
    draft.secret_hash = secret.hash;
    draft.secret_last_four = secret.last_four;
    created.client_secret = std::move(secret.secret);
  }
  repository_.Insert(draft);
  Invalidate();
  created.client = std::move(draft);
  return created;
}

core::Result<core::Client> ClientRegistry::Get(std::string_view client_id) {
  std::optional<core::Client> client = repository_.Find(client_id);
  if (!client) return NotFound(client_id);
  return std::move(*client);
}

core::Result<core::Client> ClientRegistry::Update(const core::Client& changed) {
  if (auto ok = Validate(changed); !ok) return ok.error();
  core::Client stored = changed;
  stored.updated_at = clock_.NowSeconds();
  if (!repository_.UpdateMetadata(stored)) return NotFound(changed.client_id);
  Invalidate();
  return Get(changed.client_id);
}

core::Result<void> ClientRegistry::Delete(std::string_view client_id) {
  if (!repository_.Delete(client_id)) return NotFound(client_id);
  Invalidate();
  return {};
}

store::ClientPage ClientRegistry::Search(const std::optional<std::string>& cursor, int64_t limit) {
  return repository_.Search(cursor, limit);
}

core::Result<void> ClientRegistry::RotationResult(store::RotationOutcome outcome,
                                                  std::string_view client_id) {
  if (outcome == store::RotationOutcome::kDone) Invalidate();
  return SecretRotationResult(outcome, NotFound(client_id));
}

core::Result<std::string> ClientRegistry::StartSecretRotation(std::string_view client_id) {
  IssuedSecret next = NewSecret();
  auto done = RotationResult(
      repository_.StartSecretRotation(client_id, next.hash, next.last_four, clock_.NowSeconds()),
      client_id);
  if (!done) return done.error();
  return std::move(next.secret);
}

core::Result<core::Client> ClientRegistry::CompleteSecretRotation(std::string_view client_id) {
  auto done =
      RotationResult(repository_.CompleteSecretRotation(client_id, clock_.NowSeconds()), client_id);
  if (!done) return done.error();
  return Get(client_id);
}

core::Result<core::Client> ClientRegistry::CancelSecretRotation(std::string_view client_id) {
  auto done =
      RotationResult(repository_.CancelSecretRotation(client_id, clock_.NowSeconds()), client_id);
  if (!done) return done.error();
  return Get(client_id);
}

}  // namespace gatehouse::accounts
