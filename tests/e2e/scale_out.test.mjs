// Several `gatehouse serve` processes on one PostgreSQL database behave as one server: a flow may
// hop between processes at every step, single-use codes and refresh-token rotation hold across
// processes, cache invalidation (cache_versions, polled twice a second) makes client changes and
// key rotations visible everywhere within a second, and simultaneous first starts create exactly
// one project and one key pair. PostgreSQL only.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createUser, createClient, headlessCode, tokenRequest, pkcePair } from './lib/flow.mjs';
import { startCluster, cliAsync, parseKeyList, postgresAvailable } from './lib/cluster.mjs';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const SCOPE = 'openid offline_access';

// Polls `check` (async, truthy when done) for at most `ms`; returns the elapsed milliseconds.
async function within(ms, check, what) {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) assert.fail(`${what} not seen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const jwksText = async (node) => {
  const r = await fetch(`${node.url}/.well-known/jwks.json`);
  assert.equal(r.status, 200);
  const { keys } = await r.json();
  return JSON.stringify(keys.map((k) => k.kid).sort());
};

const startAuthorization = (node, client, redirect_uri, user) => node.api('POST',
  '/v1/idp/oauth/authorize/start', {
    client_id: client.client_id, redirect_uri, response_type: 'code', scopes: ['openid'],
    user_id: user.user_id, state: 's',
  });

if (!postgresAvailable()) {
  test('scale-out needs PostgreSQL', { skip: 'GATEHOUSE_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)' }, () => {});
} else {
  describe('scale-out: three processes started at once on an empty database', () => {
    test('exactly one project and one current/next key pair are created', async () => {
      const cluster = await startCluster({ count: 3, simultaneous: true });
      try {
        assert.equal(cluster.printers, 1, cluster.nodes.map((n) => n.output).join('\n---\n'));
        const projects = execFileSync('psql', [cluster.databaseUrl, '-Atc', 'SELECT count(*) FROM projects'],
          { encoding: 'utf8' }).trim();
        assert.equal(projects, '1');
        const keys = parseKeyList(cluster.nodes[1].cli(['keys', 'list']));
        assert.equal(keys.length, 2, JSON.stringify(keys));
        assert.deepEqual(keys.map((k) => k.state).sort(), ['current', 'next']);
        const published = await Promise.all(cluster.nodes.map(jwksText));
        assert.equal(new Set(published).size, 1, published.join(' | '));
        // Every process accepts the credentials the one printer showed.
        for (const node of cluster.nodes) await createUser(node);
      } finally {
        await cluster.stop();
      }
    });
  });

  describe('scale-out: a flow across three processes', () => {
    let cluster;
    let A;
    let B;
    let C;
    let user;
    let hasRevocation = false;
    let hasIntrospection = false;

    before(async () => {
      cluster = await startCluster({ count: 3 });
      [A, B, C] = cluster.nodes;
      assert.equal(cluster.printers, 1);
      user = await createUser(A);
      // The revocation and introspection endpoints may not be wired into this build.
      const probe = async (path) => (await fetch(`${B.url}${path}`, { method: 'POST' })).status !== 404;
      hasRevocation = await probe('/v1/oauth2/revoke');
      hasIntrospection = await probe('/v1/oauth2/introspect');
    });
    after(async () => { await cluster?.stop(); });

    test('confidential client: user+client on A, authorize on B, token on C, refresh on A; the code is single use across processes', async () => {
      const app = await createClient(A, { client_type: 'third_party', redirect_urls: [REDIRECT] });
      const basic = [app.client_id, app.client_secret];
      const { verifier, challenge } = pkcePair();
      const { code, redirect } = await headlessCode(B, { client: app, user, scope: SCOPE, challenge });
      assert.equal(redirect.searchParams.get('iss'), cluster.issuer);
      const redeem = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
      const first = await tokenRequest(C, redeem, { basic });
      assert.equal(first.status, 200, first.text);
      const jwks = createRemoteJWKSet(new URL(`${B.url}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(first.json.access_token, jwks, { issuer: cluster.issuer });
      assert.equal(payload.sub, user.user_id);
      for (const node of cluster.nodes) {
        const info = await fetch(`${node.url}/v1/oauth2/userinfo`,
          { headers: { authorization: `Bearer ${first.json.access_token}` } });
        assert.equal(info.status, 200, `userinfo on ${node.url}`);
      }
      const refreshed = await tokenRequest(A, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { basic });
      assert.equal(refreshed.status, 200, refreshed.text);

      // Replaying the code on another process fails and revokes what the first use produced.
      const replay = await tokenRequest(B, redeem, { basic });
      assert.equal(replay.status, 400, replay.text);
      assert.equal(replay.json.error, 'invalid_grant');
      const after = await tokenRequest(A, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { basic });
      assert.equal(after.status, 400, after.text);
      assert.equal(after.json.error, 'invalid_grant');
    });

    test('public client: a rotated refresh token replayed on another process revokes the family', async () => {
      const app = await createClient(A, { client_type: 'first_party_public', redirect_urls: [REDIRECT] });
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(A, { client: app, user, scope: SCOPE, challenge });
      const t0 = await tokenRequest(B, { grant_type: 'authorization_code', code, client_id: app.client_id,
        redirect_uri: REDIRECT, code_verifier: verifier });
      assert.equal(t0.status, 200, t0.text);
      const refresh = (node, token) => tokenRequest(node, { grant_type: 'refresh_token', refresh_token: token, client_id: app.client_id });
      const t1 = await refresh(A, t0.json.refresh_token);
      assert.equal(t1.status, 200, t1.text);
      assert.notEqual(t1.json.refresh_token, t0.json.refresh_token);
      // A second rotation on another process puts t0 outside the retry grace (it is no longer
      // the immediately previous token).
      const t2 = await refresh(B, t1.json.refresh_token);
      assert.equal(t2.status, 200, t2.text);
      const replay = await refresh(C, t0.json.refresh_token);
      assert.equal(replay.status, 400, replay.text);
      assert.equal(replay.json.error, 'invalid_grant');
      const current = await refresh(A, t2.json.refresh_token);
      assert.equal(current.status, 400, current.text);
      assert.equal(current.json.error, 'invalid_grant');
    });

    test('a client update and a client delete through A are seen by B and C within a second', async (t) => {
      const app = await createClient(A, { client_type: 'third_party', redirect_urls: [REDIRECT] });
      const added = 'http://127.0.0.1:5555/other';
      // Warm B's and C's caches with the old client.
      for (const node of [B, C]) {
        assert.equal((await startAuthorization(node, app, REDIRECT, user)).status, 200);
        assert.equal((await startAuthorization(node, app, added, user)).status, 400);
      }
      const updated = await A.api('PUT', `/v1/connected_apps/clients/${app.client_id}`, { redirect_urls: [REDIRECT, added] });
      assert.equal(updated.status, 200, updated.text);
      for (const node of [B, C]) {
        const ms = await within(1500, async () => (await startAuthorization(node, app, added, user)).status === 200,
          `update on ${node.url}`);
        t.diagnostic(`update seen on ${node.url} after ${ms} ms`);
      }
      const deleted = await A.api('DELETE', `/v1/connected_apps/clients/${app.client_id}`);
      assert.equal(deleted.status, 200, deleted.text);
      for (const node of [B, C]) {
        await within(1500, async () => (await startAuthorization(node, app, REDIRECT, user)).status === 400,
          `delete on ${node.url}`);
        const token = await tokenRequest(node, { grant_type: 'refresh_token', refresh_token: 'x' },
          { basic: [app.client_id, app.client_secret] });
        assert.equal(token.status, 401, token.text);
        assert.equal(token.json.error, 'invalid_client');
      }
    });

    test('key rotation: all three publish the same JWKS within a second; concurrent rotations keep one current and one next key', async (t) => {
      const before = await jwksText(A);
      const rotated = A.cli(['keys', 'rotate']);
      assert.match(rotated, /signing key is now/);
      await within(1500, async () => {
        const all = await Promise.all(cluster.nodes.map(jwksText));
        return all.every((j) => j === all[0]) && all[0] !== before;
      }, 'the rotated key set on every process');

      // Three CLI processes rotating at once: each rotates once (by design), under a lock, so the
      // key states stay consistent: one current, one next, the rest retired.
      await Promise.all(cluster.nodes.map((n) => cliAsync(n, ['keys', 'rotate'])));
      const keys = parseKeyList(A.cli(['keys', 'list']));
      assert.equal(keys.filter((k) => k.state === 'current').length, 1, JSON.stringify(keys));
      assert.equal(keys.filter((k) => k.state === 'next').length, 1, JSON.stringify(keys));
      assert.equal(new Set(keys.map((k) => k.kid)).size, keys.length);
      const ms = await within(1500, async () => {
        const all = await Promise.all(cluster.nodes.map(jwksText));
        return all.every((j) => j === all[0]);
      }, 'one JWKS on every process');
      t.diagnostic(`JWKS converged ${ms} ms after the concurrent rotations`);

      // Tokens signed on one process after the rotation verify against another's JWKS.
      const app = await createClient(C, { client_type: 'first_party', redirect_urls: [REDIRECT] });
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(C, { client: app, user, scope: SCOPE, challenge });
      const issued = await tokenRequest(C, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { basic: [app.client_id, app.client_secret] });
      assert.equal(issued.status, 200, issued.text);
      await jwtVerify(issued.json.access_token, createRemoteJWKSet(new URL(`${A.url}/.well-known/jwks.json`)),
        { issuer: cluster.issuer });
    });

    test('revocation on B and introspection on C', async (t) => {
      if (!hasRevocation || !hasIntrospection) {
        t.skip(`not in this build: ${hasRevocation ? '' : '/v1/oauth2/revoke '}${hasIntrospection ? '' : '/v1/oauth2/introspect'}`);
        return;
      }
      const app = await createClient(A, { client_type: 'third_party', redirect_urls: [REDIRECT] });
      const basic = 'Basic ' + Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64');
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(A, { client: app, user, scope: SCOPE, challenge });
      const tokens = await tokenRequest(C, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { basic: [app.client_id, app.client_secret] });
      assert.equal(tokens.status, 200, tokens.text);
      const form = (node, path, params) => fetch(`${node.url}${path}`, {
        method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params),
      });
      const active = await (await form(C, '/v1/oauth2/introspect', { token: tokens.json.refresh_token })).json();
      assert.equal(active.active, true);
      assert.equal((await form(B, '/v1/oauth2/revoke', { token: tokens.json.refresh_token, token_type_hint: 'refresh_token' })).status, 200);
      const inactive = await (await form(C, '/v1/oauth2/introspect', { token: tokens.json.refresh_token })).json();
      assert.equal(inactive.active, false);
      const refresh = await tokenRequest(A, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token },
        { basic: [app.client_id, app.client_secret] });
      assert.equal(refresh.json.error, 'invalid_grant');
    });
  });
}
