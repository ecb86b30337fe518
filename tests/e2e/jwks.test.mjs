// Tokens signed by Gatehouse's keyring verify with `jose` against the published JWKS, before and
// after `gatehouse keys rotate` (the retired key stays published until its tokens expire).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createUser, createClient, publicClientTokens } from './lib/flow.mjs';

for (const engine of engines()) {
  describe(`JWKS with jose on ${engine}`, () => {
    let gh;
    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('tokens issued before and after a key rotation verify against the JWKS', async () => {
      const user = await createUser(gh);
      const client = await createClient(gh, { client_type: 'first_party_public' });
      const first = await publicClientTokens(gh, { client, user });
      const firstKid = decodeProtectedHeader(first.access_token).kid;

      const jwks = createRemoteJWKSet(new URL(`${gh.url}/.well-known/jwks.json`));
      const a = await jwtVerify(first.access_token, jwks, { issuer: gh.issuer, typ: 'at+jwt' });
      assert.equal(a.payload.sub, user.user_id);
      assert.equal(a.payload.client_id, client.client_id);
      const idt = await jwtVerify(first.id_token, jwks, { issuer: gh.issuer, audience: client.client_id });
      assert.equal(idt.payload.sub, user.user_id);

      gh.cli(['keys', 'rotate']);
      // Wait until the running server signs with the promoted key.
      let second;
      for (let i = 0; i < 50; i++) {
        second = await publicClientTokens(gh, { client, user });
        if (decodeProtectedHeader(second.access_token).kid !== firstKid) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.notEqual(decodeProtectedHeader(second.access_token).kid, firstKid);

      // A fresh JWKS fetch (no cache) verifies both the old and the new token.
      const fresh = createRemoteJWKSet(new URL(`${gh.url}/.well-known/jwks.json`), { cacheMaxAge: 0, cooldownDuration: 0 });
      await jwtVerify(first.access_token, fresh, { issuer: gh.issuer, typ: 'at+jwt' });
      await jwtVerify(second.access_token, fresh, { issuer: gh.issuer, typ: 'at+jwt' });
      const { keys } = await (await fetch(`${gh.url}/.well-known/jwks.json`)).json();
      assert.equal(new Set(keys.map((k) => k.kid)).size, keys.length, 'kids are distinct');
      assert.ok(keys.some((k) => k.kid === firstKid), 'the retired key is still published');
    });

    test('a token signed with a key that is not ours, or with alg none, is refused by userinfo', async () => {
      const forged = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: gh.issuer, sub: 'x' })).toString('base64url')}.`;
      const r = await fetch(`${gh.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${forged}` } });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /invalid_token/);
    });
  });
}
