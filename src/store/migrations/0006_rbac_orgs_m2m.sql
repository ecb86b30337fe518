-- Machine-to-machine clients, the RBAC policy, and organizations with their members.
-- Portable SQL only (see src/store/database.h): TEXT and BIGINT columns, times in Unix seconds.

-- M2M clients (client_credentials grant). Their ids ("m2m-client-<env>-<uuid>", or an imported
-- id) never start with "user-" or "https://", so a token's sub never names a user or a CIMD
-- client. scopes: space-delimited, sorted; trusted_metadata: a JSON object. Secrets are stored
-- only as keyed hashes; next_secret_hash is set while a rotation is in progress (both verify).
CREATE TABLE m2m_clients (
  client_id TEXT NOT NULL PRIMARY KEY,
  client_name TEXT NOT NULL,
  client_description TEXT NOT NULL,
  scopes TEXT NOT NULL,
  trusted_metadata TEXT NOT NULL,
  status TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  secret_last_four TEXT NOT NULL,
  next_secret_hash TEXT,
  next_secret_last_four TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One row per (M2M client, scope), so search by scope is an indexed lookup.
CREATE TABLE m2m_client_scopes (
  client_id TEXT NOT NULL REFERENCES m2m_clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  PRIMARY KEY (client_id, scope)
);
CREATE INDEX m2m_client_scopes_scope ON m2m_client_scopes (scope);

-- The project's RBAC policy (resources, roles, custom scopes) as one JSON document; `singleton`
-- is always 1.
CREATE TABLE rbac_policies (
  singleton BIGINT NOT NULL PRIMARY KEY,
  policy TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Organizations (B2B tenancy). *_allowed_type: ALL_ALLOWED | RESTRICTED | NOT_ALLOWED;
-- allowed_*_connected_apps: JSON arrays of client ids (used when RESTRICTED).
CREATE TABLE organizations (
  organization_id TEXT NOT NULL PRIMARY KEY,
  organization_name TEXT NOT NULL,
  organization_slug TEXT NOT NULL UNIQUE,
  first_party_connected_apps_allowed_type TEXT NOT NULL,
  third_party_connected_apps_allowed_type TEXT NOT NULL,
  allowed_first_party_connected_apps TEXT NOT NULL,
  allowed_third_party_connected_apps TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Membership: a user belongs to at most one organization (user_id is the key), with roles there
-- (a JSON array). users.organization_id mirrors it so tokens name the organization without a join.
CREATE TABLE organization_members (
  user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organizations (organization_id) ON DELETE CASCADE,
  roles TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX organization_members_organization ON organization_members (organization_id);
