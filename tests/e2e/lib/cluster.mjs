// Several `gatehouse serve` processes on one database, restartable processes for crash tests, and
// control of the test PostgreSQL server (from scripts/with-postgres) for outage tests.
import { spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { promisify } from 'node:util';
import { GatehouseProcess, GATEHOUSE_BIN, freePort, freshPostgresDatabase } from './server.mjs';

export const MASTER_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const execFileAsync = promisify(execFile);

// True when PostgreSQL-only suites should run; throws when they are required but impossible.
export function postgresAvailable() {
  if (process.env.GATEHOUSE_TEST_POSTGRES_URL) return true;
  if (process.env.GATEHOUSE_REQUIRE_POSTGRES === '1') {
    throw new Error('GATEHOUSE_REQUIRE_POSTGRES=1 but GATEHOUSE_TEST_POSTGRES_URL is not set');
  }
  return false;
}

// `count` processes on one fresh PostgreSQL database sharing master key and issuer (the first
// process's URL). `simultaneous` starts all at once on the empty database; otherwise the first
// starts alone (and prints the project credentials), then the rest together.
export async function startCluster({ count = 3, simultaneous = false } = {}) {
  const db = freshPostgresDatabase();
  const ports = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const issuer = `http://127.0.0.1:${ports[0]}`;
  const nodes = ports.map((port) => new GatehouseProcess({
    engine: 'postgres', databaseUrl: db.url, port,
    env: { GATEHOUSE_ISSUER: issuer, GATEHOUSE_MASTER_KEY: MASTER_KEY },
  }));
  const cluster = { nodes, issuer, databaseUrl: db.url };
  cluster.stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    db.drop();
  };
  try {
    if (simultaneous) {
      await Promise.all(nodes.map((n) => n.start()));
    } else {
      await nodes[0].start();
      await Promise.all(nodes.slice(1).map((n) => n.start()));
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  const printer = nodes.find((n) => n.projectSecret);
  for (const n of nodes) {
    n.projectId ??= printer?.projectId;
    n.projectSecret ??= printer?.projectSecret;
  }
  cluster.printers = nodes.filter((n) => /^project_secret: /m.test(n.output)).length;
  return cluster;
}

// Runs a CLI subcommand without blocking the event loop (so several can run at once).
export async function cliAsync(node, args) {
  const { stdout } = await execFileAsync(GATEHOUSE_BIN, args, {
    cwd: node.dir,
    env: { ...process.env, GATEHOUSE_DATABASE_URL: node.databaseUrl, GATEHOUSE_ISSUER: node.issuer,
           GATEHOUSE_MASTER_KEY: MASTER_KEY, ...node.extraEnv },
    timeout: 20000,
  });
  return stdout;
}

// Parses `gatehouse keys list` into [{kid, alg, state}].
export function parseKeyList(text) {
  return text.trim().split('\n').slice(1).filter((l) => l.trim()).map((l) => {
    const [kid, alg, state] = l.trim().split(/\s+/);
    return { kid, alg, state };
  });
}

// One server identity (directory, port, database, project credentials) that survives SIGKILL:
// `restart()` starts a new process in its place.
export class RestartableGatehouse {
  constructor({ engine }) { this.engine = engine; this.restarts = 0; }

  async start() {
    this.dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
    this.port = await freePort();
    if (this.engine === 'postgres') {
      const db = freshPostgresDatabase();
      this.databaseUrl = db.url;
      this.dropDatabase = db.drop;
    } else {
      this.databaseUrl = `sqlite://${join(this.dir, 'gatehouse.db')}`;
    }
    this.current = await this.spawn();
    this.projectId = this.current.projectId;
    this.projectSecret = this.current.projectSecret;
    if (!this.projectSecret) throw new Error(`no project credentials printed:\n${this.current.output}`);
    return this;
  }

  spawn() {
    return new GatehouseProcess({
      engine: this.engine, dir: this.dir, port: this.port, databaseUrl: this.databaseUrl,
      env: { GATEHOUSE_MASTER_KEY: MASTER_KEY },
    }).start();
  }

  get url() { return `http://127.0.0.1:${this.port}`; }
  get issuer() { return this.url; }

  // The management API through whichever process is current.
  api(method, path, body) {
    const p = this.current;
    p.projectId = this.projectId;
    p.projectSecret = this.projectSecret;
    return p.api(method, path, body);
  }

  async killHard() { await this.current.kill('SIGKILL'); }

  async restart() {
    this.current = await this.spawn();
    this.restarts += 1;
  }

  async stop() {
    await this.current?.stop({ keep: true });
    this.dropDatabase?.();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Stops and starts the PostgreSQL server that scripts/with-postgres started. Its data directory
// comes from `SHOW data_directory`; the server runs as `postgres` when the tests run as root.
export class TestPostgres {
  constructor() {
    this.url = new URL(process.env.GATEHOUSE_TEST_POSTGRES_URL);
    this.dataDir = spawnSync('psql', [this.url.href, '-Atc', 'SHOW data_directory'],
      { encoding: 'utf8' }).stdout.trim();
    if (!this.dataDir) throw new Error('cannot read data_directory from the test PostgreSQL');
    const bins = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1'],
      { encoding: 'utf8' }).stdout.trim();
    this.pgCtl = join(bins, 'pg_ctl');
    this.asUser = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    // postmaster.opts holds the command line the server was started with; reused on start.
    this.opts = readFileSync(join(this.dataDir, 'postmaster.opts'), 'utf8');
  }

  run(args) {
    const [cmd, ...rest] = [...this.asUser, this.pgCtl, ...args];
    const r = spawnSync(cmd, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
    if (r.status !== 0) throw new Error(`pg_ctl ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  }

  stop() { this.run(['-D', this.dataDir, '-m', 'fast', '-w', 'stop']); }

  start() {
    // The quoted options in postmaster.opts except the data directory, e.g. "-p" "N".
    const words = [...this.opts.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const d = words.indexOf('-D');
    const options = words.filter((_, i) => d < 0 || (i !== d && i !== d + 1))
      .map((w) => (w.includes(' ') ? `'${w}'` : w)).join(' ');
    this.run(['-D', this.dataDir, '-l', join(dirname(this.dataDir), 'server.log'), '-w', '-t', '60',
      '-o', options, 'start']);
  }
}
