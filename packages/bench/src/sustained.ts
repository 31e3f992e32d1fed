/**
 * Sustained mode: the W1 flow kept up for N seconds on one per-order path
 * (the stream continues from one W1 generator, generated in untimed chunks),
 * printing per second: orders/sec over the time spent inside calls, latency
 * percentiles of that second's calls, resting orders and RSS — so jitter and
 * memory stability are visible. The book must not grow without bound.
 */
import { type Ops, W1Generator } from 'tickbook/workloads';
import { SUSTAINED_CHUNK, SUSTAINED_GEN_CHUNK, W1_BAND, W1_CAPACITY } from './constants';
import { timerOverheadNs } from './latency';
import { fmtBytes, fmtNs, fmtRate, progress, table } from './report';
import { summarize } from './stats';
import type { EngineAdapter, LatencySummary } from './types';

/** One second of a sustained run. */
export interface SustainedSecond {
  second: number;
  ops: number;
  /** Operations ÷ time inside calls. */
  opsPerSec: number;
  latency: LatencySummary;
  resting: number;
  rssBytes: number;
}

/** A whole sustained run. */
export interface SustainedResult {
  key: string;
  label: string;
  seconds: SustainedSecond[];
  totalOps: number;
  /** RSS at the end ÷ RSS at the middle second (≈1: stable). */
  rssGrowth: number;
  /** Largest resting count seen. */
  maxResting: number;
}

function slice(ops: Ops, start: number, end: number): Ops {
  return {
    length: end - start,
    kind: ops.kind.subarray(start, end),
    id: ops.id.subarray(start, end),
    side: ops.side.subarray(start, end),
    price: ops.price.subarray(start, end),
    qty: ops.qty.subarray(start, end),
  };
}

/** Runs W1 flow on `engine` for `seconds` seconds, printing a line per second. */
export function runSustained(engine: EngineAdapter, seconds: number): SustainedResult {
  const gen = new W1Generator();
  const runner = engine.create({ ...W1_BAND, capacity: W1_CAPACITY });
  if (!runner.runTimed) throw new Error(`${engine.label} has no per-call timing`);
  runner.run(engine.prepare(gen.warmup()));
  const overhead = timerOverheadNs();
  const lat = new Float64Array(SUSTAINED_CHUNK);
  const perSecond: SustainedSecond[] = [];
  let ops = gen.mixed(SUSTAINED_GEN_CHUNK);
  let pos = 0;
  const rows: string[][] = [
    ['second', 'orders/s', 'p50', 'p95', 'p99', 'p99.9', 'max', 'resting', 'RSS'],
  ];
  progress(`sustained · ${engine.label} for ${seconds} s`);
  for (let s = 1; s <= seconds; s++) {
    // Each row measures one second of calls; summarising it is not counted.
    const secondEnd = performance.now() + 1000;
    const samples: Float64Array[] = [];
    let count = 0;
    while (performance.now() < secondEnd) {
      if (pos + SUSTAINED_CHUNK > ops.length) {
        ops = gen.mixed(SUSTAINED_GEN_CHUNK); // untimed
        pos = 0;
      }
      const chunk = slice(ops, pos, pos + SUSTAINED_CHUNK);
      pos += SUSTAINED_CHUNK;
      runner.runTimed(engine.prepare(chunk), lat);
      samples.push(Float64Array.from(lat, (v) => Math.max(0, v - overhead)));
      count += SUSTAINED_CHUNK;
    }
    const all = new Float64Array(count);
    let busy = 0;
    for (let i = 0; i < samples.length; i++) all.set(samples[i], i * SUSTAINED_CHUNK);
    for (let i = 0; i < all.length; i++) busy += all[i] + overhead;
    const latency = summarize(all);
    const row: SustainedSecond = {
      second: s,
      ops: count,
      opsPerSec: count / (busy / 1e9),
      latency,
      resting: runner.size(),
      rssBytes: process.memoryUsage().rss,
    };
    perSecond.push(row);
    const cells = [
      String(s),
      fmtRate(row.opsPerSec),
      fmtNs(latency.p50),
      fmtNs(latency.p95),
      fmtNs(latency.p99),
      fmtNs(latency.p999),
      fmtNs(latency.max),
      row.resting.toLocaleString(),
      fmtBytes(row.rssBytes),
    ];
    rows.push(cells);
    progress(
      `sustained second ${cells[0]}: ${cells[1]} orders/s, p50 ${cells[2]}, p95 ${cells[3]}, p99 ${cells[4]}, p99.9 ${cells[5]}, max ${cells[6]}, resting ${cells[7]}, RSS ${cells[8]}`,
    );
  }
  process.stdout.write(`\n${table(rows)}\n`);
  // Compare the second half only: the first seconds include start-up growth.
  const first = perSecond[Math.floor(perSecond.length / 2)]?.rssBytes ?? 1;
  const last = perSecond[perSecond.length - 1]?.rssBytes ?? 1;
  return {
    key: engine.key,
    label: engine.label,
    seconds: perSecond,
    totalOps: perSecond.reduce((a, r) => a + r.ops, 0),
    rssGrowth: last / first,
    maxResting: Math.max(...perSecond.map((r) => r.resting)),
  };
}
