// Runs one bounded wrk load against a server and measures the server process around it:
// wrk's own figures come from the "BENCH_RESULT {json}" line bench/wrk/common.lua prints; CPU
// seconds (utime + stime) and memory come from /proc for the given pids.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpuSeconds, memoryMiB } from './procs.mjs';

const round = (v, digits = 1) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export const WRK_DIR = join(import.meta.dirname, '..', 'wrk');

function wrkOnce({ url, plan, seconds, connections, env }) {
  const threads = plan.stateful ? connections : Math.min(2, connections);
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s',
    '-s', join(WRK_DIR, plan.script), url, '--'];
  for (const [k, v] of Object.entries(plan.args)) if (v !== undefined) args.push(`${k}=${v}`);
  return new Promise((ok, fail) => {
    // `timeout` is the hard bound: wrk stops itself after -d, this kills it if it does not.
    const child = spawn('timeout', ['--signal=KILL', String(seconds + 20), 'wrk', ...args], {
      env: { ...process.env, BENCH_WRK_DIR: WRK_DIR, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.once('exit', (code) => {
      const line = /^BENCH_RESULT (.*)$/m.exec(out);
      if (!line) return fail(new Error(`wrk exited ${code} without a result:\n${out}\n${err}`));
      ok({ ...JSON.parse(line[1]), threads, connections });
    });
  });
}

// Warm-up (not measured), then the measured run. Returns the figures for one side of a workload.
export async function measure({ url, plan, seconds, warmup, connections, pids }) {
  if (warmup > 0) {
    const env = plan.prepare ? await plan.prepare(connections) : {};
    await wrkOnce({ url, plan, seconds: warmup, connections, env });
  }
  const env = plan.prepare ? await plan.prepare(connections) : {};
  const family = pids();
  const cpuBefore = cpuSeconds(family);
  const r = await wrkOnce({ url, plan, seconds, connections, env });
  const cpu = cpuSeconds(family) - cpuBefore;
  const memory = memoryMiB(family);
  const secondsRun = r.duration_us / 1e6;
  const socketErrors = r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout;
  const failed = r.bad + socketErrors;
  return {
    requests: r.requests,
    seconds: Math.round(secondsRun * 100) / 100,
    rps: round(r.requests / secondsRun),
    flows: r.flows,
    flows_per_s: round(r.flows / secondsRun),
    p50_ms: r.latency_us.p50 / 1000,
    p99_ms: r.latency_us.p99 / 1000,
    bad: r.bad,
    rate_limited: r.limited,
    socket_errors: socketErrors,
    // More than 1% wrong answers: the figure measures failures, not the work.
    valid: failed <= r.requests * 0.01,
    cpu_seconds: Math.round(cpu * 100) / 100,
    requests_per_cpu_second: cpu > 0 ? round(r.requests / cpu) : null,
    flows_per_cpu_second: cpu > 0 && r.flows ? round(r.flows / cpu) : null,
    ...memory,
    wrk: { threads: r.threads, connections: r.connections },
  };
}
