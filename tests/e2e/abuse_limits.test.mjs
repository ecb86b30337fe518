// Abuse limits against the real binary: per-address and per-client rate limits on the token,
// introspection, registration and login endpoints (429 with Retry-After), login throttling shared
// by every process on one database, the cap on dynamically registered clients, trusted proxies,
// and the maximum size of fields. Every refusal is checked to have changed nothing.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {after, before, describe, test} from 'node:test';

import {assertSafeDescription, authorizeGet, CookieJar, hiddenField, postForm} from './lib/attack_support.mjs';
import {createClient, createUser, pkcePair, publicClientTokens, tokenRequest} from './lib/flow.mjs';
import {engines, GatehouseProcess} from './lib/server.mjs';

const REDIRECT = 'https://app.example.com/cb';
const PASSWORD = 'correct horse battery staple';

// Every limit off but the ones a test turns on, so tests do not trip over each other.
const NO_LIMITS = {
  GATEHOUSE_TOKEN_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  GATEHOUSE_TOKEN_LIMIT_PER_CLIENT_PER_MINUTE: '0',
  GATEHOUSE_INTROSPECTION_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  GATEHOUSE_INTROSPECTION_LIMIT_PER_CLIENT_PER_MINUTE: '0',
  GATEHOUSE_REGISTRATION_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  GATEHOUSE_LOGIN_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
};

function assertTooMany(r, what) {
  assert.equal(r.status, 429, `${what}: ${r.status} ${r.text?.slice(0, 200)}`);
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(
      Number.isInteger(retry) && retry >= 1,
      `${what}: Retry-After ${r.headers.get('retry-after')}`);
  return retry;
}

async function m2mClient(gh, scopes = ['read']) {
  const r = await gh.api('POST', '/v1/m2m/clients', {client_name: 'worker', scopes});
  assert.equal(r.status, 200, r.text);
  return r.json.m2m_client;
}

const ccGrant = (gh, c, headers = {}) =>
    fetch(`${gh.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
            'Basic ' + Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64'),
        ...headers,
      },
      body: 'grant_type=client_credentials',
    }).then(async (r) => ({status: r.status, headers: r.headers, text: await r.text()}));

function register(gh, body = {}) {
  return fetch(`${gh.url}/v1/oauth2/register`, {
           method: 'POST',
           headers: {'content-type': 'application/json'},
           body: JSON.stringify(
               {redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', ...body}),
         })
      .then(async (r) => ({status: r.status, headers: r.headers, text: await r.text()}));
}

describe('rate limits per address and per client', () => {
  const started = [];
  after(async () => {
    for (const gh of started) await gh.stop();
  });
  async function start(env) {
    const gh = await new GatehouseProcess({env: {...NO_LIMITS, ...env}}).start();
    started.push(gh);
    return gh;
  }

  test(
      'token endpoint: the address limit answers 429 too_many_requests with Retry-After',
      async () => {
        const gh = await start({GATEHOUSE_TOKEN_LIMIT_PER_ADDRESS_PER_MINUTE: '4'});
        const c = await m2mClient(gh);
        for (let i = 0; i < 4; i++)
          assert.equal((await ccGrant(gh, c)).status, 200, `request ${i}`);
        const refused = await ccGrant(gh, c);
        const retry = assertTooMany(refused, 'fifth request');
        assert.equal(retry, 15, 'one token every 15 s at 4 a minute');
        const body = JSON.parse(refused.text);
        assert.equal(body.error, 'too_many_requests');
        assertSafeDescription(body);
        assert.equal(refused.headers.get('cache-control'), 'no-store');
        // Malformed requests spend the same bucket: the limit comes before any parsing.
        const garbage = await tokenRequest(gh, {grant_type: 'password'});
        assert.equal(garbage.status, 429);
      });

  test(
      'token endpoint: the client limit holds per authenticated client, not per public client',
      async () => {
        const gh = await start({GATEHOUSE_TOKEN_LIMIT_PER_CLIENT_PER_MINUTE: '3'});
        const [a, b] = [await m2mClient(gh), await m2mClient(gh)];
        for (let i = 0; i < 3; i++) assert.equal((await ccGrant(gh, a)).status, 200);
        assertTooMany(await ccGrant(gh, a), 'M2M client a, fourth token');
        assert.equal((await ccGrant(gh, b)).status, 200, 'client b has its own bucket');
        // A wrong secret is refused as invalid_client, not counted against the real client's
        // bucket.
        const wrong = await ccGrant(gh, {client_id: b.client_id, client_secret: 'nope-nope-nope'});
        assert.equal(wrong.status, 401);

        // A confidential connected app: the refresh grant spends its bucket too.
        const user = await createUser(gh, {password: PASSWORD});
        const conf =
            await createClient(gh, {client_type: 'third_party', redirect_urls: [REDIRECT]});
        const pub =
            await createClient(gh, {client_type: 'third_party_public', redirect_urls: [REDIRECT]});
        const basic = [conf.client_id, conf.client_secret];
        let statuses = [];
        for (let i = 0; i < 4; i++) {
          statuses.push(
              (await tokenRequest(gh, {grant_type: 'refresh_token', refresh_token: 'x'}, {basic}))
                  .status);
        }
        assert.deepEqual(
            statuses, [400, 400, 400, 429], 'three answered (invalid_grant), the fourth limited');
        // Anyone can send a public client's id, so public clients are limited per address only.
        for (let i = 0; i < 5; i++) {
          const t = await publicClientTokens(gh, {client: pub, user});
          assert.ok(t.access_token, `public client flow ${i}`);
        }
      });

  test('introspection: limited per address and per calling client', async () => {
    const gh = await start({GATEHOUSE_INTROSPECTION_LIMIT_PER_CLIENT_PER_MINUTE: '2'});
    const rs1 = await createClient(gh, {client_type: 'first_party', redirect_urls: [REDIRECT]});
    const rs2 = await createClient(gh, {client_type: 'first_party', redirect_urls: [REDIRECT]});
    const introspect = (c) =>
        fetch(`${gh.url}/v1/oauth2/introspect`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization:
                'Basic ' + Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')
          },
          body: 'token=not-a-token',
        }).then(async (r) => ({status: r.status, headers: r.headers, text: await r.text()}));
    assert.equal((await introspect(rs1)).status, 200);
    assert.equal((await introspect(rs1)).status, 200);
    const refused = await introspect(rs1);
    assertTooMany(refused, 'third introspection');
    assert.equal(JSON.parse(refused.text).error, 'too_many_requests');
    assert.equal((await introspect(rs2)).status, 200);

    const perAddress = await start({GATEHOUSE_INTROSPECTION_LIMIT_PER_ADDRESS_PER_MINUTE: '1'});
    const rs =
        await createClient(perAddress, {client_type: 'first_party', redirect_urls: [REDIRECT]});
    const call = () => fetch(`${perAddress.url}/v1/oauth2/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
            'Basic ' + Buffer.from(`${rs.client_id}:${rs.client_secret}`).toString('base64')
      },
      body: 'token=x',
    });
    assert.equal((await call()).status, 200);
    assert.equal((await call()).status, 429);
  });

  test(
      'registration: the address limit, and the cap on dynamically registered clients',
      async () => {
        const gh = await start({GATEHOUSE_REGISTRATION_LIMIT_PER_ADDRESS_PER_MINUTE: '2'});
        assert.equal((await register(gh, {client_name: 'a'})).status, 201);
        assert.equal((await register(gh, {client_name: 'b'})).status, 201);
        assertTooMany(await register(gh, {client_name: 'c'}), 'third registration');

        const capped = await start({GATEHOUSE_MAX_DYNAMIC_CLIENTS: '2'});
        const before = (await capped.api('POST', '/v1/connected_apps/clients/search', {}))
                           .json.results_metadata.total;
        assert.equal((await register(capped, {client_name: 'one'})).status, 201);
        assert.equal((await register(capped, {client_name: 'two'})).status, 201);
        const full = await register(capped, {client_name: 'three'});
        assert.equal(full.status, 429, full.text);
        assert.match(JSON.parse(full.text).error_description, /limit of 2/);
        // The same public registration again adds no client and is still served.
        assert.equal((await register(capped, {client_name: 'one'})).status, 201);
        const after = (await capped.api('POST', '/v1/connected_apps/clients/search', {}))
                          .json.results_metadata.total;
        assert.equal(after, before + 2);
      });

  test(
      'trusted proxies: X-Forwarded-For names the client only when the peer is trusted',
      async () => {
        const trusted = await start({
          GATEHOUSE_TOKEN_LIMIT_PER_ADDRESS_PER_MINUTE: '2',
          GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1, ::1'
        });
        const c = await m2mClient(trusted);
        const from = (ip) => ccGrant(trusted, c, {'x-forwarded-for': `198.51.100.7, ${ip}`});
        assert.equal((await from('203.0.113.1')).status, 200);
        assert.equal((await from('203.0.113.1')).status, 200);
        assertTooMany(await from('203.0.113.1'), 'third request from one forwarded client');
        assert.equal((await from('203.0.113.2')).status, 200, 'another client behind the proxy');

        const untrusted = await start({GATEHOUSE_TOKEN_LIMIT_PER_ADDRESS_PER_MINUTE: '2'});
        const u = await m2mClient(untrusted);
        const spoof = (ip) => ccGrant(untrusted, u, {'x-forwarded-for': ip});
        assert.equal((await spoof('203.0.113.1')).status, 200);
        assert.equal((await spoof('203.0.113.2')).status, 200);
        assertTooMany(await spoof('203.0.113.3'), 'a spoofed header does not buy a new bucket');
      });

  test('an invalid trusted_proxies setting stops start-up with one line', async () => {
    const gh = new GatehouseProcess({env: {GATEHOUSE_TRUSTED_PROXIES: '10.0.0.0/99'}});
    await assert.rejects(
        gh.start(), /trusted_proxies: not an IP address or CIDR range: 10\.0\.0\.0\/99/);
    await gh.stop().catch(() => {});
  });
});

for (const engine of engines()) {
  describe(`login throttling shared by every process (${engine})`, () => {
    let a, b;
    before(async () => {
      const env = {
        ...NO_LIMITS,
        GATEHOUSE_LOGIN_MAX_FAILURES: '3',
        GATEHOUSE_LOGIN_LOCKOUT_SECONDS: '2',
        GATEHOUSE_LOGIN_MAX_LOCKOUT_SECONDS: '4'
      };
      a = await new GatehouseProcess({engine, env}).start();
      b = await new GatehouseProcess({engine, env, databaseUrl: a.databaseUrl}).start();
      b.projectId = a.projectId;
      b.projectSecret = a.projectSecret;
    });
    after(async () => {
      await b?.stop();
      await a?.stop();
    });

    const login = (gh, email, password) =>
        gh.api('POST', '/v1/passwords/authenticate', {email, password});

    test(
        'failures on two processes lock the account; the lock ends and success clears it',
        async () => {
          const user = await createUser(a, {password: PASSWORD});
          assert.equal((await login(a, user.email, 'wrong-1-password')).status, 401);
          assert.equal((await login(b, user.email, 'wrong-2-password')).status, 401);
          assert.equal((await login(a, user.email, 'wrong-3-password')).status, 401);
          // Locked everywhere, even with the right password.
          for (const gh of [a, b]) {
            const r = await login(gh, user.email, PASSWORD);
            assert.equal(r.status, 429, r.text);
            assert.equal(r.json.error_type, 'too_many_requests');
            const retry = Number(r.headers.get('retry-after'));
            assert.ok(retry >= 1 && retry <= 2, `Retry-After ${retry}`);
          }
          await new Promise((ok) => setTimeout(ok, 2100));
          // One more failure after the lock doubles it (4 s, the configured maximum).
          assert.equal((await login(b, user.email, 'wrong-4-password')).status, 401);
          const relocked = await login(a, user.email, PASSWORD);
          assert.equal(relocked.status, 429);
          assert.ok(
              Number(relocked.headers.get('retry-after')) >= 3,
              relocked.headers.get('retry-after'));
          await new Promise((ok) => setTimeout(ok, 4100));
          const ok = await login(a, user.email, PASSWORD);
          assert.equal(ok.status, 200, ok.text);
          // Success cleared the count: a new failure does not lock.
          assert.equal((await login(b, user.email, 'wrong-5-password')).status, 401);
          assert.equal((await login(b, user.email, PASSWORD)).status, 200);
        });

    test('an unknown email is throttled exactly like a known one', async () => {
      const ghost = `nobody-${randomBytes(4).toString('hex')}@example.com`;
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await login(i % 2 ? a : b, ghost, `guess-${i}-password`)).status);
      assert.deepEqual(statuses, [401, 401, 401, 429]);
    });
  });
}

describe('the hosted login page', () => {
  let gh, client, user;
  before(async () => {
    gh = await new GatehouseProcess({
           env: {
             ...NO_LIMITS,
             GATEHOUSE_LOGIN_LIMIT_PER_ADDRESS_PER_MINUTE: '3',
             GATEHOUSE_LOGIN_MAX_FAILURES: '2',
             GATEHOUSE_LOGIN_LOCKOUT_SECONDS: '60'
           }
         }).start();
    client = await createClient(gh, {client_type: 'third_party', redirect_urls: [REDIRECT]});
    user = await createUser(gh, {password: PASSWORD});
  });
  after(async () => {
    await gh?.stop();
  });

  async function attempt(email, password) {
    const jar = new CookieJar();
    const {challenge} = pkcePair();
    const page = await authorizeGet(gh, [
      ['response_type', 'code'], ['client_id', client.client_id], ['redirect_uri', REDIRECT],
      ['scope', 'openid'], ['state', 's'], ['code_challenge', challenge],
      ['code_challenge_method', 'S256']
    ]);
    assert.equal(page.status, 200, page.text.slice(0, 200));
    jar.take(page.headers);
    return postForm(
        `${gh.issuer}/oauth2/login`, {
          csrf: hiddenField(page.text, 'csrf'),
          pending: hiddenField(page.text, 'pending'),
          email,
          password
        },
        {cookie: jar.header()});
  }

  test(
      'a throttled account and a busy address each get a 429 page saying how long to wait',
      async () => {
        assert.equal((await attempt(user.email, 'wrong-password-1')).status, 401);
        assert.equal((await attempt(user.email, 'wrong-password-2')).status, 401);
        const locked = await attempt(user.email, PASSWORD);
        assert.equal(locked.status, 429);
        assert.match(
            locked.text,
            /Too many sign-in attempts\. Wait (1 minute|\d+ seconds), then try again\./);
        assert.ok(Number(locked.headers.get('retry-after')) >= 1);
        assert.equal(locked.location, null, 'nobody is signed in or redirected');
        // The address has now used its 3 attempts a minute.
        const busy = await attempt('someone@example.com', 'whatever-password');
        assert.equal(busy.status, 429);
        const wait = Number(busy.headers.get('retry-after'));
        assert.ok(wait >= 15 && wait <= 20, `one attempt every 20 s: Retry-After ${wait}`);
        assert.match(busy.text, new RegExp(`Wait ${wait} seconds`));
      });
});

describe('maximum field sizes', () => {
  let gh, conf;
  before(async () => {
    gh = await new GatehouseProcess({env: NO_LIMITS}).start();
    conf = await createClient(gh, {client_type: 'third_party', redirect_urls: [REDIRECT]});
  });
  after(async () => {
    await gh?.stop();
  });

  const long = (n) => 'x'.repeat(n);
  async function count(path, body = {}) {
    const r = await gh.api('POST', path, body);
    assert.equal(r.status, 200, r.text);
    return r.json.results_metadata?.total ?? r.json.results?.length;
  }

  test(
      'management API: an oversized field is refused with 400 naming it, and nothing is stored',
      async () => {
        const clientsBefore = await count('/v1/connected_apps/clients/search');
        const refusals = [
          [
            '/v1/connected_apps/clients',
            {client_type: 'third_party', client_name: long(257), redirect_urls: [REDIRECT]},
            /client_name is longer than 256 bytes/
          ],
          [
            '/v1/connected_apps/clients', {
              client_type: 'third_party',
              client_name: 'n',
              client_description: long(2049),
              redirect_urls: [REDIRECT]
            },
            /client_description is longer than 2048 bytes/
          ],
          [
            '/v1/connected_apps/clients', {
              client_type: 'third_party',
              client_name: 'n',
              redirect_urls: [`${REDIRECT}/${long(2100)}`]
            },
            /redirect_urls is longer than 2048 bytes/
          ],
          [
            '/v1/connected_apps/clients', {
              client_type: 'third_party',
              client_name: 'n',
              redirect_urls: Array.from({length: 101}, (_, i) => `${REDIRECT}${i}`)
            },
            /redirect_urls has more than 100 items/
          ],
          [
            '/v1/connected_apps/clients', {
              client_type: 'third_party',
              client_name: 'n',
              redirect_urls: [REDIRECT],
              access_token_template_content: {a: long(9000)}
            },
            /access_token_template_content is larger than 8192 bytes/
          ],
          [
            '/v1/connected_apps/clients', {
              client_type: 'third_party',
              client_name: 'n',
              redirect_urls: [REDIRECT],
              unknown_field: long(1025)
            },
            /unknown_field is longer than 1024 bytes/
          ],
          ['/v1/users', {email: `${long(250)}@example.com`}, /email is longer than 254 bytes/],
          [
            '/v1/users', {email: 'a@example.com', name: {first_name: long(257)}},
            /first_name is longer than 256 bytes/
          ],
          [
            '/v1/users', {email: 'b@example.com', external_id: long(300)},
            /external_id is longer than 256 bytes/
          ],
          [
            '/v1/m2m/clients', {client_name: long(300), scopes: ['read']},
            /client_name is longer than 256 bytes/
          ],
          [
            '/v1/m2m/clients',
            {client_name: 'w', scopes: Array.from({length: 1001}, (_, i) => `s${i}`)},
            /scopes has more than 1000 items/
          ],
          [
            '/v1/organizations', {organization_name: long(257), organization_slug: 'acme'},
            /organization_name is longer than 256 bytes/
          ],
        ];
        for (const [path, body, message] of refusals) {
          const r = await gh.api('POST', path, body);
          assert.equal(r.status, 400, `${path}: ${r.status} ${r.text.slice(0, 200)}`);
          assert.equal(r.json.error_type, 'bad_request');
          assert.match(r.json.error_message, message);
        }
        assert.equal(await count('/v1/connected_apps/clients/search'), clientsBefore);
        assert.equal(await count('/v1/users/search'), 0, 'no user was created');
        assert.equal(await count('/v1/m2m/clients/search'), 0, 'no M2M client was created');
        assert.equal(await count('/v1/organizations/search'), 0, 'no organization was created');
        // At the limit is fine.
        const atLimit = await gh.api(
            'POST', '/v1/connected_apps/clients',
            {client_type: 'third_party', client_name: long(256), redirect_urls: [REDIRECT]});
        assert.equal(atLimit.status, 200, atLimit.text);
      });

  test('registration: oversized metadata is invalid_client_metadata', async () => {
    const r = await register(gh, {client_name: long(2049)});
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.text).error, 'invalid_client_metadata');
  });

  test('protocol parameters: the token endpoint and /authorize bound every value', async () => {
    const t = await tokenRequest(
        gh, {grant_type: 'authorization_code', code: long(9000), client_id: conf.client_id});
    assert.equal(t.status, 400);
    assert.equal(t.json.error, 'invalid_request');
    assert.match(t.json.error_description, /code is longer than 8192 bytes/);

    const {challenge} = pkcePair();
    const base = [
      ['response_type', 'code'], ['client_id', conf.client_id], ['redirect_uri', REDIRECT],
      ['scope', 'openid'], ['code_challenge', challenge], ['code_challenge_method', 'S256']
    ];
    const bigState = await authorizeGet(gh, [...base, ['state', long(2049)]]);
    assert.equal(bigState.status, 302, bigState.text.slice(0, 200));
    const loc = new URL(bigState.location);
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.equal(loc.searchParams.get('state'), null, 'an oversized state is not echoed');
    assert.ok(bigState.location.length < 1000);
    const bigNonce = await authorizeGet(gh, [...base, ['state', 's'], ['nonce', long(513)]]);
    assert.equal(new URL(bigNonce.location).searchParams.get('error'), 'invalid_request');
    const resources =
        Array.from({length: 11}, (_, i) => ['resource', `https://api${i}.example.com/`]);
    const tooMany = await authorizeGet(gh, [...base, ['state', 's'], ...resources]);
    assert.equal(new URL(tooMany.location).searchParams.get('error'), 'invalid_target');
    // A hint beyond its size is dropped, not an error: the login page is shown.
    const hint = await authorizeGet(gh, [...base, ['state', 's'], ['login_hint', long(600)]]);
    assert.equal(hint.status, 200);
    assert.ok(!hint.text.includes(long(600)));
  });
});
