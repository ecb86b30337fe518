// The foundation as an operator meets it: first start, restart after kill -9, configuration
// errors, discovery and JWKS, key rotation seen by a running server, hostile HTTP.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatehouseProcess, GATEHOUSE_BIN, engines } from './lib/server.mjs';

// Sends raw bytes and collects whatever comes back until the server closes or `ms` pass.
function rawExchange(port, chunks, { ms = 3000, gapMs = 0 } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let closed = false;
    const done = () => { if (!closed) { closed = true; socket.destroy(); resolve({ data, closedByServer: false }); } };
    const timer = setTimeout(done, ms);
    socket.on('data', (d) => { data += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      if (!closed) { closed = true; resolve({ data, closedByServer: true }); }
    });
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (closed) return;
        socket.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const statusOf = (raw) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

for (const engine of engines()) {
  describe(`foundation on ${engine}`, () => {
    let gh;
    before(async () => { gh = await new GatehouseProcess({ engine }).start(); });
    after(async () => { await gh?.stop(); });

    test('first start prints the project credentials once, as two readable lines', () => {
      assert.match(gh.projectId, /^project-test-[0-9a-f-]{36}$/);
      assert.match(gh.projectSecret, /^secret-test-[A-Za-z0-9_-]{43}$/);
      assert.match(gh.output, /discovery: http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration/);
    });

    test('healthz checks the database; metrics are Prometheus text', async () => {
      const h = await fetch(`${gh.url}/healthz`);
      assert.equal(h.status, 200);
      assert.deepEqual(await h.json(), { status: 'ok' });
      const m = await fetch(`${gh.url}/metrics`);
      assert.equal(m.status, 200);
      const text = await m.text();
      assert.match(text, /# TYPE \S+ counter/);
      assert.match(text, /route="\/healthz"/);
      assert.match(text, /gatehouse_db_pool_connections \d/);
    });

    test('both discovery documents are identical and name the issuer exactly', async () => {
      const a = await (await fetch(`${gh.url}/.well-known/openid-configuration`)).text();
      const b = await (await fetch(`${gh.url}/.well-known/oauth-authorization-server`)).text();
      assert.equal(a, b);
      const doc = JSON.parse(a);
      assert.equal(doc.issuer, gh.issuer);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
      assert.equal(doc.authorization_response_iss_parameter_supported, true);
      assert.equal(doc.jwks_uri, `${gh.issuer}/.well-known/jwks.json`);
      for (const [k, v] of Object.entries(doc)) {
        if (Array.isArray(v)) assert.ok(v.length > 0, `${k} is an empty array`);
      }
    });

    test('JWKS publishes the current and the next key with distinct kids', async () => {
      const r = await fetch(`${gh.url}/.well-known/jwks.json`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const { keys } = await r.json();
      assert.equal(keys.length, 2);
      assert.notEqual(keys[0].kid, keys[1].kid);
      for (const k of keys) {
        assert.equal(k.kty, 'RSA');
        assert.equal(k.alg, 'RS256');
        assert.equal(k.use, 'sig');
        assert.equal(k.d, undefined, 'no private members');
      }
    });

    test('keys rotate: the pre-published next key becomes current, a running server follows', async () => {
      const before = (await (await fetch(`${gh.url}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid);
      const listed = gh.cli(['keys', 'list']);
      const current = /^(\S+)\s+RS256\s+current/m.exec(listed)[1];
      const next = /^(\S+)\s+RS256\s+next/m.exec(listed)[1];
      assert.deepEqual(new Set(before), new Set([current, next]));
      const out = gh.cli(['keys', 'rotate']);
      assert.match(out, new RegExp(`signing key is now ${next}`));
      // The running server sees the change through the cache version within about a second.
      let after;
      for (let i = 0; i < 40; i++) {
        after = (await (await fetch(`${gh.url}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid);
        if (after.length === 3) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(after.length, 3, 'retired, current and a new next key are published');
      assert.ok(after.includes(current), 'the retired key stays published');
      assert.ok(after.includes(next));
      assert.equal(new Set(after).size, 3);
      assert.match(gh.cli(['keys', 'list']), new RegExp(`^${current}\\s+RS256\\s+retired`, 'm'));
    });

    test('management API refuses missing or wrong project credentials', async () => {
      const r = await fetch(`${gh.url}/v1/connected_apps/clients/search`, { method: 'POST' });
      assert.ok([401, 404].includes(r.status));
    });

    test('hostile HTTP gets a clear 4xx or a closed connection, and the server keeps serving', async () => {
      const big = 'x'.repeat(64 * 1024);
      const headers = await rawExchange(gh.port, [`GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${big}\r\n\r\n`]);
      assert.equal(statusOf(headers.data), 431);
      const body = await rawExchange(gh.port, [`POST /v1/oauth2/token HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50000000\r\n\r\n`]);
      assert.equal(statusOf(body.data), 413);
      assert.ok(body.closedByServer);
      const garbage = await rawExchange(gh.port, ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n']);
      assert.ok(statusOf(garbage.data) === 400 || garbage.closedByServer);
      const badline = await rawExchange(gh.port, ['GET\r\n\r\n']);
      assert.equal(statusOf(badline.data), 400);
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${gh.url}/healthz`)).status, 200);
    });

    test('restart after kill -9 keeps the project, the keys and the credentials', async () => {
      const kids = (await (await fetch(`${gh.url}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid).sort();
      await gh.kill('SIGKILL');
      const again = new GatehouseProcess({ engine, dir: gh.dir, databaseUrl: gh.databaseUrl, port: gh.port });
      await again.start();
      try {
        assert.equal(again.projectId, undefined, 'credentials are printed only on the first start');
        assert.doesNotMatch(again.output, /project_secret/);
        const kids2 = (await (await fetch(`${again.url}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid).sort();
        assert.deepEqual(kids2, kids);
      } finally {
        await again.kill('SIGTERM');
      }
      gh.child = undefined;
      // Restart the fixture server for any later test.
      gh = await new GatehouseProcess({ engine, dir: gh.dir, databaseUrl: gh.databaseUrl, port: gh.port }).start();
    });
  });
}

describe('operator errors', () => {
  test('invalid configuration stops start-up with one clear line and exit status 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cfg-'));
    try {
      const r = spawnSync(GATEHOUSE_BIN, ['serve'], {
        cwd: dir, encoding: 'utf8',
        env: { ...process.env, GATEHOUSE_ENVIRONMENT: 'staging' },
      });
      assert.equal(r.status, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /environment/);
      const port = spawnSync(GATEHOUSE_BIN, ['serve'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, GATEHOUSE_LISTEN: 'nowhere' },
      });
      assert.equal(port.status, 2);
      assert.match(port.stderr, /listen/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL without a master key is refused with a clear line', () => {
    const r = spawnSync(GATEHOUSE_BIN, ['serve'], {
      encoding: 'utf8',
      env: { ...process.env, GATEHOUSE_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', GATEHOUSE_MASTER_KEY: '' },
    });
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test('gatehouse migrate applies migrations once and reports an up-to-date database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-mig-'));
    try {
      const env = { ...process.env, GATEHOUSE_DATABASE_URL: `sqlite://${join(dir, 'g.db')}` };
      const first = spawnSync(GATEHOUSE_BIN, ['migrate'], { encoding: 'utf8', env });
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /applied 0001_foundation\.sql/);
      const second = spawnSync(GATEHOUSE_BIN, ['migrate'], { encoding: 'utf8', env });
      assert.equal(second.status, 0);
      assert.match(second.stdout, /up to date/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
