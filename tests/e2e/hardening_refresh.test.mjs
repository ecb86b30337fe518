// Hardening found by a black-box security probe (issue 14), end to end on every engine, with a
// certified relying-party library (openid-client 6) as the public client:
//  - item 3: the refresh grace window. A public client's refresh token rotates on every use. A
//    retry of the exact previous token within refresh_grace_seconds gets a new token and leaves
//    the successor valid (the family then has two live branches); any other use of an already-used
//    token (a third use, a use after the window) revokes the whole family, every branch, and the
//    grant's access tokens. Of parallel uses of one token, the original use and at most one grace
//    retry succeed; the others are replays and revoke the family, winners included.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createClient, createUser, publicClientTokens } from './lib/flow.mjs';

const REDIRECT = 'http://127.0.0.1:5555/callback';

// The refresh grant through openid-client; a refusal comes back as { error } instead of a throw.
async function refresh(config, token) {
  try {
    return await client.refreshTokenGrant(config, token);
  } catch (e) {
    if (e instanceof client.ResponseBodyError) return { error: e.error, status: e.status };
    throw e;
  }
}

function assertRefreshed(result, what) {
  assert.ok(result.access_token, `${what}: ${JSON.stringify(result)}`);
  assert.ok(result.refresh_token, `${what}: a refresh token to use next`);
}

function assertInvalidGrant(result, what) {
  assert.equal(result.error, 'invalid_grant', `${what}: ${JSON.stringify(result)}`);
  assert.equal(result.status, 400, what);
}

async function userinfoStatus(gh, accessToken) {
  const r = await fetch(`${gh.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  await r.arrayBuffer();
  return r.status;
}

async function publicApp(gh, name) {
  const app = await createClient(gh, { client_type: 'third_party_public', client_name: name, redirect_urls: [REDIRECT] });
  const config = await client.discovery(new URL(gh.issuer), app.client_id, undefined, client.None(),
    { execute: [client.allowInsecureRequests] });
  return { app, config };
}

for (const engine of engines()) {
  describe(`hardening: refresh tokens (${engine})`, () => {
    let gh;
    let user;

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      user = await createUser(gh);
    });
    after(async () => { await gh?.stop(); });

    test('item 3: a grace retry of the previous token gets a new token and the successor stays valid', async () => {
      const { app, config } = await publicApp(gh, 'Grace retry');
      const t0 = await publicClientTokens(gh, { client: app, user });
      const first = await refresh(config, t0.refresh_token);
      assertRefreshed(first, 'the first use of T0');
      const retry = await refresh(config, t0.refresh_token);
      assertRefreshed(retry, 'the grace retry of T0');
      const t1 = first.refresh_token;
      const t1b = retry.refresh_token;
      assert.notEqual(t1b, t1, 'the retry gets a token of its own');
      assert.notEqual(t1b, t0.refresh_token);

      // Both branches are live: the successor and the retry's token each rotate on.
      assert.equal(await userinfoStatus(gh, first.access_token), 200);
      const fromT1 = await refresh(config, t1);
      assertRefreshed(fromT1, 'the successor T1 after the grace retry');
      const fromT1b = await refresh(config, t1b);
      assertRefreshed(fromT1b, 'the retry token T1\'');
      assert.equal(await userinfoStatus(gh, fromT1.access_token), 200);
      assert.equal(await userinfoStatus(gh, fromT1b.access_token), 200);
    });

    test('item 3: a third use of a token is a replay that revokes every branch of the family', async () => {
      const { app, config } = await publicApp(gh, 'Third use');
      const t0 = await publicClientTokens(gh, { client: app, user });
      const first = await refresh(config, t0.refresh_token);
      assertRefreshed(first, 'the first use of T0');
      const retry = await refresh(config, t0.refresh_token);
      assertRefreshed(retry, 'the grace retry of T0');
      // The branch of the retry moves on once before the replay.
      const next = await refresh(config, retry.refresh_token);
      assertRefreshed(next, 'T1\' rotates');

      assertInvalidGrant(await refresh(config, t0.refresh_token), 'the third use of T0');
      assertInvalidGrant(await refresh(config, first.refresh_token), 'branch T1 after the replay');
      assertInvalidGrant(await refresh(config, next.refresh_token), 'branch T1\' after the replay');
      for (const tokens of [t0, first, retry, next]) {
        assert.equal(await userinfoStatus(gh, tokens.access_token), 401, 'the grant\'s access tokens are revoked');
      }
    });

    test('item 3: reusing a used token outside its own grace retry revokes the family', async () => {
      const { app, config } = await publicApp(gh, 'Old branch reuse');
      const t0 = await publicClientTokens(gh, { client: app, user });
      const first = await refresh(config, t0.refresh_token);
      assertRefreshed(first, 'the first use of T0');
      const retry = await refresh(config, t0.refresh_token);
      assertRefreshed(retry, 'the grace retry of T0');
      // T1 rotates twice: T1 is then no longer the immediately previous token of its branch.
      const t2 = await refresh(config, first.refresh_token);
      assertRefreshed(t2, 'T1 rotates');
      const t3 = await refresh(config, t2.refresh_token);
      assertRefreshed(t3, 'T2 rotates');
      assertInvalidGrant(await refresh(config, first.refresh_token), 'T1 reused');
      assertInvalidGrant(await refresh(config, t3.refresh_token), 'the head of branch T1');
      assertInvalidGrant(await refresh(config, retry.refresh_token), 'branch T1\'');
    });

    test('item 3: of 20 parallel uses of one token, the original and at most one grace retry succeed', async () => {
      const { app, config } = await publicApp(gh, 'Parallel uses');
      const t0 = await publicClientTokens(gh, { client: app, user });
      const results = await Promise.all(Array.from({ length: 20 }, () => refresh(config, t0.refresh_token)));
      const won = results.filter((r) => r.access_token);
      const lost = results.filter((r) => !r.access_token);
      assert.ok(won.length === 1 || won.length === 2, `${won.length} of 20 parallel uses succeeded`);
      for (const r of lost) assertInvalidGrant(r, 'a parallel use beyond the grace retry');
      assert.equal(new Set(won.map((r) => r.refresh_token)).size, won.length, 'each winner has its own token');
      // Eighteen or more of them were replays: the family is gone, the winners' branches too.
      for (const r of won) {
        assertInvalidGrant(await refresh(config, r.refresh_token), 'a winner\'s token after the replays');
        assert.equal(await userinfoStatus(gh, r.access_token), 401);
      }
    });
  });

  describe(`hardening: refresh grace window closed (${engine})`, () => {
    let gh;
    let user;

    before(async () => {
      gh = await new GatehouseProcess({ engine, env: { GATEHOUSE_REFRESH_GRACE_SECONDS: '0' } }).start();
      user = await createUser(gh);
    });
    after(async () => { await gh?.stop(); });

    test('item 3: a use of the previous token after the grace window revokes the family', async () => {
      const { app, config } = await publicApp(gh, 'After the window');
      const t0 = await publicClientTokens(gh, { client: app, user });
      const first = await refresh(config, t0.refresh_token);
      assertRefreshed(first, 'the first use of T0');
      // A zero-second window ends with the second the rotation happened in.
      await new Promise((r) => setTimeout(r, 1100));
      assertInvalidGrant(await refresh(config, t0.refresh_token), 'T0 after the window');
      assertInvalidGrant(await refresh(config, first.refresh_token), 'the successor after the replay');
      assert.equal(await userinfoStatus(gh, first.access_token), 401);
    });
  });
}
