-- Grants and what is issued under them: authorization codes, refresh tokens; and remembered
-- consents. Portable SQL only (see src/store/database.h): TEXT and BIGINT, times in Unix seconds.

-- A grant: a user's authorization of a client for a scope (and RFC 8707 resources). Parent of its
-- codes and refresh tokens; access tokens name it in their "gh_grant" claim. Revoking a grant
-- (code reuse, refresh replay, consent revocation) sets revoked_at: its refresh tokens stop
-- working and introspection / userinfo treat its access tokens as inactive.
-- resources: a JSON array of strings.
CREATE TABLE grants (
  grant_id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  resources TEXT NOT NULL,
  auth_time BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX grants_user_client ON grants (user_id, client_id);
CREATE INDEX grants_client ON grants (client_id);

-- Authorization codes, stored as SHA-256 hex; single use (used_at set by one atomic UPDATE).
-- redirect_uri_sent: 1 when the authorization request carried redirect_uri, so the token request
-- must repeat it exactly. code_challenge: S256 challenge or NULL.
CREATE TABLE authorization_codes (
  code_hash TEXT NOT NULL PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (grant_id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  redirect_uri_sent BIGINT NOT NULL,
  code_challenge TEXT,
  nonce TEXT,
  auth_time BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX authorization_codes_grant ON authorization_codes (grant_id);
CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);

-- Refresh tokens, stored as SHA-256 hex. Rotation (public clients) marks the old token
-- rotated_at / replaced_by_hash; grace_used counts the one retry allowed within the grace window.
CREATE TABLE refresh_tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (grant_id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  rotated_at BIGINT,
  replaced_by_hash TEXT,
  grace_used BIGINT NOT NULL DEFAULT 0,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);

-- Consent remembered per user and client: the union of the scopes the user has agreed to.
CREATE TABLE consents (
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, client_id)
);
CREATE INDEX consents_client ON consents (client_id);
