/**
 * Scaling tables: W1-style flow (same mix, same draw order) on tickbook paths
 * (1) as the resting book grows — the warm-up places 1k … 1M orders over the
 * same ~100 levels — and (2) as the band widens with sparse prices — the same
 * ~100 levels spread `step = width / 100` ticks apart, so the best price jumps
 * across up to 9,999 empty ticks. Cost should stay flat; the verdict says if not.
 */
import { generateW1, type W1Workload } from 'tickbook/workloads';
import { SCALING_FLAT_FACTOR } from './constants';
import { fullGc } from './gc';
import { fmtRate, progress } from './report';
import { spread } from './stats';
import type { BookShape, EngineAdapter, Spread } from './types';

/** One row of a scaling table: one point for every path. */
export interface ScalingPoint {
  /** Resting orders after warm-up, or band width in ticks. */
  x: number;
  /** Resting orders at the end of the run (same for every path: equal-work check). */
  restingAtEnd: number;
  opsPerSec: Record<string, Spread>;
}

/** A scaling table with its flatness verdict per path. */
export interface ScalingTable {
  name: string;
  xLabel: string;
  ops: number;
  points: ScalingPoint[];
  /** Per path: slowest ns/op ÷ fastest ns/op over the points. */
  spreadFactor: Record<string, number>;
  /** Per path: within {@link SCALING_FLAT_FACTOR}? */
  flat: Record<string, boolean>;
}

/** One point of a scaling table, before measuring. */
interface PointSpec {
  x: number;
  what: string;
  w: W1Workload;
  shape: BookShape;
}

/** One timed run of one path at one point; returns orders/sec and the resting count. */
function once(e: EngineAdapter, spec: PointSpec): { rate: number; resting: number } {
  const runner = e.create(spec.shape);
  runner.run(e.prepare(spec.w.warmup));
  const prepared = e.prepare(spec.w.ops);
  fullGc();
  const t0 = performance.now();
  runner.run(prepared);
  const t1 = performance.now();
  return { rate: spec.w.ops.length / ((t1 - t0) / 1000), resting: runner.size() };
}

/**
 * Measures every point on every path. Rounds run over all points (and paths
 * rotate within a point), so machine drift spreads over the whole table
 * instead of landing on one point and faking a trend.
 */
function measure(
  engines: readonly EngineAdapter[],
  specs: readonly PointSpec[],
  runs: number,
): ScalingPoint[] {
  const samples = specs.map(() => new Map<string, number[]>(engines.map((e) => [e.key, []])));
  const resting = specs.map(() => -1);
  for (let r = 0; r < runs; r++) {
    specs.forEach((spec, si) => {
      const order = engines.map((_, i) => engines[(i + r + si) % engines.length]);
      for (const e of order) {
        const m = once(e, spec);
        if (resting[si] < 0) resting[si] = m.resting;
        else if (m.resting !== resting[si]) {
          throw new Error(
            `scaling ${spec.what}: ${e.label} ends with ${m.resting} resting orders, others ${resting[si]}`,
          );
        }
        samples[si].get(e.key)?.push(m.rate);
      }
      const line = engines
        .map((e) => `${e.key} ${fmtRate(samples[si].get(e.key)?.at(-1) ?? Number.NaN)}/s`)
        .join(', ');
      progress(`scaling run ${r + 1}/${runs} · ${spec.what}: ${line}`);
    });
  }
  return specs.map((spec, si) => {
    const opsPerSec: Record<string, Spread> = {};
    for (const [k, v] of samples[si]) opsPerSec[k] = spread(v);
    return { x: spec.x, restingAtEnd: resting[si], opsPerSec };
  });
}

/** Measures the points and gives the table with its flatness verdict per path. */
function measuredTable(
  name: string,
  xLabel: string,
  ops: number,
  engines: readonly EngineAdapter[],
  specs: readonly PointSpec[],
  runs: number,
): ScalingTable {
  const points = measure(engines, specs, runs);
  const spreadFactor: Record<string, number> = {};
  const flat: Record<string, boolean> = {};
  for (const e of engines) {
    const rates = points.map((p) => p.opsPerSec[e.key].median);
    spreadFactor[e.key] = Math.max(...rates) / Math.min(...rates);
    flat[e.key] = spreadFactor[e.key] <= SCALING_FLAT_FACTOR;
  }
  return { name, xLabel, ops, points, spreadFactor, flat };
}

/** Orders/sec as the resting book grows. */
export function scaleBookSize(
  engines: readonly EngineAdapter[],
  sizes: readonly number[],
  ops: number,
  runs: number,
): ScalingTable {
  const specs = sizes.map((n) => ({
    x: n,
    what: `book ${n.toLocaleString()} orders`,
    w: generateW1({ warmup: n, ops }),
    shape: { minPrice: 1, maxPrice: 20_000, capacity: n + ops + 10_000 },
  }));
  return measuredTable('resting book size', 'resting orders', ops, engines, specs, runs);
}

/** Orders/sec as the band widens with sparse prices. */
export function scaleBandWidth(
  engines: readonly EngineAdapter[],
  widths: readonly number[],
  ops: number,
  runs: number,
): ScalingTable {
  const specs = widths.map((width) => {
    const step = Math.max(1, Math.floor(width / 100));
    const mid = 1 + 50 * step;
    return {
      x: width,
      what: `band ${width.toLocaleString()} ticks (step ${step})`,
      w: generateW1({ ops, step, mid }),
      shape: { minPrice: 1, maxPrice: mid + 50 * step, capacity: 100_000 },
    };
  });
  return measuredTable('band width (sparse prices)', 'band ticks', ops, engines, specs, runs);
}
