-- Users and their signed-in sessions.
-- Portable SQL only (see src/store/database.h): TEXT and BIGINT columns, times in Unix seconds.

-- email is lower-cased by the application and NULL when the user has none: both engines allow
-- any number of NULLs in a UNIQUE column, so only real addresses collide. password_hash is the
-- Argon2id encoded string (NULL: no password). roles is a JSON array of role names.
CREATE TABLE users (
  user_id TEXT NOT NULL PRIMARY KEY,
  email TEXT UNIQUE,
  email_verified BIGINT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  external_id TEXT NOT NULL,
  status TEXT NOT NULL,
  password_hash TEXT,
  roles TEXT NOT NULL,
  organization_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Session tokens are stored only as their SHA-256 (base64url); every lookup is by that hash.
-- Revoking a session also pulls expires_at back to the revocation time, so garbage collection
-- needs only the expires_at index.
CREATE TABLE sessions (
  session_id TEXT NOT NULL PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  authentication_method TEXT NOT NULL,
  authenticated_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
