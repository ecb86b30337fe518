// Custom claims templates end to end, on every engine: a connected app's id_token_template_content
// in the ID token a certified relying party (openid-client 6) obtains and verifies; the project's
// templates for dynamically registered clients (PUT /v1/connected_apps/dynamic_client_settings) in
// the access and ID tokens of a client registered through RFC 7591, and not in an API client's;
// bad templates refused with 400 by both APIs. On PostgreSQL, a change made through one process
// reaches the tokens another process issues.
import * as jose from 'jose';
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import * as client from 'openid-client';

import {postgresAvailable, startCluster} from './lib/cluster.mjs';
import {createClient, createUser, publicClientTokens} from './lib/flow.mjs';
import {engines, GatehouseProcess} from './lib/server.mjs';

const SETTINGS = '/v1/connected_apps/dynamic_client_settings';
const REDIRECT_URI = 'http://127.0.0.1:5555/callback';
const OVERSIZED = JSON.stringify({k: 'x'.repeat(4096)});

async function eventually(fn, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > until) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Registers a public client through RFC 7591, as an MCP client or agent would.
async function registerPublicClient(gh, name = 'Registered agent') {
  const r = await fetch(`${gh.issuer}/v1/oauth2/register`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({
      client_name: name,
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token']
    }),
  });
  const body = await r.json();
  assert.equal(r.status, 201, JSON.stringify(body));
  return {...body, redirect_urls: body.redirect_uris};
}

for (const engine of engines()) {
  describe(`claims templates (${engine})`, () => {
    let gh, jwks, user;
    before(async () => {
      gh = await new GatehouseProcess({engine}).start();
      jwks = jose.createRemoteJWKSet(new URL(`${gh.issuer}/.well-known/jwks.json`));
      user = await createUser(gh);
      const roles =
          await gh.api('PUT', `/v1/users/${user.user_id}`, {roles: ['support', 'billing']});
      assert.equal(roles.status, 200, roles.text);
    });
    after(async () => {
      await gh?.stop();
    });

    test('a client\'s ID token template reaches the ID token openid-client verifies', async () => {
      const app = await createClient(gh, {
        client_type: 'first_party',
        client_name: 'Console',
        redirect_urls: [REDIRECT_URI],
        id_token_template_content: JSON.stringify({
          roles: '{{ user.roles }}',
          app: '{{ client.client_name }}',
          tier: 'gold',
          contact: 'mail {{ user.email }}'
        }),
        access_token_template_content: {department: 'finance'},
      });
      assert.equal(
          app.id_token_template_content,
          '{"roles":"{{ user.roles }}","app":"{{ client.client_name }}","tier":"gold","contact":"mail {{ user.email }}"}');
      const read = await gh.api('GET', `/v1/connected_apps/clients/${app.client_id}`);
      assert.equal(
          read.json.connected_app.id_token_template_content, app.id_token_template_content);

      const config = await client.discovery(
          new URL(gh.issuer), app.client_id, undefined, client.ClientSecretBasic(app.client_secret),
          {execute: [client.allowInsecureRequests]});
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid email offline_access',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const submit = await gh.api(
          'POST', '/v1/idp/oauth/authorize',
          {...Object.fromEntries(url.searchParams), user_id: user.user_id, consent_granted: true});
      assert.equal(submit.status, 200, submit.text);
      const tokens =
          await client.authorizationCodeGrant(config, new URL(submit.json.redirect_uri), {
            pkceCodeVerifier: verifier,
            expectedState: state,
            expectedNonce: nonce,
            idTokenExpected: true,
          });
      const claims = tokens.claims();
      assert.deepEqual(claims.roles, ['support', 'billing']);
      assert.equal(claims.app, 'Console');
      assert.equal(claims.tier, 'gold');
      assert.equal(claims.contact, `mail ${user.email}`);
      assert.equal(claims.nonce, nonce);
      assert.equal(claims.sub, user.user_id);
      assert.equal(claims.department, undefined);

      const {payload} =
          await jose.jwtVerify(tokens.access_token, jwks, {issuer: gh.issuer, typ: 'at+jwt'});
      assert.equal(payload.department, 'finance');
      assert.equal(payload.tier, undefined);

      // The refreshed ID token carries them too.
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.equal(refreshed.claims().tier, 'gold');
      assert.deepEqual(refreshed.claims().roles, ['support', 'billing']);
    });

    test(
        'the project\'s templates reach a dynamically registered client\'s tokens, not an API client\'s',
        async () => {
          const put = await gh.api('PUT', SETTINGS, {
            access_token_template_content: {tier: 'agent', roles: '{{ user.roles }}'},
            id_token_template_content:
                JSON.stringify({kind: 'registered', who: '{{ user.email }}'}),
          });
          assert.equal(put.status, 200, put.text);
          assert.equal(
              put.json.dynamic_client_settings.access_token_template_content,
              '{"tier":"agent","roles":"{{ user.roles }}"}');
          const read = await gh.api('GET', SETTINGS);
          assert.deepEqual(read.json.dynamic_client_settings, put.json.dynamic_client_settings);
          assert.match(read.json.dynamic_client_settings.updated_at,
                       /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

          const registered = await registerPublicClient(gh);
          const t = await publicClientTokens(gh, {client: registered, user, scope: 'openid email'});
          const {payload} =
              await jose.jwtVerify(t.access_token, jwks, {issuer: gh.issuer, typ: 'at+jwt'});
          assert.equal(payload.client_id, registered.client_id);
          assert.equal(payload.tier, 'agent');
          assert.deepEqual(payload.roles, ['support', 'billing']);
          const id = (await jose.jwtVerify(
                          t.id_token, jwks, {issuer: gh.issuer, audience: registered.client_id}))
                         .payload;
          assert.equal(id.kind, 'registered');
          assert.equal(id.who, user.email);
          assert.equal(id.tier, undefined);

          const apiClient = await createClient(gh, {client_type: 'first_party_public'});
          const api = await publicClientTokens(gh, {client: apiClient, user, scope: 'openid'});
          assert.equal(jose.decodeJwt(api.access_token).tier, undefined);
          assert.equal(jose.decodeJwt(api.id_token).kind, undefined);

          // Cleared: the registered client's next tokens no longer carry them.
          const cleared = await gh.api(
              'PUT', SETTINGS,
              {access_token_template_content: null, id_token_template_content: ''});
          assert.equal(cleared.status, 200, cleared.text);
          assert.equal(cleared.json.dynamic_client_settings.access_token_template_content, null);
          const later = await publicClientTokens(gh, {client: registered, user, scope: 'openid'});
          assert.equal(jose.decodeJwt(later.access_token).tier, undefined);
          assert.equal(jose.decodeJwt(later.id_token).kind, undefined);
        });

    test('bad templates are refused with 400 by both APIs and change nothing', async () => {
      const refusals = [
        [{id_token_template_content: '[1, 2]'}, /id_token_template_content: .*JSON object/],
        [{id_token_template_content: 42}, /id_token_template_content must be a JSON object/],
        [{id_token_template_content: OVERSIZED}, /4096/],
        [{id_token_template_content: {nonce: 'forged'}}, /reserved claim nonce/],
        [{id_token_template_content: '{"at_hash": "x"}'}, /reserved claim at_hash/],
        [{id_token_template_content: {sid: 'x'}}, /reserved claim sid/],
        [{access_token_template_content: {sub: 'attacker'}}, /reserved claim sub/],
      ];
      for (const [fields, message] of refusals) {
        const created = await gh.api('POST', '/v1/connected_apps/clients', {
          client_type: 'first_party',
          client_name: 'Bad',
          redirect_urls: [REDIRECT_URI],
          ...fields
        });
        assert.equal(created.status, 400, `${JSON.stringify(fields)}: ${created.text}`);
        assert.equal(created.json.error_type, 'bad_request');
        assert.match(created.json.error_message, message);
      }
      const app = await createClient(
          gh, {client_type: 'first_party', id_token_template_content: {team: 'a'}});
      const update = await gh.api(
          'PUT', `/v1/connected_apps/clients/${app.client_id}`,
          {id_token_template_content: {azp: 'evil'}});
      assert.equal(update.status, 400, update.text);
      const kept = await gh.api('GET', `/v1/connected_apps/clients/${app.client_id}`);
      assert.equal(kept.json.connected_app.id_token_template_content, '{"team":"a"}');

      const good = await gh.api('PUT', SETTINGS, {access_token_template_content: {tier: 'agent'}});
      assert.equal(good.status, 200, good.text);
      for (const [fields, message] of
               [...refusals,
                [
                  {access_token_template_content: 'not json'},
                  /access_token_template_content: .*JSON object/
                ],
                [{access_token_template_content: {team: '{{ secrets.pepper }}'}}, /placeholder/],
                [{template: '{}'}, /unknown field "template"/],
      ]) {
        const r = await gh.api('PUT', SETTINGS, fields);
        assert.equal(r.status, 400, `${JSON.stringify(fields)}: ${r.text}`);
        assert.equal(r.json.error_type, 'bad_request');
        assert.match(r.json.error_message, message);
      }
      const read = await gh.api('GET', SETTINGS);
      assert.deepEqual(read.json.dynamic_client_settings, good.json.dynamic_client_settings);

      const unauthenticated = await fetch(`${gh.issuer}${SETTINGS}`);
      assert.equal(unauthenticated.status, 401);
      await gh.api('PUT', SETTINGS, {access_token_template_content: null});
    });
  });
}

describe(
    'claims templates across processes (postgres)',
    {skip: !postgresAvailable() && 'needs scripts/with-postgres'}, () => {
      let cluster;
      before(async () => {
        cluster = await startCluster({count: 2});
      });
      after(async () => {
        await cluster?.stop();
      });

      test('a change made through one process reaches another process\'s tokens', async () => {
        const [a, b] = cluster.nodes;
        const user = await createUser(a);
        const registered = await registerPublicClient(a, 'Cluster agent');
        // Both processes serve the client before the change, so b holds its settings in memory.
        const before = await publicClientTokens(b, {client: registered, user, scope: 'openid'});
        assert.equal(jose.decodeJwt(before.access_token).tier, undefined);

        const put = await a.api('PUT', SETTINGS, {
          access_token_template_content: {tier: 'cluster'},
          id_token_template_content: {kind: 'cluster'}
        });
        assert.equal(put.status, 200, put.text);
        await eventually(async () => {
          const t = await publicClientTokens(b, {client: registered, user, scope: 'openid'});
          assert.equal(jose.decodeJwt(t.access_token).tier, 'cluster');
          assert.equal(jose.decodeJwt(t.id_token).kind, 'cluster');
        });
        const read = await b.api('GET', SETTINGS);
        assert.equal(
            read.json.dynamic_client_settings.access_token_template_content, '{"tier":"cluster"}');
      });
    });
