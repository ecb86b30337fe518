// Users, password login and sessions over HTTP against the real binary, on every engine:
// create a user with a password, sign in, authenticate the session (and its JWT against the
// published JWKS), revoke it, and see it fail afterwards.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { GatehouseProcess, engines } from './lib/server.mjs';

for (const engine of engines()) {
  describe(`users and sessions (${engine})`, () => {
    let gh;
    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('refuses requests without the project credentials', async () => {
      const r = await fetch(`${gh.url}/v1/users`, { method: 'POST', body: '{}' });
      assert.equal(r.status, 401);
      assert.equal((await r.json()).error_type, 'unauthorized');
    });

    test('create, sign in, authenticate, revoke', async () => {
      const created = await gh.api('POST', '/v1/users', {
        email: 'Ada@Example.com', name: { first_name: 'Ada', last_name: 'Lovelace' },
        password: 'correct horse battery', roles: ['admin'],
      });
      assert.equal(created.status, 200, created.text);
      const user = created.json.user;
      assert.match(user.user_id, /^user-test-/);
      assert.equal(user.email, 'ada@example.com');
      assert.equal(user.has_password, true);
      assert.ok(!created.text.includes('argon2'));

      const duplicate = await gh.api('POST', '/v1/users', { email: 'ada@example.com' });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.json.error_type, 'duplicate_email');

      const wrong = await gh.api('POST', '/v1/passwords/authenticate',
        { email: 'ada@example.com', password: 'wrong horse battery' });
      const unknown = await gh.api('POST', '/v1/passwords/authenticate',
        { email: 'nobody@example.com', password: 'correct horse battery' });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.json.error_message, unknown.json.error_message);

      const login = await gh.api('POST', '/v1/passwords/authenticate',
        { email: 'ADA@example.com', password: 'correct horse battery', session_duration_minutes: 60 });
      assert.equal(login.status, 200, login.text);
      assert.equal(login.json.user_id, user.user_id);
      const { session_token, session_jwt, session } = login.json;
      assert.ok(session_token.length >= 43);
      assert.equal(session.user_id, user.user_id);

      const jwks = createRemoteJWKSet(new URL(`${gh.url}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(session_jwt, jwks, { issuer: gh.issuer, audience: gh.projectId });
      assert.equal(payload.sub, user.user_id);
      assert.equal(payload.sid, session.session_id);
      assert.ok(payload.exp - payload.iat <= 300);

      const authenticated = await gh.api('POST', '/v1/sessions/authenticate', { session_token });
      assert.equal(authenticated.status, 200, authenticated.text);
      assert.equal(authenticated.json.session.session_id, session.session_id);
      assert.equal(authenticated.json.user.email, 'ada@example.com');

      const revoked = await gh.api('POST', '/v1/sessions/revoke', { session_token });
      assert.equal(revoked.status, 200, revoked.text);
      const after = await gh.api('POST', '/v1/sessions/authenticate', { session_token });
      assert.equal(after.status, 401);
    });

    test('update, search and delete; deleting a user ends their sessions', async () => {
      const created = await gh.api('POST', '/v1/users', {
        email: 'grace@example.com', first_name: 'Grace', password: 'cobol forever',
      });
      assert.equal(created.status, 200, created.text);
      const id = created.json.user_id;
      const updated = await gh.api('PUT', `/v1/users/${id}`, { last_name: 'Hopper' });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.json.user.name, { first_name: 'Grace', last_name: 'Hopper' });

      const found = await gh.api('POST', '/v1/users/search', { email: 'GRACE@example.com' });
      assert.equal(found.status, 200);
      assert.deepEqual(found.json.results.map((u) => u.user_id), [id]);
      const first = await gh.api('POST', '/v1/users/search', { limit: 1 });
      assert.equal(first.json.results.length, 1);
      assert.ok(first.json.results_metadata.next_cursor);
      const second = await gh.api('POST', '/v1/users/search',
        { limit: 1, cursor: first.json.results_metadata.next_cursor });
      assert.equal(second.json.results.length, 1);
      assert.notEqual(second.json.results[0].user_id, first.json.results[0].user_id);

      const login = await gh.api('POST', '/v1/passwords/authenticate',
        { email: 'grace@example.com', password: 'cobol forever' });
      assert.equal(login.status, 200, login.text);
      assert.equal((await gh.api('DELETE', `/v1/users/${id}`)).status, 200);
      assert.equal((await gh.api('GET', `/v1/users/${id}`)).status, 404);
      const after = await gh.api('POST', '/v1/sessions/authenticate',
        { session_token: login.json.session_token });
      assert.equal(after.status, 401);
    });
  });
}
