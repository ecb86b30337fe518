// Issue 14, the items about clients, end to end against the real binary on every engine:
//   item 2: the RFC 8252 any-port loopback rule applies to native apps only (application_type),
//           with defaults by client type (management API) and by redirect URIs (registration);
//   item 7: who may introspect whose access tokens.
// The user's side of /oauth2/authorize is played by raw requests through the hosted login and
// consent pages (never following a redirect), or by the headless authorization API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createUser, createClient, headlessCode, pkcePair, tokenRequest } from './lib/flow.mjs';
import {
  authorizeGet, rawGet, postForm, assertErrorPage, CookieJar, hiddenField,
} from './lib/attack_support.mjs';

const PASSWORD = 'correct horse battery staple';

async function postJson(gh, path, body) {
  const r = await fetch(`${gh.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

const register = (gh, metadata) => postJson(gh, '/v1/oauth2/register', metadata);

// The code flow through the hosted pages: authorize, sign in, consent when asked. Returns the
// final redirect (a URL on `redirectUri`) and the PKCE verifier.
async function hostedCode(gh, { client, user, redirectUri, scope = 'openid' }) {
  const jar = new CookieJar();
  const { verifier, challenge } = pkcePair();
  const page = await authorizeGet(gh, [['response_type', 'code'], ['client_id', client.client_id],
    ['redirect_uri', redirectUri], ['scope', scope], ['state', 'st'],
    ['code_challenge', challenge], ['code_challenge_method', 'S256']], { cookie: jar.header() });
  assert.equal(page.status, 200, `login page: ${page.status} ${page.location} ${page.text.slice(0, 300)}`);
  jar.take(page.headers);
  let r = await postForm(`${gh.issuer}/oauth2/login`, {
    csrf: hiddenField(page.text, 'csrf'), pending: hiddenField(page.text, 'pending'),
    email: user.email, password: PASSWORD,
  }, { cookie: jar.header() });
  for (let step = 0; step < 4 && r.location?.startsWith('/'); ++step) {
    jar.take(r.headers);
    r = await rawGet(new URL(r.location, gh.issuer).href, { cookie: jar.header() });
    if (r.status === 200 && hiddenField(r.text, 'pending')) {  // the consent page
      jar.take(r.headers);
      r = await postForm(`${gh.issuer}/oauth2/consent`, {
        csrf: hiddenField(r.text, 'csrf'), pending: hiddenField(r.text, 'pending'), decision: 'allow',
      }, { cookie: jar.header() });
    }
  }
  assert.ok(r.status === 302 || r.status === 303, `${r.status}: ${r.text.slice(0, 300)}`);
  assert.ok(r.location.startsWith(`${redirectUri}?`), r.location);
  const redirect = new URL(r.location);
  assert.ok(redirect.searchParams.get('code'), r.location);
  return { redirect, verifier };
}

async function redeem(gh, client, { redirect, verifier }, redirectUri, secret = client.client_secret) {
  const params = { grant_type: 'authorization_code', code: redirect.searchParams.get('code'),
    redirect_uri: redirectUri, code_verifier: verifier };
  if (!secret) params.client_id = client.client_id;
  return tokenRequest(gh, params, secret ? { basic: [client.client_id, secret] } : {});
}

for (const engine of engines()) {
  describe(`item 2: loopback port flexibility follows application_type (${engine})`, () => {
    let gh;
    let user;

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      user = await createUser(gh, { password: PASSWORD });
    });
    after(async () => { await gh?.stop(); });

    test('a confidential web client registered with localhost:3000 gets codes on port 3000 only', async () => {
      const web = await createClient(gh, { client_type: 'third_party', client_name: 'Web app',
        redirect_urls: ['http://localhost:3000/callback'] });
      assert.equal(web.application_type, 'web', 'the API default for a confidential client');

      const { challenge } = pkcePair();
      const elsewhere = await authorizeGet(gh, [['response_type', 'code'], ['client_id', web.client_id],
        ['redirect_uri', 'http://localhost:4444/callback'], ['scope', 'openid'], ['state', 'st'],
        ['code_challenge', challenge], ['code_challenge_method', 'S256']]);
      assertErrorPage(elsewhere, 'port 4444');
      assert.ok(!elsewhere.text.includes('localhost:4444'), 'the untrusted URI is not echoed');

      const headless = await gh.api('POST', '/v1/idp/oauth/authorize', {
        client_id: web.client_id, redirect_uri: 'http://localhost:4444/callback', response_type: 'code',
        scopes: ['openid'], user_id: user.user_id, consent_granted: true, state: 'st',
        code_challenge: challenge, code_challenge_method: 'S256' });
      assert.equal(headless.status, 400, headless.text);
      assert.ok(!headless.text.includes('code='), headless.text);

      const flow = await hostedCode(gh, { client: web, user, redirectUri: 'http://localhost:3000/callback' });
      const tokens = await redeem(gh, web, flow, 'http://localhost:3000/callback');
      assert.equal(tokens.status, 200, tokens.text);
    });

    test('a native public client gets codes on any loopback port', async () => {
      const cli = await createClient(gh, { client_type: 'third_party_public', client_name: 'CLI',
        redirect_urls: ['http://127.0.0.1/callback'] });
      assert.equal(cli.application_type, 'native', 'the API default for a public client');
      for (const port of [4444, 51873]) {
        const redirectUri = `http://127.0.0.1:${port}/callback`;
        const flow = await hostedCode(gh, { client: cli, user, redirectUri });
        const tokens = await redeem(gh, cli, flow, redirectUri);
        assert.equal(tokens.status, 200, tokens.text);
      }
    });

    test('the management API defaults application_type by client type and lets it be changed', async () => {
      const expected = { first_party: 'web', third_party: 'web', first_party_public: 'native',
        third_party_public: 'native' };
      for (const [clientType, applicationType] of Object.entries(expected)) {
        const c = await createClient(gh, { client_type: clientType });
        assert.equal(c.application_type, applicationType, clientType);
      }
      const explicit = await createClient(gh, { client_type: 'third_party', application_type: 'native',
        redirect_urls: ['http://127.0.0.1/cb'] });
      assert.equal(explicit.application_type, 'native');
      const flow = await hostedCode(gh, { client: explicit, user, redirectUri: 'http://127.0.0.1:4321/cb' });
      assert.equal((await redeem(gh, explicit, flow, 'http://127.0.0.1:4321/cb')).status, 200);

      // A public client made web by an update keeps to its registered port; null restores the default.
      const pub = await createClient(gh, { client_type: 'third_party_public',
        redirect_urls: ['http://127.0.0.1:5000/cb'] });
      const path = `/v1/connected_apps/clients/${pub.client_id}`;
      const toWeb = await gh.api('PUT', path, { application_type: 'web' });
      assert.equal(toWeb.status, 200, toWeb.text);
      assert.equal(toWeb.json.connected_app.application_type, 'web');
      const { challenge } = pkcePair();
      const pairs = (port) => [['response_type', 'code'], ['client_id', pub.client_id],
        ['redirect_uri', `http://127.0.0.1:${port}/cb`], ['scope', 'openid'], ['state', 'st'],
        ['code_challenge', challenge], ['code_challenge_method', 'S256']];
      assertErrorPage(await authorizeGet(gh, pairs(5001)), 'web public client, port 5001');
      assert.equal((await authorizeGet(gh, pairs(5000))).status, 200);
      const back = await gh.api('PUT', path, { application_type: null });
      assert.equal(back.status, 200, back.text);
      assert.equal(back.json.connected_app.application_type, 'native');
      assert.equal((await authorizeGet(gh, pairs(5001))).status, 200);
    });

    test("oidc-agent's registration (web, loopback and private-use URIs) registers a native app", async () => {
      // What oidc-agent (Debian's oidc-gen) sends: application_type web, no auth method (a
      // confidential client), its fixed and random loopback ports and its private-use scheme.
      const metadata = {
        application_type: 'web', client_name: 'oidc-agent:e2e', response_types: ['code'],
        grant_types: ['refresh_token', 'authorization_code'], scope: 'openid profile offline_access',
        redirect_uris: ['http://localhost:4242', 'http://localhost:29871', 'http://localhost:8080',
          'edu.kit.data.oidc-agent:/redirect'],
      };
      const r = await register(gh, metadata);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.application_type, 'native');
      assert.ok(r.json.client_secret);
      assert.deepEqual(r.json.redirect_uris, metadata.redirect_uris);
      const read = await fetch(r.json.registration_client_uri,
        { headers: { authorization: `Bearer ${r.json.registration_access_token}` } });
      assert.equal((await read.json()).application_type, 'native', 'RFC 7592 read echoes the stored type');
      const app = await gh.api('GET', `/v1/connected_apps/clients/${r.json.client_id}`);
      assert.equal(app.json.connected_app.application_type, 'native');

      const client = { client_id: r.json.client_id, client_secret: r.json.client_secret };
      const flow = await hostedCode(gh, { client, user, redirectUri: 'http://localhost:4242' });
      assert.equal((await redeem(gh, client, flow, 'http://localhost:4242')).status, 200);
    });

    test('registrations without application_type: loopback-only or public is native', async () => {
      const loopback = await register(gh, { client_name: 'oidc-agent-like', redirect_uris: ['http://localhost:4242'] });
      assert.equal(loopback.status, 201, loopback.text);
      assert.equal(loopback.json.application_type, 'native');
      assert.ok(loopback.json.client_secret);

      const pub = await register(gh, { redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'none' });
      assert.equal(pub.status, 201, pub.text);
      assert.equal(pub.json.application_type, 'native');

      const web = await register(gh, { redirect_uris: ['https://app.example/cb'] });
      assert.equal(web.status, 201, web.text);
      assert.equal(web.json.application_type, 'web');
    });

    test('a registration declaring web with an https and an http loopback URI is still refused', async () => {
      const r = await register(gh, { application_type: 'web',
        redirect_uris: ['https://app.example/cb', 'http://localhost:3000/cb'] });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error, 'invalid_redirect_uri');
    });
  });

  describe(`item 7: who may introspect an access token (${engine})`, () => {
    let gh;
    let user;
    let app;        // a confidential client created through the management API
    let rs;         // another one, acting as a resource server
    let registered; // a confidential client registered anonymously
    const REDIRECT = 'https://app.example.com/cb';

    const introspect = async (token, caller) => {
      const r = await fetch(`${gh.url}/v1/oauth2/introspect`, { method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded',
          authorization: 'Basic ' + Buffer.from(`${caller.client_id}:${caller.client_secret}`).toString('base64') },
        body: new URLSearchParams({ token }) });
      assert.equal(r.status, 200);
      return r.json();
    };
    async function accessToken(client) {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client, user, challenge, redirect_uri: REDIRECT,
        scope: 'openid email offline_access' });
      const t = await tokenRequest(gh, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT,
        code_verifier: verifier }, { basic: [client.client_id, client.client_secret] });
      assert.equal(t.status, 200, t.text);
      return t.json;
    }

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      user = await createUser(gh, { password: PASSWORD });
      app = await createClient(gh, { client_type: 'third_party', client_name: 'App', redirect_urls: [REDIRECT] });
      rs = await createClient(gh, { client_type: 'third_party', client_name: 'Notes API', redirect_urls: [REDIRECT] });
      const r = await register(gh, { client_name: 'Anonymous', redirect_uris: [REDIRECT] });
      assert.equal(r.status, 201, r.text);
      registered = r.json;
    });
    after(async () => { await gh?.stop(); });

    test("a registered confidential client cannot introspect another client's token", async () => {
      const tokens = await accessToken(app);
      assert.deepEqual(await introspect(tokens.access_token, registered), { active: false });
      assert.deepEqual(await introspect(tokens.refresh_token, registered), { active: false });

      const m2m = await gh.api('POST', '/v1/m2m/clients', { client_name: 'worker', scopes: ['read:notes'] });
      assert.equal(m2m.status, 200, m2m.text);
      const cc = await tokenRequest(gh, { grant_type: 'client_credentials',
        client_id: m2m.json.m2m_client.client_id, client_secret: m2m.json.m2m_client.client_secret });
      assert.equal(cc.status, 200, cc.text);
      assert.deepEqual(await introspect(cc.json.access_token, registered), { active: false });
      assert.equal((await introspect(cc.json.access_token, rs)).active, true);
    });

    test('a registered client introspects its own token', async () => {
      const tokens = await accessToken(registered);
      const own = await introspect(tokens.access_token, registered);
      assert.equal(own.active, true, JSON.stringify(own));
      assert.equal(own.client_id, registered.client_id);
      assert.equal(own.sub, user.user_id);
      assert.equal((await introspect(tokens.refresh_token, registered)).active, true);
    });

    test('a confidential client created through the API introspects any access token', async () => {
      for (const client of [app, registered]) {
        const tokens = await accessToken(client);
        const r = await introspect(tokens.access_token, rs);
        assert.equal(r.active, true, JSON.stringify(r));
        assert.equal(r.client_id, client.client_id);
        assert.equal(r.sub, user.user_id);
        assert.equal(r.iss, gh.issuer);
        assert.match(r.scope, /email/);
        for (const claim of ['aud', 'exp', 'iat', 'jti']) assert.ok(claim in r, claim);
      }
    });
  });
}
