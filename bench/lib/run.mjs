// bench/run's implementation: starts Gatehouse and the oidc-provider peer, drives both with the
// same wrk scripts one after the other (never at the same time), and reports throughput,
// latency, CPU efficiency and memory as a table, JSON and a PNG chart. See bench/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Gatehouse, NotAvailable } from './gatehouse.mjs';
import { Peer, peerInstalled } from './peer.mjs';
import { memoryMiB } from './procs.mjs';
import { renderTable, settingsLine, writeChart, writeJson } from './report.mjs';
import { seedDatabase } from './seed.mjs';
import { measure } from './wrk.mjs';
import { WORKLOADS } from './workloads.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const USAGE = `usage: bench/run [--workload NAME[,NAME...]]... [--seconds N] [--warmup N] [--connections C]
                 [--db sqlite|postgres] [--seed ROWS] [--alg RS256|ES256] [--micro | --only-micro] [--no-peer]
                 [--no-openssl] [--gatehouse PATH] [--out DIR]
--seed ROWS: before the workloads, bench/seed fills Gatehouse's database with ROWS rows per table
             (clients, users, grants, refresh tokens, consents, sessions, M2M clients); 0 = none
--alg: the signing algorithm of both sides (default RS256)
workloads: ${Object.keys(WORKLOADS).join(', ')} (default: all)`;

function options() {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string', multiple: true },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string' },
      connections: { type: 'string', default: '16' },
      db: { type: 'string', default: 'sqlite' },
      seed: { type: 'string', default: '0' },
      alg: { type: 'string', default: 'RS256' },
      micro: { type: 'boolean', default: false },
      'only-micro': { type: 'boolean', default: false },
      'no-peer': { type: 'boolean', default: false },
      'no-openssl': { type: 'boolean', default: false },
      gatehouse: { type: 'string' },
      out: { type: 'string', default: join(ROOT, 'bench', 'results') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const names = (values.workload ?? Object.keys(WORKLOADS)).flatMap((w) => String(w).split(','))
    .map((w) => w.trim()).filter(Boolean);
  for (const n of names) if (!WORKLOADS[n]) fail(`unknown workload ${n}\n${USAGE}`);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const warmup = values.warmup === undefined ? Math.min(2, Math.ceil(seconds / 3)) : Number(values.warmup);
  if (!(seconds >= 1 && seconds <= 600)) fail('--seconds must be between 1 and 600');
  if (!(warmup >= 0 && warmup <= 60)) fail('--warmup must be between 0 and 60');
  if (!(connections >= 1 && connections <= 256)) fail('--connections must be between 1 and 256');
  if (!['sqlite', 'postgres'].includes(values.db)) fail('--db must be sqlite or postgres');
  const seed = Number(values.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 100_000_000)) fail('--seed must be a whole number of rows (0 = none)');
  if (!['RS256', 'ES256'].includes(values.alg)) fail('--alg must be RS256 or ES256');
  const bin = resolve(values.gatehouse ?? process.env.GATEHOUSE_BIN ?? join(ROOT, 'build', 'src', 'app', 'gatehouse'));
  return { names, seconds, warmup, connections, db: values.db, seed, alg: values.alg, micro: values.micro || values['only-micro'],
    onlyMicro: values['only-micro'], noPeer: values['no-peer'], noOpenssl: values['no-openssl'], bin,
    out: resolve(values.out) };
}

function fail(message) {
  console.error(`bench/run: ${message}`);
  process.exit(2);
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpu_model: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    node: process.version,
    wrk: spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim(),
    loadavg_start: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

// Signatures per second on one core with the bench's algorithm (RSA-2048 for RS256, P-256 for
// ES256): the ceiling for token issuance per CPU-second.
const OPENSSL_SPEED = {
  RS256: { algorithm: 'rsa2048', line: /^rsa 2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/m },
  ES256: { algorithm: 'ecdsap256', line: /^\s*256 bits ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/m },
};

function opensslSpeed(alg) {
  const { algorithm, line: pattern } = OPENSSL_SPEED[alg];
  const r = spawnSync('timeout', ['60', 'openssl', 'speed', '-seconds', '2', algorithm], { encoding: 'utf8' });
  const line = pattern.exec(r.stdout ?? '');
  if (!line) return { algorithm, error: (r.stderr || r.stdout || 'no output').slice(0, 300) };
  return { algorithm, sign_per_s: Number(line[1]), verify_per_s: Number(line[2]),
    version: execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim() };
}

function microBench(bin, outDir, stamp) {
  const micro = join(dirname(bin), '..', '..', 'bench', 'gatehouse_micro_bench');
  if (!existsSync(micro)) return { status: 'not available', reason: `${micro} not built` };
  const jsonFile = join(outDir, `micro-${stamp}.json`);
  const r = spawnSync('timeout', ['600', micro, '--benchmark_min_time=0.05',
    `--benchmark_out=${jsonFile}`, '--benchmark_out_format=json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return { status: 'failed', reason: (r.stderr || '').slice(-500), output: r.stdout };
  let benchmarks = [];
  try {
    benchmarks = JSON.parse(readFileSync(jsonFile, 'utf8')).benchmarks
      .map((b) => ({ name: b.name, real_time: b.real_time, cpu_time: b.cpu_time, time_unit: b.time_unit,
        iterations: b.iterations, items_per_second: b.items_per_second }));
  } catch { /* the console output is still kept */ }
  return { status: 'ok', binary: micro, output: r.stdout, json_file: jsonFile, benchmarks };
}

// Fills the running Gatehouse's database (bench/lib/seed.mjs) while it is idle, then reads one
// seeded user back through the management API: the server must see rows another process wrote
// (SQLite in WAL mode, or PostgreSQL), else the bench would measure an empty database.
async function seed(gatehouse, rows) {
  console.log(`bench: seeding ${rows} rows per table (bench/seed) ...`);
  const report = seedDatabase({ url: gatehouse.databaseUrl, rows, log: (line) => console.log(`  ${line}`) });
  console.log(`bench: seeded ${report.total_rows} rows in ${report.seconds.toFixed(1)} s`);
  // The load leaves gigabytes of dirty pages that the kernel writes back over the next minute;
  // flushed now, that writeback does not land inside the first workloads' measurements.
  const syncStart = performance.now();
  execFileSync('sync');
  report.sync_seconds = (performance.now() - syncStart) / 1000;
  console.log(`bench: flushed the seeded files to disk (sync) in ${report.sync_seconds.toFixed(1)} s`);
  const user = await gatehouse.fetchJson('GET', `/v1/users/${encodeURIComponent(report.sample.user_id)}`,
    { auth: gatehouse.basic });
  if (user.status !== 200) {
    throw new Error(`Gatehouse does not see the seeded rows: GET /v1/users/${report.sample.user_id} -> ${user.status}: ${user.text.slice(0, 200)}`);
  }
  return report;
}

// Peers currently running, killed on exit whatever the reason.
const runningPeers = new Set();

async function side(name, workload, start, opts, tmpDir) {
  let server;
  try {
    server = await start();
    if (name === 'peer') runningPeers.add(server);
    const plan = await workload[name](server, { tmpDir });
    plan.stateful = Boolean(workload.stateful);
    await plan.check?.(server.url);
    const pids = name === 'gatehouse' ? () => [server.pid] : () => server.pids;
    const figures = await measure({ url: server.url, plan, seconds: opts.seconds, warmup: opts.warmup,
      connections: opts.connections, pids });
    return { status: 'ok', ...figures, ...(name === 'peer' ? { workers: server.workers } : {}) };
  } catch (e) {
    if (e instanceof NotAvailable) return { status: 'not available', reason: e.message };
    return { status: 'failed', reason: e.message.replace(/\s+/g, ' ').trim().slice(0, 400) };
  } finally {
    if (name === 'peer' && server) {
      await server.stop();
      runningPeers.delete(server);
    }
  }
}

function progress(workload, name, s) {
  const rate = s.status !== 'ok' ? `${s.status}: ${s.reason}`
    : `${s.rps.toFixed(0)} req/s${s.flows_per_s ? `, ${s.flows_per_s.toFixed(0)} flows/s` : ''}, p50 ${s.p50_ms.toFixed(2)} ms, p99 ${s.p99_ms.toFixed(2)} ms${s.valid ? '' : ` INVALID (${s.bad} bad, ${s.socket_errors} socket errors)`}`;
  console.log(`  ${workload.padEnd(18)} ${name.padEnd(9)} ${rate}`);
}

async function main() {
  const opts = options();
  if (!opts.onlyMicro) {
    if (!existsSync(opts.bin)) fail(`no gatehouse binary at ${opts.bin} (build it, or pass --gatehouse PATH)`);
    if (spawnSync('wrk', ['-v']).error) fail('wrk is not installed (scripts/install-deps --bench)');
    if (!opts.noPeer && !peerInstalled()) fail('oidc-provider is not installed (scripts/install-deps --bench)');
  }
  mkdirSync(opts.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*/, '');
  const result = {
    generated_at: new Date().toISOString(),
    settings: { seconds: opts.seconds, warmup: opts.warmup, connections: opts.connections, db: opts.db,
      seed_rows: opts.seed, alg: opts.alg, gatehouse_binary: opts.bin },
    machine: machine(),
    workloads: [],
  };
  console.log(`bench: ${result.machine.nproc} x ${result.machine.cpu_model}, load average ${result.machine.loadavg_start}`);
  console.log(`bench: ${opts.seconds}s per side (+${opts.warmup}s warm-up), ${opts.connections} connections, ${settingsLine(result.settings)}, ${opts.bin}`);

  const tmpDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-run-'));
  let gatehouse;
  const cleanup = () => {
    if (gatehouse?.child?.exitCode === null) gatehouse.child.kill('SIGKILL');
    for (const peer of runningPeers) if (peer.child?.exitCode === null) peer.child.kill('SIGTERM');
    rmSync(tmpDir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => { console.error(`bench: ${signal}, stopping`); process.exit(130); });
  }

  if (!opts.onlyMicro) {
    if (!opts.noOpenssl && opts.names.some((n) => WORKLOADS[n].issuance)) {
      console.log(`bench: openssl speed -seconds 2 ${OPENSSL_SPEED[opts.alg].algorithm} ...`);
      result.openssl = opensslSpeed(opts.alg);
    }
    gatehouse = new Gatehouse({ bin: opts.bin, db: opts.db, alg: opts.alg });
    await gatehouse.start();
    if (opts.seed > 0) result.seed = await seed(gatehouse, opts.seed);
    for (const name of opts.names) {
      const workload = WORKLOADS[name];
      const row = { workload: name, description: workload.description, flows: Boolean(workload.flows),
        issuance: Boolean(workload.issuance), peer_workers: workload.peerWorkers };
      row.gatehouse = await side('gatehouse', workload, async () => gatehouse, opts, tmpDir);
      progress(name, 'gatehouse', row.gatehouse);
      row.peer = opts.noPeer ? { status: 'skipped', reason: '--no-peer' }
        : await side('peer', workload, () => new Peer({ workers: workload.peerWorkers, alg: opts.alg }).start(), opts, tmpDir);
      progress(name, 'peer', row.peer);
      result.workloads.push(row);
    }
    result.gatehouse_memory_end = memoryMiB([gatehouse.pid]);
    await gatehouse.stop();
  }
  result.machine.loadavg_end = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

  if (opts.micro) {
    console.log('bench: micro-benchmarks (gatehouse_micro_bench, --benchmark_min_time=0.05) ...');
    result.micro = microBench(opts.bin, opts.out, stamp);
  }

  const jsonFile = join(opts.out, `bench-${stamp}.json`);
  writeJson(jsonFile, result);
  console.log('');
  if (result.workloads.length) {
    console.log(renderTable(result));
    if (result.openssl?.sign_per_s) {
      console.log(`\nopenssl speed ${result.openssl.algorithm} (one core): ${result.openssl.sign_per_s} sign/s, ${result.openssl.verify_per_s} verify/s`);
    }
    if (result.seed) {
      console.log(`seed: ${result.seed.total_rows} rows (${result.seed.rows_per_table} per table) in ${result.seed.seconds.toFixed(1)} s before the workloads`);
    }
    console.log(`Gatehouse memory at the end: VmRSS ${result.gatehouse_memory_end.rss_mib} MiB, VmHWM ${result.gatehouse_memory_end.hwm_mib} MiB`);
    console.log(`load average: ${result.machine.loadavg_start} at start, ${result.machine.loadavg_end} at end (${result.machine.nproc} cores)`);
    const png = join(opts.out, `bench-${stamp}.png`);
    const chartError = writeChart(png, join(opts.out, `bench-${stamp}.dat`), result);
    console.log(chartError ? `bench: ${chartError}` : `chart: ${png}`);
  }
  if (result.micro) {
    console.log(result.micro.status === 'ok' ? `\n${result.micro.output}` : `\nmicro-benchmarks: ${result.micro.status}: ${result.micro.reason}`);
  }
  console.log(`results: ${jsonFile}`);
}

main().catch((e) => {
  console.error(`bench/run: ${e.stack ?? e.message}`);
  process.exit(1);
});
