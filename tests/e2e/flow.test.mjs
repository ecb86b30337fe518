// The authorization code flow end to end with a certified relying-party library (openid-client 6)
// against the real binary, on every engine, for each of the four client types (confidential ones
// with both client_secret_basic and client_secret_post). The user's side of /authorize is played
// by the headless API (/v1/idp/oauth/authorize/start and /v1/idp/oauth/authorize), so no browser
// is needed: openid-client builds the authorization URL, the test hands its parameters to the
// headless API with a user id, and openid-client takes the returned redirect URI from there
// (checking state, iss, PKCE, nonce, the ID token signature and at_hash).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { GatehouseProcess, engines } from './lib/server.mjs';

const REDIRECT_URI = 'https://app.example/callback';
const SCOPE = 'openid profile email offline_access';

const CASES = [
  { client_type: 'first_party', auth: 'client_secret_basic' },
  { client_type: 'first_party', auth: 'client_secret_post' },
  { client_type: 'third_party', auth: 'client_secret_basic' },
  { client_type: 'third_party', auth: 'client_secret_post' },
  { client_type: 'first_party_public', auth: 'none' },
  { client_type: 'third_party_public', auth: 'none' },
];

function clientAuth(auth, secret) {
  if (auth === 'client_secret_basic') return client.ClientSecretBasic(secret);
  if (auth === 'client_secret_post') return client.ClientSecretPost(secret);
  return client.None();
}

for (const engine of engines()) {
  describe(`authorization code flow (${engine})`, () => {
    let gh;
    let userId;
    let jwks;

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      const created = await gh.api('POST', '/v1/users', {
        email: 'grace@example.com', name: { first_name: 'Grace', last_name: 'Hopper' },
      });
      assert.equal(created.status, 200, created.text);
      userId = created.json.user.user_id;
      jwks = createRemoteJWKSet(new URL(`${gh.url}/.well-known/jwks.json`));
    });
    after(async () => { await gh?.stop(); });

    async function newClient(client_type) {
      const created = await gh.api('POST', '/v1/connected_apps/clients', {
        client_type, client_name: `Flow ${client_type}`, redirect_urls: [REDIRECT_URI],
      });
      assert.equal(created.status, 200, created.text);
      return created.json.connected_app;
    }

    // Drives /authorize through the headless API; returns what the callback would receive.
    async function authorize(config, { consent = true } = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI, scope: SCOPE, state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const params = Object.fromEntries(url.searchParams);
      const start = await gh.api('POST', '/v1/idp/oauth/authorize/start', { ...params, user_id: userId });
      assert.equal(start.status, 200, start.text);
      const submit = await gh.api('POST', '/v1/idp/oauth/authorize',
        { ...params, user_id: userId, consent_granted: consent });
      assert.equal(submit.status, 200, submit.text);
      return { start: start.json, submit: submit.json, verifier, state, nonce };
    }

    for (const { client_type, auth } of CASES) {
      test(`${client_type} with ${auth}: code, tokens, userinfo, refresh`, async () => {
        const app = await newClient(client_type);
        const config = await client.discovery(new URL(gh.issuer), app.client_id, undefined,
          clientAuth(auth, app.client_secret), { execute: [client.allowInsecureRequests] });

        const { start, submit, verifier, state, nonce } = await authorize(config);
        assert.equal(start.user_id, userId);
        assert.equal(start.client.client_id, app.client_id);
        assert.equal(start.client.client_type, client_type);
        assert.deepEqual(start.scope_results.map((s) => s.scope).sort(), SCOPE.split(' ').sort());
        for (const s of start.scope_results) {
          assert.equal(s.is_grantable, true);
          assert.ok(s.description.length > 0);
        }
        if (client_type.startsWith('third_party')) assert.equal(start.consent_required, true);

        const callback = new URL(submit.redirect_uri);
        assert.equal(callback.searchParams.get('iss'), gh.issuer);
        assert.equal(callback.searchParams.get('state'), state);
        assert.equal(callback.searchParams.get('code'), submit.authorization_code);

        const tokens = await client.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
        });
        assert.equal(tokens.token_type.toLowerCase(), 'bearer');
        assert.ok(tokens.refresh_token);
        const claims = tokens.claims();
        assert.equal(claims.sub, userId);
        assert.equal(claims.aud, app.client_id);
        assert.equal(claims.nonce, nonce);
        assert.ok(claims.auth_time);

        assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt');
        const { payload } = await jwtVerify(tokens.access_token, jwks,
          { issuer: gh.issuer, typ: 'at+jwt', audience: gh.issuer });
        assert.equal(payload.sub, userId);
        assert.equal(payload.client_id, app.client_id);
        for (const c of ['iat', 'nbf', 'exp', 'jti', 'scope']) assert.ok(payload[c] !== undefined, c);

        const info = await client.fetchUserInfo(config, tokens.access_token, userId);
        assert.equal(info.email, 'grace@example.com');
        assert.equal(info.given_name, 'Grace');

        const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
        assert.ok(refreshed.access_token);
        const publicClient = client_type.endsWith('_public');
        if (publicClient) assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
        else assert.equal(refreshed.refresh_token, tokens.refresh_token);
        assert.equal(refreshed.claims().sub, userId);
        assert.equal(refreshed.claims().auth_time, claims.auth_time);

        // The code was single use: a replay fails and takes the tokens of the first use with it.
        await assert.rejects(client.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
        }), (e) => e.error === 'invalid_grant');
        await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token),
          (e) => e.error === 'invalid_grant');
        const revoked = await fetch(`${gh.url}/v1/oauth2/userinfo`,
          { headers: { authorization: `Bearer ${refreshed.access_token}` } });
        assert.equal(revoked.status, 401);
        assert.match(revoked.headers.get('www-authenticate'), /error="invalid_token"/);
      });
    }

    test('denied consent redirects with access_denied, state and iss', async () => {
      const app = await newClient('third_party_public');
      const config = await client.discovery(new URL(gh.issuer), app.client_id, undefined,
        client.None(), { execute: [client.allowInsecureRequests] });
      const { submit, state } = await authorize(config, { consent: false });
      const callback = new URL(submit.redirect_uri);
      assert.equal(callback.searchParams.get('error'), 'access_denied');
      assert.equal(callback.searchParams.get('state'), state);
      assert.equal(callback.searchParams.get('iss'), gh.issuer);
      assert.equal(submit.authorization_code, undefined);
    });

    test('the headless API refuses an unknown client and needs exactly one user', async () => {
      const unknown = await gh.api('POST', '/v1/idp/oauth/authorize/start', {
        client_id: 'connected-app-test-nope', redirect_uri: REDIRECT_URI, response_type: 'code',
        scope: 'openid', user_id: userId,
      });
      assert.equal(unknown.status, 400);
      const app = await newClient('third_party');
      const neither = await gh.api('POST', '/v1/idp/oauth/authorize/start', {
        client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid',
      });
      assert.equal(neither.status, 400);
    });

    test('the headless API takes a session token; max_age is enforced against it', async () => {
      const user = await gh.api('POST', '/v1/users',
        { email: 'linus@example.com', password: 'correct horse battery staple' });
      assert.equal(user.status, 200, user.text);
      const login = await gh.api('POST', '/v1/passwords/authenticate',
        { email: 'linus@example.com', password: 'correct horse battery staple' });
      assert.equal(login.status, 200, login.text);
      const app = await newClient('third_party');
      const request = {
        client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code',
        scopes: ['openid', 'email'], state: 'st', session_token: login.json.session_token,
      };
      const start = await gh.api('POST', '/v1/idp/oauth/authorize/start', request);
      assert.equal(start.status, 200, start.text);
      assert.equal(start.json.user_id, user.json.user.user_id);
      assert.equal(start.json.consent_required, true);
      const submit = await gh.api('POST', '/v1/idp/oauth/authorize', { ...request, consent_granted: true });
      assert.equal(submit.status, 200, submit.text);
      assert.ok(new URL(submit.json.redirect_uri).searchParams.get('code'));
      // Consent is remembered: the same request no longer asks.
      const again = await gh.api('POST', '/v1/idp/oauth/authorize/start', request);
      assert.equal(again.json.consent_required, false);

      const stale = await gh.api('POST', '/v1/idp/oauth/authorize/start', { ...request, max_age: 0 });
      assert.equal(stale.status, 400);
      assert.equal(stale.json.error_type, 'login_required');
      const silent = await gh.api('POST', '/v1/idp/oauth/authorize',
        { ...request, max_age: 0, prompt: 'none' });
      assert.equal(silent.status, 200, silent.text);
      const callback = new URL(silent.json.redirect_uri);
      assert.equal(callback.searchParams.get('error'), 'login_required');
      assert.equal(callback.searchParams.get('iss'), gh.issuer);
      assert.equal(callback.searchParams.get('state'), 'st');

      const bad = await gh.api('POST', '/v1/idp/oauth/authorize/start',
        { ...request, session_token: 'not-a-session' });
      assert.equal(bad.status, 401);
    });

    test('token endpoint: invalid_client over Basic is 401 with WWW-Authenticate', async () => {
      const app = await newClient('third_party');
      const r = await fetch(`${gh.url}/v1/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'Basic ' + Buffer.from(`${app.client_id}:wrong`).toString('base64'),
        },
        body: 'grant_type=authorization_code&code=x',
      });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate'), /^Basic/);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal((await r.json()).error, 'invalid_client');
      const password = await fetch(`${gh.url}/v1/oauth2/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=password&client_id=${app.client_id}`,
      });
      assert.equal((await password.json()).error, 'unsupported_grant_type');
    });
  });
}
