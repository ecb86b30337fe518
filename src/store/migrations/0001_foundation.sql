-- Foundation: the project, signing keys, cache versions and scheduled jobs.
-- Portable SQL only (see src/store/database.h): TEXT and BIGINT columns, times in Unix seconds.

-- One project per database. `singleton` is always 1: its UNIQUE constraint lets exactly one
-- process create the project (INSERT ... ON CONFLICT DO NOTHING) when several start at once.
CREATE TABLE projects (
  project_id TEXT NOT NULL PRIMARY KEY,
  singleton BIGINT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- JWS signing keys. state: 'next' (published, not yet signing), 'current' (signing),
-- 'retired' (published until publish_until, then deleted).
CREATE TABLE signing_keys (
  kid TEXT NOT NULL PRIMARY KEY,
  alg TEXT NOT NULL,
  state TEXT NOT NULL,
  private_key_enc TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  activated_at BIGINT,
  retired_at BIGINT,
  publish_until BIGINT
);

-- A counter per in-process cache (clients, signing keys, ...), bumped in the transaction that
-- changes what the cache holds; every process polls it and drops stale entries.
CREATE TABLE cache_versions (
  name TEXT NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
);

-- Periodic jobs (key rotation, garbage collection): the process that moves next_run_at forward
-- wins the run.
CREATE TABLE scheduled_jobs (
  name TEXT NOT NULL PRIMARY KEY,
  next_run_at BIGINT NOT NULL,
  owner TEXT NOT NULL
);
