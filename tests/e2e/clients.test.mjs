// The Connected Apps management API over HTTP: create each client type, read, update, rotate
// secrets, delete and search, on every engine.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseProcess, engines } from './lib/server.mjs';

const base = '/v1/connected_apps/clients';

for (const engine of engines()) {
  describe(`connected apps management API (${engine})`, () => {
    let gh;
    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('refuses requests without the project credentials', async () => {
      const r = await fetch(`${gh.url}${base}/search`, { method: 'POST', body: '{}' });
      assert.equal(r.status, 401);
      assert.equal((await r.json()).error_type, 'unauthorized');
    });

    test('creates each client type; the secret is shown once', async () => {
      for (const client_type of ['first_party', 'first_party_public', 'third_party', 'third_party_public']) {
        const created = await gh.api('POST', base, {
          client_type, client_name: `App ${client_type}`,
          redirect_urls: ['https://app.example/callback'],
        });
        assert.equal(created.status, 200, created.text);
        assert.equal(created.json.status_code, 200);
        assert.ok(created.json.request_id);
        const app = created.json.connected_app;
        assert.equal(app.client_type, client_type);
        assert.match(app.client_id, /^connected-app-test-/);
        const confidential = !client_type.endsWith('_public');
        assert.equal(typeof app.client_secret === 'string', confidential);
        const read = await gh.api('GET', `${base}/${app.client_id}`);
        assert.equal(read.status, 200);
        assert.equal(read.json.connected_app.client_secret, undefined);
        if (confidential) {
          assert.equal(read.json.connected_app.client_secret_last_four, app.client_secret.slice(-4));
          assert.ok(!read.text.includes(app.client_secret));
        }
      }
    });

    test('refuses first-party flags on a third-party client with a clear error', async () => {
      const r = await gh.api('POST', base, { client_type: 'third_party', full_access_allowed: true });
      assert.equal(r.status, 400);
      assert.equal(r.json.error_type, 'bad_request');
      assert.match(r.json.error_message, /full_access_allowed/);
      const uri = await gh.api('POST', base, { client_type: 'third_party', redirect_urls: ['http://evil.example/cb'] });
      assert.equal(uri.status, 400);
      assert.equal(uri.json.error_type, 'invalid_redirect_uri');
    });

    test('updates, rotates secrets and deletes', async () => {
      const created = (await gh.api('POST', base, {
        client_type: 'first_party', client_name: 'Before', redirect_urls: ['https://app.example/cb'],
        full_access_allowed: true,
      })).json.connected_app;
      const path = `${base}/${created.client_id}`;
      const updated = await gh.api('PUT', path, { client_name: 'After', access_token_template_content: '{"team":"x"}' });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.json.connected_app.client_name, 'After');
      assert.equal(updated.json.connected_app.full_access_allowed, true);
      const typeChange = await gh.api('PUT', path, { client_type: 'third_party' });
      assert.equal(typeChange.status, 400);

      assert.equal((await gh.api('POST', `${path}/secrets/rotate`)).status, 409);
      const start = await gh.api('POST', `${path}/secrets/rotate/start`);
      assert.equal(start.status, 200, start.text);
      const next = start.json.connected_app.next_client_secret;
      assert.ok(next);
      assert.equal((await gh.api('POST', `${path}/secrets/rotate/start`)).status, 409);
      const done = await gh.api('POST', `${path}/secrets/rotate`);
      assert.equal(done.status, 200);
      assert.equal(done.json.connected_app.client_secret_last_four, next.slice(-4));

      const again = await gh.api('POST', `${path}/secrets/rotate/start`);
      assert.equal(again.status, 200);
      const cancelled = await gh.api('POST', `${path}/secrets/rotate/cancel`);
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.json.connected_app.next_client_secret_last_four, null);

      const deleted = await gh.api('DELETE', path);
      assert.equal(deleted.status, 200);
      assert.equal((await gh.api('GET', path)).status, 404);
    });

    test('the clients CLI creates, shows, rotates and deletes against the same database', () => {
      const created = gh.cli(['clients', 'create', '--type', 'third_party', '--name', 'From CLI',
        '--redirect-url', 'https://cli.example/cb']);
      const id = /^client_id: (\S+)$/m.exec(created)?.[1];
      const secret = /^client_secret: (\S+)$/m.exec(created)?.[1];
      assert.match(id, /^connected-app-test-/);
      assert.equal(secret.length, 43);
      const shown = JSON.parse(gh.cli(['clients', 'show', id]));
      assert.equal(shown.client_name, 'From CLI');
      assert.equal(shown.client_secret_last_four, secret.slice(-4));
      assert.ok(gh.cli(['clients', 'list']).includes(id));
      const rotated = /^client_secret: (\S+)$/m.exec(gh.cli(['clients', 'rotate-secret', id]))?.[1];
      assert.notEqual(rotated, secret);
      assert.equal(JSON.parse(gh.cli(['clients', 'show', id])).client_secret_last_four, rotated.slice(-4));
      gh.cli(['clients', 'delete', id]);
      assert.throws(() => gh.cli(['clients', 'show', id], {}), /not_found/);
    });

    test('searches with cursor pagination', async () => {
      for (let i = 0; i < 3; i++) {
        await gh.api('POST', base, { client_type: 'third_party_public', client_name: `S${i}` });
      }
      const everything = await gh.api('POST', `${base}/search`, {});
      const total = everything.json.results_metadata.total;
      assert.ok(total >= 3);
      const seen = [];
      let cursor;
      do {
        const page = await gh.api('POST', `${base}/search`, { limit: 2, ...(cursor ? { cursor } : {}) });
        assert.equal(page.status, 200, page.text);
        assert.ok(page.json.connected_apps.length <= 2);
        seen.push(...page.json.connected_apps.map((a) => a.client_id));
        cursor = page.json.results_metadata.next_cursor;
      } while (cursor);
      assert.equal(seen.length, total);
      assert.deepEqual(seen, [...seen].sort());
    });
  });
}
