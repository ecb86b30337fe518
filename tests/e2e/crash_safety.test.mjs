// What a client was told is what the server keeps: under a bounded mixed load the gatehouse
// process is killed with SIGKILL at random moments and restarted on the same database and port;
// afterwards every client, access token and refresh token that was acknowledged with a 2xx still
// works, and every client whose deletion was acknowledged stays deleted. On PostgreSQL, the
// database server is also stopped and started under load: requests answer 503 meanwhile and the
// same gatehouse process serves again afterwards without a restart.
//
// Restarting the shared test PostgreSQL is safe because the e2e suites run one file at a time
// (scripts/test passes --test-concurrency=1).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { engines } from './lib/server.mjs';
import { createUser, createClient, headlessCode, tokenRequest, pkcePair } from './lib/flow.mjs';
import { RestartableGatehouse, TestPostgres } from './lib/cluster.mjs';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const SCOPE = 'openid offline_access';
const WORKERS = 4;
const KILLS = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// fetch() rejects with a TypeError when the connection is refused or cut: the server was down.
const isConnectionError = (e) => e instanceof TypeError;

// An HTTP answer that was not a success; `status` distinguishes it from a connection failure.
class Refused extends Error {
  constructor(what, r) { super(`${what}: ${r.status} ${r.text}`); this.status = r.status; }
}

// Code flow for `app`; returns the token response JSON. Throws Refused on a non-200.
async function codeFlow(gh, app, user) {
  const { verifier, challenge } = pkcePair();
  const { code } = await headlessCode(gh, { client: app, user, scope: SCOPE, challenge });
  const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
  const t = app.client_secret
    ? await tokenRequest(gh, params, { basic: [app.client_id, app.client_secret] })
    : await tokenRequest(gh, { ...params, client_id: app.client_id });
  if (t.status !== 200) throw new Refused('token', t);
  return t.json;
}

function refresh(gh, app, token) {
  return app.client_secret
    ? tokenRequest(gh, { grant_type: 'refresh_token', refresh_token: token }, { basic: [app.client_id, app.client_secret] })
    : tokenRequest(gh, { grant_type: 'refresh_token', refresh_token: token, client_id: app.client_id });
}

for (const engine of engines()) {
  describe(`crash safety (${engine})`, () => {
    test('SIGKILL at random moments under load loses nothing that was acknowledged', { timeout: 120000 }, async (t) => {
      const gh = await new RestartableGatehouse({ engine }).start();
      try {
        const user = await createUser(gh);
        const clients = [];   // { app, deleted, deleteUnknown }
        const families = [];  // { entry, refreshToken, accessToken, unknown }
        const stats = { flows: 0, connectionErrors: 0, refused: [], kills: 0 };
        let loadRunning = true;

        // A worker's round: create a client, run the code flow, refresh, sometimes delete the
        // client. Every fact is recorded only once the server acknowledged it.
        async function round(worker, n) {
          const confidential = (worker + n) % 2 === 0;
          const app = await createClient(gh, {
            client_type: confidential ? 'third_party' : 'first_party_public', redirect_urls: [REDIRECT],
          });
          const entry = { app, deleted: false, deleteUnknown: false };
          clients.push(entry);
          const tokens = await codeFlow(gh, app, user);
          const family = { entry, refreshToken: tokens.refresh_token, accessToken: tokens.access_token, unknown: false };
          families.push(family);
          try {
            const r = await refresh(gh, app, family.refreshToken);
            if (r.status !== 200) throw new Refused('refresh', r);
            family.refreshToken = r.json.refresh_token;
            family.accessToken = r.json.access_token;
          } catch (e) {
            // A rotation may have committed without our hearing of it: the family's state is unknown.
            if (isConnectionError(e) && !confidential) family.unknown = true;
            throw e;
          }
          if (n % 4 === 3) {
            try {
              const d = await gh.api('DELETE', `/v1/connected_apps/clients/${app.client_id}`);
              if (d.status !== 200) throw new Refused('delete', d);
              entry.deleted = true;
            } catch (e) {
              if (isConnectionError(e)) entry.deleteUnknown = true;
              throw e;
            }
          }
          stats.flows += 1;
        }

        async function worker(w) {
          for (let n = 0; loadRunning && n < 400; n++) {
            try {
              await round(w, n);
            } catch (e) {
              if (isConnectionError(e)) {
                stats.connectionErrors += 1;
                await sleep(100);
              } else {
                stats.refused.push(String(e.message).slice(0, 200));
              }
            }
          }
        }

        const load = Array.from({ length: WORKERS }, (_, w) => worker(w));
        const started = Date.now();
        for (let k = 0; k < KILLS; k++) {
          await sleep(1000 + Math.random() * 2000);
          await gh.killHard();
          await gh.restart();
          stats.kills += 1;
        }
        // Let the load run on the last process for a while, then stop it (about 10 s in all).
        await sleep(Math.max(1000, 10000 - (Date.now() - started)));
        loadRunning = false;
        await Promise.all(load);

        // Verification against the process that is up now.
        const jwks = createRemoteJWKSet(new URL(`${gh.url}/.well-known/jwks.json`));
        const losses = [];
        let tokensChecked = 0;
        let indeterminate = 0;
        for (const f of families) {
          const { app, deleted, deleteUnknown } = f.entry;
          if (deleted || deleteUnknown || f.unknown) { indeterminate += f.unknown ? 1 : 0; continue; }
          try {
            await jwtVerify(f.accessToken, jwks, { issuer: gh.issuer });
          } catch (e) { losses.push(`access token of ${app.client_id} does not verify: ${e.message}`); }
          const info = await fetch(`${gh.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${f.accessToken}` } });
          if (info.status !== 200) losses.push(`userinfo ${info.status} for ${app.client_id}`);
          const r = await refresh(gh, app, f.refreshToken);
          if (r.status !== 200) losses.push(`refresh ${r.status} ${r.text} for ${app.client_id}`);
          tokensChecked += 2;
        }
        let clientsChecked = 0;
        for (const { app, deleted, deleteUnknown } of clients) {
          if (deleteUnknown) continue;
          const r = await gh.api('GET', `/v1/connected_apps/clients/${app.client_id}`);
          if (r.status !== (deleted ? 404 : 200)) losses.push(`client ${app.client_id} (deleted=${deleted}) answers ${r.status}`);
          clientsChecked += 1;
        }
        const report = {
          engine, flows: stats.flows, kills_survived: stats.kills, clients_checked: clientsChecked,
          deleted_clients: clients.filter((c) => c.deleted).length, tokens_checked: tokensChecked,
          indeterminate_public_families: indeterminate, connection_errors: stats.connectionErrors,
          refused_answers: stats.refused.length, losses: losses.length,
        };
        t.diagnostic(JSON.stringify(report));
        console.log(`crash-safety ${JSON.stringify(report)}`);
        assert.equal(stats.kills, KILLS);
        assert.ok(stats.flows >= 5, `too few flows completed: ${stats.flows}`);
        assert.deepEqual(losses, []);
        // A killed process cannot answer, so no request should ever have been refused.
        assert.deepEqual(stats.refused, []);
      } finally {
        await gh.stop();
      }
    });

    if (engine === 'postgres') {
      test('a PostgreSQL restart under load: 503 meanwhile, then the same process serves again', { timeout: 120000 }, async (t) => {
        const pg = new TestPostgres();
        const gh = await new RestartableGatehouse({ engine }).start();
        let pgDown = false;
        try {
          const user = await createUser(gh);
          const app = await createClient(gh, { client_type: 'third_party', redirect_urls: [REDIRECT] });
          const before = await codeFlow(gh, app, user);
          const outage = { statuses: new Map(), connectionErrors: 0, requests: 0 };
          const note = (s) => outage.statuses.set(s, (outage.statuses.get(s) ?? 0) + 1);

          // Background load through the whole outage: code flows, each counted by how it ended.
          const load = { ok: 0, statuses: new Map(), connectionErrors: 0 };
          let loadRunning = true;
          const loadWorker = async () => {
            for (let n = 0; loadRunning && n < 300; n++) {
              try {
                await codeFlow(gh, app, user);
                load.ok += 1;
              } catch (e) {
                if (isConnectionError(e)) load.connectionErrors += 1;
                else {
                  const s = e.status ?? Number(/: (\d{3}) /.exec(e.message)?.[1] ?? 0);
                  load.statuses.set(s, (load.statuses.get(s) ?? 0) + 1);
                }
                await sleep(50);
              }
            }
          };
          const workers = [loadWorker(), loadWorker()];
          await sleep(500);

          pg.stop();
          pgDown = true;
          // Probe for about two seconds while the database is down (bounded count).
          const until = Date.now() + 2000;
          for (let i = 0; i < 40 && Date.now() < until; i++) {
            for (const probe of [
              () => fetch(`${gh.url}/healthz`),
              () => fetch(`${gh.url}/v1/oauth2/token`, { method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded',
                  authorization: 'Basic ' + Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64') },
                body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refresh_token }) }),
              () => fetch(`${gh.url}/v1/users/${user.user_id}`, { headers: { authorization: 'Basic ' +
                Buffer.from(`${gh.projectId}:${gh.projectSecret}`).toString('base64') } }),
            ]) {
              outage.requests += 1;
              try { note((await probe()).status); } catch { outage.connectionErrors += 1; }
            }
            await sleep(50);
          }
          pg.start();
          pgDown = false;
          const seen = Object.fromEntries(outage.statuses);
          t.diagnostic(`during the outage: ${outage.requests} requests, statuses ${JSON.stringify(seen)}, connection errors ${outage.connectionErrors}`);
          console.log(`postgres-restart outage ${JSON.stringify({ requests: outage.requests, statuses: seen, connection_errors: outage.connectionErrors })}`);

          // The same process (never restarted) recovers on its own.
          const recoveredFrom = Date.now();
          let healthy = false;
          while (!healthy && Date.now() - recoveredFrom < 15000) {
            try { healthy = (await fetch(`${gh.url}/healthz`)).status === 200; } catch { /* keep polling */ }
            if (!healthy) await sleep(100);
          }
          t.diagnostic(`healthz 200 again ${Date.now() - recoveredFrom} ms after PostgreSQL started`);
          assert.ok(healthy, 'healthz did not recover within 15 s');
          assert.equal(gh.restarts, 0);
          assert.equal(gh.current.child.exitCode, null, 'the gatehouse process exited');

          await sleep(1000);
          loadRunning = false;
          await Promise.all(workers);
          const loadSeen = { completed_flows: load.ok, failures_by_status: Object.fromEntries(load.statuses),
            connection_errors: load.connectionErrors };
          t.diagnostic(`background load: ${JSON.stringify(loadSeen)}`);
          console.log(`postgres-restart load ${JSON.stringify(loadSeen)}`);
          for (const s of load.statuses.keys()) assert.equal(s, 503, `load saw ${s}: ${JSON.stringify(loadSeen)}`);

          // While the database was down nothing but 503 came back (no 500s, no crashes).
          for (const s of outage.statuses.keys()) assert.equal(s, 503, `status ${s} during the outage: ${JSON.stringify(seen)}`);
          assert.ok(outage.statuses.get(503) > 0, 'no 503 observed during the outage');

          // A complete flow works again, and tokens issued before the outage still do.
          let after;
          for (let i = 0; i < 3 && !after; i++) {
            try { after = await codeFlow(gh, app, user); } catch (e) {
              if (i === 2) throw e;
              await sleep(500);
            }
          }
          const info = await fetch(`${gh.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${after.access_token}` } });
          assert.equal(info.status, 200);
          const r = await refresh(gh, app, before.refresh_token);
          assert.equal(r.status, 200, r.text);
        } finally {
          if (pgDown) { try { pg.start(); } catch { /* reported by the assertion above */ } }
          await gh.stop();
        }
      });
    }
  });
}
