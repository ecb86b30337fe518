-- Token lifecycle: one-time session exchange of access tokens, and the indexes garbage collection
-- walks. Portable SQL only (see src/store/database.h): TEXT and BIGINT, times in Unix seconds.

-- Access tokens already exchanged for a session (POST /v1/sessions/exchange_access_token). The
-- primary key on jti is what makes the exchange single use on both engines: the second INSERT of
-- the same jti is a constraint violation. expires_at: when the token can no longer be exchanged
-- anyway (its iat plus the exchange window), after which garbage collection deletes the row.
CREATE TABLE exchanged_access_tokens (
  jti TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  exchanged_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX exchanged_access_tokens_expires ON exchanged_access_tokens (expires_at);

-- Garbage collection of grants, one index for both rules: revoked ones by revocation time
-- (revoked_at range), unrevoked ones that no longer hold codes or refresh tokens by creation time
-- (revoked_at IS NULL, created_at range).
CREATE INDEX grants_revoked_created ON grants (revoked_at, created_at);
