/** Every type the benchmark shares between its files. */
import type { Ops, W1Checksums } from 'tickbook/workloads';

/**
 * How an engine path is driven: `per-order` (typed calls, refusals thrown),
 * `submit` (one call per order, refusals returned as events), `batch`.
 */
export type PathKind = 'per-order' | 'submit' | 'batch';

/** Price band and capacity of a book to create. */
export interface BookShape {
  minPrice: number;
  maxPrice: number;
  capacity: number;
}

/** L2 depth as `[price, qty]` pairs, best first. */
export interface L2 {
  bids: [number, number][];
  asks: [number, number][];
}

/** Operations made ready for one engine path (commands built, ids stringified, …), untimed. */
export type Prepared = unknown;

/** One fresh book of one engine path, driven by the benchmark. */
export interface BookRunner {
  /**
   * Applies prepared operations: the timed loop, no event accounting.
   * @returns cancels refused as unknown id (a cheap equal-work check per run).
   */
  run(prepared: Prepared): number;
  /** Trades seen by the last `run`, when the path reads its events anyway (binary batch). */
  fills?(): number;
  /** Applies operations with checksum accounting (verification runs). */
  runChecked?(ops: Ops): W1Checksums;
  /**
   * Applies operations one call each, writing each call's duration in ns
   * (timer overhead not removed) into `out`. Per-order paths only.
   */
  runTimed?(prepared: Prepared, out: Float64Array): void;
  /** Resting orders. */
  size(): number;
  /**
   * Memory the book holds outside the V8 heap and `external` counters, in
   * bytes (a WASM engine's linear memory); 0 or absent otherwise.
   */
  outsideHeapBytes?(): number;
  /** Full L2 depth, best first. */
  depth(): L2;
}

/** Direct per-order calls for micro-benchmarks (side: 0 buy, 1 sell). */
export interface MicroBook {
  limit(id: number, side: number, price: number, qty: number): void;
  cancel(id: number): void;
  /** Moves a resting order to a new price (it loses priority). */
  modifyPrice(id: number, price: number): void;
}

/** One engine path the benchmark can run; the registry in engines.ts lists them. */
export interface EngineAdapter {
  /** Short stable key, used on the command line and in JSON: `js-order`, `peer`, … */
  readonly key: string;
  /** Label for tables. */
  readonly label: string;
  /** `tickbook` engines must match the W1 checksums; the peer must match the reference L2. */
  readonly family: 'tickbook' | 'peer';
  /** Engine kind behind a tickbook path (`js`, `wasm`), or `peer`. */
  readonly engine: string;
  readonly path: PathKind;
  /**
   * Turns operations into what `run` consumes (not timed). Not cached: callers
   * hold the result only as long as they need it, so the live heap — and the
   * garbage collector's work during timed runs — stays small.
   */
  prepare(ops: Ops): Prepared;
  /** Creates a fresh, empty book. */
  create(shape: BookShape): BookRunner;
  /** A fresh book for micro-benchmarks (per-order paths only). */
  micro?(shape: BookShape): MicroBook;
}

/** Median / min / max of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Every sample, in run order. */
  samples: number[];
}

/** Latency percentiles in ns. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** W1 throughput of one engine path. */
export interface ThroughputResult {
  key: string;
  label: string;
  /** Timed operations per run. */
  ops: number;
  /** Orders (operations) per second. */
  opsPerSec: Spread;
  /** ns per operation (from the median). */
  nsPerOp: number;
  /** How equal work was proven. */
  proof: string;
  /** Checksums of the verification run (tickbook engines). */
  checksums?: W1Checksums;
  /**
   * The native ceiling's rate around each timed run, in run order: the mean
   * of the ceiling runs just before and just after it.
   */
  ceilingAround?: number[];
}

/** A speed target and whether this run met it. */
export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean;
  /** e.g. "missed by 2.3×". */
  note: string;
}
