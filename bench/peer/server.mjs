// The comparison peer for bench/run: oidc-provider (npm) configured to do the same work as
// Gatehouse, in its fastest configuration: in-memory adapter (the library's default), RS256 (or
// ES256) JWT access tokens through the resource indicators feature, unsigned cookies (no keys), no
// hosted UI.
//
//   PEER_PORT=NNNN [PEER_WORKERS=2] [PEER_ALG=RS256|ES256] node server.mjs
//
// PEER_ALG (default RS256) is the one signing algorithm: the only key in the JWKS (RSA-2048 or
// P-256), the resource server's JWT access tokens and every client's ID tokens
// (clientDefaults.id_token_signed_response_alg, which dynamically registered clients inherit too).
// PEER_WORKERS > 1 runs a node:cluster of that many workers sharing the port. The key is made
// once in the primary and handed to every worker, so the workers publish and sign with the same
// key. Only stateless workloads (jwks, discovery, client_credentials) may use more than one
// worker: the in-memory adapter is per process, so codes, grants and refresh tokens issued by one
// worker are unknown to the others.
//
// Prints "peer ready <pid>" on stdout once every worker listens.
//
// Per authorization code flow the peer does (driven by bench/wrk/peer_auth_code.lua):
//   1. GET /auth?... (PKCE S256, state)       -> validates, stores an Interaction, 303 to
//                                               /interaction/<uid>, sets the interaction cookies
//   2. POST /interaction/<uid>/complete        -> (this file) finds the Interaction, records the
//                                               login (fixed account) and a consent Grant of the
//                                               requested scopes, 303 to /auth/<uid>
//   3. GET /auth/<uid> + resume cookie         -> creates the Session, issues the code, 303 to the
//                                               redirect_uri with code, state and iss
//   4. POST /token (authorization_code, PKCE)  -> verifies the code and verifier, signs the JWT
//                                               access token and the ID token
// Step 2 is what provider.interactionResult() does minus the cookie lookup: the bench client has
// no cookie jar for the short-lived _interaction cookie, and skipping it only saves the peer work.
import cluster from 'node:cluster';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PEER_PORT);
const workers = Math.max(1, Number(process.env.PEER_WORKERS ?? 1));
const alg = process.env.PEER_ALG ?? 'RS256';
if (!port) {
  console.error('PEER_PORT is required');
  process.exit(2);
}
if (alg !== 'RS256' && alg !== 'ES256') {
  console.error('PEER_ALG must be RS256 or ES256');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

// The resource server every access token is for: a JWT (PEER_ALG) like Gatehouse's, except for
// the introspection resource, whose tokens are opaque (see below).
const RESOURCE = 'https://api.bench.example/';
// oidc-provider does not store JWT access tokens, so it cannot introspect them. The introspect
// workload therefore introspects an opaque token (an in-memory lookup) of this resource.
const OPAQUE_RESOURCE = 'https://opaque.bench.example/';
const ACCOUNT = 'bench-user';

// Fixed bench clients; bench/lib/peer.mjs uses the same values.
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const clients = [
  {
    client_id: 'bench-m2m',
    client_secret: 'bench-m2m-secret-0123456789abcdef0123456789abcdef',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'read:bench',
  },
  {
    client_id: 'bench-public',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'none',
  },
  {
    client_id: 'bench-confidential',
    client_secret: 'bench-confidential-secret-0123456789abcdef0123456789',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_basic',
  },
];

function makeJwk() {
  const { privateKey } = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: `bench-${alg.toLowerCase()}`, alg, use: 'sig' };
}

function configuration(jwk) {
  return {
    clients,
    // The library's defaults, with ID tokens signed by the bench algorithm.
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: alg,
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    jwks: { keys: [jwk] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'read:bench'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@bench.example`, email_verified: true }),
    }),
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, client, oneOf) => oneOf ?? RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource) => {
          if (resource === OPAQUE_RESOURCE) {
            return { scope: 'read:bench', audience: resource, accessTokenFormat: 'opaque' };
          }
          if (resource !== RESOURCE) throw new Error('unknown resource');
          return {
            scope: 'read:bench',
            audience: resource,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg } },
          };
        },
      },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 30 * 24 * 3600,
      Grant: 30 * 24 * 3600,
      Session: 7 * 24 * 3600,
      Interaction: 600,
    },
  };
}

// POST /interaction/<uid>/complete: login + consent for the fixed account (see the header).
async function completeInteraction(provider, uid, res) {
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('interaction not found');
    return;
  }
  const { params } = interaction;
  const grant = new provider.Grant({ accountId: ACCOUNT, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  grant.addResourceScope(params.resource ?? RESOURCE, 'read:bench');
  const grantId = await grant.save();
  interaction.result = { login: { accountId: ACCOUNT }, consent: { grantId } };
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
  res.writeHead(303, { location: interaction.returnTo }).end();
}

function serve(jwk) {
  const provider = new Provider(issuer, configuration(jwk));
  provider.on('server_error', (ctx, err) => console.error('peer server_error', err));
  const callback = provider.callback();
  const complete = /^\/interaction\/([^/?]+)\/complete$/;
  const server = http.createServer((req, res) => {
    const match = req.method === 'POST' ? complete.exec(req.url) : null;
    if (!match) return callback(req, res);
    req.resume();
    completeInteraction(provider, match[1], res).catch((err) => {
      console.error('peer complete failed', err);
      res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isWorker) process.send?.('listening');
    else console.log(`peer ready ${process.pid}`);
  });
}

if (workers > 1 && cluster.isPrimary) {
  const jwk = makeJwk();
  let listening = 0;
  for (let i = 0; i < workers; i += 1) {
    const worker = cluster.fork({ PEER_JWK: JSON.stringify(jwk) });
    worker.on('message', (m) => {
      if (m === 'listening' && ++listening === workers) console.log(`peer ready ${process.pid}`);
    });
    worker.on('exit', (code, signal) => {
      if (!shuttingDown) {
        console.error(`peer worker exited (${code ?? signal})`);
        process.exit(1);
      }
    });
  }
  let shuttingDown = false;
  const stop = () => {
    shuttingDown = true;
    for (const w of Object.values(cluster.workers)) w.kill('SIGTERM');
    setTimeout(() => process.exit(0), 200);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  serve(process.env.PEER_JWK ? JSON.parse(process.env.PEER_JWK) : makeJwk());
}
