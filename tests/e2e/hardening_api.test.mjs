// Issue 14, the items about the management API's request and response shapes, end to end against
// the real binary on every engine:
//   item 10: a field the endpoint does not know is a 400 naming it (with a near miss suggested),
//            and the request changes nothing; registration (RFC 7591) still ignores unknown fields;
//   item 12: every timestamp the management API answers is an RFC 3339 string.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createUser, createClient } from './lib/flow.mjs';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

function assertUnknownField(r, field, suggestion) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error_type, 'bad_request', r.text);
  assert.equal(r.json.status_code, 400, r.text);
  assert.ok(r.json.request_id, r.text);
  const expected = suggestion
    ? `unknown field "${field}" (did you mean "${suggestion}"?)`
    : `unknown field "${field}"`;
  assert.equal(r.json.error_message, expected);
}

function assertTimes(record, names, where) {
  for (const name of names) {
    assert.match(String(record[name]), RFC3339, `${where}.${name} = ${JSON.stringify(record[name])}`);
    assert.equal(typeof record[name], 'string', `${where}.${name}`);
  }
}

for (const engine of engines()) {
  describe(`item 10: unknown management API fields are refused (${engine})`, () => {
    let gh;

    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('connected-app create with redirect_uris is a 400 naming it, and no client is created', async () => {
      const r = await gh.api('POST', '/v1/connected_apps/clients', {
        client_type: 'third_party', client_name: 'RFC 7591 spelling',
        redirect_uris: ['https://app.example/callback'],
      });
      assertUnknownField(r, 'redirect_uris', 'redirect_urls');
      const search = await gh.api('POST', '/v1/connected_apps/clients/search', {});
      assert.equal(search.status, 200, search.text);
      assert.equal(search.json.connected_apps.length, 0, search.text);
      assert.equal(search.json.results_metadata.total, 0);
    });

    test('user create with "pasword" is a 400 suggesting password, and no user is created', async () => {
      const r = await gh.api('POST', '/v1/users', {
        email: 'typo@example.com', pasword: 'correct horse battery staple',
      });
      assertUnknownField(r, 'pasword', 'password');
      const search = await gh.api('POST', '/v1/users/search', { email: 'typo@example.com' });
      assert.equal(search.status, 200, search.text);
      assert.equal(search.json.results.length, 0, search.text);
    });

    test('a nested unknown field is named with its path', async () => {
      const r = await gh.api('POST', '/v1/users', {
        email: 'nested@example.com', name: { first_name: 'Ada', middle_name: 'King' },
      });
      assertUnknownField(r, 'name.middle_name');
      const search = await gh.api('POST', '/v1/users/search', { email: 'nested@example.com' });
      assert.equal(search.json.results.length, 0, search.text);
    });

    test('updates with an unknown field are a 400 and leave the record unchanged', async () => {
      const user = await createUser(gh);
      let r = await gh.api('PUT', `/v1/users/${user.user_id}`, { status: 'disabled', nickname: 'x' });
      assertUnknownField(r, 'nickname');
      r = await gh.api('GET', `/v1/users/${user.user_id}`);
      assert.equal(r.json.user.status, 'active');

      const app = await createClient(gh, { client_type: 'first_party', client_name: 'Before' });
      r = await gh.api('PUT', `/v1/connected_apps/clients/${app.client_id}`, {
        client_name: 'After', redirect_uris: ['https://evil.example/cb'],
      });
      assertUnknownField(r, 'redirect_uris', 'redirect_urls');
      r = await gh.api('GET', `/v1/connected_apps/clients/${app.client_id}`);
      assert.equal(r.json.connected_app.client_name, 'Before');
      assert.deepEqual(r.json.connected_app.redirect_urls, app.redirect_urls);

      r = await gh.api('POST', '/v1/m2m/clients', { client_name: 'Worker', scopes: ['read:x'] });
      assert.equal(r.status, 200, r.text);
      const m2m = r.json.m2m_client;
      r = await gh.api('PUT', `/v1/m2m/clients/${m2m.client_id}`, { client_name: 'Renamed', scope: 'a' });
      assertUnknownField(r, 'scope', 'scopes');
      r = await gh.api('GET', `/v1/m2m/clients/${m2m.client_id}`);
      assert.equal(r.json.m2m_client.client_name, 'Worker');

      r = await gh.api('POST', '/v1/organizations', { organization_name: 'Acme', organization_slug: 'acme' });
      assert.equal(r.status, 200, r.text);
      const org = r.json.organization;
      r = await gh.api('PUT', `/v1/organizations/${org.organization_id}`, {
        organization_name: 'Acme 2', organisation_slug: 'acme-2',
      });
      assertUnknownField(r, 'organisation_slug', 'organization_slug');
      r = await gh.api('GET', `/v1/organizations/${org.organization_id}`);
      assert.equal(r.json.organization.organization_name, 'Acme');
      assert.equal(r.json.organization.organization_slug, 'acme');
    });

    test('the RBAC policy refuses unknown fields at any depth and keeps the stored policy', async () => {
      const before = await gh.api('GET', '/v1/rbac/policy');
      assert.equal(before.status, 200, before.text);
      const r = await gh.api('PUT', '/v1/rbac/policy', {
        policy: {
          resources: [{ resource_id: 'documents', actions: ['read'], descripton: 'typo' }],
          roles: [], scopes: [],
        },
      });
      assertUnknownField(r, 'policy.resources[0].descripton', 'description');
      const after = await gh.api('GET', '/v1/rbac/policy');
      assert.deepEqual(after.json.policy, before.json.policy);
    });

    test('creation_method in an update is refused with a message that says why', async () => {
      const app = await createClient(gh, { client_type: 'first_party' });
      const r = await gh.api('PUT', `/v1/connected_apps/clients/${app.client_id}`, { creation_method: 'dcr' });
      assert.equal(r.status, 400, r.text);
      assert.match(r.json.error_message, /^creation_method cannot be set/);
      assert.doesNotMatch(r.json.error_message, /secret/);
    });

    test('dynamic client registration still ignores unknown fields (RFC 7591)', async () => {
      const r = await fetch(`${gh.url}/v1/oauth2/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'Registered', redirect_uris: ['https://app.example/callback'],
          token_endpoint_auth_method: 'none', software_flavour: 'vanilla',
        }),
      });
      const text = await r.text();
      assert.equal(r.status, 201, text);
      const body = JSON.parse(text);
      assert.ok(body.client_id, text);
      assert.equal(typeof body.client_id_issued_at, 'number', text);
    });
  });

  describe(`item 12: management API timestamps are RFC 3339 strings (${engine})`, () => {
    let gh;

    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('users, sessions, connected apps, m2m clients, organizations, members and settings', async () => {
      const user = await createUser(gh);
      assertTimes(user, ['created_at', 'updated_at'], 'user');

      let r = await gh.api('POST', '/v1/passwords/authenticate', { email: user.email, password: user.password });
      assert.equal(r.status, 200, r.text);
      assertTimes(r.json.session, ['started_at', 'expires_at'], 'session');

      const app = await createClient(gh, { client_type: 'third_party' });
      assertTimes(app, ['created_at', 'updated_at'], 'connected_app');
      r = await gh.api('GET', `/v1/connected_apps/clients/${app.client_id}`);
      assertTimes(r.json.connected_app, ['created_at', 'updated_at'], 'connected_app (get)');
      r = await gh.api('POST', `/v1/connected_apps/clients/${app.client_id}/secrets/rotate/start`);
      assert.equal(r.status, 200, r.text);
      assertTimes(r.json.connected_app, ['created_at', 'updated_at'], 'connected_app (rotate)');
      r = await gh.api('POST', '/v1/connected_apps/clients/search', {});
      for (const a of r.json.connected_apps) assertTimes(a, ['created_at', 'updated_at'], 'connected_apps[]');

      r = await gh.api('POST', '/v1/m2m/clients', { client_name: 'Worker', scopes: ['read:x'] });
      assert.equal(r.status, 200, r.text);
      assertTimes(r.json.m2m_client, ['created_at', 'updated_at'], 'm2m_client');
      r = await gh.api('POST', '/v1/m2m/clients/search', {});
      for (const c of r.json.m2m_clients) assertTimes(c, ['created_at', 'updated_at'], 'm2m_clients[]');

      r = await gh.api('POST', '/v1/organizations', { organization_name: 'Acme', organization_slug: 'acme' });
      assert.equal(r.status, 200, r.text);
      const org = r.json.organization;
      assertTimes(org, ['created_at', 'updated_at'], 'organization');
      r = await gh.api('POST', `/v1/organizations/${org.organization_id}/members`, { user_id: user.user_id });
      assert.equal(r.status, 200, r.text);
      assertTimes(r.json.member, ['created_at'], 'member');
      r = await gh.api('GET', `/v1/organizations/${org.organization_id}`);
      assertTimes(r.json.organization, ['created_at', 'updated_at'], 'organization (get)');
      assertTimes(r.json.members[0], ['created_at'], 'members[0]');

      r = await gh.api('PUT', '/v1/connected_apps/dynamic_client_settings', { id_token_template_content: null });
      assert.equal(r.status, 200, r.text);
      assertTimes(r.json.dynamic_client_settings, ['updated_at'], 'dynamic_client_settings');
    });

    test('protocol endpoints keep numeric seconds', async () => {
      const r = await fetch(`${gh.url}/v1/oauth2/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Registered', redirect_uris: ['https://app.example/cb'] }),
      });
      const body = await r.json();
      assert.equal(r.status, 201);
      assert.equal(typeof body.client_id_issued_at, 'number');
    });
  });
}
