// Machine-to-machine clients end to end, on every engine: the M2M management API, then
// oauth4webapi's client credentials grant obtains tokens that jose verifies against the JWKS;
// an imported client's existing secret works unchanged; rotation keeps both secrets valid until
// it completes; an inactive client is refused; requested scopes must be a subset.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import * as jose from 'jose';
import { GatehouseProcess, engines } from './lib/server.mjs';

const base = '/v1/m2m/clients';
const insecure = { [oauth.allowInsecureRequests]: true };

for (const engine of engines()) {
  describe(`M2M clients and the client credentials grant (${engine})`, () => {
    let gh, as, jwks;
    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      const issuer = new URL(gh.issuer);
      as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
      jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri));
    });
    after(async () => { await gh?.stop(); });

    async function create(body) {
      const r = await gh.api('POST', base, body);
      assert.equal(r.status, 200, r.text);
      return r.json.m2m_client;
    }

    // Runs the grant through oauth4webapi; resolves to the token response or rejects.
    async function grant(client_id, secret, scope, auth = oauth.ClientSecretBasic) {
      const params = new URLSearchParams();
      if (scope !== undefined) params.set('scope', scope);
      const client = { client_id };
      const response = await oauth.clientCredentialsGrantRequest(as, client, auth(secret), params, insecure);
      return oauth.processClientCredentialsResponse(as, client, response);
    }

    // The raw token endpoint answer, for the refusals.
    async function rawGrant(client_id, secret, scope) {
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret: secret });
      if (scope) body.set('scope', scope);
      const r = await fetch(as.token_endpoint, { method: 'POST', body });
      return { status: r.status, json: await r.json() };
    }

    test('creates a client, shows the secret once, and issues verifiable tokens', async () => {
      const m2m = await create({ client_name: 'billing worker', scopes: ['read:invoices', 'write:invoices'],
        trusted_metadata: { team: 'billing' } });
      assert.match(m2m.client_id, /^m2m-client-test-/);
      assert.equal(m2m.client_secret_last_four, m2m.client_secret.slice(-4));
      assert.deepEqual(m2m.trusted_metadata, { team: 'billing' });
      const read = await gh.api('GET', `${base}/${m2m.client_id}`);
      assert.equal(read.status, 200);
      assert.ok(!read.text.includes(m2m.client_secret));

      const tokens = await grant(m2m.client_id, m2m.client_secret);
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'read:invoices write:invoices');
      assert.equal(tokens.refresh_token, undefined);
      const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, {
        issuer: as.issuer, audience: as.issuer, typ: 'at+jwt' });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.sub, m2m.client_id);
      assert.equal(payload.client_id, m2m.client_id);
      assert.equal(payload.scope, 'read:invoices write:invoices');

      const post = await grant(m2m.client_id, m2m.client_secret, 'read:invoices', oauth.ClientSecretPost);
      assert.equal(post.scope, 'read:invoices');
    });

    test('requested scopes must be a subset of the assigned ones', async () => {
      const m2m = await create({ client_name: 'reader', scopes: ['read:invoices'] });
      await assert.rejects(grant(m2m.client_id, m2m.client_secret, 'read:invoices admin'),
        (e) => e.error === 'invalid_scope');
      const raw = await rawGrant(m2m.client_id, m2m.client_secret, 'admin');
      assert.equal(raw.status, 400);
      assert.equal(raw.json.error, 'invalid_scope');
    });

    test("an imported client's existing id and secret work unchanged; weak secrets are refused", async () => {
      const id = `legacy-${Date.now()}`;
      const secret = 'Legacy-Provider-Secret-7xQ!';
      const m2m = await create({ client_id: id, client_secret: secret, client_name: 'imported', scopes: ['read'] });
      assert.equal(m2m.client_id, id);
      const tokens = await grant(id, secret);
      const { payload } = await jose.jwtVerify(tokens.access_token, jwks, { issuer: as.issuer });
      assert.equal(payload.sub, id);

      for (const bad of [{ client_secret: 'short' }, { client_secret: 'aaaaaaaaaaaaaaaa' },
                         { client_id: 'https://evil.example/c' }, { client_id: id }]) {
        const r = await gh.api('POST', base, { scopes: ['read'], ...bad });
        assert.ok(r.status === 400 || r.status === 409, r.text);
      }
    });

    test('secret rotation keeps both secrets valid until it completes', async () => {
      const m2m = await create({ client_name: 'rotating', scopes: ['read'] });
      const started = await gh.api('POST', `${base}/${m2m.client_id}/secrets/rotate/start`, {});
      assert.equal(started.status, 200, started.text);
      const next = started.json.m2m_client.next_client_secret;
      assert.ok(next);
      await grant(m2m.client_id, m2m.client_secret);
      await grant(m2m.client_id, next);
      const done = await gh.api('POST', `${base}/${m2m.client_id}/secrets/rotate`, {});
      assert.equal(done.status, 200, done.text);
      assert.equal(done.json.m2m_client.client_secret_last_four, next.slice(-4));
      assert.equal((await rawGrant(m2m.client_id, m2m.client_secret)).json.error, 'invalid_client');
      await grant(m2m.client_id, next);
    });

    test('the CLI creates, lists and rotates M2M clients', async () => {
      const out = gh.cli(['m2m', 'create', '--scope', 'read', '--scope', 'write', '--name', 'cli worker']);
      const id = /client_id: (\S+)/.exec(out)[1];
      const secret = /client_secret: (\S+)/.exec(out)[1];
      assert.equal((await grant(id, secret)).scope, 'read write');
      assert.match(gh.cli(['m2m', 'list']), new RegExp(id));
      const rotated = /client_secret: (\S+)/.exec(gh.cli(['m2m', 'rotate-secret', id]))[1];
      // The server's cache follows the CLI's write through the "m2m_clients" cache version.
      let refused;
      for (let i = 0; i < 50; i++) {
        refused = await rawGrant(id, secret);
        if (refused.status === 401) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(refused.json.error, 'invalid_client');
      await grant(id, rotated);
    });

    test('an inactive client is refused; search finds clients by scope and name', async () => {
      const m2m = await create({ client_name: 'to-disable', scopes: ['special:scope'] });
      const put = await gh.api('PUT', `${base}/${m2m.client_id}`, { status: 'inactive' });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.m2m_client.status, 'inactive');
      const refused = await rawGrant(m2m.client_id, m2m.client_secret);
      assert.equal(refused.status, 401);
      assert.equal(refused.json.error, 'invalid_client');

      const found = await gh.api('POST', `${base}/search`, { query: { operator: 'OR', operands: [
        { filter_name: 'scopes', filter_value: ['special:scope'] },
        { filter_name: 'client_name', filter_value: ['nobody'] }] } });
      assert.equal(found.status, 200, found.text);
      assert.deepEqual(found.json.m2m_clients.map((c) => c.client_id), [m2m.client_id]);

      const deleted = await gh.api('DELETE', `${base}/${m2m.client_id}`);
      assert.equal(deleted.status, 200);
      assert.equal((await gh.api('GET', `${base}/${m2m.client_id}`)).status, 404);
    });
  });
}
