// Tools for the RFC 9700 attack suite: raw requests to /oauth2/authorize that never follow a
// redirect, a small cookie jar for the hosted forms, JWT forgery, and the refusal checks every
// attack shares (an error page is HTML with no Location; an OAuth error is JSON with a safe
// error_description).
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, createPublicKey, createSign } from 'node:crypto';

export const b64urlJson = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');

// Only printable ASCII, never '"' or '\' (RFC 6749 5.2).
const SAFE_DESCRIPTION = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function assertSafeDescription(json) {
  if (json?.error_description !== undefined) {
    assert.match(json.error_description, SAFE_DESCRIPTION, `unsafe: ${json.error_description}`);
  }
}

// GET /oauth2/authorize with the parameters given as [key, value] pairs (so they may repeat).
export async function authorizeGet(gh, pairs, { cookie } = {}) {
  const u = new URL(`${gh.issuer}/oauth2/authorize`);
  for (const [k, v] of pairs) u.searchParams.append(k, v);
  return rawGet(u.href, { cookie });
}

export async function rawGet(url, { cookie } = {}) {
  const r = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: r.status, headers: r.headers, location: r.headers.get('location'), text: await r.text() };
}

// The refusal for a request whose client or redirect URI cannot be trusted: an HTML page.
export function assertErrorPage(r, what) {
  assert.equal(r.location, null, `${what}: redirected to ${r.location}`);
  assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status}`);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/, what);
  assertFrameHeaders(r.headers, what);
}

export function assertFrameHeaders(headers, what) {
  assert.equal(headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.match(headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/,
    `${what}: CSP frame-ancestors`);
}

// An authorization response delivered by redirect: Location on the registered URI, with iss.
export function assertRedirectError(r, { registered, error, issuer, state }) {
  assert.ok(r.status === 302 || r.status === 303, `status ${r.status}: ${r.text.slice(0, 200)}`);
  const loc = new URL(r.location);
  assert.equal(`${loc.origin}${loc.pathname}`, registered);
  assert.equal(loc.searchParams.get('error'), error, r.location);
  assert.equal(loc.searchParams.get('iss'), issuer);
  if (state !== undefined) assert.equal(loc.searchParams.get('state'), state);
  const description = loc.searchParams.get('error_description');
  if (description !== null) assertSafeDescription({ error_description: description });
  return loc;
}

// Cookie jar: enough for the login/consent round trip (name=value only).
export class CookieJar {
  constructor() { this.cookies = new Map(); }
  take(headers) {
    for (const c of headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

export function hiddenField(html, name) {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return m ? m[1].replaceAll('&amp;', '&').replaceAll('&#x3D;', '=').replaceAll('&#61;', '=') : undefined;
}

export async function postForm(url, fields, { cookie } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const r = await fetch(url, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(fields) });
  return { status: r.status, headers: r.headers, location: r.headers.get('location'), text: await r.text() };
}

export async function userinfo(gh, token) {
  const r = await fetch(`${gh.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

export function decodeJwt(token) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

export function hs256(header, payload, key) {
  const input = `${b64urlJson(header)}.${b64urlJson(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

// An RS256 JWT signed with a fresh key of the attacker's.
const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
export function rs256Attacker(header, payload) {
  const input = `${b64urlJson({ ...header, alg: 'RS256' })}.${b64urlJson(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(attackerKey).toString('base64url')}`;
}

export function publicKeyMaterials(jwk) {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const materials = [JSON.stringify(jwk), key.export({ type: 'spki', format: 'pem' }),
    key.export({ type: 'spki', format: 'der' })];
  if (jwk.kty === 'RSA') materials.push(key.export({ type: 'pkcs1', format: 'pem' }));
  return materials;
}
