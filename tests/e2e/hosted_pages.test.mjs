// The hosted login and consent pages as a person meets them: a real Chromium (playwright-core)
// against a real gatehouse binary, signing in, reading the consent page, granting, and landing on
// the app's redirect URI with code, state and iss. Also the refusals a browser cannot show:
// error page without redirect, security headers, CSRF.
//
// Needs the management API for users (POST /v1/users) and clients
// (POST /v1/connected_apps/clients). Saves test-artifacts/consent-page.png (and a phone-sized
// twin, and login-page.png) at the repository root for a human to look at.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { GatehouseProcess, engines } from './lib/server.mjs';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update'];
const PASSWORD = 'correct horse battery staple';

// A loopback "app": records every request it receives and answers 200.
async function startRedirectTarget() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(new URL(req.url, 'http://127.0.0.1'));  // browsers also ask for /favicon.ico
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Acme CLI</title><p>Signed in. You can close this tab.</p>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, hits, base: `http://127.0.0.1:${server.address().port}` };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

for (const engine of engines()) {
  describe(`hosted pages on ${engine}`, () => {
    let gh;
    let app;
    let browser;
    let clientId;
    let redirectUri;
    const email = `ada+${randomBytes(4).toString('hex')}@example.com`;

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      app = await startRedirectTarget();
      redirectUri = `${app.base}/callback`;
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
        args: CHROMIUM_ARGS });
    });
    after(async () => {
      await browser?.close();
      app?.server.close();
      await gh?.stop();
    });

    function authorizeUrl(extra = {}) {
      const u = new URL(`${gh.issuer}/oauth2/authorize`);
      const { challenge, verifier } = pkce();
      const params = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri,
        scope: 'openid profile email offline_access', state: 'st-' + randomBytes(6).toString('hex'),
        code_challenge: challenge, code_challenge_method: 'S256', ...extra };
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return { url: u.href, state: params.state, verifier };
    }

    test('the management API creates the user and the connected app', async () => {
      const user = await gh.api('POST', '/v1/users',
        { email, password: PASSWORD, name: { first_name: 'Ada', last_name: 'Lovelace' } });
      assert.equal(user.status, 200, `POST /v1/users: ${user.status} ${user.text}`);
      const client = await gh.api('POST', '/v1/connected_apps/clients', {
        client_type: 'third_party_public',
        client_name: 'Acme CLI',
        client_description: 'Command-line tool for Acme',
        redirect_urls: [redirectUri],
        post_logout_redirect_urls: [`${app.base}/signed-out`],
      });
      assert.equal(client.status, 200, `POST /v1/connected_apps/clients: ${client.status} ${client.text}`);
      clientId = client.json.connected_app?.client_id ?? client.json.client_id;
      assert.ok(clientId, client.text);
    });

    test('an unknown client gets an error page, never a redirect', async () => {
      const u = new URL(`${gh.issuer}/oauth2/authorize`);
      u.search = new URLSearchParams({ response_type: 'code', client_id: 'no-such-client',
        redirect_uri: 'https://evil.example/cb', state: 'x' }).toString();
      const r = await fetch(u, { redirect: 'manual' });
      assert.equal(r.status, 400);
      assert.equal(r.headers.get('location'), null);
      assert.match(r.headers.get('content-type'), /text\/html/);
      assert.equal(r.headers.get('x-frame-options'), 'DENY');
      assert.doesNotMatch(await r.text(), /evil\.example/);
    });

    test('login page: security headers, cookies, no CORS', async () => {
      assert.ok(clientId, 'needs the client from the first test');
      const r = await fetch(authorizeUrl().url, { redirect: 'manual',
        headers: { origin: 'https://other.example' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-frame-options'), 'DENY');
      assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
      assert.match(r.headers.get('content-security-policy'), /script-src 'none'/);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(r.headers.get('access-control-allow-origin'), null);
      // Plain-http loopback issuer: no __Host- prefix, no Secure (browsers would refuse them).
      const cookie = r.headers.getSetCookie().find((c) => c.startsWith('gatehouse_csrf='));
      assert.ok(cookie, r.headers.getSetCookie().join('\n'));
      assert.match(cookie, /; Path=\//);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      const css = await fetch(`${gh.issuer}/static/gatehouse.css`);
      assert.equal(css.status, 200);
      assert.match(css.headers.get('cache-control'), /max-age=31536000/);
    });

    test('a consent post without the CSRF cookie is refused with 403', async () => {
      const r = await fetch(`${gh.issuer}/oauth2/consent`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&pending=x&decision=allow',
      });
      assert.equal(r.status, 403);
      assert.equal(r.headers.get('location'), null);
    });

    test('sign in, consent, and land on the redirect URI with code, state and iss', async () => {
      assert.ok(clientId, 'needs the client from the first test');
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const { url, state, verifier } = authorizeUrl();
      await page.goto(url);
      assert.equal(await page.title(), 'Sign in to Acme CLI');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: resolve(ARTIFACTS, 'login-page.png'), fullPage: true });

      // Wrong password: the same generic message for unknown emails.
      await page.fill('#email', email);
      await page.fill('#password', 'not the password');
      await page.click('button[type=submit]');
      await page.waitForSelector('.notice-error');
      assert.match(await page.textContent('.notice-error'), /email address or password is incorrect/);

      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(/\/oauth2\/authorize\/resume/), page.click('button[type=submit]')]);
      await page.waitForSelector('button[value=allow]');
      const text = await page.textContent('body');
      assert.match(text, /Acme CLI/);
      assert.match(text, /wants to access your account/);
      assert.match(text, /You will be sent to 127\.0\.0\.1/);
      assert.match(text, /This app runs on your own device/);
      assert.match(text, new RegExp(email.replace(/[.+]/g, '\\$&')));
      for (const scope of ['openid', 'profile', 'email', 'offline_access']) {
        assert.ok(await page.locator('.scope-name', { hasText: new RegExp(`^${scope}$`) }).count() === 1, scope);
      }
      await page.screenshot({ path: resolve(ARTIFACTS, 'consent-page.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: resolve(ARTIFACTS, 'consent-page-phone.png'), fullPage: true });

      await Promise.all([page.waitForURL((u) => u.href.startsWith(redirectUri)), page.click('button[value=allow]')]);
      const landed = new URL(page.url());
      assert.ok(landed.searchParams.get('code')?.length >= 43, landed.href);
      assert.equal(landed.searchParams.get('state'), state);
      assert.equal(landed.searchParams.get('iss'), gh.issuer);
      assert.equal(landed.searchParams.get('error'), null);
      const hit = app.hits.findLast((h) => h.pathname === '/callback');
      assert.equal(hit?.searchParams.get('state'), state);

      // The code is a real one: the token endpoint redeems it with the PKCE verifier.
      const token = await fetch(`${gh.issuer}/v1/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId,
          code: landed.searchParams.get('code'), redirect_uri: redirectUri,
          code_verifier: verifier }),
      });
      const tokens = await token.json();
      assert.equal(token.status, 200, JSON.stringify(tokens));
      assert.ok(tokens.access_token && tokens.id_token && tokens.refresh_token, JSON.stringify(tokens));

      // Consent remembered, session kept: prompt=none now returns a code without any page.
      const again = authorizeUrl({ prompt: 'none' });
      await page.goto(again.url);
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      const silent = new URL(page.url());
      assert.ok(silent.searchParams.get('code'), silent.href);
      assert.equal(silent.searchParams.get('state'), again.state);

      // RP-initiated logout to a registered URI, then prompt=none says login_required. Without an
      // id_token_hint Gatehouse asks the user to confirm first (issue 14).
      const bye = new URL(`${gh.issuer}/oauth2/logout`);
      bye.search = new URLSearchParams({ client_id: clientId,
        post_logout_redirect_uri: `${app.base}/signed-out`, state: 'bye-1' }).toString();
      await page.goto(bye.href);
      await Promise.all([page.waitForURL((u) => u.href.startsWith(`${app.base}/signed-out`)),
        page.click('button[type=submit]')]);
      assert.equal(new URL(page.url()).searchParams.get('state'), 'bye-1');
      const after = authorizeUrl({ prompt: 'none' });
      await page.goto(after.url);
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      assert.equal(new URL(page.url()).searchParams.get('error'), 'login_required');
      await context.close();
    });

    test('deny sends access_denied with state and iss', async () => {
      assert.ok(clientId, 'needs the client from the first test');
      const context = await browser.newContext();
      const page = await context.newPage();
      const { url, state } = authorizeUrl({ prompt: 'consent' });
      await page.goto(url);
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(/\/oauth2\/authorize\/resume/), page.click('button[type=submit]')]);
      await Promise.all([page.waitForURL((u) => u.href.startsWith(redirectUri)), page.click('button[value=deny]')]);
      const landed = new URL(page.url());
      assert.equal(landed.searchParams.get('error'), 'access_denied');
      assert.equal(landed.searchParams.get('state'), state);
      assert.equal(landed.searchParams.get('iss'), gh.issuer);
      await context.close();
    });
  });
}
