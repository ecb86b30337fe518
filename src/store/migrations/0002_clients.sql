-- Clients (connected apps) and their RFC 7592 registration access tokens.
-- Portable SQL only (see src/store/database.h): TEXT and BIGINT columns, times in Unix seconds.

-- One row per client: management API, Dynamic Client Registration and resolved CIMD clients alike,
-- so grants, codes and tokens can reference clients(client_id) ON DELETE CASCADE and deleting a
-- client revokes everything issued to it.
-- redirect_uris / post_logout_redirect_uris: JSON arrays of strings, in registration order.
-- Booleans are 0/1. secret_hash is '' for public clients.
-- registration_metadata: for Dynamic Client Registration, the registered metadata echoed by
-- RFC 7591/7592 responses (a JSON object). dedup_hash: for public registrations, the hash of the
-- canonicalized metadata; UNIQUE so two identical concurrent registrations yield one client
-- (NULL for everything else; both engines allow many NULLs under UNIQUE).
CREATE TABLE clients (
  client_id TEXT NOT NULL PRIMARY KEY,
  client_type TEXT NOT NULL,
  creation_method TEXT NOT NULL,
  client_name TEXT NOT NULL,
  client_description TEXT NOT NULL,
  redirect_uris TEXT NOT NULL,
  post_logout_redirect_uris TEXT NOT NULL,
  logo_url TEXT NOT NULL,
  client_uri TEXT NOT NULL,
  full_access_allowed BIGINT NOT NULL,
  bypass_consent_for_offline_access BIGINT NOT NULL,
  access_token_expiry_minutes BIGINT,
  access_token_custom_audience TEXT,
  access_token_template_content TEXT,
  client_id_metadata_url TEXT,
  application_type TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  secret_last_four TEXT NOT NULL,
  next_secret_hash TEXT,
  next_secret_last_four TEXT,
  status TEXT NOT NULL,
  registration_metadata TEXT,
  dedup_hash TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- RFC 7592 registration access tokens, stored only as keyed hashes. A deduplicated public
-- registration holds one token per registrant.
CREATE TABLE client_registration_tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL
);
CREATE INDEX client_registration_tokens_client ON client_registration_tokens (client_id);
