// The Gatehouse side of bench/run: starts `gatehouse serve` (SQLite in a temp dir, or a fresh
// database on the PostgreSQL named by GATEHOUSE_TEST_POSTGRES_URL) signing with the bench's
// algorithm (GATEHOUSE_SIGNING_ALGORITHM), reads the project credentials
// it prints on first start, creates the bench fixtures through the management API, and runs the
// authorization code flow the seeding needs. Endpoints other engineers have not built yet are
// detected by the router's 404 ("no such endpoint") and reported as not available.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, waitForHttp, stopChild } from './procs.mjs';
import { PKCE, REDIRECT_URI } from './pkce.mjs';

const MASTER_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export class NotAvailable extends Error {}

export class Gatehouse {
  constructor({ bin, db, alg = 'RS256' }) {
    this.bin = bin;
    this.db = db;
    this.alg = alg;
    this.output = '';
    this.stderr = '';
    this.fixtures = {};
  }

  get url() { return `http://127.0.0.1:${this.port}`; }
  get pid() { return this.child.pid; }
  get basic() {
    return 'Basic ' + Buffer.from(`${this.projectId}:${this.projectSecret}`).toString('base64');
  }

  async start() {
    this.dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
    this.port = await freePort();
    let databaseUrl = `sqlite://${join(this.dir, 'gatehouse.db')}`;
    if (this.db === 'postgres') {
      const base = process.env.GATEHOUSE_TEST_POSTGRES_URL;
      if (!base) throw new Error('--db postgres needs GATEHOUSE_TEST_POSTGRES_URL (bench/run sets it)');
      const name = `gh_bench_${randomBytes(6).toString('hex')}`;
      execFileSync('psql', [base, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
      const url = new URL(base);
      url.pathname = `/${name}`;
      databaseUrl = url.href;
      this.dropDatabase = () => {
        try {
          execFileSync('psql', [base, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' });
        } catch { /* best effort */ }
      };
    }
    // bench/run seeds this database while the server runs (--seed).
    this.databaseUrl = databaseUrl;
    const env = {
      ...process.env,
      GATEHOUSE_SIGNING_ALGORITHM: this.alg,
      GATEHOUSE_ISSUER: this.url,
      GATEHOUSE_LISTEN: `127.0.0.1:${this.port}`,
      GATEHOUSE_DATABASE_URL: databaseUrl,
      GATEHOUSE_MASTER_KEY: MASTER_KEY,
      // Every workload drives thousands of requests a second from one loopback address and one
      // client: the abuse limits (and the dynamic client cap, for register) are off.
      GATEHOUSE_REGISTRATION_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
      GATEHOUSE_TOKEN_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
      GATEHOUSE_TOKEN_LIMIT_PER_CLIENT_PER_MINUTE: '0',
      GATEHOUSE_INTROSPECTION_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
      GATEHOUSE_INTROSPECTION_LIMIT_PER_CLIENT_PER_MINUTE: '0',
      GATEHOUSE_MAX_DYNAMIC_CLIENTS: '0',
    };
    this.child = spawn(this.bin, ['serve'], { env, cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d) => { this.output += d; });
    this.child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-20000); });
    try {
      await waitForHttp(`${this.url}/healthz`, { exited: () => this.child.exitCode !== null });
    } catch (e) {
      throw new Error(`${e.message}\n${this.output}\n${this.stderr}`);
    }
    this.projectId = /^project_id: (\S+)$/m.exec(this.output)?.[1];
    this.projectSecret = /^project_secret: (\S+)$/m.exec(this.output)?.[1];
    if (!this.projectId || !this.projectSecret) throw new Error(`no project credentials printed:\n${this.output}`);
    return this;
  }

  async stop() {
    await stopChild(this.child);
    this.dropDatabase?.();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async fetchJson(method, path, { body, form, auth } = {}) {
    const headers = {};
    if (auth) headers.authorization = auth;
    let payload;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const r = await fetch(`${this.url}${path}`, { method, headers, body: payload });
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    const missing = r.status === 404 && /no such endpoint/.test(text);
    return { status: r.status, json, text, missing };
  }

  // Management API call that must succeed; a missing route throws NotAvailable.
  async api(method, path, body) {
    const r = await this.fetchJson(method, path, { body, auth: this.basic });
    if (r.missing) throw new NotAvailable(`${method} ${path} does not exist yet`);
    if (r.status !== 200 && r.status !== 201) {
      throw new Error(`${method} ${path} -> ${r.status}: ${r.text.slice(0, 300)}`);
    }
    return r.json;
  }

  // Whether a route exists (any answer but the router's own 404).
  async routeExists(method, path) {
    const r = await this.fetchJson(method, path, { form: {} });
    return !r.missing;
  }

  async user() {
    // No password: the headless flow names the user by id, and an Argon2id hash (64 MiB) at
    // fixture time would set the VmHWM the bench reports.
    this.fixtures.user ??= (await this.api('POST', '/v1/users', {
      email: 'bench-user@bench.example',
    })).user_id;
    return this.fixtures.user;
  }

  async connectedApp(kind) {
    const key = `app_${kind}`;
    if (!this.fixtures[key]) {
      const json = await this.api('POST', '/v1/connected_apps/clients', {
        client_type: kind, client_name: `bench ${kind}`, redirect_urls: [REDIRECT_URI],
      });
      this.fixtures[key] = { client_id: json.connected_app.client_id,
        client_secret: json.connected_app.client_secret ?? json.client_secret };
    }
    return this.fixtures[key];
  }

  async m2mClient() {
    if (!this.fixtures.m2m) {
      const json = await this.api('POST', '/v1/m2m/clients', {
        client_name: 'bench m2m', scopes: ['read:bench'],
      });
      const c = json.m2m_client ?? json.client ?? json;
      if (!c.client_id || !c.client_secret) throw new Error(`unexpected M2M client response: ${JSON.stringify(json).slice(0, 300)}`);
      this.fixtures.m2m = { client_id: c.client_id, client_secret: c.client_secret };
    }
    return this.fixtures.m2m;
  }

  // The whole authorization code + PKCE flow through the headless API; returns the token response.
  async authCodeFlow(client, scopes) {
    const userId = await this.user();
    const request = {
      client_id: client.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scopes,
      user_id: userId, state: 'bench-state', code_challenge: PKCE.challenge,
      code_challenge_method: 'S256',
    };
    await this.api('POST', '/v1/idp/oauth/authorize/start', request);
    const submitted = await this.api('POST', '/v1/idp/oauth/authorize', { ...request, consent_granted: true });
    const code = new URL(submitted.redirect_uri).searchParams.get('code');
    if (!code) throw new Error(`no code in ${submitted.redirect_uri}`);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI,
      code_verifier: PKCE.verifier };
    let auth;
    if (client.client_secret) {
      auth = 'Basic ' + Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    } else {
      form.client_id = client.client_id;
    }
    const r = await this.fetchJson('POST', '/v1/oauth2/token', { form, auth });
    if (r.status !== 200 || !r.json?.access_token) throw new Error(`token exchange -> ${r.status}: ${r.text.slice(0, 300)}`);
    return r.json;
  }
}
