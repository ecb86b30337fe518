// `gatehouse doctor` against a real deployment: a healthy one (after a server's first start, on
// SQLite and PostgreSQL), a badly configured one, and one that has not started yet (the doctor
// must not create the database).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEHOUSE_BIN, GatehouseProcess, engines } from './lib/server.mjs';

const MASTER_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

function doctor(env, cwd) {
  const r = spawnSync(GATEHOUSE_BIN, ['doctor', '--json'], {
    cwd, encoding: 'utf8', timeout: 20000, env: { ...process.env, ...env },
  });
  let report;
  try { report = JSON.parse(r.stdout); } catch { report = undefined; }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report };
}

const byId = (report) => Object.fromEntries(report.checks.map((c) => [c.id, c]));

for (const engine of engines()) {
  describe(`gatehouse doctor (${engine})`, () => {
    test('a started test deployment on loopback has no failing check', async () => {
      const gh = await new GatehouseProcess({ engine }).start();
      try {
        const r = doctor({ GATEHOUSE_DATABASE_URL: gh.databaseUrl, GATEHOUSE_ISSUER: gh.issuer,
                           GATEHOUSE_MASTER_KEY: MASTER_KEY }, gh.dir);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        const checks = byId(r.report);
        assert.equal(r.report.fail, 0);
        assert.equal(r.report.checks.length, 13);
        assert.equal(checks.database.status, 'pass');
        assert.match(checks.database.finding, /reachable and up to date/);
        // The server created the first key at start-up: the doctor read it.
        assert.equal(checks['keys.rotation'].status, 'pass');
        assert.match(checks['keys.rotation'].finding, /current signing key is 0 days old/);
        assert.match(checks['clients.redirect_uris'].finding, /^0 clients/);
        // An inline master key is a warning, with the fix.
        assert.equal(checks['master_key.storage'].status, 'warn');
        assert.match(checks['master_key.storage'].fix, /master_key_file/);
      } finally {
        await gh.stop();
      }
    });
  });
}

describe('gatehouse doctor on a bad configuration', () => {
  test('each unsafe setting fails or warns with its fix, and the exit status is 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-doctor-'));
    try {
      const keyFile = join(dir, 'master.key');
      writeFileSync(keyFile, `${MASTER_KEY}\n`);
      chmodSync(keyFile, 0o644);
      const r = doctor({
        GATEHOUSE_DATABASE_URL: `sqlite://${join(dir, 'g.db')}`,
        GATEHOUSE_MASTER_KEY: '',
        GATEHOUSE_MASTER_KEY_FILE: keyFile,
        GATEHOUSE_ISSUER: 'http://id.example.com',
        GATEHOUSE_LISTEN: '0.0.0.0:0',
        GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'true',
        GATEHOUSE_REGISTRATION_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
        GATEHOUSE_MAX_DYNAMIC_CLIENTS: '0',
        GATEHOUSE_REFRESH_GRACE_SECONDS: '120',
        GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS: '86400',
        GATEHOUSE_KEY_ROTATION_DAYS: '0',
      }, dir);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      const checks = byId(r.report);
      const expected = {
        'issuer.https': 'warn', environment: 'fail', 'registration.limits': 'fail',
        'refresh.grace': 'warn', 'keys.rotation': 'warn', 'master_key.storage': 'fail',
        'metrics.exposure': 'warn', 'cimd.loopback': 'fail', 'tokens.access_ttl': 'warn',
      };
      for (const [id, status] of Object.entries(expected)) {
        assert.equal(checks[id].status, status, `${id}: ${checks[id].finding}`);
        assert.ok(checks[id].fix.length > 0, `${id} names a fix`);
      }
      assert.equal(checks['master_key.storage'].fix, `chmod 600 ${keyFile}`);
      assert.equal(r.report.fail, 4);
      // The doctor only reads: the database it was pointed at was not created.
      assert.equal(checks.database.status, 'pass');
      assert.equal(existsSync(join(dir, 'g.db')), false);
      // The text report: one line per check, the fix under each warning and failure.
      const text = spawnSync(GATEHOUSE_BIN, ['doctor'], {
        cwd: dir, encoding: 'utf8',
        env: { ...process.env, GATEHOUSE_DATABASE_URL: `sqlite://${join(dir, 'g.db')}`, GATEHOUSE_MASTER_KEY: '',
               GATEHOUSE_MASTER_KEY_FILE: keyFile },
      });
      assert.equal(text.status, 1);
      assert.match(text.stdout, new RegExp(`^FAIL  master_key\\.storage  the master key file ${keyFile} is readable by others \\(mode 0644\\)$`, 'm'));
      assert.match(text.stdout, new RegExp(`^      fix: chmod 600 ${keyFile}$`, 'm'));
      assert.match(text.stdout, /^\d+ passed, \d+ warnings, 1 failed$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
