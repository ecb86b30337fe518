-- Claims templates for ID tokens, and the project's templates for clients that register
-- themselves. Portable SQL only (see src/store/database.h): TEXT and BIGINT columns, times in Unix
-- seconds.

-- A connected app's id_token_template_content: a JSON object (at most 4 KB, validated when saved)
-- rendered into its ID tokens, as access_token_template_content is into its access tokens.
ALTER TABLE clients ADD COLUMN id_token_template_content TEXT;

-- The claims templates applied to clients created by Dynamic Client Registration or from a Client
-- ID Metadata Document (they register themselves and cannot carry templates of their own). One row
-- per project, written through the management API; NULL columns mean no template. Changes bump the
-- "dynamic_client_settings" cache version so every process reloads its in-memory copy.
CREATE TABLE dynamic_client_settings (
  project_id TEXT NOT NULL PRIMARY KEY REFERENCES projects (project_id) ON DELETE CASCADE,
  access_token_template_content TEXT,
  id_token_template_content TEXT,
  updated_at BIGINT NOT NULL
);
