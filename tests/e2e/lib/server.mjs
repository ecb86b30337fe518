// Starts a real `gatehouse serve` for an end-to-end test: a temp directory, a free loopback
// port, SQLite by default or a fresh database on the test PostgreSQL (engine: 'postgres', using
// GATEHOUSE_TEST_POSTGRES_URL from scripts/with-postgres). Reads the project credentials the
// server prints on first start and waits for /healthz.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const GATEHOUSE_BIN = process.env.GATEHOUSE_BIN ??
  resolve(import.meta.dirname, '../../../build/src/app/gatehouse');

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export function engines() {
  const list = ['sqlite'];
  if (process.env.GATEHOUSE_TEST_POSTGRES_URL) list.push('postgres');
  else if (process.env.GATEHOUSE_REQUIRE_POSTGRES === '1') {
    throw new Error('GATEHOUSE_REQUIRE_POSTGRES=1 but GATEHOUSE_TEST_POSTGRES_URL is not set');
  }
  return list;
}

// Creates a fresh PostgreSQL database next to the test server's default one.
export function freshPostgresDatabase() {
  const base = new URL(process.env.GATEHOUSE_TEST_POSTGRES_URL);
  const name = `gh_e2e_${randomBytes(6).toString('hex')}`;
  execFileSync('psql', [base.href, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const url = new URL(base.href);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => {
    try { execFileSync('psql', [base.href, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' }); } catch { /* best effort */ }
  } };
}

export class GatehouseProcess {
  constructor({ engine = 'sqlite', env = {}, dir, databaseUrl, port } = {}) {
    this.engine = engine;
    this.extraEnv = env;
    this.dir = dir;
    this.databaseUrl = databaseUrl;
    this.port = port;
    this.output = '';
  }

  get issuer() { return `http://127.0.0.1:${this.port}`; }
  get url() { return this.issuer; }

  async start() {
    this.ownsDir = !this.dir;
    this.dir ??= mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
    this.port ??= await freePort();
    if (!this.databaseUrl) {
      if (this.engine === 'postgres') {
        const db = freshPostgresDatabase();
        this.databaseUrl = db.url;
        this.dropDatabase = db.drop;
      } else {
        this.databaseUrl = `sqlite://${join(this.dir, 'gatehouse.db')}`;
      }
    }
    const env = {
      ...process.env,
      GATEHOUSE_ISSUER: this.issuer,
      GATEHOUSE_LISTEN: `127.0.0.1:${this.port}`,
      GATEHOUSE_DATABASE_URL: this.databaseUrl,
      GATEHOUSE_MASTER_KEY: this.extraEnv.GATEHOUSE_MASTER_KEY ??
        '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      ...this.extraEnv,
    };
    this.child = spawn(GATEHOUSE_BIN, ['serve'], { env, cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((ok) => this.child.once('exit', (code, signal) => ok({ code, signal })));
    this.child.stdout.on('data', (d) => { this.output += d; });
    this.child.stderr.on('data', (d) => { this.stderr = (this.stderr ?? '') + d; });
    await this.waitHealthy();
    const id = /^project_id: (\S+)$/m.exec(this.output);
    const secret = /^project_secret: (\S+)$/m.exec(this.output);
    if (id && secret) { this.projectId = id[1]; this.projectSecret = secret[1]; }
    return this;
  }

  async waitHealthy(timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    let exited = null;
    this.exited.then((e) => { exited = e; });
    while (Date.now() < deadline) {
      if (exited) throw new Error(`gatehouse exited (${JSON.stringify(exited)}):\n${this.output}\n${this.stderr ?? ''}`);
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`gatehouse did not become healthy:\n${this.output}\n${this.stderr ?? ''}`);
  }

  // Runs a CLI subcommand against the same database; returns stdout.
  cli(args, extraEnv = {}) {
    return execFileSync(GATEHOUSE_BIN, args, {
      cwd: this.dir,
      env: { ...process.env, GATEHOUSE_DATABASE_URL: this.databaseUrl, GATEHOUSE_ISSUER: this.issuer,
             GATEHOUSE_MASTER_KEY: this.extraEnv.GATEHOUSE_MASTER_KEY ??
               '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', ...this.extraEnv, ...extraEnv },
      encoding: 'utf8',
    });
  }

  async kill(signal = 'SIGTERM') {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }

  async stop({ keep = false } = {}) {
    await this.kill('SIGTERM');
    if (!keep) {
      this.dropDatabase?.();
      if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
    }
  }

  // The management API with project credentials.
  async api(method, path, body) {
    const r = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: 'Basic ' + Buffer.from(`${this.projectId}:${this.projectSecret}`).toString('base64'),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: r.status, headers: r.headers, json, text };
  }
}
