// Shared steps for end-to-end tests: a user, a connected app, and an authorization code obtained
// through the headless authorization API (no browser), then the token exchange.
import { createHash, randomBytes } from 'node:crypto';

export const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function pkcePair() {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

export async function createUser(gh, { email, password = 'correct horse battery staple' } = {}) {
  email ??= `user-${randomBytes(4).toString('hex')}@example.com`;
  const r = await gh.api('POST', '/v1/users', { email, password, name: { first_name: 'Ada', last_name: 'Lovelace' } });
  if (r.status !== 200 && r.status !== 201) throw new Error(`create user: ${r.status} ${r.text}`);
  return { ...r.json.user, email, password };
}

export async function createClient(gh, body) {
  const r = await gh.api('POST', '/v1/connected_apps/clients', {
    client_name: 'Test app',
    redirect_urls: ['http://127.0.0.1:5555/callback'],
    ...body,
  });
  if (r.status !== 200 && r.status !== 201) throw new Error(`create client: ${r.status} ${r.text}`);
  return r.json.connected_app;
}

// Runs /v1/idp/oauth/authorize for `user_id` with consent granted; returns {code, redirect}.
export async function headlessCode(gh, { client, user, scope = 'openid offline_access', state, nonce, challenge, redirect_uri, resources }) {
  const body = {
    client_id: client.client_id,
    redirect_uri: redirect_uri ?? client.redirect_urls?.[0] ?? 'http://127.0.0.1:5555/callback',
    response_type: 'code',
    scopes: scope.split(' '),
    user_id: user.user_id,
    consent_granted: true,
    state: state ?? b64url(randomBytes(8)),
    nonce,
    code_challenge: challenge,
    code_challenge_method: challenge ? 'S256' : undefined,
    resources,
  };
  const r = await gh.api('POST', '/v1/idp/oauth/authorize', body);
  if (r.status !== 200) throw new Error(`authorize: ${r.status} ${r.text}`);
  const redirect = new URL(r.json.redirect_uri);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${r.json.redirect_uri}`);
  return { code, redirect };
}

export async function tokenRequest(gh, params, { basic } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = 'Basic ' + Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64');
  const r = await fetch(`${gh.url}/v1/oauth2/token`, { method: 'POST', headers, body: new URLSearchParams(params) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, json, text };
}

// A public client's whole flow: code with PKCE, then tokens.
export async function publicClientTokens(gh, { client, user, scope = 'openid offline_access' }) {
  const { verifier, challenge } = pkcePair();
  const { code } = await headlessCode(gh, { client, user, scope, challenge, nonce: 'n-' + b64url(randomBytes(6)) });
  const t = await tokenRequest(gh, {
    grant_type: 'authorization_code', code, client_id: client.client_id,
    redirect_uri: client.redirect_urls[0], code_verifier: verifier,
  });
  if (t.status !== 200) throw new Error(`token: ${t.status} ${t.text}`);
  return t.json;
}
