/**
 * `npm run bench -- --report`: the full run written up as one Markdown page
 * (bench-results/report-<time>.md) — machine, workload, throughput per path
 * beside the peer, latency percentiles, a sustained per-second table,
 * scaling, hardware counters or why there are none, the top hotspots per
 * path with their flame graphs, and an assessment generated from the
 * figures (what bounds each path at each book size).
 */
import { basename } from 'node:path';
import { type Ceiling, ceilingRows, timesNative } from './ceiling';
import type { CounterResult } from './counters';
import { COUNTER_EVENTS } from './counters';
import { type LatencyResult, latencyRows } from './latency';
import type { ProfileResult } from './profile';
import { fmtBytes, fmtNs, fmtRate } from './report';
import type { ScalingTable } from './scaling';
import type { SustainedResult } from './sustained';
import type { TargetCheck, ThroughputResult } from './types';
import { throughputRows } from './w1-run';

/** What the report is written from: the run's results. */
export interface ReportInput {
  date: string;
  machine: Record<string, string | number>;
  workload: string;
  runs: number;
  w1: readonly ThroughputResult[];
  ceiling: Ceiling;
  latency: readonly LatencyResult[];
  scaling: readonly ScalingTable[];
  sustained?: SustainedResult;
  counters: CounterResult;
  profiles: readonly ProfileResult[];
  targets: readonly TargetCheck[];
  /** The JSON results file beside the report. */
  jsonFile: string;
}

/** A Markdown table; the first row is the header. */
function md(rows: readonly (readonly string[])[]): string {
  const line = (r: readonly string[]) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

function throughput(w1: readonly ThroughputResult[]): string {
  return md(throughputRows(w1));
}

function ceilingSection(w1: readonly ThroughputResult[], c: Ceiling): string {
  if ('skipped' in c) return `_${c.skipped}._`;
  return `The same W1 stream on a hand-written C++ price-ladder book (\`packages/bench/native/ladder.cpp\`: id map, order pool, one FIFO per tick, an event record per acceptance, fill, level change and cancel, read by a consumer as the binary path's events are; no self-trade prevention, icebergs, stops or expiry, which W1 does not use). Built with ${c.build}; ${c.opsPerSec.samples.length} runs on fresh books, one between every two timed runs of the paths; it reproduces the W1 checksums. Each path's time per order as a multiple of its time (each timed run set against the mean of the ceiling runs just before and after it; the median of those ratios):

${md(ceilingRows(w1, c))}`;
}

function latency(results: readonly LatencyResult[]): string {
  if (results.length === 0) return '_Not measured in this run._';
  return `${md(latencyRows(results))}\n\nJitter: p99 − p50.`;
}

function sustained(s: SustainedResult | undefined): string {
  if (!s) return '_Not run (it runs with `--report` in full mode)._';
  const rows = [['second', 'orders/s', 'p50', 'p95', 'p99', 'p99.9', 'max', 'resting', 'RSS']];
  for (const x of s.seconds) {
    rows.push([
      String(x.second),
      fmtRate(x.opsPerSec),
      fmtNs(x.latency.p50),
      fmtNs(x.latency.p95),
      fmtNs(x.latency.p99),
      fmtNs(x.latency.p999),
      fmtNs(x.latency.max),
      x.resting.toLocaleString(),
      fmtBytes(x.rssBytes),
    ]);
  }
  const rates = s.seconds.map((x) => x.opsPerSec);
  const mean = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
  const sd = Math.sqrt(rates.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, rates.length));
  return `${s.label}, ${s.seconds.length} s, ${s.totalOps.toLocaleString()} operations; orders/s per second: mean ${fmtRate(mean)}, standard deviation ${fmtRate(sd)} (${((100 * sd) / mean).toFixed(1)} %); RSS end ÷ middle ${s.rssGrowth.toFixed(2)}×.\n\n${md(rows)}`;
}

function scaling(tables: readonly ScalingTable[]): string {
  if (tables.length === 0) return '_Not measured in this run._';
  return tables
    .map((t) => {
      const keys = Object.keys(t.spreadFactor);
      const rows = [[t.xLabel, ...keys.map((k) => `${k} orders/s`)]];
      for (const p of t.points) {
        rows.push([p.x.toLocaleString(), ...keys.map((k) => fmtRate(p.opsPerSec[k].median))]);
      }
      return `**${t.name}** (slowest ÷ fastest: ${keys.map((k) => `${k} ${t.spreadFactor[k].toFixed(2)}×`).join(', ')})\n\n${md(rows)}`;
    })
    .join('\n\n');
}

function counters(c: CounterResult): string {
  if (!c.available) {
    return (
      `Not available: ${c.why}.\n\n` +
      "Counts that do not need them: `npm run bench:cachegrind` runs W1 under valgrind's " +
      'cachegrind and gives instructions, L1d misses and L2 misses per operation ' +
      "(simulated for this CPU's caches), for the binary batch and per-order paths; " +
      '`npm run bench:callgrind` splits the instructions by function, wasm and JavaScript.'
    );
  }
  const events = Object.keys(COUNTER_EVENTS);
  const rows = [['path', ...events.map((e) => COUNTER_EVENTS[e]), 'instructions per cycle']];
  for (const p of c.paths) {
    rows.push([
      p.label,
      ...events.map((e) =>
        p.counts[e] === undefined ? 'not supported' : p.counts[e].toLocaleString(),
      ),
      p.ipc === undefined ? '—' : p.ipc.toFixed(2),
    ]);
  }
  return `${md(rows)}\n\nCounts cover the ${c.note}.`;
}

function hotspots(profiles: readonly ProfileResult[]): string {
  if (profiles.length === 0) {
    return '_No profile in this run (full mode profiles every path when a target is missed, or always with `--report`)._';
  }
  return profiles
    .map((p) => {
      const rows = [['self %', 'self ms', 'function', 'where']];
      for (const t of p.top.slice(0, 3)) {
        rows.push([t.percent.toFixed(1), t.ms.toFixed(1), t.name, t.where]);
      }
      return `**${p.label}** (${fmtRate(p.opsPerSec)} orders/s while profiled) — flame graph \`${basename(p.svg)}\`, profile \`${basename(p.cpuprofile)}\`\n\n${md(rows)}`;
    })
    .join('\n\n');
}

/** Which of the book-size scaling's paths slow down with the book, and how much. */
function assessment(input: ReportInput): string {
  const out: string[] = [];
  const best = [...input.w1]
    .filter((r) => r.key !== 'peer')
    .sort((a, b) => b.opsPerSec.median - a.opsPerSec.median)[0];
  const peer = input.w1.find((r) => r.key === 'peer');
  if (best) {
    out.push(
      `- The fastest path is **${best.label}** at ${fmtRate(best.opsPerSec.median)} W1 orders/s (${best.nsPerOp.toFixed(0)} ns an order)` +
        (peer
          ? `, ${(best.opsPerSec.median / peer.opsPerSec.median).toFixed(0)}× nodejs-order-book in the same run.`
          : '.'),
    );
  }
  const c = input.ceiling;
  if (best && !('skipped' in c)) {
    out.push(
      `- The native ceiling (a C++ price ladder, same stream, same run) does ${fmtRate(c.opsPerSec.median)} W1 orders/s: ${best.label} takes ${timesNative(best, c).toFixed(2)}× its time per order.`,
    );
  }
  const sizes = input.scaling.find((t) => t.xLabel === 'resting orders');
  if (sizes && sizes.points.length >= 2) {
    const first = sizes.points[0];
    const last = sizes.points[sizes.points.length - 1];
    for (const k of Object.keys(sizes.spreadFactor)) {
      const a = first.opsPerSec[k].median;
      const b = last.opsPerSec[k].median;
      const bound =
        b < a / 1.5
          ? `memory-bound at ${last.x.toLocaleString()} resting orders: ${(a / b).toFixed(1)}× slower than at ${first.x.toLocaleString()}, where the id map and order pool fit in cache; each random cancel then costs cache misses`
          : `CPU-bound across the range (${(a / b).toFixed(2)}× from ${first.x.toLocaleString()} to ${last.x.toLocaleString()} resting orders)`;
      out.push(`- ${k}: ${bound}.`);
    }
  }
  for (const p of input.profiles) {
    const top = p.top[0];
    if (top)
      out.push(
        `- ${p.label}: the largest self time is \`${top.name}\` (${top.percent.toFixed(0)} %).`,
      );
  }
  if (!input.counters.available) {
    out.push(
      '- Without hardware counters the memory-bound verdicts rest on the scaling table alone (and on `npm run bench:cachegrind`, run separately).',
    );
  }
  const missed = input.targets.filter((t) => !t.met);
  out.push(
    missed.length === 0
      ? '- Every target of the bench was met in this run.'
      : `- Targets missed in this run: ${missed.map((t) => `${t.name} (${t.actual}, wanted ${t.target})`).join('; ')}.`,
  );
  out.push(
    '- Recommendation: use the binary batch path (`CommandBuffer` + `applyEncoded`) where orders arrive in bursts, `submit()` for one order at a time; keep the resting book small (cancel stale orders) where throughput at large books matters.',
  );
  return out.join('\n');
}

/** The report page. */
export function markdownReport(input: ReportInput): string {
  const m = input.machine;
  return `# tickbook performance report

Generated by \`npm run bench -- --report\` on ${input.date}. Results: \`${basename(input.jsonFile)}\`.

## Machine and workload

- ${m.cpuModel} · ${m.cores} cores · ${fmtBytes(Number(m.memoryBytes))} · Node ${m.node} (V8 ${m.v8}) · ${m.platform}
- Workload: ${input.workload}
- Throughput: median of ${input.runs} runs on fresh warmed books, paths interleaved; figures from a shared machine: compare them as ratios within this run.

## Throughput (W1)

${throughput(input.w1)}

## Ceiling

${ceilingSection(input.w1, input.ceiling)}

## Latency per call (per-order paths)

${latency(input.latency)}

## Sustained load

${sustained(input.sustained)}

## Scaling

${scaling(input.scaling)}

## Hardware counters

${counters(input.counters)}

## Top hotspots

${hotspots(input.profiles)}

## Assessment

${assessment(input)}
`;
}
