// Process plumbing for bench/run: free loopback ports, CPU time and memory read from /proc,
// waiting for a server to answer, and stopping what the runner started (by pid, never by name).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

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

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: split after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
  } catch {
    return null;
  }
}

// The pid and its direct children (node:cluster workers are children of the primary).
export function processFamily(pid) {
  const family = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat && stat.ppid === pid) family.push(Number(entry));
  }
  return family;
}

// User + system CPU seconds used so far by the given pids (utime + stime from /proc/<pid>/stat).
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) ticks += stat.utime + stat.stime;
  }
  return ticks / CLOCK_TICKS;
}

// VmRSS and VmHWM in MiB, summed over the given pids.
export function memoryMiB(pids) {
  const out = { rss_mib: 0, hwm_mib: 0 };
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
      if (rss) out.rss_mib += Number(rss[1]) / 1024;
      if (hwm) out.hwm_mib += Number(hwm[1]) / 1024;
    } catch { /* gone */ }
  }
  out.rss_mib = Math.round(out.rss_mib * 10) / 10;
  out.hwm_mib = Math.round(out.hwm_mib * 10) / 10;
  return out;
}

export async function waitForHttp(url, { timeoutMs = 30000, exited } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited?.()) throw new Error(`process exited before ${url} answered`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

// SIGTERM, then SIGKILL if the child has not exited after graceMs.
export async function stopChild(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
