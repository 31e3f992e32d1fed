/**
 * Per-operation latency: one extra W1 run per per-order path with a timer
 * read around each single call. The calibrated cost of the timer reads
 * themselves (median of an empty timed region) is subtracted from every sample.
 */
import { OP_KIND_NAMES, type W1Workload } from 'tickbook/workloads';
import { fullGc } from './gc';
import { fmtNs, progress } from './report';
import { summarize } from './stats';
import type { EngineAdapter, LatencySummary } from './types';
import { w1Shape } from './w1-run';

/** Latency of one path: overall and per operation kind. */
export interface LatencyResult {
  key: string;
  label: string;
  /** Timer overhead subtracted from each sample, ns. */
  timerOverheadNs: number;
  overall: LatencySummary;
  byKind: Record<string, LatencySummary>;
}

/** Median cost in ns of two back-to-back `performance.now()` reads. */
export function timerOverheadNs(): number {
  const n = 200_000;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    out[i] = (performance.now() - t0) * 1e6;
  }
  out.sort();
  return out[n >> 1];
}

/** Measures every per-order path that supports timed runs. */
export function runLatency(
  engines: readonly EngineAdapter[],
  workloadOf: (e: EngineAdapter) => W1Workload,
): LatencyResult[] {
  const overhead = timerOverheadNs();
  const results: LatencyResult[] = [];
  for (const e of engines) {
    if (e.path !== 'per-order' && e.path !== 'submit') continue;
    const w = workloadOf(e);
    const runner = e.create(w1Shape(w));
    if (!runner.runTimed) continue;
    progress(`latency · ${e.label} (${w.ops.length.toLocaleString()} timed calls)`);
    runner.run(e.prepare(w.warmup));
    const prepared = e.prepare(w.ops);
    const out = new Float64Array(w.ops.length);
    fullGc();
    runner.runTimed(prepared, out);
    const perKind = OP_KIND_NAMES.map(() => [] as number[]);
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.max(0, out[i] - overhead);
      perKind[w.ops.kind[i]].push(out[i]);
    }
    const byKind: Record<string, LatencySummary> = {};
    OP_KIND_NAMES.forEach((name, k) => {
      byKind[name] = summarize(Float64Array.from(perKind[k]));
    });
    results.push({
      key: e.key,
      label: e.label,
      timerOverheadNs: overhead,
      overall: summarize(out),
      byKind,
    });
  }
  return results;
}

/**
 * The latency table's rows (header first): per path, all calls then each
 * operation kind, with p50/p95/p99/p99.9/max and the jitter p99 − p50.
 */
export function latencyRows(results: readonly LatencyResult[]): string[][] {
  const rows = [['path', 'operation', 'count', 'p50', 'p95', 'p99', 'p99.9', 'max', 'jitter']];
  for (const l of results) {
    const all: [string, LatencySummary][] = [['all', l.overall], ...Object.entries(l.byKind)];
    for (const [kind, s] of all) {
      rows.push([
        l.label,
        kind,
        s.count.toLocaleString(),
        fmtNs(s.p50),
        fmtNs(s.p95),
        fmtNs(s.p99),
        fmtNs(s.p999),
        fmtNs(s.max),
        fmtNs(s.p99 - s.p50),
      ]);
    }
  }
  return rows;
}
