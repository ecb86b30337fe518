// RFC 9700 section 4 as an end-to-end attack suite against the real binary, on every engine. Each
// test is one attack with the refusal it must meet (status and error code); the run ends with a
// count of attacks tried and refused. The user's side of /authorize is played either by raw
// requests (never following redirects) or by the headless authorization API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { pkcePair, createUser, createClient, headlessCode, tokenRequest } from './lib/flow.mjs';
import {
  assertSafeDescription, authorizeGet, rawGet, assertErrorPage, assertFrameHeaders,
  assertRedirectError, CookieJar, hiddenField, postForm, userinfo, decodeJwt, hs256,
  rs256Attacker, publicKeyMaterials, b64urlJson,
} from './lib/attack_support.mjs';

const REDIRECT = 'https://app.example.com/cb';
const PASSWORD = 'correct horse battery staple';
const counts = { tried: 0, refused: 0 };

// One attack: counted as tried, and as refused when every refusal assertion held.
function attack(name, fn) {
  test(name, async () => {
    counts.tried += 1;
    await fn();
    counts.refused += 1;
  });
}

after(() => {
  console.log(`# attacks tried: ${counts.tried}, refused: ${counts.refused}`);
});

for (const engine of engines()) {
  describe(`RFC 9700 attacks (${engine})`, () => {
    let gh;
    let user;
    let confA, confB, pubA, pubB, native;

    before(async () => {
      gh = await new GatehouseProcess({ engine, env: { GATEHOUSE_CIMD: 'true', GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'false' } }).start();
      user = await createUser(gh, { password: PASSWORD });
      confA = await createClient(gh, { client_type: 'third_party', client_name: 'Conf A', redirect_urls: [REDIRECT] });
      confB = await createClient(gh, { client_type: 'third_party', client_name: 'Conf B', redirect_urls: [REDIRECT] });
      pubA = await createClient(gh, { client_type: 'third_party_public', client_name: 'Pub A', redirect_urls: [REDIRECT] });
      pubB = await createClient(gh, { client_type: 'third_party_public', client_name: 'Pub B', redirect_urls: [REDIRECT] });
      native = await createClient(gh, { client_type: 'third_party_public', client_name: 'Native',
        redirect_urls: ['http://127.0.0.1/cb', 'http://[::1]/cb'] });
    });
    after(async () => { await gh?.stop(); });

    const conf = (c) => ({ basic: [c.client_id, c.client_secret] });
    async function expectTokenError(params, opts, status, error) {
      const r = await tokenRequest(gh, params, opts);
      assert.equal(r.status, status, r.text);
      assert.equal(r.json?.error, error, r.text);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assertSafeDescription(r.json);
      return r;
    }
    async function redeem(client, code, verifier, redirect_uri = REDIRECT) {
      const params = { grant_type: 'authorization_code', code, redirect_uri };
      if (verifier) params.code_verifier = verifier;
      if (!client.client_secret) params.client_id = client.client_id;
      return tokenRequest(gh, params, client.client_secret ? conf(client) : {});
    }
    function authPairs(client, extra = []) {
      const { challenge } = pkcePair();
      return [['response_type', 'code'], ['client_id', client.client_id], ['redirect_uri', REDIRECT],
        ['scope', 'openid'], ['state', 'st'], ['code_challenge', challenge],
        ['code_challenge_method', 'S256'], ...extra];
    }

    // --- Authorization code injection and reuse -------------------------------------------------
    attack('code injection: a code issued to confidential client A redeemed by client B', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: confA, user, challenge });
      await expectTokenError({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        conf(confB), 400, 'invalid_grant');
      // The victim still redeems it: the attacker's attempt did not burn the code.
      const ok = await redeem(confA, code, verifier);
      assert.equal(ok.status, 200, ok.text);
    });

    attack('code injection: a public client\'s code redeemed under another public client_id', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: pubA, user, challenge });
      await expectTokenError({ grant_type: 'authorization_code', code, client_id: pubB.client_id,
        redirect_uri: REDIRECT, code_verifier: verifier }, {}, 400, 'invalid_grant');
    });

    attack('code injection: a code redeemed with another PKCE verifier', async () => {
      const { challenge } = pkcePair();
      const other = pkcePair();
      const { code } = await headlessCode(gh, { client: pubA, user, challenge });
      await expectTokenError({ grant_type: 'authorization_code', code, client_id: pubA.client_id,
        redirect_uri: REDIRECT, code_verifier: other.verifier }, {}, 400, 'invalid_grant');
    });

    attack('code injection: a code redeemed with another redirect_uri', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: pubA, user, challenge });
      await expectTokenError({ grant_type: 'authorization_code', code, client_id: pubA.client_id,
        redirect_uri: 'https://evil.example/cb', code_verifier: verifier }, {}, 400, 'invalid_grant');
    });

    attack('code reuse: the second redemption fails and the first one\'s tokens die', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: confA, user, challenge });
      const first = await redeem(confA, code, verifier);
      assert.equal(first.status, 200, first.text);
      assert.ok(first.json.refresh_token);
      assert.equal((await userinfo(gh, first.json.access_token)).status, 200);
      const second = await redeem(confA, code, verifier);
      assert.equal(second.status, 400);
      assert.equal(second.json.error, 'invalid_grant');
      await expectTokenError({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token },
        conf(confA), 400, 'invalid_grant');
      assert.equal((await userinfo(gh, first.json.access_token)).status, 401);
    });

    // --- PKCE downgrade ---------------------------------------------------------------------------
    attack('PKCE downgrade: a code requested with S256 redeemed without a verifier', async () => {
      const { challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: confA, user, challenge });
      await expectTokenError({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
        conf(confA), 400, 'invalid_grant');
    });

    attack('PKCE downgrade: a confidential code without challenge redeemed with a verifier', async () => {
      const { code } = await headlessCode(gh, { client: confA, user });
      await expectTokenError({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT,
        code_verifier: pkcePair().verifier }, conf(confA), 400, 'invalid_grant');
    });

    attack('PKCE downgrade: a public client asking without a challenge is refused', async () => {
      const pairs = authPairs(pubA).filter(([k]) => !k.startsWith('code_challenge'));
      const r = await authorizeGet(gh, pairs);
      assertRedirectError(r, { registered: REDIRECT, error: 'invalid_request', issuer: gh.issuer, state: 'st' });
      // Headless: start takes no challenge (Stytch's shape); submit, which issues the code, refuses.
      const headless = await gh.api('POST', '/v1/idp/oauth/authorize', {
        client_id: pubA.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid',
        user_id: user.user_id, consent_granted: true, state: 'st' });
      assert.equal(headless.status, 200, headless.text);
      assert.ok(!headless.json.authorization_code, headless.text);
      assert.equal(new URL(headless.json.redirect_uri).searchParams.get('error'), 'invalid_request', headless.text);
    });

    attack('PKCE: code_challenge_method=plain is refused with invalid_request', async () => {
      const { verifier } = pkcePair();
      const pairs = authPairs(confA).filter(([k]) => !k.startsWith('code_challenge'))
        .concat([['code_challenge', verifier], ['code_challenge_method', 'plain']]);
      const r = await authorizeGet(gh, pairs);
      assertRedirectError(r, { registered: REDIRECT, error: 'invalid_request', issuer: gh.issuer, state: 'st' });
      const headless = await gh.api('POST', '/v1/idp/oauth/authorize', {
        client_id: confA.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid',
        user_id: user.user_id, consent_granted: true, code_challenge: verifier, code_challenge_method: 'plain' });
      const refused = headless.status === 400 ||
        new URL(headless.json.redirect_uri).searchParams.get('error') === 'invalid_request';
      assert.ok(refused, headless.text);
      assert.ok(!headless.json?.authorization_code, headless.text);
    });

    attack('PKCE: a low-entropy verifier is refused even when its hash matches', async () => {
      const { createHash } = await import('node:crypto');
      for (const verifier of ['abc', 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`]) {
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        const { code } = await headlessCode(gh, { client: pubA, user, challenge });
        const r = await redeem(pubA, code, verifier);
        assert.equal(r.status, 400, `${verifier.length}: ${r.text}`);
        assert.ok(['invalid_grant', 'invalid_request'].includes(r.json.error), r.text);
      }
    });

    attack('client confusion: Basic credentials of A with client_id of B in the body', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: confB, user, challenge });
      const r = await tokenRequest(gh, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT,
        code_verifier: verifier, client_id: confB.client_id }, conf(confA));
      assert.ok(r.status === 400 || r.status === 401, r.text);
      assert.ok(['invalid_request', 'invalid_client', 'invalid_grant'].includes(r.json.error), r.text);
      assert.equal(r.json.access_token, undefined);
    });

    // --- Redirect URI manipulation ----------------------------------------------------------------
    const BAD_REDIRECTS = [
      'https://app.example.com.evil.com/cb',
      'https://evil.app.example.com/cb',
      'https://app.example.com@evil.com/cb',
      'https://app.example.com%2F@evil.com/cb',
      'https://app.example.com/cb%2F..%2Fevil',
      'https://app.example.com/%2e%2e/cb',
      'https://app.example.com/cb/../evil',
      'https://app.example.com/cb/./',
      'https://app.example.com/cb?x=1',
      'https://app.example.com/cb#frag',
      'https://app.example.com:8443/cb',
      'http://app.example.com/cb',
      'https://APP.example.com/cb',
      'https://app.example.com/cb/',
      'https://app.example.com/CB',
      'https://app.example.com/c%62',
      'javascript:alert(1)//https://app.example.com/cb',
      'https://app.example.com\\@evil.com/cb',
      'https://app.example.com%00.evil.com/cb',
      '//evil.com/cb',
    ];
    for (const bad of BAD_REDIRECTS) {
      attack(`redirect_uri manipulation at /oauth2/authorize: ${bad}`, async () => {
        const pairs = authPairs(confA).map(([k, v]) => (k === 'redirect_uri' ? [k, bad] : [k, v]));
        const r = await authorizeGet(gh, pairs);
        assertErrorPage(r, bad);
        assert.ok(!r.text.includes('evil.com/cb'), 'the page must not offer the attacker URL as a link');
      });
      attack(`redirect_uri manipulation at the headless API: ${bad}`, async () => {
        for (const path of ['/v1/idp/oauth/authorize/start', '/v1/idp/oauth/authorize']) {
          const r = await gh.api('POST', path, {
            client_id: confA.client_id, redirect_uri: bad, response_type: 'code', scope: 'openid',
            state: 'st', user_id: user.user_id, consent_granted: true });
          assert.equal(r.status, 400, `${path}: ${r.text}`);
          assert.equal(r.json?.redirect_uri, undefined, r.text);
        }
      });
    }

    attack('loopback redirect: any port for 127.0.0.1 and [::1], but the path must match', async () => {
      for (const [good, bad] of [['http://127.0.0.1:49152/cb', 'http://127.0.0.1:49152/other'],
        ['http://[::1]:61000/cb', 'http://[::1]:61000/cb/x'],
        ['http://127.0.0.1/cb', 'http://127.0.0.1:1/cb?x=1']]) {
        const ok = await gh.api('POST', '/v1/idp/oauth/authorize', {
          client_id: native.client_id, redirect_uri: good, response_type: 'code', scope: 'openid',
          state: 'st', user_id: user.user_id, consent_granted: true, code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256' });
        assert.equal(ok.status, 200, `${good}: ${ok.text}`);
        assert.ok(ok.json.redirect_uri.startsWith(`${good}?`), ok.json.redirect_uri);
        const pairs = authPairs(native).map(([k, v]) => (k === 'redirect_uri' ? [k, bad] : [k, v]));
        assertErrorPage(await authorizeGet(gh, pairs), bad);
        const refused = await gh.api('POST', '/v1/idp/oauth/authorize/start', {
          client_id: native.client_id, redirect_uri: bad, response_type: 'code', scope: 'openid',
          user_id: user.user_id, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
        assert.equal(refused.status, 400, `${bad}: ${refused.text}`);
      }
      // A port change is not allowed on a non-loopback host that resembles loopback.
      const pairs = authPairs(native).map(([k, v]) => (k === 'redirect_uri' ? [k, 'http://127.0.0.1.evil.example:80/cb'] : [k, v]));
      assertErrorPage(await authorizeGet(gh, pairs), '127.0.0.1.evil.example');
    });

    // --- Open redirect through error paths --------------------------------------------------------
    attack('open redirect: an unknown client with an attacker redirect_uri gets a page', async () => {
      for (const pairs of [
        [['response_type', 'token'], ['client_id', 'connected-app-test-nope'], ['redirect_uri', 'https://evil.com/cb']],
        [['response_type', 'code'], ['client_id', ''], ['redirect_uri', 'https://evil.com/cb']],
        [['redirect_uri', 'https://evil.com/cb'], ['prompt', 'none']],
      ]) {
        assertErrorPage(await authorizeGet(gh, pairs), JSON.stringify(pairs));
      }
    });

    attack('open redirect: a valid client with an unregistered redirect_uri and a bad request gets a page', async () => {
      const r = await authorizeGet(gh, [['response_type', 'token'], ['client_id', confA.client_id],
        ['redirect_uri', 'https://evil.com/cb'], ['prompt', 'none']]);
      assertErrorPage(r, 'unregistered redirect with errors');
    });

    attack('open redirect: a valid client\'s errors go only to its registered URI', async () => {
      const r = await authorizeGet(gh, authPairs(confA, [['prompt', 'none']]));
      assertRedirectError(r, { registered: REDIRECT, error: 'login_required', issuer: gh.issuer, state: 'st' });
    });

    // --- Mix-up: iss on every authorization response -----------------------------------------------
    attack('mix-up: success and error authorization responses all carry iss', async () => {
      const { redirect } = await headlessCode(gh, { client: confA, user, challenge: pkcePair().challenge, state: 's1' });
      assert.equal(redirect.searchParams.get('iss'), gh.issuer);
      assert.equal(redirect.searchParams.get('state'), 's1');
      const denied = await gh.api('POST', '/v1/idp/oauth/authorize', {
        client_id: confA.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid',
        state: 's2', user_id: user.user_id, consent_granted: false });
      assert.equal(new URL(denied.json.redirect_uri).searchParams.get('iss'), gh.issuer);
      for (const extra of [[['prompt', 'none']], [['code_challenge_method', 'plain']],
        [['response_type', 'token']]]) {
        const pairs = authPairs(confA).filter(([k]) => !extra.some(([e]) => e === k)).concat(extra);
        const r = await authorizeGet(gh, pairs);
        assert.ok(r.status === 302 || r.status === 303, `${JSON.stringify(extra)}: ${r.status}`);
        const loc = new URL(r.location);
        assert.ok(loc.searchParams.get('error'), r.location);
        assert.equal(loc.searchParams.get('iss'), gh.issuer);
      }
      const meta = await (await fetch(`${gh.url}/.well-known/openid-configuration`)).json();
      assert.equal(meta.authorization_response_iss_parameter_supported, true);
      assert.equal(meta.issuer, gh.issuer);
    });

    // --- CSRF and clickjacking on the hosted pages --------------------------------------------------
    async function openLogin(jar, client = confA) {
      const r = await authorizeGet(gh, authPairs(client, [['prompt', 'consent']]).map(([k, v]) =>
        (k === 'scope' ? [k, 'openid profile'] : [k, v])), { cookie: jar.header() });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      jar.take(r.headers);
      assertFrameHeaders(r.headers, 'login page');
      return { csrf: hiddenField(r.text, 'csrf'), pending: hiddenField(r.text, 'pending') };
    }

    attack('CSRF: login posts without or with a wrong token are 403 and sign nobody in', async () => {
      const jar = new CookieJar();
      const { csrf, pending } = await openLogin(jar);
      assert.ok(csrf && pending);
      const wrong = randomBytes(32).toString('base64url');
      for (const [fields, cookie] of [
        [{ pending, email: user.email, password: PASSWORD }, jar.header()],
        [{ csrf: wrong, pending, email: user.email, password: PASSWORD }, jar.header()],
        [{ csrf, pending, email: user.email, password: PASSWORD }, undefined],
        [{ csrf: wrong, pending, email: user.email, password: PASSWORD }, `gatehouse_csrf=${wrong}`],
      ]) {
        const r = await postForm(`${gh.issuer}/oauth2/login`, fields, { cookie });
        assert.equal(r.status, 403, JSON.stringify(fields));
        assert.equal(r.location, null);
        assert.deepEqual(r.headers.getSetCookie().filter((c) => !c.startsWith('gatehouse_csrf')), []);
        assertFrameHeaders(r.headers, 'csrf refusal');
      }
    });

    attack('CSRF: consent posts without or with a wrong token are 403 and grant nothing', async () => {
      const jar = new CookieJar();
      const { csrf, pending } = await openLogin(jar, confB);
      const login = await postForm(`${gh.issuer}/oauth2/login`,
        { csrf, pending, email: user.email, password: PASSWORD }, { cookie: jar.header() });
      assert.equal(login.status, 303, login.text.slice(0, 300));
      jar.take(login.headers);
      const consent = await rawGet(new URL(login.location, gh.issuer).href, { cookie: jar.header() });
      assert.equal(consent.status, 200, consent.text.slice(0, 300));
      assertFrameHeaders(consent.headers, 'consent page');
      jar.take(consent.headers);
      const cp = hiddenField(consent.text, 'pending');
      const cc = hiddenField(consent.text, 'csrf');
      assert.ok(cp && cc);
      const wrong = randomBytes(32).toString('base64url');
      for (const [fields, cookie] of [
        [{ pending: cp, decision: 'allow' }, jar.header()],
        [{ csrf: wrong, pending: cp, decision: 'allow' }, jar.header()],
        [{ csrf: cc, pending: cp, decision: 'allow' }, jar.header().replace(/gatehouse_csrf=[^;]*/, `gatehouse_csrf=${wrong}`)],
      ]) {
        const r = await postForm(`${gh.issuer}/oauth2/consent`, fields, { cookie });
        assert.equal(r.status, 403, JSON.stringify(fields));
        assert.equal(r.location, null);
      }
      const start = await gh.api('POST', '/v1/idp/oauth/authorize/start', {
        client_id: confB.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile',
        user_id: user.user_id });
      assert.equal(start.status, 200, start.text);
      assert.equal(start.json.consent_required, true, 'a refused consent post must not record consent');
      // The genuine post still works, so the refusals above were about the token alone.
      const ok = await postForm(`${gh.issuer}/oauth2/consent`, { csrf: cc, pending: cp, decision: 'allow' }, { cookie: jar.header() });
      assert.ok(ok.status === 302 || ok.status === 303, `${ok.status}`);
      assert.ok(ok.location.startsWith(`${REDIRECT}?`), ok.location);
    });

    attack('clickjacking: every hosted page forbids framing', async () => {
      const pages = [
        await authorizeGet(gh, authPairs(confA)),
        await authorizeGet(gh, [['client_id', 'nope']]),
        await rawGet(`${gh.issuer}/oauth2/logout`),
        await rawGet(`${gh.issuer}/oauth2/logout?client_id=${confA.client_id}&post_logout_redirect_uri=https://evil.com/`),
        await rawGet(`${gh.issuer}/oauth2/authorize/resume?pending=x`),
        await postForm(`${gh.issuer}/oauth2/login`, { csrf: 'x' }),
      ];
      for (const p of pages) {
        if (p.location) continue;  // a redirect is not a page
        assertFrameHeaders(p.headers, `page ${p.status}: ${p.text.slice(0, 80)}`);
      }
    });

    // --- Refresh tokens -----------------------------------------------------------------------------
    async function publicTokens(client) {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client, user, challenge });
      const t = await redeem(client, code, verifier);
      assert.equal(t.status, 200, t.text);
      return t.json;
    }

    attack('refresh replay: reusing a rotated-out public refresh token revokes the family', async () => {
      const first = await publicTokens(pubA);
      const refresh = (rt) => tokenRequest(gh, { grant_type: 'refresh_token', refresh_token: rt, client_id: pubA.client_id });
      const second = await refresh(first.refresh_token);
      assert.equal(second.status, 200, second.text);
      assert.notEqual(second.json.refresh_token, first.refresh_token);
      // A single retry inside the grace window may be honoured; the next one is a replay.
      await refresh(first.refresh_token);
      const replay = await refresh(first.refresh_token);
      assert.equal(replay.status, 400, replay.text);
      assert.equal(replay.json.error, 'invalid_grant');
      const latest = await refresh(second.json.refresh_token);
      assert.equal(latest.status, 400, 'the whole family is revoked');
      assert.equal(latest.json.error, 'invalid_grant');
      assert.equal((await userinfo(gh, second.json.access_token)).status, 401);
    });

    attack('refresh cross-client: client B presenting A\'s refresh token', async () => {
      const pub = await publicTokens(pubA);
      await expectTokenError({ grant_type: 'refresh_token', refresh_token: pub.refresh_token, client_id: pubB.client_id },
        {}, 400, 'invalid_grant');
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: confA, user, challenge });
      const t = await redeem(confA, code, verifier);
      await expectTokenError({ grant_type: 'refresh_token', refresh_token: t.json.refresh_token },
        conf(confB), 400, 'invalid_grant');
      // The rightful owner is unaffected.
      const own = await tokenRequest(gh, { grant_type: 'refresh_token', refresh_token: pub.refresh_token, client_id: pubA.client_id });
      assert.equal(own.status, 200, own.text);
    });

    // --- Token substitution and forgery at the resource server (userinfo) ---------------------------
    let sample;
    async function sampleTokens() {
      sample ??= await publicTokens(pubA);
      return sample;
    }

    attack('token substitution: an ID token presented as an access token', async () => {
      const t = await sampleTokens();
      assert.equal((await userinfo(gh, t.access_token)).status, 200);
      const r = await userinfo(gh, t.id_token);
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate'), /error="invalid_token"/);
    });

    attack('alg none: an unsigned copy of a real access token', async () => {
      const t = await sampleTokens();
      const { header, payload } = decodeJwt(t.access_token);
      for (const alg of ['none', 'None', 'NONE']) {
        for (const sig of ['', t.access_token.split('.')[2]]) {
          const forged = `${b64urlJson({ ...header, alg })}.${b64urlJson(payload)}.${sig}`;
          assert.equal((await userinfo(gh, forged)).status, 401, `${alg} sig=${sig.length}`);
        }
      }
    });

    attack('algorithm confusion: HS256 keyed with our public key bytes', async () => {
      const t = await sampleTokens();
      const { header, payload } = decodeJwt(t.access_token);
      const jwks = await (await fetch(`${gh.url}/.well-known/jwks.json`)).json();
      let tried = 0;
      for (const jwk of jwks.keys) {
        const keyMaterial = publicKeyMaterials(jwk);
        if (jwk.n) keyMaterial.push(Buffer.from(jwk.n, 'base64url'));
        for (const key of keyMaterial) {
          for (const alg of ['HS256', 'HS384', 'HS512']) {
            const forged = hs256({ ...header, alg, kid: jwk.kid }, payload, key);
            assert.equal((await userinfo(gh, forged)).status, 401, `${alg} with ${String(key).slice(0, 30)}`);
            tried += 1;
          }
        }
      }
      assert.ok(tried > 0);
    });

    attack('kid injection: path, foreign key, SQL, and our kid with a foreign signature', async () => {
      const t = await sampleTokens();
      const { header, payload } = decodeJwt(t.access_token);
      for (const kid of ['../../etc/passwd', 'not-our-key', "' OR '1'='1", "x'; DROP TABLE signing_keys; --",
        '', 'a'.repeat(5000), header.kid]) {
        const r = await userinfo(gh, rs256Attacker({ ...header, kid }, payload));
        assert.equal(r.status, 401, `kid ${kid.slice(0, 40)}`);
      }
      const withJwk = rs256Attacker({ ...header, jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }, payload);
      assert.equal((await userinfo(gh, withJwk)).status, 401);
      assert.equal((await userinfo(gh, t.access_token)).status, 200, 'the real token still works');
    });

    attack('token tampering: a real signature over altered claims', async () => {
      const t = await sampleTokens();
      const [h, , s] = t.access_token.split('.');
      const { payload } = decodeJwt(t.access_token);
      const forged = `${h}.${b64urlJson({ ...payload, sub: 'user-test-someone-else', exp: payload.exp + 3600 })}.${s}`;
      assert.equal((await userinfo(gh, forged)).status, 401);
    });

    // --- Injection and malformed input ---------------------------------------------------------------
    const NASTY = ["' OR '1'='1", '"; DROP TABLE clients; --', "Robert'); DROP TABLE users;--",
      'nul\u0000byte', 'x'.repeat(20000), 'naïve 名前 🚀 \u202egnp.exe', '%00%27%22', '\\\\\\"'];

    attack('SQL injection in management API client fields: refused or stored verbatim', async () => {
      const before = await gh.api('GET', `/v1/connected_apps/clients/${confA.client_id}`);
      for (const value of NASTY) {
        for (const field of ['client_name', 'client_description']) {
          const r = await gh.api('POST', '/v1/connected_apps/clients', {
            client_type: 'third_party', client_name: 'n', [field]: value, redirect_urls: [REDIRECT] });
          assert.ok(r.status < 500, `${field}=${value.slice(0, 30)}: ${r.status} ${r.text.slice(0, 200)}`);
          if (r.status === 200) {
            const read = await gh.api('GET', `/v1/connected_apps/clients/${r.json.connected_app.client_id}`);
            assert.equal(read.status, 200);
            assert.equal(read.json.connected_app[field], value, `${field} read back altered`);
          } else {
            assert.ok(r.status >= 400 && r.status < 500);
          }
        }
        const badUri = await gh.api('POST', '/v1/connected_apps/clients', {
          client_type: 'third_party', client_name: 'n', redirect_urls: [`https://app.example.com/${value}`] });
        assert.ok(badUri.status < 500, `redirect ${value.slice(0, 30)}: ${badUri.status} ${badUri.text.slice(0, 200)}`);
        for (const path of [`/v1/connected_apps/clients/${encodeURIComponent(value)}`, `/v1/users/${encodeURIComponent(value)}`]) {
          const r = await gh.api('GET', path);
          assert.ok(r.status >= 400 && r.status < 500, `${path.slice(0, 60)}: ${r.status}`);
        }
        const search = await gh.api('POST', '/v1/connected_apps/clients/search', { cursor: value, limit: 5 });
        assert.ok(search.status < 500, `search cursor: ${search.status} ${search.text.slice(0, 200)}`);
        const userCreate = await gh.api('POST', '/v1/users', { email: `${randomBytes(3).toString('hex')}@example.com`,
          name: { first_name: value, last_name: value } });
        assert.ok(userCreate.status < 500, `user name: ${userCreate.status} ${userCreate.text.slice(0, 200)}`);
        if (userCreate.status === 200) {
          const read = await gh.api('GET', `/v1/users/${userCreate.json.user.user_id}`);
          assert.equal(read.json.user.name.first_name, value, 'user name read back altered');
        }
        const badEmail = await gh.api('POST', '/v1/users', { email: value });
        assert.ok(badEmail.status >= 400 && badEmail.status < 500, `email: ${badEmail.status}`);
      }
      const afterRead = await gh.api('GET', `/v1/connected_apps/clients/${confA.client_id}`);
      assert.deepEqual(afterRead.json.connected_app, before.json.connected_app);
    });

    attack('SQL injection in DCR fields: refused or stored verbatim', async () => {
      for (const value of NASTY) {
        const r = await fetch(`${gh.url}/v1/oauth2/register`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_name: value, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
        });
        const json = await r.json().catch(() => undefined);
        assert.ok(r.status < 500, `DCR ${value.slice(0, 30)}: ${r.status} ${JSON.stringify(json)?.slice(0, 200)}`);
        if (r.status === 201) {
          assert.equal(json.client_name, value);
          const read = await gh.api('GET', `/v1/connected_apps/clients/${encodeURIComponent(json.client_id)}`);
          assert.equal(read.status, 200, read.text);
          assert.equal(read.json.connected_app.client_name, value, 'DCR client_name read back altered');
        } else {
          assertSafeDescription(json);
        }
        if (r.status === 429) break;
        for (const field of ['scope', 'client_uri', 'logo_uri', 'software_id']) {
          const other = await fetch(`${gh.url}/v1/oauth2/register`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ client_name: 'n', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', [field]: value }),
          });
          assert.ok(other.status < 500, `DCR ${field}: ${other.status}`);
        }
      }
    });

    attack('SQL injection in token and authorize parameters', async () => {
      for (const value of NASTY) {
        for (const params of [
          { grant_type: 'authorization_code', code: value, client_id: pubA.client_id, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier },
          { grant_type: 'authorization_code', code: 'x', client_id: value },
          { grant_type: 'refresh_token', refresh_token: value, client_id: pubA.client_id },
          { grant_type: value, client_id: pubA.client_id },
          { grant_type: 'refresh_token', refresh_token: 'x', client_id: pubA.client_id, scope: value },
        ]) {
          const r = await tokenRequest(gh, params);
          assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(params).slice(0, 80)}: ${r.status}`);
          assert.ok(r.json?.error, r.text.slice(0, 200));
          assertSafeDescription(r.json);
        }
        const badClient = await authorizeGet(gh, authPairs({ client_id: value }));
        if (badClient.status === 431 || badClient.status === 414) {
          // The HTTP layer refuses an oversized request line before any page is chosen.
          assert.equal(badClient.location, null);
          assertSafeDescription(JSON.parse(badClient.text));
        } else {
          assertErrorPage(badClient, `authorize client_id ${value.slice(0, 30)}`);
        }
        const odd = await authorizeGet(gh, authPairs(confA).map(([k, v]) => (k === 'state' ? [k, value] : [k, v]))
          .concat([['nonce', value], ['login_hint', value]]));
        assert.ok(odd.status < 500, `authorize state: ${odd.status}`);
        if (odd.location) assert.ok(odd.location.startsWith(`${REDIRECT}?`), odd.location);
      }
    });

    attack('after the injections the server works and existing clients are intact', async () => {
      assert.equal((await fetch(`${gh.url}/healthz`)).status, 200);
      for (const c of [confA, confB, pubA, pubB]) {
        const r = await gh.api('GET', `/v1/connected_apps/clients/${c.client_id}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.connected_app.client_name, c.client_name);
        assert.deepEqual(r.json.connected_app.redirect_urls, c.redirect_urls);
      }
      await publicTokens(pubB);
    });

    // --- SSRF through Client ID Metadata Documents ----------------------------------------------------
    attack('SSRF via CIMD: client_id URLs at special-use addresses are refused without connecting', async () => {
      const connections = [];
      const listeners = [];
      for (const host of ['127.0.0.1', '::1']) {
        const server = createServer((s) => { connections.push(host); s.destroy(); });
        try {
          await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, host, ok); });
          listeners.push({ server, host, port: server.address().port });
        } catch { /* no IPv6 here */ }
      }
      const targets = ['https://10.0.0.1/client.json', 'https://169.254.169.254/latest/meta-data',
        'https://[::1]/client.json', 'https://127.0.0.1/client.json', 'https://localhost/client.json',
        'https://0.0.0.0/c.json', 'https://[::ffff:127.0.0.1]/c.json', 'https://2130706433/c.json',
        ...listeners.map(({ host, port }) => `https://${host.includes(':') ? `[${host}]` : host}:${port}/client.json`)];
      try {
        for (const client_id of targets) {
          const started = Date.now();
          const r = await authorizeGet(gh, [['response_type', 'code'], ['client_id', client_id],
            ['redirect_uri', 'https://evil.com/cb'], ['scope', 'openid'], ['state', 'st'],
            ['code_challenge', pkcePair().challenge], ['code_challenge_method', 'S256']]);
          assertErrorPage(r, client_id);
          assert.match(r.text, /invalid_client|not be (found|loaded|fetched)|unknown|application/i, client_id);
          assert.ok(Date.now() - started < 3000, `${client_id} took ${Date.now() - started} ms`);
        }
      } finally {
        for (const { server } of listeners) server.close();
      }
      assert.deepEqual(connections, [], 'the server connected to a special-use address');
    });

    // --- Protocol refusals ---------------------------------------------------------------------------
    attack('response_type=token is unsupported_response_type', async () => {
      const pairs = authPairs(confA).map(([k, v]) => (k === 'response_type' ? [k, 'token'] : [k, v]));
      assertRedirectError(await authorizeGet(gh, pairs),
        { registered: REDIRECT, error: 'unsupported_response_type', issuer: gh.issuer, state: 'st' });
    });

    attack('grant_type=password and implicit are unsupported_grant_type', async () => {
      for (const grant_type of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
        await expectTokenError({ grant_type, client_id: pubA.client_id, username: user.email, password: PASSWORD },
          {}, 400, 'unsupported_grant_type');
      }
    });

    attack('repeated parameters are invalid_request', async () => {
      const scopeTwice = authPairs(confA, [['scope', 'openid profile']]);
      const r = await authorizeGet(gh, scopeTwice);
      if (r.location) {
        assertRedirectError(r, { registered: REDIRECT, error: 'invalid_request', issuer: gh.issuer });
      } else {
        assertErrorPage(r, 'repeated scope');
      }
      assertErrorPage(await authorizeGet(gh, authPairs(confA, [['client_id', confB.client_id]])), 'repeated client_id');
      assertErrorPage(await authorizeGet(gh, authPairs(confA, [['redirect_uri', REDIRECT]])), 'repeated redirect_uri');
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client: pubA, user, challenge });
      const body = `grant_type=authorization_code&code=${code}&code=${code}&client_id=${pubA.client_id}` +
        `&redirect_uri=${encodeURIComponent(REDIRECT)}&code_verifier=${verifier}`;
      const t = await fetch(`${gh.url}/v1/oauth2/token`, { method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const json = await t.json();
      assert.equal(t.status, 400);
      assert.equal(json.error, 'invalid_request');
      const twiceGrant = await fetch(`${gh.url}/v1/oauth2/token`, { method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&grant_type=refresh_token&refresh_token=x&client_id=${pubA.client_id}` });
      assert.equal((await twiceGrant.json()).error, 'invalid_request');
    });

    attack('error_description never carries quotes, backslashes or control characters', async () => {
      for (const grant_type of ['pass"word\\', 'a\u0001b', 'é\u007f"']) {
        const r = await tokenRequest(gh, { grant_type, client_id: pubA.client_id });
        assert.equal(r.json.error, 'unsupported_grant_type');
        assertSafeDescription(r.json);
      }
      const r = await tokenRequest(gh, { grant_type: 'authorization_code', code: 'x"\\', client_id: 'a"b\\c' });
      assertSafeDescription(r.json);
      const ui = await userinfo(gh, 'a"b\\c.d"e.f');
      assert.equal(ui.status, 401);
      assert.doesNotMatch(ui.headers.get('www-authenticate').replace(/^Bearer /, '').replace(/(\w+)="[^"\\]*"(, )?/g, ''), /./);
    });
  });
}
