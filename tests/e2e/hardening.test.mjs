// Hardening found by a black-box security probe and a first-time user (issue 14), end to end on
// every engine:
//  - item 4: display text (client names and descriptions, scope descriptions, organization and
//    user names) refuses bidi controls, other control characters and zero-width characters, on
//    the management API, Dynamic Client Registration and Client ID Metadata Documents alike,
//    while ordinary non-ASCII text is kept and shown;
//  - item 6: a metadata document that cannot be fetched is reported to the user and the client
//    in generic terms; how the host resolves from the server goes to the server's log only;
//  - item 9: the headless start step takes no code_challenge (Stytch's shape); submit is where a
//    public client must bring PKCE S256.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createClient, createUser, pkcePair, tokenRequest } from './lib/flow.mjs';
import {
  authorizeGet, assertErrorPage, assertRedirectError, assertSafeDescription,
} from './lib/attack_support.mjs';
import { makeTestCertificates, startDocumentServer } from './lib/test_https.mjs';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const GOOD_NAME = 'Café Ünïcode 日本';
// One of each refused kind: right-to-left override, the other bidi controls, zero-width
// characters, C0, DEL and C1 controls.
const LOOK_ALIKES = {
  'right-to-left override': 'Invoice\u202Egnp.exe',
  'left-to-right isolate': 'Bank\u2066 Support',
  'arabic letter mark': 'Bank\u061C Support',
  'right-to-left mark': 'Bank\u200F Support',
  'zero-width space': 'Pay\u200Bpal',
  'zero-width joiner': 'Pay\u200Dpal',
  'word joiner': 'Pay\u2060pal',
  'byte order mark': '\uFEFFPaypal',
  'C0 control': 'Bell\u0007 app',
  'line feed': 'Two\nlines',
  DEL: 'Del\u007F app',
  'C1 control': 'Next\u0085line',
};

const htmlDecode = (s) => s.replaceAll('&amp;', '&').replaceAll('&#x27;', "'").replaceAll('&quot;', '"');

function authorizePairs(client_id, extra = []) {
  const { challenge } = pkcePair();
  return [['response_type', 'code'], ['client_id', client_id], ['redirect_uri', REDIRECT],
    ['scope', 'openid'], ['state', 'st'], ['code_challenge', challenge],
    ['code_challenge_method', 'S256'], ...extra];
}

async function register(gh, metadata) {
  const r = await fetch(`${gh.issuer}/v1/oauth2/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

// A refusal of the management API naming `field`.
function assertRefused(r, field, what) {
  assert.equal(r.status, 400, `${what}: ${r.text}`);
  assert.equal(r.json?.error_type, 'bad_request', `${what}: ${r.text}`);
  assert.ok(r.json.error_message.includes(field), `${what}: the message names ${field}: ${r.text}`);
}

// Waits for `pattern` in the server's stderr (the pipe may lag the response a little).
async function stderrMatching(gh, pattern, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const line = (gh.stderr ?? '').split('\n').find((l) => pattern.test(l));
    if (line !== undefined) return line;
    if (Date.now() > until) assert.fail(`no stderr line matches ${pattern}:\n${gh.stderr ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const engine of engines()) {
  describe(`hardening (${engine})`, () => {
    let tls;
    let documents;
    let gh;
    let user;

    before(async () => {
      tls = makeTestCertificates();
      documents = await startDocumentServer(tls);
      gh = await new GatehouseProcess({ engine, env: {
        GATEHOUSE_CIMD: 'true',
        GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'true',
        GATEHOUSE_CIMD_CA_FILE: tls.caFile,
      } }).start();
      user = await createUser(gh);
    });
    after(async () => {
      await gh?.stop();
      await documents?.close();
      tls?.remove();
    });

    describe('item 4: look-alike names are refused in every display field', () => {
      test('the management API refuses them in client names and descriptions, on create and update', async () => {
        for (const [kind, name] of Object.entries(LOOK_ALIKES)) {
          assertRefused(await gh.api('POST', '/v1/connected_apps/clients', {
            client_type: 'third_party_public', client_name: name, redirect_urls: [REDIRECT],
          }), 'client_name', `create, ${kind}`);
        }
        assertRefused(await gh.api('POST', '/v1/connected_apps/clients', {
          client_type: 'third_party', client_name: 'Fine', client_description: LOOK_ALIKES['right-to-left override'],
          redirect_urls: [REDIRECT],
        }), 'client_description', 'create, description');

        const app = await createClient(gh, { client_type: 'third_party', client_name: 'Honest app' });
        for (const field of ['client_name', 'client_description']) {
          assertRefused(await gh.api('PUT', `/v1/connected_apps/clients/${app.client_id}`,
            { [field]: LOOK_ALIKES['zero-width space'] }), field, `update ${field}`);
        }
        const read = await gh.api('GET', `/v1/connected_apps/clients/${app.client_id}`);
        assert.equal(read.json.connected_app.client_name, 'Honest app');
      });

      test('text that is not UTF-8, or a lone surrogate, is refused too', async () => {
        const auth = 'Basic ' + Buffer.from(`${gh.projectId}:${gh.projectSecret}`).toString('base64');
        const bodies = [
          Buffer.concat([Buffer.from('{"client_type":"third_party","client_name":"Bad'), Buffer.from([0xc3, 0x28]),
            Buffer.from('","redirect_urls":["http://127.0.0.1:5555/callback"]}')]),
          Buffer.from('{"client_type":"third_party","client_name":"Bad\\ud800","redirect_urls":["http://127.0.0.1:5555/callback"]}'),
        ];
        for (const body of bodies) {
          const r = await fetch(`${gh.url}/v1/connected_apps/clients`, {
            method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body,
          });
          assert.equal(r.status, 400, await r.text());
        }
      });

      test('organization names, user names, M2M client names and RBAC descriptions refuse them', async () => {
        const rlo = LOOK_ALIKES['right-to-left override'];
        assertRefused(await gh.api('POST', '/v1/organizations', { organization_name: rlo, organization_slug: 'rlo-org' }),
          'organization_name', 'organization create');
        const org = await gh.api('POST', '/v1/organizations', { organization_name: 'Acme', organization_slug: 'acme-h14' });
        assert.equal(org.status, 200, org.text);
        assertRefused(await gh.api('PUT', `/v1/organizations/${org.json.organization.organization_id}`,
          { organization_name: rlo }), 'organization_name', 'organization update');

        assertRefused(await gh.api('POST', '/v1/users', { email: 'rlo@example.com', name: { first_name: rlo } }),
          'first_name', 'user create');
        assertRefused(await gh.api('PUT', `/v1/users/${user.user_id}`, { last_name: LOOK_ALIKES['C1 control'] }),
          'last_name', 'user update');

        assertRefused(await gh.api('POST', '/v1/m2m/clients', { client_name: rlo, scopes: ['read:things'] }),
          'client_name', 'M2M create');

        const policy = {
          resources: [{ resource_id: 'docs', description: 'Documents', actions: ['read'] }],
          scopes: [{ scope: 'read:docs', description: `Read your documents${LOOK_ALIKES['zero-width joiner']}`,
            permissions: [{ resource_id: 'docs', actions: ['read'] }] }],
        };
        assertRefused(await gh.api('PUT', '/v1/rbac/policy', { policy }), 'scopes[0].description', 'RBAC policy');
      });

      test('Dynamic Client Registration refuses them with invalid_client_metadata', async () => {
        for (const [kind, client_name] of Object.entries(LOOK_ALIKES)) {
          const r = await register(gh, { client_name, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
          assert.equal(r.status, 400, `${kind}: ${r.text}`);
          assert.equal(r.json?.error, 'invalid_client_metadata', `${kind}: ${r.text}`);
          assert.match(r.json.error_description, /client_name/, kind);
          assertSafeDescription(r.json);
        }
      });

      test('a Client ID Metadata Document with one is invalid_client_metadata, and its name is not shown', async () => {
        const client_id = `${documents.base}/rlo.json`;
        documents.documents.set('/rlo.json', { client_id, client_name: LOOK_ALIKES['right-to-left override'],
          redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
        const r = await authorizeGet(gh, authorizePairs(client_id));
        assertErrorPage(r, 'look-alike CIMD name');
        assert.match(r.text, /invalid_client_metadata/);
        assert.match(r.text, /client_name/);
        assert.ok(!r.text.includes('\u202E'), 'the override character reached the page');
        assert.ok(!r.text.includes('gnp.exe'), 'the name reached the page');
      });

      test('ordinary non-ASCII names are accepted everywhere and shown as written', async () => {
        const app = await createClient(gh, { client_type: 'third_party_public', client_name: GOOD_NAME,
          client_description: 'Ça marche — très bien' });
        assert.equal(app.client_name, GOOD_NAME);
        const page = await authorizeGet(gh, authorizePairs(app.client_id));
        assert.equal(page.status, 200, page.text.slice(0, 300));
        assert.ok(htmlDecode(page.text).includes(GOOD_NAME), 'the login page shows the name');

        const updated = await gh.api('PUT', `/v1/connected_apps/clients/${app.client_id}`, { client_name: `${GOOD_NAME} 2` });
        assert.equal(updated.status, 200, updated.text);

        const registered = await register(gh, { client_name: GOOD_NAME, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
        assert.equal(registered.status, 201, registered.text);
        assert.equal(registered.json.client_name, GOOD_NAME);

        const client_id = `${documents.base}/good.json`;
        documents.documents.set('/good.json', { client_id, client_name: GOOD_NAME, redirect_uris: [REDIRECT],
          token_endpoint_auth_method: 'none' });
        const cimdPage = await authorizeGet(gh, authorizePairs(client_id));
        assert.equal(cimdPage.status, 200, cimdPage.text.slice(0, 300));
        assert.ok(htmlDecode(cimdPage.text).includes(GOOD_NAME), 'the login page shows the document name');

        const org = await gh.api('POST', '/v1/organizations', { organization_name: GOOD_NAME, organization_slug: 'cafe' });
        assert.equal(org.status, 200, org.text);
        const named = await gh.api('PUT', `/v1/users/${user.user_id}`, { first_name: 'Zoë', last_name: 'Ōtsuka' });
        assert.equal(named.status, 200, named.text);
        const m2m = await gh.api('POST', '/v1/m2m/clients', { client_name: GOOD_NAME, scopes: ['read:things'] });
        assert.equal(m2m.status, 200, m2m.text);
        const policy = {
          resources: [{ resource_id: 'docs', description: 'Dokumente', actions: ['read'] }],
          scopes: [{ scope: 'read:docs', description: 'Lire vos documents — 書類を読む',
            permissions: [{ resource_id: 'docs', actions: ['read'] }] }],
        };
        const put = await gh.api('PUT', '/v1/rbac/policy', { policy });
        assert.equal(put.status, 200, put.text);
      });
    });

    describe('item 9: the headless start step takes no code_challenge', () => {
      let app;
      before(async () => {
        app = await createClient(gh, { client_type: 'third_party_public', client_name: 'Headless public app' });
      });
      const request = (extra = {}) => ({
        client_id: app.client_id, redirect_uri: REDIRECT, response_type: 'code',
        scope: 'openid offline_access', user_id: user.user_id, ...extra,
      });

      test('start without code_challenge, state or nonce describes the consent', async () => {
        const r = await gh.api('POST', '/v1/idp/oauth/authorize/start', request());
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.consent_required, true);
        assert.deepEqual(r.json.scope_results.map((s) => s.scope).sort(), ['offline_access', 'openid']);
        assert.equal(r.json.client.client_id, app.client_id);
      });

      test('start still refuses a challenge it is sent that is plain or malformed', async () => {
        const plain = await gh.api('POST', '/v1/idp/oauth/authorize/start',
          request({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }));
        assert.equal(plain.status, 400, plain.text);
        assert.equal(plain.json.error_type, 'invalid_request');
      });

      test('submit without code_challenge, or with plain, is refused with no code', async () => {
        for (const extra of [{}, { code_challenge: pkcePair().verifier, code_challenge_method: 'plain' }]) {
          const r = await gh.api('POST', '/v1/idp/oauth/authorize', request({ ...extra, consent_granted: true, state: 'st' }));
          assert.equal(r.status, 200, r.text);
          assert.equal(r.json.authorization_code, undefined, r.text);
          const redirect = new URL(r.json.redirect_uri);
          assert.equal(redirect.searchParams.get('error'), 'invalid_request', r.text);
          assert.equal(redirect.searchParams.get('code'), null);
        }
      });

      test('submit with S256 issues a code that redeems with the verifier', async () => {
        const { verifier, challenge } = pkcePair();
        const r = await gh.api('POST', '/v1/idp/oauth/authorize', request({
          consent_granted: true, state: 'st', code_challenge: challenge, code_challenge_method: 'S256',
        }));
        assert.equal(r.status, 200, r.text);
        const redirect = new URL(r.json.redirect_uri);
        const code = redirect.searchParams.get('code');
        assert.ok(code, r.text);
        assert.equal(code, r.json.authorization_code);
        assert.equal(redirect.searchParams.get('state'), 'st');
        const t = await tokenRequest(gh, { grant_type: 'authorization_code', code, client_id: app.client_id,
          redirect_uri: REDIRECT, code_verifier: verifier });
        assert.equal(t.status, 200, t.text);
        assert.ok(t.json.access_token);
      });

      test('the hosted /oauth2/authorize still requires PKCE of a public client', async () => {
        const pairs = authorizePairs(app.client_id).filter(([k]) => !k.startsWith('code_challenge'));
        assertRedirectError(await authorizeGet(gh, pairs),
          { registered: REDIRECT, error: 'invalid_request', issuer: gh.issuer, state: 'st' });
      });
    });
  });

  describe(`item 6: metadata-document fetch failures do not reveal internal DNS (${engine})`, () => {
    let gh;
    before(async () => {
      gh = await new GatehouseProcess({ engine, env: {
        GATEHOUSE_CIMD: 'true', GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'false',
      } }).start();
    });
    after(async () => { await gh?.stop(); });

    const cases = [
      { client_id: 'https://localhost/client.json', detail: /loopback/ },
      { client_id: 'https://gatehouse-e2e-unresolvable.invalid/client.json', detail: /could not be resolved/ },
    ];
    // What the public answer must not say: addresses, ranges, resolution.
    const REVEALING = /127\.0\.0\.1|::1|loopback|has the address|resolv|special-use|private-use/i;

    test('the authorization error page is generic; the detail is in the server log', async () => {
      for (const { client_id, detail } of cases) {
        const r = await authorizeGet(gh, authorizePairs(client_id));
        assertErrorPage(r, client_id);
        // The footer names the issuer's host (127.0.0.1 here); the rest must name no address.
        const page = r.text.replace(/<footer[\s\S]*?<\/footer>/, '');
        assert.match(page, /metadata document could not be fetched/, client_id);
        assert.doesNotMatch(page, REVEALING, client_id);
        const line = await stderrMatching(gh, new RegExp(`${client_id.replaceAll('.', '\\.')}.*${detail.source}`));
        assert.ok(line.length > 0);
      }
    });

    test('the token endpoint answers invalid_client generically', async () => {
      for (const { client_id } of cases) {
        const { verifier } = pkcePair();
        const r = await tokenRequest(gh, { grant_type: 'authorization_code', code: 'x'.repeat(43), client_id,
          redirect_uri: REDIRECT, code_verifier: verifier });
        assert.ok(r.status === 400 || r.status === 401, `${client_id}: ${r.status} ${r.text}`);
        assert.equal(r.json?.error, 'invalid_client', r.text);
        assert.doesNotMatch(r.text, REVEALING, client_id);
        assertSafeDescription(r.json);
      }
    });
  });
}
