// Issue 14 on the hosted pages, against the real binary: what a black-box probe and a first-time
// user found on /oauth2/authorize, the consent page and /oauth2/logout.
//
//   item 1: a self-registered client (Dynamic Client Registration or a Client ID Metadata
//           Document) cannot turn /oauth2/authorize into an open redirect: before the user has
//           acted, its errors are a page naming the app and the destination, with a link the user
//           may follow; after sign-in and an answer, redirects work as before; clients created
//           through the management API keep RFC 6749 error redirects.
//   item 5: the consent page shows the resources (RFC 8707) by host, marks self-registered apps
//           as unverified, never fetches their logo from a host of their choosing, and shows the
//           app's initial, not a broken image, when a logo does not load (no script: CSS only).
//           Saves desktop and phone screenshots under test-artifacts/ for a person to look at.
//   item 8: RP-initiated logout: a bare GET asks for confirmation (a CSRF-protected POST signs
//           out); id_token_hint counts only with our signature (retired-but-published keys
//           included, expired tokens accepted); post_logout_redirect_uri must be registered;
//           openid-client's buildEndSessionUrl works in a real browser.
//
// Needs openssl (a throw-away CA for the loopback HTTPS asset server) and Chromium at
// /usr/bin/chromium. ID tokens live 60 s here, so the expired-hint test waits for one to expire
// (about a minute and a half after the file starts).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import * as oidc from 'openid-client';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { pkcePair, createUser, createClient, headlessCode, tokenRequest } from './lib/flow.mjs';
import {
  authorizeGet, rawGet, assertErrorPage, assertRedirectError, CookieJar, hiddenField, postForm,
  decodeJwt, rs256Attacker,
} from './lib/attack_support.mjs';
import { makeTestCertificates } from './lib/test_https.mjs';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update'];
const PASSWORD = 'correct horse battery staple';
const EVIL = 'https://evil.example/cb';
const ID_TOKEN_TTL = 60;
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">' +
  '<rect width="96" height="96" rx="20" fill="#0f766e"/><path d="M24 60 L48 24 L72 60 Z" fill="#fff"/>' +
  '<rect x="30" y="64" width="36" height="8" rx="4" fill="#99f6e4"/></svg>';

// Text of an HTML attribute value as the browser reads it.
const unescapeHtml = (s) => s.replaceAll('&#x3D;', '=').replaceAll('&#61;', '=')
  .replaceAll('&#x2F;', '/').replaceAll('&#39;', "'").replaceAll('&apos;', "'").replaceAll('&quot;', '"')
  .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

// Every <a href> of a page, unescaped.
const links = (html) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => unescapeHtml(m[1]));

// The pixels of a screenshot (8-bit RGB or RGBA, non-interlaced PNG, as Chromium writes them):
// { width, height, channels, data } with the scanline filters undone.
function decodePng(png) {
  const chunks = [];
  let width, height, channels;
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.equal(body[8], 8, 'bit depth');
      channels = { 2: 3, 6: 4 }[body[9]];
      assert.ok(channels && body[12] === 0, 'RGB(A), not interlaced');
    } else if (type === 'IDAT') {
      chunks.push(body);
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? data[y * stride + x - channels] : 0;
      const b = y > 0 ? data[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a
        : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
      data[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, channels, data };
}

// The share of pixels that differ visibly (any channel by more than 64) between two screenshots
// of the same size; antialiasing differences stay far below what a drawn icon would cause.
function visibleDifference(a, b) {
  const x = decodePng(a);
  const y = decodePng(b);
  assert.deepEqual([x.width, x.height, x.channels], [y.width, y.height, y.channels]);
  let differing = 0;
  for (let i = 0; i < x.width * x.height; i++) {
    for (let k = 0; k < 3; k++) {
      if (Math.abs(x.data[i * x.channels + k] - y.data[i * y.channels + k]) > 64) {
        differing++;
        break;
      }
    }
  }
  return differing / (x.width * x.height);
}

// A loopback HTTPS server (test CA) for logos and Client ID Metadata Documents; records hits.
async function startAssetServer(tls) {
  const assets = new Map();
  const hits = [];
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url, 'https://127.0.0.1').pathname;
    hits.push(path);
    const asset = assets.get(path);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'max-age=60' });
    res.end(asset.body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { base: `https://127.0.0.1:${server.address().port}`, assets, hits,
    close: () => new Promise((ok) => server.close(ok)) };
}

// A loopback "app": records every request it receives and answers 200.
async function startApp() {
  const hits = [];
  const server = createHttpServer((req, res) => {
    hits.push(new URL(req.url, 'http://127.0.0.1'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>App</title><p>Back at the app.</p>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { hits, base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => server.close(ok)) };
}

for (const engine of engines()) {
  describe(`hardening of the hosted pages (${engine})`, () => {
    let gh;
    let tls;
    let assets;
    let app;
    let browser;
    let user;
    let logoutClient;  // a managed app with a registered post-logout URI (item 8)
    let early;  // its ID token obtained first, for the expired-hint test at the end

    before(async () => {
      tls = makeTestCertificates();
      assets = await startAssetServer(tls);
      app = await startApp();
      gh = await new GatehouseProcess({ engine, env: {
        GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'true',
        GATEHOUSE_CIMD_CA_FILE: tls.caFile,
        GATEHOUSE_ID_TOKEN_TTL_SECONDS: String(ID_TOKEN_TTL),
      } }).start();
      user = await createUser(gh, { password: PASSWORD });
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
        args: CHROMIUM_ARGS });
      logoutClient = await createClient(gh, { client_type: 'third_party_public', client_name: 'Logout App',
        redirect_urls: [`${app.base}/callback`], post_logout_redirect_urls: [`${app.base}/signed-out`] });
      early = await idToken(logoutClient);
    });
    after(async () => {
      await browser?.close();
      await gh?.stop();
      await app?.close();
      await assets?.close();
      tls?.remove();
    });

    async function register(body) {
      const r = await fetch(`${gh.issuer}/v1/oauth2/register`, { method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code'],
          response_types: ['code'], ...body }) });
      const json = await r.json();
      assert.equal(r.status, 201, JSON.stringify(json));
      return json;
    }

    function cimdDocument(body) {
      const path = `/clients/${randomBytes(4).toString('hex')}.json`;
      const client_id = `${assets.base}${path}`;
      assets.assets.set(path, { type: 'application/json', body: JSON.stringify({ client_id,
        token_endpoint_auth_method: 'none', grant_types: ['authorization_code'],
        response_types: ['code'], ...body }) });
      return client_id;
    }

    // An authorization request; `extra` replaces defaults of the same name and adds the rest.
    function authPairs(clientId, redirect, extra = []) {
      const { challenge } = pkcePair();
      const replaced = new Set(extra.map(([k]) => k));
      return [['response_type', 'code'], ['client_id', clientId], ['redirect_uri', redirect],
        ['scope', 'openid'], ['state', 'st-1'], ['code_challenge', challenge],
        ['code_challenge_method', 'S256']].filter(([k]) => !replaced.has(k)).concat(extra);
    }

    // Signs `user` in on the hosted login page without a browser; returns the resumed page.
    async function signIn(jar, pairs) {
      const login = await authorizeGet(gh, pairs, { cookie: jar.header() });
      assert.equal(login.status, 200, login.text.slice(0, 300));
      jar.take(login.headers);
      const posted = await postForm(`${gh.issuer}/oauth2/login`, { csrf: hiddenField(login.text, 'csrf'),
        pending: hiddenField(login.text, 'pending'), email: user.email, password: PASSWORD },
      { cookie: jar.header() });
      assert.equal(posted.status, 303, posted.text.slice(0, 300));
      jar.take(posted.headers);
      const resumed = await rawGet(new URL(posted.location, gh.issuer).href, { cookie: jar.header() });
      jar.take(resumed.headers);
      return resumed;
    }

    // Whether the browser whose cookies `jar` holds is signed in.
    async function signedIn(jar) {
      const r = await rawGet(`${gh.issuer}/account/connected-apps`, { cookie: jar.header() });
      assert.ok(r.status === 200 || r.status === 401, `${r.status}`);
      return r.status === 200;
    }

    // An ID token for `client` and `user` (openid, via the headless API and the token endpoint).
    async function idToken(client) {
      const { verifier, challenge } = pkcePair();
      const { code } = await headlessCode(gh, { client, user, scope: 'openid', challenge,
        nonce: 'n-' + randomBytes(6).toString('hex') });
      const t = await tokenRequest(gh, { grant_type: 'authorization_code', code,
        client_id: client.client_id, redirect_uri: client.redirect_urls[0], code_verifier: verifier });
      assert.equal(t.status, 200, t.text);
      assert.ok(t.json.id_token, t.text);
      return t.json.id_token;
    }

    describe('item 1: self-registered clients get an error page, not a redirect, before the user acts', () => {
      test('DCR client: response_type=bogus shows a page naming the app and the destination', async () => {
        const dcr = await register({ client_name: 'Helpful Agent', redirect_uris: [EVIL] });
        const r = await authorizeGet(gh, [['client_id', dcr.client_id], ['redirect_uri', EVIL],
          ['response_type', 'bogus'], ['state', 'st-1']]);
        assertErrorPage(r, 'response_type=bogus');
        assert.equal(r.status, 400);
        assert.match(r.text, /Helpful Agent/);
        assert.match(r.text, /evil\.example/);
        const back = links(r.text).filter((h) => h.startsWith(`${EVIL}?`));
        assert.equal(back.length, 1, `one link back to the app: ${links(r.text)}`);
        const u = new URL(back[0]);
        assert.equal(u.searchParams.get('error'), 'unsupported_response_type');
        assert.equal(u.searchParams.get('state'), 'st-1');
        assert.equal(u.searchParams.get('iss'), gh.issuer);
      });

      test('DCR client: prompt=none without a session is a page with login_required behind a link', async () => {
        const dcr = await register({ client_name: 'Silent Agent', redirect_uris: [EVIL] });
        const r = await authorizeGet(gh, authPairs(dcr.client_id, EVIL, [['prompt', 'none']]));
        assertErrorPage(r, 'prompt=none');
        assert.match(r.text, /Silent Agent/);
        const u = new URL(links(r.text).find((h) => h.startsWith(`${EVIL}?`)));
        assert.equal(u.searchParams.get('error'), 'login_required');
        assert.equal(u.searchParams.get('state'), 'st-1');
        assert.equal(u.searchParams.get('iss'), gh.issuer);
      });

      test('DCR client: prompt=none with a session but no consent is a page too', async () => {
        const dcr = await register({ client_name: 'Pushy Agent', redirect_uris: [EVIL] });
        const jar = new CookieJar();
        const consent = await signIn(jar, authPairs(dcr.client_id, EVIL));
        assert.equal(consent.status, 200, consent.text.slice(0, 300));
        const r = await authorizeGet(gh, authPairs(dcr.client_id, EVIL, [['prompt', 'none']]),
          { cookie: jar.header() });
        assertErrorPage(r, 'prompt=none with a session');
        const u = new URL(links(r.text).find((h) => h.startsWith(`${EVIL}?`)));
        assert.equal(u.searchParams.get('error'), 'consent_required');
      });

      test('CIMD client: an invalid request is a page as well', async () => {
        const clientId = cimdDocument({ client_name: 'Document Agent', redirect_uris: [EVIL] });
        const r = await authorizeGet(gh, [['client_id', clientId], ['redirect_uri', EVIL],
          ['response_type', 'bogus'], ['state', 'st-2']]);
        assertErrorPage(r, 'CIMD response_type=bogus');
        assert.match(r.text, /Document Agent/);
        const u = new URL(links(r.text).find((h) => h.startsWith(`${EVIL}?`)));
        assert.equal(u.searchParams.get('error'), 'unsupported_response_type');
        assert.equal(u.searchParams.get('state'), 'st-2');
      });

      test('after the user signs in and answers, a self-registered client is redirected as before', async () => {
        const dcr = await register({ client_name: 'Answered Agent', redirect_uris: [EVIL] });
        for (const decision of ['deny', 'allow']) {
          const jar = new CookieJar();
          const consent = await signIn(jar, authPairs(dcr.client_id, EVIL, [['prompt', 'consent']]));
          assert.equal(consent.status, 200, consent.text.slice(0, 300));
          const r = await postForm(`${gh.issuer}/oauth2/consent`, { csrf: hiddenField(consent.text, 'csrf'),
            pending: hiddenField(consent.text, 'pending'), decision }, { cookie: jar.header() });
          assert.equal(r.status, 303, r.text.slice(0, 300));
          const u = new URL(r.location);
          assert.equal(`${u.origin}${u.pathname}`, EVIL);
          assert.equal(u.searchParams.get('state'), 'st-1');
          assert.equal(u.searchParams.get('iss'), gh.issuer);
          if (decision === 'deny') assert.equal(u.searchParams.get('error'), 'access_denied');
          else assert.ok(u.searchParams.get('code'), r.location);
        }
      });

      test('a client created through the management API keeps RFC 6749 error redirects', async () => {
        const api = await createClient(gh, { client_type: 'third_party_public', client_name: 'Managed',
          redirect_urls: [EVIL] });
        assertRedirectError(await authorizeGet(gh, [['client_id', api.client_id], ['redirect_uri', EVIL],
          ['response_type', 'bogus'], ['state', 'st-3']]),
        { registered: EVIL, error: 'unsupported_response_type', issuer: gh.issuer, state: 'st-3' });
        assertRedirectError(await authorizeGet(gh, authPairs(api.client_id, EVIL, [['prompt', 'none']])),
          { registered: EVIL, error: 'login_required', issuer: gh.issuer, state: 'st-1' });
      });

      test('in a browser, the page waits for the user, and the link takes them back', async () => {
        const redirect = `${app.base}/cb`;
        const dcr = await register({ client_name: 'Loopback Agent', redirect_uris: [redirect] });
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          const u = new URL(`${gh.issuer}/oauth2/authorize`);
          for (const [k, v] of authPairs(dcr.client_id, redirect, [['prompt', 'none']])) u.searchParams.append(k, v);
          const before = app.hits.length;
          const response = await page.goto(u.href);
          assert.equal(response.status(), 400);
          assert.equal(new URL(page.url()).origin, gh.issuer, 'the browser stayed on Gatehouse');
          assert.equal(app.hits.length, before, 'the app was not contacted');
          assert.match(await page.textContent('body'), /Loopback Agent/);
          mkdirSync(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: resolve(ARTIFACTS, 'return-to-app.png'), fullPage: true });
          await Promise.all([page.waitForURL((url) => url.href.startsWith(redirect)),
            page.click(`a[href^="${redirect}"]`)]);
          const landed = new URL(page.url());
          assert.equal(landed.searchParams.get('error'), 'login_required');
          assert.equal(landed.searchParams.get('iss'), gh.issuer);
        } finally {
          await context.close();
        }
      });
    });

    describe('item 5: the consent page shows what is at stake', () => {
      const NOTES = 'https://notes.example.com/mcp';
      const FILES = 'https://files.example.org/api/v2';

      before(() => {
        assets.assets.set('/logo.svg', { type: 'image/svg+xml', body: LOGO_SVG });
        assets.assets.set('/agent-logo.svg', { type: 'image/svg+xml', body: LOGO_SVG });
      });

      // Signs in with Chromium and returns the page showing consent.
      async function consentPage(context, clientId, redirect, resources = []) {
        const page = await context.newPage();
        const u = new URL(`${gh.issuer}/oauth2/authorize`);
        for (const [k, v] of authPairs(clientId, redirect, [['scope', 'openid profile offline_access'],
          ...resources.map((r) => ['resource', r])])) u.searchParams.append(k, v);
        await page.goto(u.href);
        await page.fill('#email', user.email);
        await page.fill('#password', PASSWORD);
        await Promise.all([page.waitForURL(/\/oauth2\/authorize\/resume/), page.click('button[type=submit]')]);
        await page.waitForSelector('button[value=allow]');
        await page.waitForLoadState('networkidle');
        return page;
      }

      async function screenshots(page, name) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: resolve(ARTIFACTS, `${name}-phone.png`), fullPage: true });
      }

      // What the logo box shows: the loaded image, or the initial and no broken image.
      async function logoState(page) {
        return page.evaluate(() => {
          const img = document.querySelector('.card-header img');
          const box = document.querySelector('.card-header .logo');
          return {
            img: img ? { src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 } : null,
            text: box?.textContent.trim(),
            width: box?.getBoundingClientRect().width,
          };
        });
      }

      test('a verified app with a logo: the logo shows, nothing says unverified', async () => {
        const redirect = `${app.base}/verified`;
        const verified = await createClient(gh, { client_type: 'third_party_public',
          client_name: 'Acme Notes', redirect_urls: [redirect], logo_url: `${assets.base}/logo.svg` });
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        try {
          const page = await consentPage(context, verified.client_id, redirect, [NOTES]);
          const logo = await logoState(page);
          assert.equal(logo.img?.src, `${assets.base}/logo.svg`);
          assert.equal(logo.img.loaded, true);
          const text = await page.textContent('body');
          assert.doesNotMatch(text, /unverified/i);
          assert.match(text, /notes\.example\.com/);
          await screenshots(page, 'consent-verified');
        } finally {
          await context.close();
        }
      });

      test('a logo that fails to load leaves the app\'s initial, not a broken image', async () => {
        const redirect = `${app.base}/broken`;
        const broken = await createClient(gh, { client_type: 'third_party_public',
          client_name: 'broken Logo Co', redirect_urls: [redirect], logo_url: `${assets.base}/missing.svg` });
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        try {
          const page = await consentPage(context, broken.client_id, redirect);
          const logo = await logoState(page);
          assert.equal(logo.img?.loaded, false);
          assert.equal(logo.text, 'B', 'the initial is in the logo box');
          // The box looks exactly as it would with no image at all: no broken-image icon.
          const box = page.locator('.card-header .logo');
          mkdirSync(ARTIFACTS, { recursive: true });
          const shown = await box.screenshot({ path: resolve(ARTIFACTS, 'logo-box-failed.png') });
          await page.evaluate(() => document.querySelector('.card-header img').remove());
          const bare = await box.screenshot({ path: resolve(ARTIFACTS, 'logo-box-initial.png') });
          const difference = visibleDifference(shown, bare);
          assert.ok(difference < 0.01, `the failed logo shows the initial alone (${difference})`);
          await page.screenshot({ path: resolve(ARTIFACTS, 'consent-broken-logo.png'), fullPage: true });
        } finally {
          await context.close();
        }
      });

      test('an unverified app asking for two resources: marked, resources by host, no third-party logo', async () => {
        const redirect = `${app.base}/unverified`;
        const dcr = await register({ client_name: 'Notes Agent', redirect_uris: [redirect],
          logo_uri: `${assets.base}/agent-logo.svg` });
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        try {
          const hitsBefore = assets.hits.length;
          const page = await consentPage(context, dcr.client_id, redirect, [NOTES, FILES]);
          const text = await page.textContent('body');
          assert.match(text, /Unverified/);
          assert.match(text, /notes\.example\.com/);
          assert.match(text, /files\.example\.org/);
          const logo = await logoState(page);
          assert.equal(logo.img, null, 'no <img> for a self-registered app\'s third-party logo');
          assert.equal(logo.text, 'N');
          assert.ok(!assets.hits.slice(hitsBefore).includes('/agent-logo.svg'), 'the logo host was not contacted');
          await screenshots(page, 'consent-unverified');
        } finally {
          await context.close();
        }
      });

      test('a CIMD app is unverified too, and its publisher is named', async () => {
        const redirect = `${app.base}/cimd`;
        const clientId = cimdDocument({ client_name: 'Document Agent', redirect_uris: [redirect],
          logo_uri: `${assets.base}/agent-logo.svg` });
        const jar = new CookieJar();
        const consent = await signIn(jar, authPairs(clientId, redirect, [['resource', NOTES]]));
        assert.equal(consent.status, 200, consent.text.slice(0, 300));
        assert.match(consent.text, /Unverified/);
        assert.match(consent.text, /Published by <strong>127\.0\.0\.1<\/strong>/);
        assert.match(consent.text, /notes\.example\.com/);
        assert.doesNotMatch(consent.text, /agent-logo\.svg/);
      });
    });

    describe('item 8: logout asks, checks the hint\'s signature, and goes only where registered', () => {
      let client;
      const bye = () => `${app.base}/signed-out`;

      before(() => { client = logoutClient; });

      async function session() {
        const jar = new CookieJar();
        await signIn(jar, authPairs(client.client_id, `${app.base}/callback`));
        assert.equal(await signedIn(jar), true);
        return jar;
      }

      function logoutUrl(params) {
        const u = new URL(`${gh.issuer}/oauth2/logout`);
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
        return u.href;
      }

      test('a bare GET shows a confirmation page and the session survives', async () => {
        const jar = await session();
        const r = await rawGet(logoutUrl({}), { cookie: jar.header() });
        assert.equal(r.status, 200);
        assert.equal(r.location, null);
        assert.match(r.text, /<form[^>]*method="post"[^>]*action="\/oauth2\/logout"/);
        assert.ok(hiddenField(r.text, 'csrf'), 'the form carries a CSRF token');
        assert.equal(await signedIn(jar), true, 'the session survives a GET');
      });

      test('the confirmation POST signs out with a valid CSRF token, and only then', async () => {
        const jar = await session();
        const page = await rawGet(logoutUrl({ client_id: client.client_id,
          post_logout_redirect_uri: bye(), state: 'bye-1' }), { cookie: jar.header() });
        assert.equal(page.status, 200, page.text.slice(0, 300));
        jar.take(page.headers);
        const csrf = hiddenField(page.text, 'csrf');
        const fields = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
          .map((m) => [m[1], unescapeHtml(m[2])]));
        const forged = await postForm(`${gh.issuer}/oauth2/logout`, { ...fields, csrf: randomBytes(32).toString('base64url') },
          { cookie: jar.header() });
        assert.equal(forged.status, 403);
        assert.equal(await signedIn(jar), true, 'a wrong CSRF token signs nobody out');
        const r = await postForm(`${gh.issuer}/oauth2/logout`, { ...fields, csrf }, { cookie: jar.header() });
        assert.equal(r.status, 303);
        assert.equal(r.location, `${bye()}?state=bye-1`);
        jar.take(r.headers);
        assert.equal(await signedIn(jar), false);
      });

      test('a forged hint (not our signature) is treated as no hint', async () => {
        const jar = await session();
        const now = Math.floor(Date.now() / 1000);
        const forged = rs256Attacker({ typ: 'JWT', kid: decodeJwt(early).header.kid },
          { iss: gh.issuer, sub: user.user_id, aud: client.client_id, azp: client.client_id,
            iat: now, exp: now + 600 });
        for (const params of [{ id_token_hint: forged },
          { id_token_hint: forged, client_id: client.client_id, post_logout_redirect_uri: bye(), state: 'f' }]) {
          const r = await rawGet(logoutUrl(params), { cookie: jar.header() });
          assert.equal(r.location, null, 'not redirected');
          assert.equal(r.status, 200);
          assert.match(r.text, /action="\/oauth2\/logout"/, 'the confirmation page');
          assert.equal(await signedIn(jar), true);
        }
      });

      test('a valid hint signs out at once and goes to the registered URI with state', async () => {
        const jar = await session();
        const r = await rawGet(logoutUrl({ id_token_hint: await idToken(client),
          post_logout_redirect_uri: bye(), state: 'ok-1' }), { cookie: jar.header() });
        assert.equal(r.status, 302, r.text.slice(0, 300));
        assert.equal(r.location, `${bye()}?state=ok-1`);
        jar.take(r.headers);
        assert.equal(await signedIn(jar), false);
      });

      test('an unregistered post_logout_redirect_uri is not followed', async () => {
        const jar = await session();
        for (const params of [
          { id_token_hint: await idToken(client), post_logout_redirect_uri: 'https://evil.example/bye' },
          { client_id: client.client_id, post_logout_redirect_uri: 'https://evil.example/bye' },
          { id_token_hint: await idToken(client), post_logout_redirect_uri: `${bye()}/x` },
        ]) {
          const r = await rawGet(logoutUrl(params), { cookie: jar.header() });
          assertErrorPage(r, JSON.stringify(params));
          assert.doesNotMatch(r.text, /evil\.example/);
        }
        assert.equal(await signedIn(jar), true);
      });

      test('in a browser: the confirmation page, Sign out, then the signed-out page', async () => {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          const u = new URL(`${gh.issuer}/oauth2/authorize`);
          for (const [k, v] of authPairs(client.client_id, `${app.base}/callback`)) u.searchParams.append(k, v);
          await page.goto(u.href);
          await page.fill('#email', user.email);
          await page.fill('#password', PASSWORD);
          await Promise.all([page.waitForURL((url) => url.href.startsWith(`${app.base}/callback`)),
            page.click('button[type=submit]')]);
          await page.goto(`${gh.issuer}/oauth2/logout`);
          assert.equal(await page.title(), 'Sign out?');
          assert.match(await page.textContent('body'), new RegExp(user.email.replace(/[.+]/g, '\\$&')));
          mkdirSync(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: resolve(ARTIFACTS, 'logout-confirmation.png'), fullPage: true });
          await page.click('button[type=submit]');
          await page.waitForSelector('text=You are signed out');
          assert.equal(page.url(), `${gh.issuer}/oauth2/logout`);
          const jar = new CookieJar();
          for (const c of await context.cookies(gh.issuer)) jar.cookies.set(c.name, c.value);
          assert.equal(await signedIn(jar), false);
        } finally {
          await context.close();
        }
      });

      test('openid-client: sign in with a browser, then buildEndSessionUrl signs out', async () => {
        const redirect = `${app.base}/callback`;
        const config = await oidc.discovery(new URL(gh.issuer), client.client_id, undefined, oidc.None(),
          { execute: [oidc.allowInsecureRequests] });
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          // profile is new for this app, so the consent page shows (openid was granted before).
          await page.goto(oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid profile',
            state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256' }).href);
          await page.fill('#email', user.email);
          await page.fill('#password', PASSWORD);
          await Promise.all([page.waitForURL(/\/oauth2\/authorize\/resume/), page.click('button[type=submit]')]);
          await page.waitForSelector('button[value=allow]');
          await Promise.all([page.waitForURL((u) => u.href.startsWith(redirect)), page.click('button[value=allow]')]);
          const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()),
            { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });

          const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token,
            post_logout_redirect_uri: bye(), state: 'end-1' });
          assert.equal(`${end.origin}${end.pathname}`, `${gh.issuer}/oauth2/logout`);
          await page.goto(end.href);
          await page.waitForURL((u) => u.href.startsWith(bye()));
          assert.equal(new URL(page.url()).searchParams.get('state'), 'end-1');

          // Signed out: prompt=none now answers login_required.
          const again = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid',
            state: 's2', prompt: 'none', code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256' });
          await page.goto(again.href);
          await page.waitForURL((u) => u.href.startsWith(redirect));
          assert.equal(new URL(page.url()).searchParams.get('error'), 'login_required');
        } finally {
          await context.close();
        }
      });

      test('a hint signed by a retired (still published) key is valid', async () => {
        const hint = await idToken(client);
        const kid = decodeJwt(hint).header.kid;
        gh.cli(['keys', 'rotate']);
        let kids = [];
        for (let i = 0; i < 50 && kids.length !== 3; i++) {
          kids = (await (await fetch(`${gh.url}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid);
          if (kids.length !== 3) await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(kids.length, 3, 'the server loaded the rotated keys');
        assert.match(gh.cli(['keys', 'list']), new RegExp(`^${kid}\\s+\\S+\\s+retired`, 'm'));
        const jar = await session();
        const r = await rawGet(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: bye(),
          state: 'rk' }), { cookie: jar.header() });
        assert.equal(r.status, 302, r.text.slice(0, 300));
        assert.equal(r.location, `${bye()}?state=rk`);
        jar.take(r.headers);
        assert.equal(await signedIn(jar), false);
      });

      test('a valid but expired hint works without confirmation', async () => {
        const exp = decodeJwt(early).payload.exp;
        // Past exp and past any clock-skew leeway a verifier would allow.
        const wait = exp * 1000 + 31_000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const jar = await session();
        const r = await rawGet(logoutUrl({ id_token_hint: early, post_logout_redirect_uri: bye(),
          state: 'late' }), { cookie: jar.header() });
        assert.equal(r.status, 302, r.text.slice(0, 300));
        assert.equal(r.location, `${bye()}?state=late`);
        jar.take(r.headers);
        assert.equal(await signedIn(jar), false);
      });
    });
  });
}
