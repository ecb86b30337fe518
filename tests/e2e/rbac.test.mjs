// RBAC and organizations end to end, on every engine: the policy API and `gatehouse rbac import`,
// discovery listing the custom scopes, a user without a permission not obtaining a scope that needs
// it (headless API, and on refresh after the role is removed), and each organization
// connected-app policy enforced at authorization, with the organization claim in members' tokens.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createUser, createClient, headlessCode, pkcePair, tokenRequest, b64url } from './lib/flow.mjs';
import { randomBytes } from 'node:crypto';

const policy = {
  resources: [{ resource_id: 'documents', description: 'Documents', actions: ['read', 'write'] }],
  roles: [
    { role_id: 'viewer', description: 'Reads', permissions: [{ resource_id: 'documents', actions: ['read'] }] },
    { role_id: 'editor', description: 'Writes', permissions: [{ resource_id: 'documents', actions: ['*'] }] },
  ],
  scopes: [
    { scope: 'read:docs', description: 'Read your documents', permissions: [{ resource_id: 'documents', actions: ['read'] }] },
    { scope: 'write:docs', description: 'Change your documents', permissions: [{ resource_id: 'documents', actions: ['write'] }] },
  ],
};

async function eventually(fn, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (e) { if (Date.now() > until) throw e; }
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const engine of engines()) {
  describe(`RBAC and organizations (${engine})`, () => {
    let gh, jwks;
    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      jwks = jose.createRemoteJWKSet(new URL(`${gh.issuer}/.well-known/jwks.json`));
      const put = await gh.api('PUT', '/v1/rbac/policy', { policy });
      assert.equal(put.status, 200, put.text);
    });
    after(async () => { await gh?.stop(); });

    async function userWithRoles(roles) {
      const user = await createUser(gh);
      const r = await gh.api('PUT', `/v1/users/${user.user_id}`, { roles });
      assert.equal(r.status, 200, r.text);
      return user;
    }

    // Code + token exchange for a public client; returns the token response.
    async function tokens(client, user, scope) {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client, user, scope, challenge });
      const t = await tokenRequest(gh, { grant_type: 'authorization_code', code, client_id: client.client_id,
        redirect_uri: client.redirect_urls[0], code_verifier: verifier });
      assert.equal(t.status, 200, t.text);
      return t.json;
    }

    test('the policy API validates and discovery lists the custom scopes', async () => {
      const read = await gh.api('GET', '/v1/rbac/policy');
      assert.deepEqual(read.json.policy.scopes.map((s) => s.scope), ['read:docs', 'write:docs']);
      const bad = await gh.api('PUT', '/v1/rbac/policy', { policy: { ...policy, scopes: [
        { scope: 'x', permissions: [{ resource_id: 'documents', actions: ['delete'] }] }] } });
      assert.equal(bad.status, 400);
      const discovery = await (await fetch(`${gh.issuer}/.well-known/openid-configuration`)).json();
      assert.ok(discovery.scopes_supported.includes('read:docs'));
      assert.ok(discovery.scopes_supported.includes('write:docs'));
      assert.ok(discovery.scopes_supported.includes('openid'));
    });

    test('a user without the permission cannot obtain the scope (headless API)', async () => {
      const client = await createClient(gh, { client_type: 'first_party_public' });
      const viewer = await userWithRoles(['viewer']);
      const start = await gh.api('POST', '/v1/idp/oauth/authorize/start', {
        client_id: client.client_id, redirect_uri: client.redirect_urls[0], response_type: 'code',
        scope: 'openid read:docs write:docs', user_id: viewer.user_id,
        code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
      assert.equal(start.status, 200, start.text);
      const results = Object.fromEntries(start.json.scope_results.map((r) => [r.scope, r]));
      assert.equal(results['read:docs'].is_grantable, true);
      assert.equal(results['read:docs'].description, 'Read your documents');
      assert.equal(results['write:docs'].is_grantable, false);
      const t = await tokens(client, viewer, 'openid read:docs write:docs');
      assert.equal(t.scope, 'openid read:docs');
      const { payload } = await jose.jwtVerify(t.access_token, jwks, { issuer: gh.issuer });
      assert.equal(payload.scope, 'openid read:docs');
    });

    test('a refresh never yields a scope whose role was removed', async () => {
      const client = await createClient(gh, { client_type: 'first_party_public' });
      const editor = await userWithRoles(['editor']);
      const t = await tokens(client, editor, 'openid offline_access read:docs write:docs');
      assert.equal(t.scope, 'offline_access openid read:docs write:docs');
      const demoted = await gh.api('PUT', `/v1/users/${editor.user_id}`, { roles: ['viewer'] });
      assert.equal(demoted.status, 200, demoted.text);
      const r = await tokenRequest(gh, { grant_type: 'refresh_token', refresh_token: t.refresh_token,
        client_id: client.client_id });
      assert.equal(r.status, 200, r.text);
      assert.ok(!r.json.scope.split(' ').includes('write:docs'), r.json.scope);
      assert.ok(r.json.scope.split(' ').includes('read:docs'));
      const { payload } = await jose.jwtVerify(r.json.access_token, jwks, { issuer: gh.issuer });
      assert.ok(!payload.scope.split(' ').includes('write:docs'));
    });

    test('`gatehouse rbac import` replaces the policy', async () => {
      const file = join(gh.dir, 'policy.json');
      writeFileSync(file, JSON.stringify({ ...policy, scopes: [...policy.scopes,
        { scope: 'audit:docs', description: 'Audit', permissions: [] }] }));
      assert.match(gh.cli(['rbac', 'import', file]), /3 scopes/);
      await eventually(async () => {
        const discovery = await (await fetch(`${gh.issuer}/.well-known/openid-configuration`)).json();
        assert.ok(discovery.scopes_supported.includes('audit:docs'));
      });
    });

    test('organization connected-app policies are enforced for members', async () => {
      const first = await createClient(gh, { client_type: 'first_party_public' });
      const third = await createClient(gh, { client_type: 'third_party_public' });
      const allowedThird = await createClient(gh, { client_type: 'third_party_public' });
      const slug = `acme-${b64url(randomBytes(4)).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
      const org = await gh.api('POST', '/v1/organizations', { organization_name: 'Acme', organization_slug: slug,
        first_party_connected_apps_allowed_type: 'ALL_ALLOWED',
        third_party_connected_apps_allowed_type: 'RESTRICTED',
        allowed_third_party_connected_apps: [allowedThird.client_id] });
      assert.equal(org.status, 200, org.text);
      const orgId = org.json.organization.organization_id;
      assert.match(orgId, /^organization-test-/);
      const member = await createUser(gh);
      const added = await gh.api('POST', `/v1/organizations/${orgId}/members`, { user_id: member.user_id, roles: ['editor'] });
      assert.equal(added.status, 200, added.text);

      // ALL_ALLOWED: first-party apps work, and the token names the organization; member roles count.
      const t = await eventually(() => tokens(first, member, 'openid write:docs'));
      assert.equal(t.scope, 'openid write:docs');
      const { payload } = await jose.jwtVerify(t.access_token, jwks, { issuer: gh.issuer });
      assert.deepEqual(payload.organization, { organization_id: orgId, slug });

      // RESTRICTED: only the listed third-party app.
      await tokens(allowedThird, member, 'openid');
      const refused = await gh.api('POST', '/v1/idp/oauth/authorize', {
        client_id: third.client_id, redirect_uri: third.redirect_urls[0], response_type: 'code', scope: 'openid',
        user_id: member.user_id, consent_granted: true, state: 's1',
        code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
      assert.equal(refused.status, 200, refused.text);
      const redirect = new URL(refused.json.redirect_uri);
      assert.equal(redirect.searchParams.get('error'), 'access_denied');
      assert.match(redirect.searchParams.get('error_description'), /organization/);

      // NOT_ALLOWED: first-party apps refused too once the policy changes (every process within a second).
      const put = await gh.api('PUT', `/v1/organizations/${orgId}`, { first_party_connected_apps_allowed_type: 'NOT_ALLOWED' });
      assert.equal(put.status, 200, put.text);
      await eventually(async () => {
        const r = await gh.api('POST', '/v1/idp/oauth/authorize', {
          client_id: first.client_id, redirect_uri: first.redirect_urls[0], response_type: 'code', scope: 'openid',
          user_id: member.user_id, consent_granted: true,
          code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
        assert.equal(new URL(r.json.redirect_uri).searchParams.get('error'), 'access_denied');
      });

      const apps = await gh.api('GET', `/v1/organizations/${orgId}/connected_apps`);
      assert.equal(apps.status, 200);
      const ids = apps.json.connected_apps.map((a) => a.client_id).sort();
      assert.deepEqual(ids, [first.client_id, allowedThird.client_id].sort());
    });
  });
}
