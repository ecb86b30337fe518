// Tokens after issuance, end to end against the real binary on every engine: introspection
// (RFC 7662, also through oauth4webapi), revocation (RFC 7009), a user's connected apps (API and
// the /account/connected-apps page with its CSRF check) and first-party session exchange.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createUser, createClient, headlessCode, pkcePair, tokenRequest, publicClientTokens } from './lib/flow.mjs';

const basicHeader = (id, secret) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

async function formPost(gh, path, params, { basic } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = basicHeader(basic.client_id, basic.client_secret);
  const r = await fetch(`${gh.url}${path}`, { method: 'POST', headers, body: new URLSearchParams(params) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, json, text };
}

// The code flow for a confidential client (client_secret_basic); returns the token response.
async function confidentialTokens(gh, client, user, scope) {
  const { verifier, challenge } = pkcePair();
  const { code } = await headlessCode(gh, { client, user, scope, challenge });
  const t = await tokenRequest(gh, {
    grant_type: 'authorization_code', code, redirect_uri: client.redirect_urls[0], code_verifier: verifier,
  }, { basic: [client.client_id, client.client_secret] });
  assert.equal(t.status, 200, t.text);
  return t.json;
}

const introspect = (gh, token, caller, extra = {}) =>
  formPost(gh, '/v1/oauth2/introspect', { token, ...extra }, { basic: caller });
const revoke = (gh, token, caller, extra = {}) =>
  formPost(gh, '/v1/oauth2/revoke', { token, ...extra }, { basic: caller });
const userinfo = (gh, token) =>
  fetch(`${gh.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });

for (const engine of engines()) {
  describe(`tokens in use (${engine})`, () => {
    let gh;
    let user;
    let app;        // a third-party confidential client
    let rs;         // another confidential client, acting as a resource server
    let firstParty; // first-party, allowed full_access
    let pub;        // a public client

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      user = await createUser(gh);
      app = await createClient(gh, { client_type: 'third_party', client_name: 'Third app' });
      rs = await createClient(gh, { client_type: 'third_party', client_name: 'Resource server' });
      firstParty = await createClient(gh, { client_type: 'first_party', client_name: 'Our app', full_access_allowed: true });
      pub = await createClient(gh, { client_type: 'third_party_public', client_name: 'Public app' });
    });
    after(async () => { await gh?.stop(); });

    test('introspection needs client authentication and reports active tokens', async () => {
      const tokens = await confidentialTokens(gh, app, user, 'openid email offline_access');
      const anonymous = await formPost(gh, '/v1/oauth2/introspect', { token: tokens.access_token });
      assert.equal(anonymous.status, 401);
      const asPublic = await formPost(gh, '/v1/oauth2/introspect', { token: tokens.access_token, client_id: pub.client_id });
      assert.equal(asPublic.status, 401);

      const r = await introspect(gh, tokens.access_token, app);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.json.active, true);
      assert.equal(r.json.sub, user.user_id);
      assert.equal(r.json.client_id, app.client_id);
      assert.equal(r.json.iss, gh.issuer);
      assert.equal(r.json.token_type, 'Bearer');
      for (const claim of ['scope', 'aud', 'exp', 'iat', 'nbf', 'jti']) assert.ok(claim in r.json, claim);
      assert.ok(!('gh_grant' in r.json));

      // A resource server may check access tokens issued to others, not their refresh tokens.
      assert.equal((await introspect(gh, tokens.access_token, rs)).json.active, true);
      assert.deepEqual((await introspect(gh, tokens.refresh_token, rs)).json, { active: false });
      assert.equal((await introspect(gh, tokens.refresh_token, app)).json.active, true);
      assert.deepEqual((await introspect(gh, 'not-a-token', app)).json, { active: false });
      assert.deepEqual((await introspect(gh, 'a.b.c', app)).json, { active: false });
    });

    test('oauth4webapi reads our introspection responses', async () => {
      const tokens = await confidentialTokens(gh, app, user, 'openid');
      const as = await oauth.processDiscoveryResponse(new URL(gh.issuer),
        await oauth.discoveryRequest(new URL(gh.issuer), { [oauth.allowInsecureRequests]: true }));
      const client = { client_id: rs.client_id };
      const response = await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(rs.client_secret),
        tokens.access_token, { [oauth.allowInsecureRequests]: true });
      const result = await oauth.processIntrospectionResponse(as, client, response);
      assert.equal(result.active, true);
      assert.equal(result.sub, user.user_id);
    });

    test('revocation: unknown tokens are 200, only own tokens, refresh revocation kills the grant', async () => {
      assert.equal((await revoke(gh, 'unknown-token', app)).status, 200);
      assert.equal((await revoke(gh, 'x.y.z', app, { token_type_hint: 'access_token' })).status, 200);
      assert.equal((await formPost(gh, '/v1/oauth2/revoke', { token: 'unknown-token' })).status, 401);

      const tokens = await confidentialTokens(gh, app, user, 'openid offline_access');
      // Another client's attempt changes nothing.
      assert.equal((await revoke(gh, tokens.refresh_token, rs)).status, 200);
      assert.equal((await revoke(gh, tokens.access_token, rs)).status, 200);
      assert.equal((await introspect(gh, tokens.access_token, app)).json.active, true);
      assert.equal((await userinfo(gh, tokens.access_token)).status, 200);

      // The owner revokes the refresh token with a wrong hint: the hint is only a hint.
      const r = await revoke(gh, tokens.refresh_token, app, { token_type_hint: 'access_token' });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.deepEqual((await introspect(gh, tokens.refresh_token, app)).json, { active: false });
      assert.deepEqual((await introspect(gh, tokens.access_token, app)).json, { active: false });
      assert.equal((await userinfo(gh, tokens.access_token)).status, 401);
      const refreshed = await tokenRequest(gh, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
        { basic: [app.client_id, app.client_secret] });
      assert.equal(refreshed.status, 400);
    });

    test('a public client revokes with its client_id alone', async () => {
      const tokens = await publicClientTokens(gh, { client: pub, user, scope: 'openid offline_access' });
      const r = await formPost(gh, '/v1/oauth2/revoke', { token: tokens.access_token, client_id: pub.client_id });
      assert.equal(r.status, 200, r.text);
      assert.equal((await userinfo(gh, tokens.access_token)).status, 401);
    });

    test('session exchange: first-party full_access tokens, once', async () => {
      const tokens = await confidentialTokens(gh, firstParty, user, 'openid full_access');
      const ok = await gh.api('POST', '/v1/sessions/exchange_access_token',
        { access_token: tokens.access_token, session_duration_minutes: 60 });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.user_id, user.user_id);
      assert.ok(ok.json.session_token);
      assert.equal(ok.json.session.authentication_factors[0].type, 'access_token_exchange');
      const session = await gh.api('POST', '/v1/sessions/authenticate', { session_token: ok.json.session_token });
      assert.equal(session.status, 200, session.text);

      const again = await gh.api('POST', '/v1/sessions/exchange_access_token', { access_token: tokens.access_token });
      assert.equal(again.status, 401);

      const third = await confidentialTokens(gh, app, user, 'openid');
      const refused = await gh.api('POST', '/v1/sessions/exchange_access_token', { access_token: third.access_token });
      assert.equal(refused.status, 403, refused.text);
    });

    test('connected apps: listed, revoked, and consent is asked again', async () => {
      const other = await createUser(gh);
      const tokens = await confidentialTokens(gh, app, other, 'openid email offline_access');
      const listed = await gh.api('GET', `/v1/users/${other.user_id}/connected_apps`);
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(listed.json.connected_apps.map((a) => a.client_id), [app.client_id]);
      assert.equal(listed.json.connected_apps[0].client_name, 'Third app');
      assert.equal(listed.json.connected_apps[0].scopes_granted.split(' ').sort().join(' '), 'email offline_access openid');

      const start = () => gh.api('POST', '/v1/idp/oauth/authorize/start', {
        client_id: app.client_id, redirect_uri: app.redirect_urls[0], response_type: 'code',
        scopes: ['openid', 'email', 'offline_access'], user_id: other.user_id,
      });
      assert.equal((await start()).json.consent_required, false);

      const revoked = await gh.api('POST', `/v1/users/${other.user_id}/connected_apps/${app.client_id}/revoke`, {});
      assert.equal(revoked.status, 200, revoked.text);
      assert.deepEqual((await gh.api('GET', `/v1/users/${other.user_id}/connected_apps`)).json.connected_apps, []);
      assert.equal((await start()).json.consent_required, true);
      assert.deepEqual((await introspect(gh, tokens.access_token, app)).json, { active: false });
      assert.deepEqual((await introspect(gh, tokens.refresh_token, app)).json, { active: false });
    });

    test('the account page lists connected apps and revokes them with CSRF', async () => {
      const other = await createUser(gh);
      await confidentialTokens(gh, app, other, 'openid');
      const login = await gh.api('POST', '/v1/passwords/authenticate', { email: other.email, password: other.password });
      assert.equal(login.status, 200, login.text);
      const sessionCookie = `gatehouse_session=${login.json.session_token}`;

      assert.equal((await fetch(`${gh.url}/account/connected-apps`)).status, 401);
      const page = await fetch(`${gh.url}/account/connected-apps`, { headers: { cookie: sessionCookie } });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Third app/);
      const csrf = /gatehouse_csrf=([^;]+)/.exec(page.headers.get('set-cookie'))[1];
      assert.ok(html.includes(`value="${csrf}"`));

      const post = (formCsrf) => fetch(`${gh.url}/account/connected-apps/revoke`, {
        method: 'POST', redirect: 'manual',
        headers: { cookie: `${sessionCookie}; gatehouse_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: app.client_id, ...(formCsrf ? { csrf: formCsrf } : {}) }),
      });
      assert.equal((await post(undefined)).status, 403);
      assert.equal((await gh.api('GET', `/v1/users/${other.user_id}/connected_apps`)).json.connected_apps.length, 1);
      const done = await post(csrf);
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/account/connected-apps?revoked=1');
      assert.deepEqual((await gh.api('GET', `/v1/users/${other.user_id}/connected_apps`)).json.connected_apps, []);
    });
  });
}
