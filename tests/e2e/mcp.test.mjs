// An MCP client meets an MCP server protected by Gatehouse, the way the MCP authorization spec
// (2025-11-25) has it happen: the MCP SDK's client (StreamableHTTPClientTransport + auth() with an
// OAuthClientProvider) gets a 401 from the example server in examples/mcp-server, follows
// RFC 9728 to Gatehouse and RFC 8414 to its endpoints, registers (once by a Client ID Metadata
// Document served over HTTPS on loopback with a test CA, once by Dynamic Client Registration),
// sends the user through Gatehouse's hosted login and consent pages in a real Chromium, exchanges
// the code for tokens bound to the MCP server (`resource` -> `aud`), calls a tool, steps up after
// a 403 insufficient_scope, refreshes, and is refused after the user revokes the app's consent.
//
// Needs: the example server's packages (`npm ci` in examples/mcp-server), the management API for
// users and the consent revocation endpoint, openssl and Chromium at /usr/bin/chromium.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { auth, refreshAuthorization, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidGrantError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createClient, createUser, publicClientTokens, tokenRequest } from './lib/flow.mjs';
import { makeTestCertificates, startDocumentServer } from './lib/test_https.mjs';
import { InMemoryOAuthClientProvider, startExampleMcpServer } from './lib/mcp_client.mjs';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update'];

// The MCP client's loopback redirect target: answers 200 to everything.
async function startCallbackServer() {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Notes agent</title><p>Signed in. You can close this tab.</p>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const toolText = (result) => JSON.parse(result.content.find((c) => c.type === 'text').text);

for (const engine of engines()) {
  describe(`MCP client, example MCP server and Gatehouse on ${engine}`, () => {
    let tls;
    let documents;
    let gh;
    let mcp;
    let callback;
    let browser;
    let user;

    before(async () => {
      tls = makeTestCertificates();
      documents = await startDocumentServer(tls);
      callback = await startCallbackServer();
      gh = await new GatehouseProcess({ engine, env: {
        GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'true',
        GATEHOUSE_CIMD_CA_FILE: tls.caFile,
      } }).start();
      mcp = await startExampleMcpServer({ issuer: gh.issuer });
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
        args: CHROMIUM_ARGS });
      user = await createUser(gh);
    });
    after(async () => {
      await browser?.close();
      await mcp?.stop();
      await gh?.stop();
      callback?.server.close();
      await documents?.close();
      tls?.remove();
    });

    test('the example server names Gatehouse in its metadata and challenges without a token', async () => {
      for (const url of [mcp.metadataUrl, new URL('/.well-known/oauth-protected-resource', mcp.url).href]) {
        const r = await fetch(url);
        assert.equal(r.status, 200, url);
        const metadata = await r.json();
        assert.equal(metadata.resource, mcp.url);
        assert.deepEqual(metadata.authorization_servers, [gh.issuer]);
        assert.ok(metadata.scopes_supported.includes('notes:read'), JSON.stringify(metadata));
      }
      const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {
        protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } };
      const post = (headers) => fetch(mcp.url, { method: 'POST', body: JSON.stringify(initialize),
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } });

      const none = await post({});
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), `Bearer resource_metadata="${mcp.metadataUrl}"`);

      const forged = await post({ authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
      assert.equal(forged.status, 401);
      assert.match(forged.headers.get('www-authenticate'), /^Bearer error="invalid_token"/);
      assert.match(forged.headers.get('www-authenticate'), new RegExp(`resource_metadata="${mcp.metadataUrl}"`));

      // Gatehouse's discovery is what the client finds next (RFC 8414).
      const as = await (await fetch(`${gh.issuer}/.well-known/oauth-authorization-server`)).json();
      assert.equal(as.issuer, gh.issuer);
      assert.equal(as.client_id_metadata_document_supported, true);
      assert.ok(as.registration_endpoint, 'registration_endpoint advertised');
    });

    test('a genuine Gatehouse token for another audience is refused (token substitution)', async () => {
      const app = await createClient(gh, { client_type: 'third_party_public', client_name: 'Other app' });
      const tokens = await publicClientTokens(gh, { client: app, user, scope: 'openid notes:read' });
      assert.equal(decodeJwt(tokens.access_token).aud, gh.issuer, 'no resource: the issuer is the audience');
      const r = await fetch(mcp.url, { method: 'POST', body: '{}', headers: {
        'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate'), /^Bearer error="invalid_token"/);
    });

    // Signs the user in and grants consent on Gatehouse's hosted pages; returns the redirect.
    async function signInAndConsent(authorizationUrl, { clientName, publisherHost }) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(authorizationUrl.href);
        await page.fill('#email', user.email);
        await page.fill('#password', user.password);
        await Promise.all([page.waitForURL(/\/oauth2\/authorize\/resume/), page.click('button[type=submit]')]);
        await page.waitForSelector('button[value=allow]');
        const text = await page.textContent('body');
        assert.match(text, new RegExp(escapeRegExp(clientName)));
        // A CIMD client is introduced by the host its document came from; a DCR client has none.
        if (publisherHost) assert.match(text, new RegExp(`Published by\\s*${escapeRegExp(publisherHost)}`));
        else assert.doesNotMatch(text, /Published by/);
        assert.ok(await page.locator('.scope-name', { hasText: /^notes:read$/ }).count() === 1, 'notes:read shown');
        await Promise.all([page.waitForURL((u) => u.href.startsWith(`${callback.base}/callback`)),
          page.click('button[value=allow]')]);
        return new URL(page.url());
      } finally {
        await context.close();
      }
    }

    async function connectedClient(provider) {
      const client = new Client({ name: 'notes-agent', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
      return client;
    }

    const registrations = [
      { kind: 'Client ID Metadata Document', cimd: true },
      { kind: 'Dynamic Client Registration', cimd: false },
    ];
    for (const { kind, cimd } of registrations) {
      describe(kind, () => {
        let provider;
        let clientId;

        test('discover from the 401, register, sign in and consent, get tokens for the MCP server', async () => {
          const redirectUrl = `${callback.base}/callback`;
          const clientName = cimd ? 'Notes agent (CIMD)' : 'Notes agent (DCR)';
          const clientMetadata = {
            client_name: clientName,
            redirect_uris: [redirectUrl],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none',
          };
          let clientMetadataUrl;
          if (cimd) {
            const path = `/clients/notes-agent-${randomBytes(4).toString('hex')}.json`;
            clientMetadataUrl = `${documents.base}${path}`;
            documents.documents.set(path, { client_id: clientMetadataUrl, ...clientMetadata });
          }
          provider = new InMemoryOAuthClientProvider({ redirectUrl, clientMetadata, clientMetadataUrl });

          // The SDK's client meets the 401, discovers, registers and hands over a URL to open.
          const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
          const client = new Client({ name: 'notes-agent', version: '1.0.0' });
          await assert.rejects(client.connect(transport), UnauthorizedError);

          const discovery = provider.discoveryState();
          assert.equal(discovery.authorizationServerUrl, gh.issuer);
          assert.equal(discovery.resourceMetadata.resource, mcp.url);
          assert.equal(discovery.authorizationServerMetadata.issuer, gh.issuer);
          clientId = provider.clientInformation().client_id;
          if (cimd) {
            assert.equal(clientId, clientMetadataUrl);
          } else {
            assert.ok(clientId && !clientId.startsWith('https://'), clientId);
            const registered = await gh.api('GET', `/v1/connected_apps/clients/${encodeURIComponent(clientId)}`);
            assert.equal(registered.status, 200, registered.text);
            assert.equal(registered.json.connected_app.creation_method, 'dynamic_registration');
            assert.equal(registered.json.connected_app.client_type, 'third_party_public');
          }

          assert.equal(provider.authorizationUrls.length, 1);
          const authorizationUrl = provider.authorizationUrls[0];
          assert.equal(`${authorizationUrl.origin}${authorizationUrl.pathname}`, `${gh.issuer}/oauth2/authorize`);
          const q = authorizationUrl.searchParams;
          assert.equal(q.get('client_id'), clientId);
          assert.equal(q.get('resource'), mcp.url);
          assert.equal(q.get('code_challenge_method'), 'S256');
          assert.equal(q.get('redirect_uri'), redirectUrl);
          assert.deepEqual(q.get('scope').split(' ').sort(), ['notes:read', 'offline_access']);

          const landed = await signInAndConsent(authorizationUrl,
            { clientName, publisherHost: cimd ? '127.0.0.1' : undefined });
          assert.equal(landed.searchParams.get('error'), null, landed.href);
          assert.equal(landed.searchParams.get('state'), q.get('state'));
          assert.equal(landed.searchParams.get('iss'), gh.issuer);
          if (cimd) {
            assert.ok(documents.hits.includes(new URL(clientMetadataUrl).pathname), 'Gatehouse fetched the document');
          }

          await transport.finishAuth(landed.searchParams.get('code'));
          const tokens = provider.tokens();
          assert.ok(tokens.access_token && tokens.refresh_token, JSON.stringify(tokens));
          assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt');
          const claims = decodeJwt(tokens.access_token);
          assert.equal(claims.iss, gh.issuer);
          assert.equal(claims.aud, mcp.url);
          assert.equal(claims.client_id, clientId);
          assert.equal(claims.sub, user.user_id);
          assert.deepEqual(claims.scope.split(' ').sort(), ['notes:read', 'offline_access']);
        });

        test('call the tools with the access token', async () => {
          assert.ok(provider?.tokens(), 'needs the tokens from the previous test');
          const client = await connectedClient(provider);
          try {
            const tools = (await client.listTools()).tools.map((t) => t.name).sort();
            assert.deepEqual(tools, ['read_notes', 'whoami']);
            const me = toolText(await client.callTool({ name: 'whoami', arguments: {} }));
            assert.equal(me.user, user.user_id);
            assert.equal(me.client_id, clientId);
            const notes = toolText(await client.callTool({ name: 'read_notes', arguments: { limit: 1 } }));
            assert.equal(notes.notes.length, 1);
            assert.equal(notes.user, user.user_id);
          } finally {
            await client.close();
          }
        });

        test('a token without notes:read gets 403 insufficient_scope, and the SDK steps up', async () => {
          assert.ok(provider?.tokens(), 'needs the tokens from the previous test');
          // A narrower access token from the same grant (scope may narrow on refresh). The public
          // client's refresh token rotates, so the provider keeps the new one.
          const narrowed = await tokenRequest(gh, { grant_type: 'refresh_token', client_id: clientId,
            refresh_token: provider.tokens().refresh_token, scope: 'offline_access', resource: mcp.url });
          assert.equal(narrowed.status, 200, narrowed.text);
          assert.equal(decodeJwt(narrowed.json.access_token).scope, 'offline_access');
          provider.saveTokens({ ...narrowed.json, issuer: gh.issuer });

          const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'read_notes', arguments: {} } };
          const refused = await fetch(mcp.url, { method: 'POST', body: JSON.stringify(call), headers: {
            'content-type': 'application/json', accept: 'application/json, text/event-stream',
            authorization: `Bearer ${narrowed.json.access_token}` } });
          assert.equal(refused.status, 403);
          const challenge = refused.headers.get('www-authenticate');
          assert.match(challenge, /^Bearer error="insufficient_scope", scope="offline_access notes:read"/);
          assert.match(challenge, new RegExp(`resource_metadata="${mcp.metadataUrl}"`));

          // The SDK answers the same 403 by calling auth() with the challenged scope; the grant
          // holds notes:read, so its refresh brings back a token that has it, and the call succeeds.
          const client = await connectedClient(provider);
          try {
            const me = toolText(await client.callTool({ name: 'whoami', arguments: {} }));
            assert.deepEqual(me.scopes, ['offline_access']);
            const notes = toolText(await client.callTool({ name: 'read_notes', arguments: {} }));
            assert.equal(notes.notes.length, 2);
          } finally {
            await client.close();
          }
          assert.deepEqual(decodeJwt(provider.tokens().access_token).scope.split(' ').sort(),
            ['notes:read', 'offline_access']);
          assert.equal(provider.authorizationUrls.length, 1, 'no new browser round trip was needed');
        });

        test('auth() refreshes: a new access token for the MCP server and a rotated refresh token', async () => {
          assert.ok(provider?.tokens(), 'needs the tokens from the previous test');
          const before = provider.tokens();
          assert.equal(await auth(provider, { serverUrl: mcp.url }), 'AUTHORIZED');
          const after = provider.tokens();
          assert.notEqual(after.access_token, before.access_token);
          assert.notEqual(after.refresh_token, before.refresh_token, 'public clients rotate');
          const claims = decodeJwt(after.access_token);
          assert.equal(claims.aud, mcp.url);
          assert.equal(claims.client_id, clientId);
          const client = await connectedClient(provider);
          try {
            assert.equal(toolText(await client.callTool({ name: 'whoami', arguments: {} })).user, user.user_id);
          } finally {
            await client.close();
          }
        });

        test('after the user revokes consent, refresh fails and new tool calls are refused', async () => {
          assert.ok(provider?.tokens(), 'needs the tokens from the previous test');
          const { refresh_token: refreshToken, access_token: accessToken } = provider.tokens();
          // A resource server that wants to see revocation before exp introspects, as a
          // confidential client of its own.
          const api = await createClient(gh, { client_type: 'third_party', client_name: 'Notes API' });
          const introspect = async () => {
            const r = await fetch(`${gh.issuer}/v1/oauth2/introspect`, { method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded',
                authorization: 'Basic ' + Buffer.from(`${api.client_id}:${api.client_secret}`).toString('base64') },
              body: new URLSearchParams({ token: accessToken }) });
            assert.equal(r.status, 200, 'POST /v1/oauth2/introspect');
            return r.json();
          };
          const live = await introspect();
          assert.equal(live.active, true, JSON.stringify(live));
          assert.equal(live.aud, mcp.url);
          assert.equal(live.client_id, clientId);

          const revoked = await gh.api('POST',
            `/v1/users/${encodeURIComponent(user.user_id)}/connected_apps/${encodeURIComponent(clientId)}/revoke`);
          assert.equal(revoked.status, 200,
            `POST /v1/users/{user_id}/connected_apps/{client_id}/revoke: ${revoked.status} ${revoked.text}`);

          const discovery = provider.discoveryState();
          await assert.rejects(refreshAuthorization(gh.issuer, {
            metadata: discovery.authorizationServerMetadata,
            clientInformation: provider.clientInformation(),
            refreshToken,
            resource: mcp.url,
          }), InvalidGrantError);

          // The SDK's own path: invalid_grant drops the tokens and asks for a new authorization.
          assert.equal(await auth(provider, { serverUrl: mcp.url }), 'REDIRECT');
          assert.ok(provider.invalidations.includes('tokens'), JSON.stringify(provider.invalidations));
          assert.equal(provider.tokens(), undefined);
          assert.equal(provider.authorizationUrls.length, 2);

          // The example server verifies JWTs locally: the old access token stays valid there until
          // its exp (docs/resource-servers.md), but without tokens the client can no longer call
          // the tools, and introspection already answers inactive.
          const client = new Client({ name: 'notes-agent', version: '1.0.0' });
          await assert.rejects(
            client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider })),
            UnauthorizedError);
          assert.equal(provider.authorizationUrls.length, 3);
          assert.ok(decodeJwt(accessToken).exp > Date.now() / 1000, 'old access token not yet expired');
          assert.deepEqual(await introspect(), { active: false }, 'introspection sees the revocation');
        });
      });
    }
  });
}
