#include "store/client_repository.h"

#include <boost/json.hpp>

#include "store/cache_version_repository.h"

#include "store/string_list_column.h"

namespace gatehouse::store {
namespace {
namespace json = boost::json;

// Column order shared by every SELECT and by ClientFromRow.
constexpr std::string_view kClientColumns =
    "client_id, client_type, creation_method, client_name, client_description, redirect_uris, "
    "post_logout_redirect_uris, logo_url, client_uri, full_access_allowed, "
    "bypass_consent_for_offline_access, access_token_expiry_minutes, "
    "access_token_custom_audience, access_token_template_content, client_id_metadata_url, "
    "application_type, secret_hash, secret_last_four, next_secret_hash, next_secret_last_four, "
    "status, created_at, updated_at, id_token_template_content";

std::string Select(std::string_view rest) {
  std::string sql = "SELECT ";
  sql += kClientColumns;
  sql += " FROM clients ";
  sql += rest;
  return sql;
}

// Rows are written only by this repository; a malformed list is a corrupt row.
std::vector<std::string> DecodeList(const std::string& text) {
  auto items = DecodeStringList(text);
  if (!items) throw DatabaseError("clients row holds a malformed URI list", false);
  return std::move(*items);
}

template <class T>
T Required(std::optional<T> v, std::string_view what) {
  if (!v) throw DatabaseError("clients row holds an unknown " + std::string(what), false);
  return *v;
}

core::Client ClientFromRow(const Row& r, size_t o = 0) {
  core::Client c;
  c.client_id = r.Text(o + 0);
  c.client_type = Required(core::ParseClientType(r.Text(o + 1)), "client_type");
  c.creation_method = Required(core::ParseCreationMethod(r.Text(o + 2)), "creation_method");
  c.client_name = r.Text(o + 3);
  c.client_description = r.Text(o + 4);
  c.redirect_uris = DecodeList(r.Text(o + 5));
  c.post_logout_redirect_uris = DecodeList(r.Text(o + 6));
  c.logo_url = r.Text(o + 7);
  c.client_uri = r.Text(o + 8);
  c.full_access_allowed = r.Bool(o + 9);
  c.bypass_consent_for_offline_access = r.Bool(o + 10);
  c.access_token_expiry_minutes = r.OptionalInt(o + 11);
  c.access_token_custom_audience = r.OptionalText(o + 12);
  c.access_token_template_content = r.OptionalText(o + 13);
  c.client_id_metadata_url = r.OptionalText(o + 14);
  c.application_type = Required(core::ParseApplicationType(r.Text(o + 15)), "application_type");
  c.secret_hash = r.Text(o + 16);
  c.secret_last_four = r.Text(o + 17);
  c.next_secret_hash = r.OptionalText(o + 18);
  c.next_secret_last_four = r.OptionalText(o + 19);
  c.status = Required(core::ParseClientStatus(r.Text(o + 20)), "status");
  c.created_at = r.Int(o + 21);
  c.updated_at = r.Int(o + 22);
  c.id_token_template_content = r.OptionalText(o + 23);
  return c;
}

void InsertClient(Connection& c, const core::Client& client,
                  const std::optional<std::string>& metadata_json,
                  const std::optional<std::string>& dedup_hash) {
  c.Execute(
      "INSERT INTO clients (client_id, client_type, creation_method, client_name, "
      "client_description, redirect_uris, post_logout_redirect_uris, logo_url, client_uri, "
      "full_access_allowed, bypass_consent_for_offline_access, access_token_expiry_minutes, "
      "access_token_custom_audience, access_token_template_content, client_id_metadata_url, "
      "application_type, secret_hash, secret_last_four, next_secret_hash, next_secret_last_four, "
      "status, registration_metadata, dedup_hash, created_at, updated_at, "
      "id_token_template_content) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {client.client_id,
       std::string(core::ClientTypeName(client.client_type)),
       std::string(core::CreationMethodName(client.creation_method)),
       client.client_name,
       client.client_description,
       EncodeStringList(client.redirect_uris),
       EncodeStringList(client.post_logout_redirect_uris),
       client.logo_url,
       client.client_uri,
       int64_t{client.full_access_allowed},
       int64_t{client.bypass_consent_for_offline_access},
       Nullable(client.access_token_expiry_minutes),
       Nullable(client.access_token_custom_audience),
       Nullable(client.access_token_template_content),
       Nullable(client.client_id_metadata_url),
       std::string(core::ApplicationTypeName(client.application_type)),
       client.secret_hash,
       client.secret_last_four,
       Nullable(client.next_secret_hash),
       Nullable(client.next_secret_last_four),
       std::string(core::ClientStatusName(client.status)),
       Nullable(metadata_json),
       Nullable(dedup_hash),
       client.created_at,
       client.updated_at,
       Nullable(client.id_token_template_content)});
}

int64_t UpdateClientMetadata(Connection& c, const core::Client& client) {
  return c.Execute(
      "UPDATE clients SET client_name = ?, client_description = ?, redirect_uris = ?, "
      "post_logout_redirect_uris = ?, logo_url = ?, client_uri = ?, full_access_allowed = ?, "
      "bypass_consent_for_offline_access = ?, access_token_expiry_minutes = ?, "
      "access_token_custom_audience = ?, access_token_template_content = ?, "
      "id_token_template_content = ?, application_type = ?, status = ?, updated_at = ? "
      "WHERE client_id = ?",
      {client.client_name, client.client_description, EncodeStringList(client.redirect_uris),
       EncodeStringList(client.post_logout_redirect_uris), client.logo_url, client.client_uri,
       int64_t{client.full_access_allowed}, int64_t{client.bypass_consent_for_offline_access},
       Nullable(client.access_token_expiry_minutes), Nullable(client.access_token_custom_audience),
       Nullable(client.access_token_template_content), Nullable(client.id_token_template_content),
       std::string(core::ApplicationTypeName(client.application_type)),
       std::string(core::ClientStatusName(client.status)), client.updated_at, client.client_id});
}

constexpr SecretRotationTable kRotation{
    .table = "clients", .cache_name = kClientsCacheName, .has_public_clients = true};

}  // namespace

void ClientRepository::Insert(const core::Client& client) {
  db_.Transaction([&](Connection& c) {
    InsertClient(c, client, std::nullopt, std::nullopt);
    CacheVersionRepository::Bump(c, kClientsCacheName);
  });
}

void ClientRepository::UpsertMetadataClient(const core::Client& client) {
  db_.Transaction([&](Connection& c) {
    // Only a row that came from a metadata document is replaced; any other row with this id
    // makes the insert fail (ConstraintViolation) rather than be overwritten.
    const bool from_document =
        !c.Query("SELECT 1 FROM clients WHERE client_id = ? AND creation_method = ?",
                 {client.client_id, std::string(core::CreationMethodName(
                                        core::CreationMethod::kClientIdMetadataDocument))})
             .empty();
    if (!from_document || UpdateClientMetadata(c, client) == 0) {
      InsertClient(c, client, std::nullopt, std::nullopt);
    }
    CacheVersionRepository::Bump(c, kClientsCacheName);
  });
}

std::optional<core::Client> ClientRepository::Find(std::string_view client_id) {
  std::optional<core::Client> client;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(Select("WHERE client_id = ?"), {std::string(client_id)});
    if (!rows.empty()) client = ClientFromRow(rows[0]);
  });
  return client;
}

bool ClientRepository::UpdateMetadata(const core::Client& client) {
  int64_t updated = 0;
  db_.Transaction([&](Connection& c) {
    updated = UpdateClientMetadata(c, client);
    if (updated > 0) CacheVersionRepository::Bump(c, kClientsCacheName);
  });
  return updated > 0;
}

bool ClientRepository::Delete(std::string_view client_id) {
  int64_t deleted = 0;
  db_.Transaction([&](Connection& c) {
    deleted = c.Execute("DELETE FROM clients WHERE client_id = ?", {std::string(client_id)});
    if (deleted > 0) CacheVersionRepository::Bump(c, kClientsCacheName);
  });
  return deleted > 0;
}

ClientPage ClientRepository::Search(const std::optional<std::string>& after, int64_t limit) {
  ClientPage page;
  db_.Run([&](Connection& c) {
    // One row more than asked tells whether another page follows.
    Rows rows = after ? c.Query(Select("WHERE client_id > ? ORDER BY client_id LIMIT ?"),
                                {*after, limit + 1})
                      : c.Query(Select("ORDER BY client_id LIMIT ?"), {limit + 1});
    for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < limit; ++i) {
      page.clients.push_back(ClientFromRow(rows[i]));
    }
    if (static_cast<int64_t>(rows.size()) > limit && !page.clients.empty()) {
      page.next_cursor = page.clients.back().client_id;
    }
    page.total = c.Query("SELECT COUNT(*) FROM clients").at(0).Int(0);
  });
  return page;
}

RotationOutcome ClientRepository::StartSecretRotation(std::string_view client_id,
                                                      std::string_view next_hash,
                                                      std::string_view next_last_four,
                                                      int64_t now) {
  return store::StartSecretRotation(db_, kRotation, client_id, next_hash, next_last_four, now);
}

RotationOutcome ClientRepository::CompleteSecretRotation(std::string_view client_id, int64_t now) {
  return store::CompleteSecretRotation(db_, kRotation, client_id, now);
}

RotationOutcome ClientRepository::CancelSecretRotation(std::string_view client_id, int64_t now) {
  return store::CancelSecretRotation(db_, kRotation, client_id, now);
}

void ClientRepository::InsertRegistration(const Registration& registration,
                                          const std::optional<std::string>& token_hash) {
  db_.Transaction([&](Connection& c) {
    InsertClient(c, registration.client, registration.metadata_json, registration.dedup_hash);
    if (token_hash) {
      c.Execute(
          "INSERT INTO client_registration_tokens (token_hash, client_id, created_at) "
          "VALUES (?, ?, ?)",
          {*token_hash, registration.client.client_id, registration.client.created_at});
    }
    CacheVersionRepository::Bump(c, kClientsCacheName);
  });
}

std::optional<Registration> ClientRepository::FindRegistration(std::string_view client_id) {
  std::optional<Registration> registration;
  db_.Run([&](Connection& c) {
    std::string sql = "SELECT registration_metadata, dedup_hash, ";
    sql += kClientColumns;
    sql += " FROM clients WHERE client_id = ? AND registration_metadata IS NOT NULL";
    Rows rows = c.Query(sql, {std::string(client_id)});
    if (rows.empty()) return;
    registration =
        Registration{ClientFromRow(rows[0], 2), rows[0].Text(0), rows[0].OptionalText(1)};
  });
  return registration;
}

std::optional<std::string> ClientRepository::FindByDedupHash(std::string_view dedup_hash) {
  std::optional<std::string> client_id;
  db_.Run([&](Connection& c) {
    Rows rows =
        c.Query("SELECT client_id FROM clients WHERE dedup_hash = ?", {std::string(dedup_hash)});
    if (!rows.empty()) client_id = rows[0].Text(0);
  });
  return client_id;
}

bool ClientRepository::UpdateRegistration(const core::Client& client,
                                          std::string_view metadata_json) {
  int64_t updated = 0;
  db_.Transaction([&](Connection& c) {
    updated = UpdateClientMetadata(c, client);
    if (updated == 0) return;
    c.Execute("UPDATE clients SET registration_metadata = ?, dedup_hash = NULL WHERE client_id = ?",
              {std::string(metadata_json), client.client_id});
    CacheVersionRepository::Bump(c, kClientsCacheName);
  });
  return updated > 0;
}

void ClientRepository::AddRegistrationToken(std::string_view client_id, std::string_view token_hash,
                                            int64_t now) {
  db_.Run([&](Connection& c) {
    c.Execute(
        "INSERT INTO client_registration_tokens (token_hash, client_id, created_at) "
        "VALUES (?, ?, ?)",
        {std::string(token_hash), std::string(client_id), now});
  });
}

std::optional<std::string> ClientRepository::FindClientByRegistrationToken(
    std::string_view token_hash) {
  std::optional<std::string> client_id;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query("SELECT client_id FROM client_registration_tokens WHERE token_hash = ?",
                        {std::string(token_hash)});
    if (!rows.empty()) client_id = rows[0].Text(0);
  });
  return client_id;
}

bool ClientRepository::RemoveRegistrationToken(std::string_view client_id,
                                               std::string_view token_hash) {
  bool client_deleted = false;
  db_.Transaction([&](Connection& c) {
    const int64_t removed =
        c.Execute("DELETE FROM client_registration_tokens WHERE token_hash = ? AND client_id = ?",
                  {std::string(token_hash), std::string(client_id)});
    if (removed == 0) return;
    // The client goes only when no other registrant holds a token. (Two last registrants racing
    // may both see the other's token and leave a token-less client behind: harmless, it stays
    // manageable through the management API.)
    client_deleted = c.Execute(
                         "DELETE FROM clients WHERE client_id = ? AND NOT EXISTS (SELECT 1 FROM "
                         "client_registration_tokens t WHERE t.client_id = ?)",
                         {std::string(client_id), std::string(client_id)}) > 0;
    if (client_deleted) CacheVersionRepository::Bump(c, kClientsCacheName);
  });
  return client_deleted;
}

int64_t ClientRepository::CountByCreationMethod(core::CreationMethod method) {
  int64_t count = 0;
  db_.Run([&](Connection& c) {
    count = c.Query("SELECT COUNT(*) FROM clients WHERE creation_method = ?",
                    {std::string(core::CreationMethodName(method))})
                .at(0)
                .Int(0);
  });
  return count;
}

int64_t ClientRepository::CountRegistrationTokens(std::string_view client_id) {
  int64_t count = 0;
  db_.Run([&](Connection& c) {
    count = c.Query("SELECT COUNT(*) FROM client_registration_tokens WHERE client_id = ?",
                    {std::string(client_id)})
                .at(0)
                .Int(0);
  });
  return count;
}

}  // namespace gatehouse::store
