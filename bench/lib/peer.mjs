// The oidc-provider side of bench/run: starts bench/peer/server.mjs (one process, or a node:cluster
// of workers for stateless workloads) on a free loopback port and runs its authorization code flow
// for seeding. The fixed clients here are the ones bench/peer/server.mjs configures.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, processFamily, stopChild } from './procs.mjs';
import { PKCE, REDIRECT_URI } from './pkce.mjs';

export const PEER_DIR = join(import.meta.dirname, '..', 'peer');
export const PEER_CLIENTS = {
  m2m: { client_id: 'bench-m2m', client_secret: 'bench-m2m-secret-0123456789abcdef0123456789abcdef' },
  public: { client_id: 'bench-public' },
  confidential: { client_id: 'bench-confidential',
    client_secret: 'bench-confidential-secret-0123456789abcdef0123456789' },
};
export const PEER_RESOURCE = 'https://api.bench.example/';
export const PEER_OPAQUE_RESOURCE = 'https://opaque.bench.example/';

export function peerInstalled() {
  return existsSync(join(PEER_DIR, 'node_modules', 'oidc-provider', 'package.json'));
}

export class Peer {
  constructor({ workers = 1, alg = 'RS256' } = {}) {
    this.workers = workers;
    this.alg = alg;
    this.output = '';
  }

  get url() { return `http://127.0.0.1:${this.port}`; }
  get pids() { return processFamily(this.child.pid); }

  async start() {
    this.port = await freePort();
    this.child = spawn(process.execPath, [join(PEER_DIR, 'server.mjs')], {
      cwd: PEER_DIR,
      env: { ...process.env, PEER_PORT: String(this.port), PEER_WORKERS: String(this.workers),
        PEER_ALG: this.alg, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (d) => { this.output = (this.output + d).slice(-20000); });
    const ready = new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`peer did not start:\n${this.output}`)), 60000);
      this.child.stdout.on('data', (d) => {
        this.output += d;
        if (/peer ready/.test(this.output)) { clearTimeout(timer); ok(); }
      });
      this.child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`peer exited ${code}:\n${this.output}`)); });
    });
    try {
      await ready;
    } catch (e) {
      this.child.kill('SIGKILL');
      throw e;
    }
    return this;
  }

  async stop() { await stopChild(this.child); }

  // GET /auth -> POST /interaction/<uid>/complete -> GET /auth/<uid> -> POST /token, as the wrk
  // script does; returns the token response.
  async authCodeFlow(client, scope, resource) {
    const auth = new URL('/auth', this.url);
    const params = { response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT_URI,
      scope, state: 'bench-state', code_challenge: PKCE.challenge, code_challenge_method: 'S256' };
    if (scope.includes('offline_access')) params.prompt = 'consent';
    if (resource) params.resource = resource;
    auth.search = new URLSearchParams(params).toString();
    const step = async (url, init = {}) => {
      const r = await fetch(new URL(url, this.url), { redirect: 'manual', ...init });
      await r.arrayBuffer();
      if (r.status !== 303) throw new Error(`peer ${init.method ?? 'GET'} ${url} -> ${r.status}`);
      return r.headers.get('location');
    };
    const interaction = await step(auth);
    const uid = /\/interaction\/([^/?]+)/.exec(interaction)[1];
    await step(`/interaction/${uid}/complete`, { method: 'POST' });
    const done = new URL(await step(`/auth/${uid}`, { headers: { cookie: `_interaction_resume=${uid}` } }));
    const code = done.searchParams.get('code');
    if (!code) throw new Error(`peer: no code in ${done}`);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI,
      code_verifier: PKCE.verifier };
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    if (client.client_secret) {
      headers.authorization = 'Basic ' + Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    } else {
      form.client_id = client.client_id;
    }
    const r = await fetch(`${this.url}/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
    const json = await r.json();
    if (r.status !== 200 || !json.access_token) throw new Error(`peer token exchange -> ${r.status}: ${JSON.stringify(json)}`);
    return json;
  }

  async clientCredentials(client, resource) {
    const headers = { 'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64') };
    const form = { grant_type: 'client_credentials', scope: 'read:bench' };
    if (resource) form.resource = resource;
    const r = await fetch(`${this.url}/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
    const json = await r.json();
    if (r.status !== 200 || !json.access_token) throw new Error(`peer client_credentials -> ${r.status}: ${JSON.stringify(json)}`);
    return json;
  }
}
