// Issue 14, item 13: what a first-time operator meets when starting the server — misspelt
// environment variables, an issuer on another port, a port already taken, a database directory
// that is not there. Each is a real `gatehouse serve` process.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEHOUSE_BIN, GatehouseProcess, freePort } from './lib/server.mjs';

const MASTER_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

function withDir(body) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-start-'));
  return Promise.resolve(body(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

// `gatehouse serve` that is expected to stop on its own (within 20 s).
function serve(dir, env) {
  return spawnSync(GATEHOUSE_BIN, ['serve'], {
    cwd: dir, encoding: 'utf8', timeout: 20000,
    env: { ...process.env, GATEHOUSE_MASTER_KEY: MASTER_KEY, ...env },
  });
}

describe('item 13: start-up', () => {
  test('item 13: a misspelt GATEHOUSE_ variable stops start-up, naming it and the nearest key', () =>
    withDir((dir) => {
      const r = serve(dir, { GATEHOUSE_LISTN: '127.0.0.1:9' });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /unknown environment variable GATEHOUSE_LISTN \(did you mean 'GATEHOUSE_LISTEN'\?\)/);
      assert.doesNotMatch(r.stdout, /project_secret/);
      assert.equal(existsSync(join(dir, 'gatehouse.db')), false, 'nothing was created');
    }));

  test('item 13: an issuer on another loopback port than the one served gets a warning', async () => {
    const port = await freePort();
    const other = await freePort();
    const gh = new GatehouseProcess({ env: { GATEHOUSE_LISTEN: `127.0.0.1:${other}` }, port });
    try {
      // The issuer names `port`, the server listens on `other`: the issuer's /healthz never
      // answers, so wait for the banner instead.
      gh.start().catch(() => {});
      const deadline = Date.now() + 20000;
      while (!/gatehouse: serving/.test(gh.output) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(gh.output, /gatehouse: serving/);
    } finally {
      await gh.stop();
    }
    assert.match(gh.stderr ?? '', new RegExp(`warning: the issuer http://127\\.0\\.0\\.1:${port} is on port ${port}, ` +
      `but this server listens on port ${other}`));
    // Same port: no warning.
    const fine = await new GatehouseProcess().start();
    try {
      assert.doesNotMatch(fine.stderr ?? '', /warning: the issuer/);
    } finally {
      await fine.stop();
    }
  });

  test('item 13: a port already taken fails before the project (and its once-only secret) is created', async () => {
    const holder = createServer();
    await new Promise((ok) => holder.listen(0, '127.0.0.1', ok));
    const taken = holder.address().port;
    try {
      await withDir(async (dir) => {
        const r = serve(dir, {
          GATEHOUSE_LISTEN: `127.0.0.1:${taken}`,
          GATEHOUSE_ISSUER: `http://127.0.0.1:${taken}`,
          GATEHOUSE_DATABASE_URL: `sqlite://${join(dir, 'gatehouse.db')}`,
        });
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}: Address already in use`));
        assert.doesNotMatch(r.stdout, /project_secret/);
        // The next start on a free port is still the first: it prints the credentials.
        const gh = await new GatehouseProcess({ dir, databaseUrl: `sqlite://${join(dir, 'gatehouse.db')}` }).start();
        try {
          assert.match(gh.output, /^project_secret: secret-test-/m);
          assert.ok(gh.projectSecret);
        } finally {
          await gh.stop({ keep: true });
        }
      });
    } finally {
      holder.close();
    }
  });

  test('item 13: a database in a directory that does not exist is named as such, exit 2', () =>
    withDir((dir) => {
      const missing = join(dir, 'no-such-dir');
      const r = spawnSync(GATEHOUSE_BIN, ['serve'], {
        cwd: dir, encoding: 'utf8', timeout: 20000,
        // No master key: the one generated beside the database is what used to take the blame.
        env: { ...process.env, GATEHOUSE_MASTER_KEY: '', GATEHOUSE_DATABASE_URL: `sqlite://${join(missing, 'g.db')}` },
      });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim(),
        `gatehouse: invalid configuration: database_url: the directory ${missing} does not exist ` +
        '(create it, or point database_url elsewhere)');
      assert.doesNotMatch(r.stderr, /master_key/);
    }));
});
