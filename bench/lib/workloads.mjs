// The bench workloads: for each, what Gatehouse and the oidc-provider peer are asked to do, as a
// plan for bench/lib/wrk.mjs. A plan names a bench/wrk script and its key=value arguments;
// `prepare` (optional) runs before every wrk run and returns extra environment (the refresh
// workload seeds fresh refresh tokens, since a replayed rotated token would revoke its family);
// `check` (optional) is one request made with fetch before any load, so a misconfigured side fails
// with its real answer instead of a table full of errors.
//
// `peerWorkers`: 2 where the work needs no state shared between oidc-provider workers (its
// in-memory adapter is per process), 1 otherwise. `stateful`: the script keeps per-connection
// state, so wrk runs one connection per thread.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotAvailable } from './gatehouse.mjs';
import { PEER_CLIENTS, PEER_OPAQUE_RESOURCE } from './peer.mjs';
import { PKCE, REDIRECT_URI } from './pkce.mjs';

const FORM = 'application/x-www-form-urlencoded';
const basic = (c) => 'Basic ' + Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64');

function fixed({ method = 'GET', path, status = '200', marker, body, contentType, authorization }) {
  const args = { method, path, status, marker };
  if (body !== undefined) args.body = body;
  if (contentType) args.content_type = contentType;
  if (authorization) args.authorization = authorization;
  return {
    script: 'request.lua',
    args,
    // One request like the ones wrk will send; "{n}" gets a value wrk never uses.
    check: async (baseUrl) => {
      const headers = {};
      if (contentType) headers['content-type'] = contentType;
      if (authorization) headers.authorization = authorization;
      const r = await fetch(baseUrl + path, { method, headers,
        body: body === undefined ? undefined : body.replaceAll('{n}', 'check') });
      const text = await r.text();
      const ok = status.split(',').map(Number).includes(r.status) && (!marker || text.includes(marker));
      if (!ok) throw new Error(`${method} ${path} -> ${r.status}: ${text.slice(0, 300)}`);
    },
  };
}

async function requireRoute(gh, method, path) {
  if (!(await gh.routeExists(method, path))) throw new NotAvailable(`${method} ${path} does not exist yet`);
}

function registrationBody() {
  return JSON.stringify({
    client_name: 'bench client {n}',
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  });
}

// Seeds one refresh token per connection through the authorization code flow and writes them to
// a file the refresh script reads.
function refreshPrepare(seed, tmpDir, label) {
  let run = 0;
  return async (connections) => {
    const tokens = [];
    for (let i = 0; i < connections; i += 1) tokens.push(await seed());
    const file = join(tmpDir, `refresh-${label}-${run += 1}.txt`);
    writeFileSync(file, tokens.join('\n') + '\n');
    return { BENCH_REFRESH_TOKENS: file };
  };
}

export const WORKLOADS = {
  client_credentials: {
    description: 'M2M token issuance: client_credentials with client_secret_basic, scope read:bench, JWT access token (RS256, or ES256 with --alg)',
    peerWorkers: 2,
    issuance: true,
    async gatehouse(gh) {
      const c = await gh.m2mClient();
      return fixed({ method: 'POST', path: '/v1/oauth2/token', contentType: FORM, authorization: basic(c),
        body: 'grant_type=client_credentials&scope=read%3Abench', marker: '"access_token"' });
    },
    async peer() {
      return fixed({ method: 'POST', path: '/token', contentType: FORM, authorization: basic(PEER_CLIENTS.m2m),
        body: 'grant_type=client_credentials&scope=read%3Abench', marker: '"access_token"' });
    },
  },

  introspect: {
    description: 'RFC 7662 introspection of an active access token by a confidential client (Basic auth)',
    peerWorkers: 1,
    async gatehouse(gh) {
      await requireRoute(gh, 'POST', '/v1/oauth2/introspect');
      const c = await gh.connectedApp('first_party');
      const token = (await gh.authCodeFlow(c, ['openid'])).access_token;
      return fixed({ method: 'POST', path: '/v1/oauth2/introspect', contentType: FORM, authorization: basic(c),
        body: `token=${token}`, marker: '"active":true' });
    },
    async peer(peer) {
      // oidc-provider keeps no record of JWT access tokens and answers active:false for them, so
      // its introspection works on an opaque token of the same kind of grant (an in-memory lookup).
      const c = PEER_CLIENTS.confidential;
      const token = (await peer.authCodeFlow(c, 'openid read:bench', PEER_OPAQUE_RESOURCE)).access_token;
      return fixed({ method: 'POST', path: '/token/introspection', contentType: FORM, authorization: basic(c),
        body: `token=${token}`, marker: '"active":true' });
    },
  },

  refresh: {
    description: 'refresh_token grant for a public client with rotation; each request uses the token the previous response returned',
    peerWorkers: 1,
    stateful: true,
    issuance: true,
    async gatehouse(gh, ctx) {
      const c = await gh.connectedApp('first_party_public');
      const seed = async () => (await gh.authCodeFlow(c, ['openid', 'offline_access'])).refresh_token;
      return { script: 'refresh.lua', args: { path: '/v1/oauth2/token', client_id: c.client_id },
        prepare: refreshPrepare(seed, ctx.tmpDir, 'gatehouse') };
    },
    async peer(peer, ctx) {
      const c = PEER_CLIENTS.public;
      const seed = async () => (await peer.authCodeFlow(c, 'openid offline_access read:bench')).refresh_token;
      return { script: 'refresh.lua', args: { path: '/token', client_id: c.client_id },
        prepare: refreshPrepare(seed, ctx.tmpDir, 'peer') };
    },
  },

  auth_code: {
    description: 'whole authorization code + PKCE flow (public client, scope openid): start, consent, token exchange; counted in flows',
    peerWorkers: 1,
    stateful: true,
    issuance: true,
    flows: true,
    async gatehouse(gh) {
      const c = await gh.connectedApp('first_party_public');
      const userId = await gh.user();
      await gh.authCodeFlow(c, ['openid']);
      return { script: 'gatehouse_auth_code.lua', args: { authorization: gh.basic, client_id: c.client_id,
        redirect_uri: REDIRECT_URI, user_id: userId, scope: 'openid', verifier: PKCE.verifier,
        challenge: PKCE.challenge } };
    },
    async peer(peer) {
      const c = PEER_CLIENTS.public;
      await peer.authCodeFlow(c, 'openid read:bench');
      return { script: 'peer_auth_code.lua', args: { client_id: c.client_id, redirect_uri: REDIRECT_URI,
        scope: 'openid read:bench', verifier: PKCE.verifier, challenge: PKCE.challenge } };
    },
  },

  jwks: {
    description: 'GET the JWKS document',
    peerWorkers: 2,
    async gatehouse() { return fixed({ path: '/.well-known/jwks.json', marker: '"keys"' }); },
    async peer() { return fixed({ path: '/jwks', marker: '"keys"' }); },
  },

  discovery: {
    description: 'GET /.well-known/openid-configuration',
    peerWorkers: 2,
    async gatehouse() { return fixed({ path: '/.well-known/openid-configuration', marker: '"issuer"' }); },
    async peer() { return fixed({ path: '/.well-known/openid-configuration', marker: '"issuer"' }); },
  },

  register: {
    description: 'RFC 7591 dynamic registration of a new confidential client each request (unique client_name)',
    peerWorkers: 1,
    async gatehouse(gh) {
      await requireRoute(gh, 'POST', '/v1/oauth2/register');
      return fixed({ method: 'POST', path: '/v1/oauth2/register', contentType: 'application/json',
        body: registrationBody(), status: '200,201', marker: '"client_secret"' });
    },
    async peer() {
      return fixed({ method: 'POST', path: '/reg', contentType: 'application/json',
        body: registrationBody(), status: '201', marker: '"client_secret"' });
    },
  },
};
