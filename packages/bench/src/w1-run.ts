/**
 * W1 throughput: every engine path, interleaved round by round (so machine
 * drift hits all alike), each run on a fresh warmed book, with equal-work proof:
 * - tickbook paths: an untimed verification run must give the five W1
 *   checksums of docs/workloads.md; each timed run must then end with the same
 *   resting count (and, per-order, the same refused-cancel count);
 * - the peer: its final L2 depth, resting count and refused cancels must equal
 *   the reference engine's on the same stream.
 * A mismatch throws: the bench fails loudly with a non-zero exit.
 */
import {
  checksumMismatches,
  W1_EXPECTED,
  type W1Checksums,
  type W1Workload,
} from 'tickbook/workloads';
import { W1_BAND, W1_CAPACITY } from './constants';
import { fullGc } from './gc';
import { fmtRate, progress } from './report';
import { spread } from './stats';
import type { BookShape, EngineAdapter, L2, ThroughputResult } from './types';

/** Inputs of {@link runW1}. */
export interface W1RunOptions {
  /** Timed runs per path. */
  runs: number;
  /** The stream tickbook paths run (W1 itself, so the published checksums apply). */
  workload: W1Workload;
  /** The stream the peer runs (W1, or a shorter W1 variant in quick mode). */
  peerWorkload: W1Workload;
  /** The path whose final L2 the peer must match (the reference per-order path). */
  reference: EngineAdapter;
  /**
   * Runs the native ceiling once and returns its rate: called before every
   * timed run of every path and once after the last, so each run is
   * bracketed by the ceiling runs just before and after it.
   */
  ceiling?: () => number;
}

/** The W1 book shape: band 1 … 20,000 around mid 10,000, capacity 100,000. */
export function w1Shape(w: W1Workload): BookShape {
  const wide = w.maxPrice > W1_BAND.maxPrice || w.minPrice < W1_BAND.minPrice;
  return wide
    ? { minPrice: w.minPrice, maxPrice: w.maxPrice, capacity: W1_CAPACITY }
    : { ...W1_BAND, capacity: W1_CAPACITY };
}

function isDefaultW1(w: W1Workload): boolean {
  const o = w.options;
  return o.seed === 42 && o.warmup === 10_000 && o.ops === 1_000_000 && o.mid === 10_000;
}

/** First difference between two L2 depths, or undefined when equal. */
export function l2Difference(a: L2, b: L2): string | undefined {
  for (const side of ['bids', 'asks'] as const) {
    const x = a[side];
    const y = b[side];
    const n = Math.max(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const p = x[i];
      const q = y[i];
      if (!p || !q || p[0] !== q[0] || p[1] !== q[1]) {
        return `${side} level ${i}: ${p ? `${p[1]}@${p[0]}` : 'none'} vs ${q ? `${q[1]}@${q[0]}` : 'none'}`;
      }
    }
  }
  return undefined;
}

interface Expectation {
  refused: number;
  resting: number;
  fills?: number;
}

/** Verification run of one tickbook path: the checksums, or a thrown mismatch. */
function verifyTickbook(engine: EngineAdapter, w: W1Workload, expected: W1Checksums | undefined) {
  const runner = engine.create(w1Shape(w));
  runner.runChecked?.(w.warmup);
  const sums = runner.runChecked?.(w.ops);
  if (!sums) throw new Error(`${engine.label}: no checked run`);
  if (expected) {
    const bad = checksumMismatches(sums, expected);
    if (bad.length > 0) {
      throw new Error(`${engine.label}: W1 checksums do NOT match:\n  ${bad.join('\n  ')}`);
    }
  }
  return { sums, depth: runner.depth() };
}

/** Verification run of the peer against the reference's result on the same stream. */
function verifyPeer(peer: EngineAdapter, w: W1Workload, ref: { sums: W1Checksums; depth: L2 }) {
  const runner = peer.create(w1Shape(w));
  runner.run(peer.prepare(w.warmup));
  const refused = runner.run(peer.prepare(w.ops));
  const depth = runner.depth();
  const diff = l2Difference(depth, ref.depth);
  const resting = runner.size();
  const problems: string[] = [];
  if (diff) problems.push(`final L2 differs from the reference engine's: ${diff}`);
  if (resting !== ref.sums.resting) problems.push(`resting ${resting} vs ${ref.sums.resting}`);
  if (refused !== ref.sums.refusedCancels) {
    problems.push(`refused cancels ${refused} vs ${ref.sums.refusedCancels}`);
  }
  if (problems.length > 0) {
    throw new Error(`${peer.label}: did not do the same work:\n  ${problems.join('\n  ')}`);
  }
  return { refused, resting, levels: depth.bids.length + depth.asks.length };
}

/**
 * Runs W1 on every path: verification first, then `runs` interleaved timed rounds.
 * @throws when any path fails its equal-work proof.
 */
export function runW1(engines: readonly EngineAdapter[], opts: W1RunOptions): ThroughputResult[] {
  const { workload, peerWorkload } = opts;
  const published = isDefaultW1(workload) ? W1_EXPECTED : undefined;
  const expect = new Map<string, Expectation>();
  const proof = new Map<string, string>();
  const checksums = new Map<string, W1Checksums>();
  let reference: { sums: W1Checksums; depth: L2 } | undefined;

  for (const e of engines.filter((x) => x.family === 'tickbook')) {
    progress(`W1 verify · ${e.label}`);
    const v = verifyTickbook(e, workload, published ?? reference?.sums);
    reference ??= v;
    checksums.set(e.key, v.sums);
    expect.set(e.key, {
      refused: v.sums.refusedCancels,
      resting: v.sums.resting,
      fills: v.sums.fills,
    });
    proof.set(e.key, published ? '5 W1 checksums = docs/workloads.md' : '5 checksums = reference');
  }
  const peer = engines.find((x) => x.family === 'peer');
  if (peer) {
    const ref =
      peerWorkload === workload && reference
        ? reference
        : verifyTickbook(
            opts.reference,
            peerWorkload,
            peerWorkload === workload ? published : undefined,
          );
    progress(`W1 verify · ${peer.label} (${peerWorkload.ops.length.toLocaleString()} ops)`);
    const v = verifyPeer(peer, peerWorkload, ref);
    expect.set(peer.key, { refused: v.refused, resting: v.resting });
    proof.set(peer.key, `final L2 (${v.levels} levels), resting, refused = reference`);
  }

  const samples = new Map<string, number[]>(engines.map((e) => [e.key, []]));
  const around = new Map<string, number[]>(engines.map((e) => [e.key, []]));
  let ceilingBefore = opts.ceiling?.();
  for (let r = 0; r < opts.runs; r++) {
    // Rotate the order each round so no path always runs first or last.
    const order = engines.map((_, i) => engines[(i + r) % engines.length]);
    for (const e of order) {
      const w = e.family === 'peer' ? peerWorkload : workload;
      const runner = e.create(w1Shape(w));
      runner.run(e.prepare(w.warmup));
      const prepared = e.prepare(w.ops);
      fullGc();
      const t0 = performance.now();
      const refused = runner.run(prepared);
      const t1 = performance.now();
      const want = expect.get(e.key);
      const resting = runner.size();
      const fills = runner.fills?.();
      if (
        want &&
        (resting !== want.resting ||
          (refused >= 0 && refused !== want.refused) ||
          (fills !== undefined && fills !== want.fills))
      ) {
        throw new Error(
          `${e.label}: timed run ${r + 1} did different work (resting ${resting} vs ${want.resting}, refused ${refused} vs ${want.refused}, fills ${fills} vs ${want.fills})`,
        );
      }
      const rate = w.ops.length / ((t1 - t0) / 1000);
      samples.get(e.key)?.push(rate);
      if (ceilingBefore !== undefined && opts.ceiling) {
        const ceilingAfter = opts.ceiling();
        around.get(e.key)?.push((ceilingBefore + ceilingAfter) / 2);
        ceilingBefore = ceilingAfter;
      }
      progress(`W1 run ${r + 1}/${opts.runs} · ${e.label}: ${fmtRate(rate)} orders/s`);
    }
  }

  return engines.map((e) => {
    const s = spread(samples.get(e.key) ?? []);
    const ops = (e.family === 'peer' ? peerWorkload : workload).ops.length;
    return {
      key: e.key,
      label: e.label,
      ops,
      opsPerSec: s,
      nsPerOp: 1e9 / s.median,
      proof: proof.get(e.key) ?? '',
      checksums: checksums.get(e.key),
      ...(opts.ceiling ? { ceilingAround: around.get(e.key) } : {}),
    };
  });
}

/**
 * The W1 throughput table's rows (header first): median, min, max, ns per
 * operation and the ratio to the peer, then whatever `more` adds per path.
 */
export function throughputRows(
  results: readonly ThroughputResult[],
  more: { header: string[]; cells: (r: ThroughputResult) => string[] } = {
    header: [],
    cells: () => [],
  },
): string[][] {
  const peer = results.find((r) => r.key === 'peer')?.opsPerSec.median;
  const rows = [['path', 'orders/s (median)', 'min', 'max', 'ns/op', '× peer', ...more.header]];
  for (const r of results) {
    rows.push([
      r.label,
      fmtRate(r.opsPerSec.median),
      fmtRate(r.opsPerSec.min),
      fmtRate(r.opsPerSec.max),
      r.nsPerOp.toFixed(0),
      peer ? `${(r.opsPerSec.median / peer).toFixed(1)}×` : '—',
      ...more.cells(r),
    ]);
  }
  return rows;
}
