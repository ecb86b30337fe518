// Dynamic Client Registration (RFC 7591/7592) driven by a real client: the MCP TypeScript SDK's
// registerClient against Gatehouse's advertised registration_endpoint, on every engine.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  discoverAuthorizationServerMetadata,
  registerClient,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { GatehouseProcess, engines } from './lib/server.mjs';

const mcpClientMetadata = {
  client_name: 'E2E MCP client',
  redirect_uris: ['http://127.0.0.1:33418/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

for (const engine of engines()) {
  describe(`dynamic client registration (${engine})`, () => {
    let gh;
    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('the MCP SDK discovers the endpoint and registers a public client', async () => {
      const metadata = await discoverAuthorizationServerMetadata(new URL(gh.issuer));
      assert.equal(metadata.registration_endpoint, `${gh.issuer}/v1/oauth2/register`);
      const info = await registerClient(new URL(gh.issuer), {
        metadata, clientMetadata: mcpClientMetadata,
      });
      assert.match(info.client_id, /^connected-app-test-/);
      assert.equal(info.client_secret, undefined);
      assert.equal(info.token_endpoint_auth_method, 'none');
      assert.deepEqual(info.redirect_uris, mcpClientMetadata.redirect_uris);
      assert.equal(typeof info.client_id_issued_at, 'number');

      // The management API sees it as a third_party_public client created by registration.
      const read = await gh.api('GET', `/v1/connected_apps/clients/${info.client_id}`);
      assert.equal(read.status, 200);
      assert.equal(read.json.connected_app.client_type, 'third_party_public');
      assert.equal(read.json.connected_app.creation_method, 'dynamic_registration');
    });

    test('two identical registrations return the same client_id', async () => {
      const metadata = await discoverAuthorizationServerMetadata(new URL(gh.issuer));
      const clientMetadata = { ...mcpClientMetadata, client_name: 'Dedup client' };
      const first = await registerClient(new URL(gh.issuer), { metadata, clientMetadata });
      const second = await registerClient(new URL(gh.issuer), { metadata, clientMetadata });
      assert.equal(second.client_id, first.client_id);
      const other = await registerClient(new URL(gh.issuer), {
        metadata, clientMetadata: { ...clientMetadata, client_name: 'Another client' },
      });
      assert.notEqual(other.client_id, first.client_id);
    });

    test('confidential registrations get a secret and a new id every time', async () => {
      const metadata = await discoverAuthorizationServerMetadata(new URL(gh.issuer));
      const clientMetadata = {
        client_name: 'Web app', redirect_uris: ['https://app.example/cb'],
        token_endpoint_auth_method: 'client_secret_basic',
      };
      const a = await registerClient(new URL(gh.issuer), { metadata, clientMetadata });
      const b = await registerClient(new URL(gh.issuer), { metadata, clientMetadata });
      assert.notEqual(a.client_id, b.client_id);
      assert.ok(a.client_secret && a.client_secret.length >= 43);
      assert.equal(a.client_secret_expires_at, 0);
    });

    test('RFC 7592: read, update and delete with the registration access token', async () => {
      const r = await fetch(`${gh.issuer}/v1/oauth2/register`, {
        method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://web.example' },
        body: JSON.stringify({ redirect_uris: ['https://app.example/cb'], client_name: 'Managed' }),
      });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const reg = await r.json();
      const auth = { authorization: `Bearer ${reg.registration_access_token}` };
      assert.equal(reg.registration_client_uri, `${gh.issuer}/v1/oauth2/register/${reg.client_id}`);

      const read = await fetch(reg.registration_client_uri, { headers: auth });
      assert.equal(read.status, 200);
      assert.equal((await read.json()).client_name, 'Managed');
      const wrong = await fetch(reg.registration_client_uri, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      assert.equal((await wrong.json()).error, 'invalid_token');

      const put = await fetch(reg.registration_client_uri, {
        method: 'PUT', headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: reg.client_id, redirect_uris: ['https://app.example/new'], client_name: 'Renamed' }),
      });
      assert.equal(put.status, 200);
      assert.deepEqual((await put.json()).redirect_uris, ['https://app.example/new']);

      const del = await fetch(reg.registration_client_uri, { method: 'DELETE', headers: auth });
      assert.equal(del.status, 204);
      const gone = await gh.api('GET', `/v1/connected_apps/clients/${reg.client_id}`);
      assert.equal(gone.status, 404);
    });

    test('invalid metadata gets the RFC 7591 error shape', async () => {
      const r = await fetch(`${gh.issuer}/v1/oauth2/register`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['javascript:alert(1)'], token_endpoint_auth_method: 'none' }),
      });
      assert.equal(r.status, 400);
      const body = await r.json();
      assert.equal(body.error, 'invalid_redirect_uri');
      assert.ok(body.error_description);
    });
  });
}
