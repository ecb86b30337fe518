// bench/seed's implementation: fills a migrated Gatehouse database with N rows per table of
// realistic-looking data, so the workloads run against indexes of production size (issue 7: every
// workload within 10% with 1M clients, users and grants). Set-based SQL only: each table is one
// INSERT ... SELECT over a counter (WITH RECURSIVE on SQLite through the sqlite3 CLI,
// generate_series on PostgreSQL through psql), never a row per round trip.
//
// What row n of each table looks like is a pure function of n (and of the row count for the
// grant -> client mapping), so grants, refresh tokens, consents and sessions name their users and
// clients by recomputing the same id expression instead of joining. Ids have Gatehouse's shape,
// "<prefix>-<environment>-<uuid v4>", with "seed" in the environment's place
// ("user-seed-3f1c...", "connected-app-seed-...", same length as "-test-"/"-live-"), and emails
// start with "seed.", so seeded rows never collide with anything the bench fixtures create. The
// UUIDs are built from multiplicative hashes of n: the first group alone is a bijection of
// n mod 2^32, so ids are distinct, and they arrive in no particular order (as random UUIDs do),
// which is what makes the primary-key B-trees realistic. Token and secret hashes are real digests
// of per-row strings (sha3 on SQLite, sha256 on PostgreSQL): distinct and uniformly spread.
//
// Nothing seeded expires or becomes garbage during a bench run: refresh tokens and sessions expire
// days from now, revoked grants were revoked within the last half hour, and every grant holds a
// refresh token, so Gatehouse's garbage collection finds nothing to delete (it still has to look).
//
// Failure: throws Error with the engine's message. A failed table leaves the tables before it
// seeded (each table is one transaction). Seeding the same database twice is refused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

// One Argon2id hash (libsodium crypto_pwhash_str, interactive limits: m=64 MiB, t=2) of the
// password "seed-password", computed once when this file was written and shared by every seeded
// user that has a password: the stored strings look like Gatehouse's, and seeded users can sign
// in, without paying 50 ms of Argon2 per row.
export const SEED_PASSWORD = 'seed-password';
const SHARED_PASSWORD_HASH =
  '$argon2id$v=19$m=65536,t=2,p=1$Abj+fmx69SYhzrjfwNYIig$Mph0iWz7xygFlULDI6JHCfdOkHZFskeAi8o2u9gf4pY';

const DAY = 86400;

// The SQL that differs between the engines; everything else is written once.
const DIALECTS = {
  sqlite: {
    series: (n) => `(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${n}) SELECT n FROM c) AS seq`,
    hex: (x, width) => `printf('%0${width}x', ${x})`,
    dec: (x, width) => `printf('%0${width}d', ${x})`,
    digest: (x) => `lower(hex(sha3(${x}, 256)))`,
  },
  postgres: {
    series: (n) => `generate_series(1::bigint, ${n}::bigint) AS seq(n)`,
    hex: (x, width) => `lpad(to_hex(${x}), ${width}, '0')`,
    dec: (x, width) => `lpad(CAST(${x} AS TEXT), ${width}, '0')`,
    digest: (x) => `encode(sha256(convert_to(${x}, 'UTF8')), 'hex')`,
  },
};

// Odd multipliers (so n -> n * A mod 2^32 is a bijection) for the four 32-bit words of a UUID.
const MULTIPLIERS = [2654435761, 2246822519, 3266489917, 668265263];

const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Emma', 'Finn', 'Grace', 'Hugo', 'Iris', 'Jon',
  'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya'];
const LAST_NAMES = ['Anders', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hansen',
  'Ito', 'Jones', 'Kowalski', 'Lopez', 'Martin', 'Nguyen', 'Okafor', 'Patel'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example'];
const GRANT_SCOPES = ['openid offline_access', 'openid email profile offline_access',
  'openid profile offline_access', 'email offline_access openid'];

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// CASE x % len WHEN 0 THEN list[0] ... END
function pick(x, list) {
  return `CASE ${x} % ${list.length} ${list.map((v, i) => `WHEN ${i} THEN ${quote(v)}`).join(' ')} END`;
}

// The statements, for one dialect, row count and clock.
function statements(d, rows, now) {
  const hex8 = (x) => d.hex(x, 8);
  const word = (x, salt, k) => `((CAST(${x} AS BIGINT) + ${salt * 1000003}) * ${MULTIPLIERS[k]} & 4294967295)`;
  const uuid = (x, salt) => [
    hex8(word(x, salt, 0)), `'-'`,
    `substr(${hex8(word(x, salt, 1))}, 1, 4)`, `'-4'`, `substr(${hex8(word(x, salt, 1))}, 6, 3)`, `'-'`,
    `substr('89ab', CAST((${word(x, salt, 2)} & 3) AS INTEGER) + 1, 1)`,
    `substr(${hex8(word(x, salt, 2))}, 2, 3)`, `'-'`,
    `substr(${hex8(word(x, salt, 2))}, 5, 4)`, hex8(word(x, salt, 3)),
  ].join(' || ');
  // A base64url SHA-256 is 43 characters; the hex digest cut to that length has the same size.
  const hash43 = (x) => `substr(${d.digest(x)}, 1, 43)`;

  // Connected apps: 70% created through the API (all four types), 25% by Dynamic Client
  // Registration (third-party, half public), 5% Client ID Metadata Document clients (public, the
  // document URL is the client id).
  const isCimd = (x) => `(${x}) % 20 = 19`;
  const isDcr = (x) => `(${x}) % 20 BETWEEN 14 AND 18`;
  const isApi = (x) => `(${x}) % 20 < 14`;
  const confidential = (x) => `((${isApi(x)} AND (${x}) % 2 = 0) OR (${isDcr(x)} AND (${x}) % 2 = 1))`;
  const cimdUrl = (x) => `'https://seed-' || (${x}) || '.apps.seed.example/oauth/client.json'`;
  const clientId = (x) => `CASE WHEN ${isCimd(x)} THEN ${cimdUrl(x)} ELSE 'connected-app-seed-' || ${uuid(x, 1)} END`;
  const userId = (x) => `'user-seed-' || ${uuid(x, 2)}`;
  const grantId = (x) => `'grant-seed-' || ${uuid(x, 3)}`;
  const sessionId = (x) => `'session-seed-' || ${uuid(x, 4)}`;
  const m2mId = (x) => `'m2m-client-seed-' || ${uuid(x, 5)}`;
  // Grant n belongs to user n and to client c(n), a permutation of 1..rows when rows is coprime
  // with 40503 (and close to one otherwise): (user, client) pairs are distinct either way.
  const grantClient = `((n * 40503) % ${rows} + 1)`;

  // Clients were created over the last 400 days, users likewise; grants (and their refresh tokens)
  // within the refresh token lifetime, sessions within the session lifetime.
  const since = (span) => `(${now - span} + n * ${span} / ${rows})`;
  const clientCreated = since(400 * DAY);
  const grantCreated = `(${now} - n * ${29 * DAY} / ${rows})`;
  const sessionCreated = `(${now} - n * ${6 * DAY} / ${rows})`;
  const grantScope = pick('n', GRANT_SCOPES);

  const webRedirect = `'["https://app-' || n || '.seed.example/callback"]'`;
  const inserts = [
    {
      table: 'clients',
      sql: `INSERT INTO clients (client_id, client_type, creation_method, client_name, client_description,
  redirect_uris, post_logout_redirect_uris, logo_url, client_uri, full_access_allowed,
  bypass_consent_for_offline_access, access_token_expiry_minutes, client_id_metadata_url, application_type,
  secret_hash, secret_last_four, status, registration_metadata, dedup_hash, created_at, updated_at)
SELECT ${clientId('n')},
  CASE WHEN ${isCimd('n')} THEN 'third_party_public'
       WHEN ${isDcr('n')} THEN CASE WHEN n % 2 = 1 THEN 'third_party' ELSE 'third_party_public' END
       ELSE ${pick('n', ['first_party', 'first_party_public', 'third_party', 'third_party_public'])} END,
  CASE WHEN ${isCimd('n')} THEN 'client_id_metadata_document' WHEN ${isDcr('n')} THEN 'dynamic_registration' ELSE 'api' END,
  'Seed app ' || n, '',
  CASE WHEN ${isApi('n')} AND n % 10 = 3 THEN '["http://127.0.0.1/callback"]'
       WHEN ${isCimd('n')} THEN '["https://seed-' || n || '.apps.seed.example/callback"]'
       ELSE ${webRedirect} END,
  '[]', '',
  CASE WHEN ${isCimd('n')} THEN 'https://seed-' || n || '.apps.seed.example/' ELSE '' END,
  CASE WHEN ${isApi('n')} AND n % 4 IN (0, 1) AND n % 7 = 0 THEN 1 ELSE 0 END,
  0,
  CASE WHEN n % 10 = 5 THEN 60 ELSE NULL END,
  CASE WHEN ${isCimd('n')} THEN ${cimdUrl('n')} ELSE NULL END,
  CASE WHEN ${isApi('n')} AND n % 10 = 3 THEN 'native' ELSE 'web' END,
  CASE WHEN ${confidential('n')} THEN ${hash43(`'seed-client-secret-' || n`)} ELSE '' END,
  CASE WHEN ${confidential('n')} THEN ${d.hex('n & 65535', 4)} ELSE '' END,
  CASE WHEN n % 50 = 0 THEN 'disabled' ELSE 'active' END,
  CASE WHEN ${isDcr('n')} THEN '{"client_name":"Seed app ' || n || '","redirect_uris":["https://app-' || n
    || '.seed.example/callback"],"token_endpoint_auth_method":"'
    || CASE WHEN n % 2 = 1 THEN 'client_secret_basic' ELSE 'none' END
    || '","grant_types":["authorization_code","refresh_token"],"response_types":["code"]}' ELSE NULL END,
  CASE WHEN ${isDcr('n')} AND n % 2 = 0 THEN ${d.digest(`'seed-dedup-' || n`)} ELSE NULL END,
  ${clientCreated}, ${clientCreated}
FROM ${d.series(rows)}`,
    },
    {
      // One RFC 7592 registration access token per dynamically registered client.
      table: 'client_registration_tokens',
      sql: `INSERT INTO client_registration_tokens (token_hash, client_id, created_at)
SELECT ${hash43(`'seed-registration-token-' || n`)}, ${clientId('n')}, ${clientCreated}
FROM ${d.series(rows)} WHERE ${isDcr('n')}`,
    },
    {
      table: 'users',
      sql: `INSERT INTO users (user_id, email, email_verified, first_name, last_name, phone_number, external_id,
  status, password_hash, roles, organization_id, created_at, updated_at)
SELECT ${userId('n')},
  CASE WHEN n % 20 = 0 THEN NULL
       ELSE 'seed.' || lower(${pick('n', FIRST_NAMES)}) || '.' || lower(${pick('(n / 16)', LAST_NAMES)}) || '.' || n
         || '@' || ${pick('(n / 256)', DOMAINS)} END,
  CASE WHEN n % 3 = 0 THEN 0 ELSE 1 END,
  ${pick('n', FIRST_NAMES)}, ${pick('(n / 16)', LAST_NAMES)},
  CASE WHEN n % 5 = 0 THEN '+1555' || ${d.dec('n % 10000000', 7)} ELSE '' END,
  CASE WHEN n % 4 = 0 THEN 'seed-ext-' || n ELSE '' END,
  CASE WHEN n % 100 = 0 THEN 'disabled' ELSE 'active' END,
  CASE WHEN n % 2 = 0 THEN ${quote(SHARED_PASSWORD_HASH)} ELSE NULL END,
  '[]', NULL, ${since(400 * DAY)}, ${since(400 * DAY)}
FROM ${d.series(rows)}`,
    },
    {
      table: 'grants',
      sql: `INSERT INTO grants (grant_id, user_id, client_id, scope, resources, auth_time, created_at, revoked_at)
SELECT ${grantId('n')}, ${userId('n')}, ${clientId(grantClient)}, ${grantScope}, '[]',
  ${grantCreated}, ${grantCreated},
  CASE WHEN n % 20 = 0 THEN ${now} - n % 1800 ELSE NULL END
FROM ${d.series(rows)}`,
    },
    {
      // One per grant: the grant's current (unrotated) refresh token.
      table: 'refresh_tokens',
      sql: `INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, expires_at, grace_used)
SELECT ${d.digest(`'seed-refresh-token-' || n`)}, ${grantId('n')}, ${clientId(grantClient)}, ${grantScope},
  ${grantCreated}, ${grantCreated} + ${31 * DAY}, 0
FROM ${d.series(rows)}`,
    },
    {
      // The consent each grant's user gave its client.
      table: 'consents',
      sql: `INSERT INTO consents (user_id, client_id, scope, updated_at)
SELECT ${userId('n')}, ${clientId(grantClient)}, ${grantScope}, ${grantCreated}
FROM ${d.series(rows)}`,
    },
    {
      // One signed-in session per user, all still valid.
      table: 'sessions',
      sql: `INSERT INTO sessions (session_id, token_hash, user_id, authentication_method, authenticated_at,
  created_at, expires_at)
SELECT ${sessionId('n')}, ${hash43(`'seed-session-token-' || n`)}, ${userId('n')}, 'password',
  ${sessionCreated}, ${sessionCreated}, ${sessionCreated} + ${7 * DAY}
FROM ${d.series(rows)}`,
    },
    {
      table: 'm2m_clients',
      sql: `INSERT INTO m2m_clients (client_id, client_name, client_description, scopes, trusted_metadata, status,
  secret_hash, secret_last_four, created_at, updated_at)
SELECT ${m2mId('n')}, 'Seed service ' || n, '', 'read:seed-' || (n % 50), '{}',
  CASE WHEN n % 100 = 0 THEN 'inactive' ELSE 'active' END,
  ${hash43(`'seed-m2m-secret-' || n`)}, ${d.hex('n & 65535', 4)}, ${clientCreated}, ${clientCreated}
FROM ${d.series(rows)}`,
    },
    {
      table: 'm2m_client_scopes',
      sql: `INSERT INTO m2m_client_scopes (client_id, scope)
SELECT ${m2mId('n')}, 'read:seed-' || (n % 50)
FROM ${d.series(rows)}`,
    },
  ];
  // Ids of row 1, for callers that want to look a seeded row up (and to detect a second run).
  const sample = `SELECT ${userId('1')}, ${clientId('1')}, ${m2mId('1')}`;
  return { inserts, sample };
}

// --- engines -------------------------------------------------------------------------------------

function sqlitePath(url) {
  const path = url.slice('sqlite://'.length);
  if (!path) throw new Error(`no path in ${url}`);
  return path;
}

function runSqlite(path, script, { bail = true } = {}) {
  const r = spawnSync('sqlite3', ['-batch', ...(bail ? ['-bail'] : []), '-noheader', '-list', path],
    { input: script, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) throw new Error(`sqlite3: ${r.error.message} (apt-get install sqlite3)`);
  if (bail && r.status !== 0) throw new Error(`sqlite3 ${path}: ${(r.stderr || r.stdout).trim().slice(0, 1000)}`);
  return r.stdout;
}

function runPsql(url, script) {
  const r = spawnSync('psql', ['-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', url],
    { input: script, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) throw new Error(`psql: ${r.error.message} (apt-get install postgresql-client)`);
  if (r.status !== 0) throw new Error(`psql: ${(r.stderr || r.stdout).trim().slice(0, 1000)}`);
  return r.stdout;
}

// prepare(target) picks the load settings once; insert(target, sql, state) runs one INSERT in its
// own transaction with them and returns the rows it inserted; finish(target) restores and analyzes.
const ENGINES = {
  sqlite: {
    // The load runs with the rollback journal in memory when nothing else has the file open. When
    // a Gatehouse process has it open (bench/run seeds a running server) SQLite cannot leave WAL
    // (the probe gets SQLITE_BUSY at once, .timeout 0) and the load runs in WAL, which that process
    // reads as usual. A rollback journal mode is per connection once the file is out of WAL, so
    // every insert sets it again. synchronous=OFF, the 1 GiB page cache and temp_store are per
    // connection and end with it.
    prepare(target) {
      const out = runSqlite(target, '.timeout 0\nPRAGMA journal_mode=MEMORY;\n', { bail: false }).trim();
      return { journal: out === 'memory' ? 'memory' : 'wal' };
    },
    insert(target, sql, state) {
      const out = runSqlite(target, `.timeout 60000
PRAGMA foreign_keys=OFF;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-1048576;
PRAGMA temp_store=MEMORY;
${state.journal === 'memory' ? 'PRAGMA journal_mode=MEMORY;\n' : ''}BEGIN;
${sql};
SELECT 'inserted=' || changes();
COMMIT;
`);
      return Number(/^inserted=(\d+)$/m.exec(out)[1]);
    },
    query: (target, sql) => runSqlite(target, `.timeout 60000\n.separator "\\t"\n${sql};\n`),
    // Back to WAL (Gatehouse's mode; a no-op when the load ran in WAL), the WAL folded into the
    // database file, and planner statistics for the new row counts.
    finish: (target) => runSqlite(target, `.timeout 60000
PRAGMA journal_mode=WAL;
PRAGMA wal_checkpoint(TRUNCATE);
ANALYZE;
`),
  },
  postgres: {
    // The rows are consistent by construction (every user and client a row names is seeded first),
    // so when the role may (a superuser, as scripts/with-postgres makes) the load skips the
    // per-row foreign-key triggers (session_replication_role = replica), about half the time of
    // the tables with foreign keys; otherwise they run. Both settings end with the session.
    prologue: `SET synchronous_commit = off;
DO $$ BEGIN SET session_replication_role = replica; EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;
`,
    prepare: () => ({}),
    insert(target, sql) {
      const out = runPsql(target, `${this.prologue}BEGIN;\n${sql};\nCOMMIT;\n`);
      return Number(/^INSERT 0 (\d+)$/m.exec(out)[1]);
    },
    query: (target, sql) => runPsql(target, `${sql};\n`),
    finish: (target) => runPsql(target, 'ANALYZE;\n'),
  },
};

export function engineOf(url) {
  if (url.startsWith('sqlite://')) return { engine: 'sqlite', target: sqlitePath(url) };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', target: url };
  throw new Error(`unsupported database URL ${url} (sqlite://PATH or postgres://...)`);
}

// Seeds the database at `url` (already migrated by `gatehouse migrate` or `gatehouse serve`) with
// `rows` rows per table. `log` receives one line per table. Returns the per-table counts and
// timings, the total time and the ids of row 1 (sample).
export function seedDatabase({ url, rows, now = Math.floor(Date.now() / 1000), log = () => {} }) {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive integer, not ${rows}`);
  const { engine, target } = engineOf(url);
  if (engine === 'sqlite' && !existsSync(target)) {
    throw new Error(`${target} does not exist: run \`gatehouse migrate\` (or serve) with this database URL first`);
  }
  const e = ENGINES[engine];
  const { inserts, sample: sampleSql } = statements(DIALECTS[engine], rows, now);

  let sampleLine;
  try {
    sampleLine = e.query(target, sampleSql).trim().split('\n').pop();
    const [userId] = sampleLine.split('\t');
    const taken = e.query(target, `SELECT count(*) FROM users WHERE user_id = '${userId}'`).trim();
    if (taken !== '0') throw new Error('this database is already seeded (user row 1 exists); use a fresh one');
  } catch (err) {
    if (/no such table|does not exist/.test(err.message)) {
      throw new Error(`${err.message}\nthe database has no Gatehouse schema: run \`gatehouse migrate\` (or serve) on it first`);
    }
    throw err;
  }
  const [userId, clientId, m2mClientId] = sampleLine.split('\t');

  const started = process.hrtime.bigint();
  const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
  const tables = [];
  const state = e.prepare(target);
  for (const { table, sql } of inserts) {
    const t0 = process.hrtime.bigint();
    const inserted = e.insert(target, sql, state);
    tables.push({ table, rows: inserted, seconds: Math.round(seconds(t0) * 100) / 100 });
    log(`${table.padEnd(27)} ${String(inserted).padStart(9)} rows  ${seconds(t0).toFixed(1)} s`);
  }
  const t0 = process.hrtime.bigint();
  e.finish(target);
  const finishSeconds = Math.round(seconds(t0) * 100) / 100;
  log(`${(engine === 'sqlite' ? 'checkpoint + ANALYZE' : 'ANALYZE').padEnd(27)} ${''.padStart(9)}       ${finishSeconds.toFixed(1)} s`);
  return {
    engine,
    rows_per_table: rows,
    tables,
    analyze_seconds: finishSeconds,
    total_rows: tables.reduce((s, t) => s + t.rows, 0),
    seconds: Math.round(seconds(started) * 100) / 100,
    ...(state.journal ? { sqlite_load_journal_mode: state.journal } : {}),
    sample: { user_id: userId, client_id: clientId, m2m_client_id: m2mClientId },
  };
}

// --- command line --------------------------------------------------------------------------------

const USAGE = `usage: bench/seed --db-url sqlite:///path/gatehouse.db|postgres://... [--rows N] [--print-sql]
Fills a migrated Gatehouse database with N rows (default 1000000) in each of clients, users,
grants, refresh_tokens, consents, sessions, m2m_clients and m2m_client_scopes (plus a registration
token per dynamically registered client), then runs ANALYZE. Run \`gatehouse migrate\` first.
--print-sql prints the INSERT statements for that engine instead of running them.`;

function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: {
      'db-url': { type: 'string' },
      rows: { type: 'string', default: '1000000' },
      'print-sql': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    } }));
  } catch (e) {
    console.error(`bench/seed: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rows = Number(values.rows);
  if (!values['db-url'] || !Number.isInteger(rows) || rows < 1 || rows > 100_000_000) {
    console.error(USAGE);
    process.exit(2);
  }
  const url = values['db-url'];
  if (values['print-sql']) {
    const { inserts } = statements(DIALECTS[engineOf(url).engine], rows, Math.floor(Date.now() / 1000));
    for (const { table, sql } of inserts) console.log(`-- ${table}\n${sql};\n`);
    return;
  }
  console.log(`bench/seed: ${rows} rows per table into ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`);
  try {
    const r = seedDatabase({ url, rows, log: (line) => console.log(`  ${line}`) });
    const mode = r.sqlite_load_journal_mode ? `, loaded with journal_mode=${r.sqlite_load_journal_mode}` : '';
    console.log(`bench/seed: ${r.total_rows} rows in ${r.seconds.toFixed(1)} s (${r.engine}${mode})`);
    console.log(`bench/seed: row 1: ${r.sample.user_id}, ${r.sample.client_id}, ${r.sample.m2m_client_id}`);
  } catch (e) {
    console.error(`bench/seed: ${e.message}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
