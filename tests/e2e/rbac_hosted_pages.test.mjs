// RBAC and organization policies through the built-in hosted pages, as a person meets them: a real
// Chromium (playwright-core) signs in on the login page and answers the consent page of a real
// gatehouse binary, on every engine.
//  - A user whose roles lack a scope's permission sees it marked unavailable on the consent page,
//    consents, and gets a token without it; a user whose roles cover it gets it.
//  - Organization connected-app policies: NOT_ALLOWED refuses members with an access_denied
//  redirect
//    (carrying state and iss), RESTRICTED lets the listed app through and refuses an unlisted one,
//    ALL_ALLOWED lets any app through.
// The same rules through the headless API and on refresh are in rbac.test.mjs.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import {after, before, describe, test} from 'node:test';
import {chromium} from 'playwright-core';

import {createClient, createUser, pkcePair, tokenRequest} from './lib/flow.mjs';
import {engines, GatehouseProcess} from './lib/server.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'
];

const policy = {
  resources: [{resource_id: 'documents', description: 'Documents', actions: ['read', 'write']}],
  roles: [
    {
      role_id: 'viewer',
      description: 'Reads',
      permissions: [{resource_id: 'documents', actions: ['read']}]
    },
    {
      role_id: 'editor',
      description: 'Writes',
      permissions: [{resource_id: 'documents', actions: ['read', 'write']}]
    },
  ],
  scopes: [
    {
      scope: 'read:docs',
      description: 'Read your documents',
      permissions: [{resource_id: 'documents', actions: ['read']}]
    },
    {
      scope: 'write:docs',
      description: 'Change your documents',
      permissions: [{resource_id: 'documents', actions: ['write']}]
    },
  ],
};

// A loopback app that answers every request (the redirect URI's owner).
async function startApp() {
  const server = createServer((req, res) => {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
    res.end('<!doctype html><title>App</title><p>Back in the app.</p>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {server, redirectUri: `http://127.0.0.1:${server.address().port}/callback`};
}

const slugSuffix = () => randomBytes(4).toString('hex');

for (const engine of engines()) {
  describe(`RBAC and organizations through the hosted pages (${engine})`, () => {
    let gh, app, browser;
    before(async () => {
      gh = await new GatehouseProcess({engine}).start();
      app = await startApp();
      browser = await chromium.launch(
          {executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS});
      const put = await gh.api('PUT', '/v1/rbac/policy', {policy});
      assert.equal(put.status, 200, put.text);
    });
    after(async () => {
      await browser?.close();
      app?.server.close();
      await gh?.stop();
    });

    async function userWithRoles(roles) {
      const user = await createUser(gh);
      const r = await gh.api('PUT', `/v1/users/${user.user_id}`, {roles});
      assert.equal(r.status, 200, r.text);
      return user;
    }

    function appClient(client_type) {
      return createClient(
          gh, {client_type, client_name: `Docs ${client_type}`, redirect_urls: [app.redirectUri]});
    }

    // Opens /oauth2/authorize in `page`, signs in when the login page shows, and answers the
    // consent page when it shows (returning what it listed). Resolves with the URL the browser
    // landed on at the app, the state sent and the PKCE verifier.
    async function authorize(page, {client, user, scope}) {
      const {verifier, challenge} = pkcePair();
      const state = 'st-' + randomBytes(6).toString('hex');
      const u = new URL(`${gh.issuer}/oauth2/authorize`);
      u.search = new URLSearchParams({
                   response_type: 'code',
                   client_id: client.client_id,
                   redirect_uri: app.redirectUri,
                   scope,
                   state,
                   code_challenge: challenge,
                   code_challenge_method: 'S256'
                 }).toString();
      const landedAtApp = (url) => url.href.startsWith(app.redirectUri);
      await page.goto(u.href);
      if (!landedAtApp(new URL(page.url())) && await page.locator('#password').count() === 1) {
        await page.fill('#email', user.email);
        await page.fill('#password', user.password);
        await page.click('button[type=submit]');
      }
      // Either the consent page or, when no consent is asked, straight back to the app.
      await Promise.race([
        page.waitForURL(landedAtApp),
        page.waitForSelector('button[value=allow]'),
      ]);
      let consent = null;
      if (!landedAtApp(new URL(page.url()))) {
        consent = {
          available:
              await page.locator('.scope:not(.scope-unavailable) .scope-name').allTextContents(),
          unavailable: await page.locator('.scope-unavailable .scope-name').allTextContents(),
          notes: await page.locator('.scope-unavailable .scope-note').allTextContents(),
        };
        await Promise.all([page.waitForURL(landedAtApp), page.click('button[value=allow]')]);
      }
      return {landed: new URL(page.url()), state, verifier, consent};
    }

    async function redeem(client, landed, verifier) {
      const code = landed.searchParams.get('code');
      assert.ok(code, landed.href);
      const t = await tokenRequest(gh, {
        grant_type: 'authorization_code',
        code,
        client_id: client.client_id,
        redirect_uri: app.redirectUri,
        code_verifier: verifier
      });
      assert.equal(t.status, 200, t.text);
      return t.json;
    }

    function assertRefused(landed, state) {
      assert.equal(landed.searchParams.get('error'), 'access_denied', landed.href);
      assert.match(landed.searchParams.get('error_description'), /organization/);
      assert.equal(landed.searchParams.get('state'), state);
      assert.equal(landed.searchParams.get('iss'), gh.issuer);
      assert.equal(landed.searchParams.get('code'), null);
    }

    test(
        'a user without the permission consents but does not get the scope; one with it does',
        async () => {
          const client = await appClient('third_party_public');
          const scope = 'openid read:docs write:docs';
          for (const [roles, expected, unavailable] of [
                   [['viewer'], 'openid read:docs', ['write:docs']],
                   [['editor'], 'openid read:docs write:docs', []],
          ]) {
            const user = await userWithRoles(roles);
            const context = await browser.newContext();
            const page = await context.newPage();
            try {
              const {landed, state, verifier, consent} =
                  await authorize(page, {client, user, scope});
              assert.ok(consent, 'a third-party app asks for consent');
              assert.deepEqual(consent.unavailable, unavailable, roles.join());
              assert.ok(consent.available.includes('read:docs'));
              for (const note of consent.notes)
                assert.match(note, /Not available for your account/);
              assert.equal(landed.searchParams.get('state'), state);
              assert.equal(landed.searchParams.get('iss'), gh.issuer);
              const tokens = await redeem(client, landed, verifier);
              assert.equal(tokens.scope, expected, roles.join());
              const claims =
                  JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url'));
              assert.equal(claims.scope, expected);
            } finally {
              await context.close();
            }
          }
        });

    test(
        'organization policies: NOT_ALLOWED, RESTRICTED (listed and unlisted) and ALL_ALLOWED',
        async () => {
          const first = await appClient('first_party_public');
          const listed = await appClient('third_party_public');
          const unlisted = await appClient('third_party_public');
          const restrictive = await gh.api('POST', '/v1/organizations', {
            organization_name: 'Locked',
            organization_slug: `locked-${slugSuffix()}`,
            first_party_connected_apps_allowed_type: 'NOT_ALLOWED',
            third_party_connected_apps_allowed_type: 'RESTRICTED',
            allowed_third_party_connected_apps: [listed.client_id],
          });
          assert.equal(restrictive.status, 200, restrictive.text);
          const open = await gh.api('POST', '/v1/organizations', {
            organization_name: 'Open',
            organization_slug: `open-${slugSuffix()}`,
            first_party_connected_apps_allowed_type: 'ALL_ALLOWED',
            third_party_connected_apps_allowed_type: 'ALL_ALLOWED',
          });
          assert.equal(open.status, 200, open.text);
          async function member(org) {
            const user = await createUser(gh);
            const added = await gh.api(
                'POST', `/v1/organizations/${org.json.organization.organization_id}/members`,
                {user_id: user.user_id, roles: []});
            assert.equal(added.status, 200, added.text);
            return user;
          }
          const locked = await member(restrictive);
          const free = await member(open);

          // One browser per member: after the first sign-in the session carries on.
          const lockedContext = await browser.newContext();
          const freeContext = await browser.newContext();
          try {
            const page = await lockedContext.newPage();
            // NOT_ALLOWED: the first-party app is refused right after sign-in.
            const notAllowed =
                await authorize(page, {client: first, user: locked, scope: 'openid'});
            assertRefused(notAllowed.landed, notAllowed.state);
            assert.match(notAllowed.landed.searchParams.get('error_description'), /first-party/);
            // RESTRICTED: the listed third-party app goes through and its code is good.
            const allowed = await authorize(page, {client: listed, user: locked, scope: 'openid'});
            assert.equal(allowed.landed.searchParams.get('error'), null, allowed.landed.href);
            const tokens = await redeem(listed, allowed.landed, allowed.verifier);
            assert.ok(tokens.access_token && tokens.id_token);
            // RESTRICTED: an app the organization does not list is refused.
            const refused =
                await authorize(page, {client: unlisted, user: locked, scope: 'openid'});
            assertRefused(refused.landed, refused.state);
            assert.match(refused.landed.searchParams.get('error_description'), /third-party/);

            // ALL_ALLOWED: the other organization's member uses both kinds of app.
            const freePage = await freeContext.newPage();
            for (const client of [first, unlisted]) {
              const ok = await authorize(freePage, {client, user: free, scope: 'openid'});
              assert.equal(ok.landed.searchParams.get('error'), null, ok.landed.href);
              const t = await redeem(client, ok.landed, ok.verifier);
              const claims = JSON.parse(Buffer.from(t.access_token.split('.')[1], 'base64url'));
              assert.equal(
                  claims.organization.organization_id, open.json.organization.organization_id);
            }
          } finally {
            await lockedContext.close();
            await freeContext.close();
          }
        });
  });
}
