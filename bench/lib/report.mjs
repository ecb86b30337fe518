// Renders bench results: the console table, the JSON file and the PNG bar chart (gnuplot).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const fmt = (v, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits));

// The throughput figure a workload is compared on: flows/s where one unit is several requests.
export function throughput(row, side) {
  const s = row[side];
  if (!s || s.status !== 'ok') return null;
  return row.flows ? s.flows_per_s : s.rps;
}

function sideCell(s, flows) {
  if (!s) return ['-', '-', '-'];
  if (s.status !== 'ok') return [s.status, '', ''];
  const rate = flows ? `${fmt(s.flows_per_s)} fl/s` : fmt(s.rps);
  return [s.valid ? rate : `${rate} (INVALID)`, fmt(s.p50_ms, 2), fmt(s.p99_ms, 2)];
}

export function ratio(row) {
  const g = throughput(row, 'gatehouse');
  const p = throughput(row, 'peer');
  if (!g || !p || !row.gatehouse.valid || !row.peer.valid) return null;
  return g / p;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// "sqlite, RS256, seeded 1000000 rows/table": what the figures were measured against.
export function settingsLine(settings) {
  const seeded = settings.seed_rows ? `seeded ${settings.seed_rows} rows/table` : 'not seeded';
  return `${settings.db}, ${settings.alg ?? 'RS256'}, ${seeded}`;
}

export function renderTable(result) {
  const header = `settings: ${settingsLine(result.settings)}, ${result.settings.seconds}s per side, ${result.settings.connections} connections`;
  const main = table(
    ['workload', 'gatehouse req/s', 'p50 ms', 'p99 ms', 'peer req/s', 'p50 ms', 'p99 ms', 'gh/peer'],
    result.workloads.map((row) => {
      const r = ratio(row);
      return [row.workload, ...sideCell(row.gatehouse, row.flows), ...sideCell(row.peer, row.flows),
        r === null ? '-' : `${r.toFixed(2)}x`];
    }));
  const sign = result.openssl?.sign_per_s;
  const efficiency = table(
    ['workload', 'gh req/cpu-s', 'peer req/cpu-s', 'gh RSS MiB (HWM)', 'peer RSS MiB',
      `${result.openssl?.algorithm ?? (result.settings.alg === 'ES256' ? 'ecdsap256' : 'rsa2048')} sign/s/core`, 'notes'],
    result.workloads.map((row) => {
      const g = row.gatehouse ?? {};
      const p = row.peer ?? {};
      const unit = row.flows ? 'flows_per_cpu_second' : 'requests_per_cpu_second';
      const notes = [];
      for (const [name, s] of [['gatehouse', g], ['peer', p]]) {
        if (s.status && s.status !== 'ok') notes.push(`${name}: ${s.reason}`);
        else if (s.bad || s.socket_errors) {
          notes.push(`${name}: ${s.bad} bad${s.rate_limited ? ` (${s.rate_limited} x 429)` : ''}, ${s.socket_errors} socket errors`);
        }
      }
      return [row.workload, g.status === 'ok' ? fmt(g[unit]) : '-', p.status === 'ok' ? fmt(p[unit]) : '-',
        g.status === 'ok' ? `${fmt(g.rss_mib, 1)} (${fmt(g.hwm_mib, 1)})` : '-',
        p.status === 'ok' ? fmt(p.rss_mib, 1) : '-',
        row.issuance && sign ? fmt(sign) : '', notes.join('; ')];
    }));
  return `${header}\n\n${main}\n\n${efficiency}`;
}

export function writeJson(file, result) {
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
}

// A clustered bar chart of throughput (log scale: jwks and register differ by orders of
// magnitude); a side that is not available or invalid is left empty.
export function writeChart(pngFile, dataFile, result) {
  const lines = ['# workload gatehouse peer'];
  const labels = [];
  let top = 10;
  result.workloads.forEach((row, i) => {
    const g = throughput(row, 'gatehouse');
    const p = throughput(row, 'peer');
    const missing = (side) => (row[side]?.status === 'ok' ? 'INVALID' : (row[side]?.status ?? 'n/a'));
    if (!g || !row.gatehouse.valid) labels.push(`set label '${missing('gatehouse')}' at ${i - 0.17},1.3 left rotate by 90 font ',8'`);
    if (!p || !row.peer.valid) labels.push(`set label '${missing('peer')}' at ${i + 0.17},1.3 left rotate by 90 font ',8'`);
    top = Math.max(top, g ?? 0, p ?? 0);
    const r = ratio(row);
    if (r !== null) labels.push(`set label '${r.toFixed(2)}x' at ${i},${Math.max(g, p) * 1.5} center font ',10'`);
  });
  for (const row of result.workloads) {
    const cell = (side) => {
      const v = throughput(row, side);
      return v && row[side].valid ? v.toFixed(1) : '?';
    };
    lines.push(`"${row.workload}${row.flows ? ' (flows/s)' : ''}" ${cell('gatehouse')} ${cell('peer')}`);
  }
  writeFileSync(dataFile, lines.join('\n') + '\n');
  const title = `Gatehouse vs oidc-provider, ${result.settings.seconds}s, ${result.settings.connections} connections, ${settingsLine(result.settings)} (${result.machine.nproc} cores, shared)`;
  const script = [
    'set terminal pngcairo size 1100,560 noenhanced',
    `set output '${pngFile}'`,
    `set title '${title.replaceAll("'", '')}'`,
    "set datafile missing '?'",
    'set style data histograms',
    'set style histogram clustered gap 1',
    'set style fill solid 0.85 border -1',
    'set logscale y',
    "set ylabel 'requests/s (log scale)'",
    `set yrange [1:${top * 4}]`,
    'set grid ytics',
    'set key top right',
    'set xtics rotate by -20',
    ...labels,
    `plot '${dataFile}' using 2:xtic(1) title 'Gatehouse' lc rgb '#1f6feb', '' using 3 title 'oidc-provider' lc rgb '#d29922'`,
  ].join('\n');
  let r = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
  if (r.status !== 0 && /pngcairo/.test(r.stderr ?? '')) {
    r = spawnSync('gnuplot', [], { input: script.replace('pngcairo', 'png'), encoding: 'utf8' });
  }
  if (r.error || r.status !== 0) return `gnuplot failed: ${r.error?.message ?? r.stderr}`;
  return null;
}
