-- application_type now decides redirect URI matching (src/core/redirect_uri_policy.h): only native
-- apps match loopback redirect URIs on any port (RFC 8252 §7.3). Public clients created through
-- the management API or the CLI were stored as web, the old default, which decided nothing for
-- them; they are apps on the user's device that relied on the any-port rule. They become native,
-- the type such clients are now created with, so upgrading changes nothing for them. Registered
-- and metadata-document clients already carry the type inferred from their redirect URIs.
UPDATE clients SET application_type = 'native'
WHERE creation_method = 'api' AND application_type = 'web'
  AND client_type IN ('first_party_public', 'third_party_public');
