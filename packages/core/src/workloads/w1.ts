/**
 * The W1 workload (docs/workloads.md): steady mixed flow on one instrument. The
 * book stays near 7,000 resting orders over ~95 levels, so the figure measures
 * matching, not a growing heap. The draw order below fixes the stream: keep it.
 */
import { allocOps, OP_CANCEL, OP_MARKET, OP_MARKETABLE, OP_PASSIVE, type Ops } from './ops';
import { mulberry32 } from './prng';

/** Parameters of a W1 stream. The defaults are W1 exactly. */
export interface W1Options {
  /** PRNG seed. @defaultValue `42` */
  seed?: number;
  /** Passive orders placed before the timed operations. @defaultValue `10_000` */
  warmup?: number;
  /** Timed operations. @defaultValue `1_000_000` */
  ops?: number;
  /** Mid price in ticks. @defaultValue `10_000` */
  mid?: number;
  /**
   * Ticks between neighbouring used prices. `1` is W1; a larger step spreads
   * the same ~100 levels over a wider band (sparse prices) for scaling runs.
   * @defaultValue `1`
   */
  step?: number;
}

/** {@link W1Options} with every default filled in. */
export type ResolvedW1Options = Required<W1Options>;

/** The W1 defaults (the workload the checksums in {@link W1_EXPECTED} belong to). */
export const W1_DEFAULTS: ResolvedW1Options = Object.freeze({
  seed: 42,
  warmup: 10_000,
  ops: 1_000_000,
  mid: 10_000,
  step: 1,
});

/** A generated W1 stream: warm-up (untimed) passive orders, then the timed operations. */
export interface W1Workload {
  readonly options: ResolvedW1Options;
  /** Warm-up operations: all passive, none crosses. */
  readonly warmup: Ops;
  /** The operations to time. */
  readonly ops: Ops;
  /** Lowest and highest price any operation uses (for choosing a book band). */
  readonly minPrice: number;
  readonly maxPrice: number;
}

/** Fills in the W1 defaults and checks the options make a valid stream. */
export function resolveW1Options(options: W1Options = {}): ResolvedW1Options {
  const o = { ...W1_DEFAULTS, ...options };
  for (const key of ['warmup', 'ops'] as const) {
    if (!Number.isSafeInteger(o[key]) || o[key] < 0) {
      throw new RangeError(`W1 ${key} must be a non-negative integer, got ${o[key]}`);
    }
  }
  if (!Number.isSafeInteger(o.step) || o.step < 1) {
    throw new RangeError(`W1 step must be a positive integer, got ${o.step}`);
  }
  if (!Number.isSafeInteger(o.mid) || o.mid - 50 * o.step < 1 || o.mid + 50 * o.step > 0xffffffff) {
    throw new RangeError(`W1 mid ${o.mid} with step ${o.step} puts prices outside 1 … 2^32-1`);
  }
  return o;
}

/**
 * Stateful W1 generator: it keeps the PRNG, the next id and the `live` id
 * list, so a stream can be produced in chunks (sustained mode) and stays the
 * same stream as one long {@link generateW1} call.
 */
export class W1Generator {
  readonly options: ResolvedW1Options;
  private readonly next: () => number;
  /** Ids the generator may still cancel (some may have filled meanwhile). */
  private readonly live: number[] = [];
  private nextId = 1;

  constructor(options: W1Options = {}) {
    this.options = resolveW1Options(options);
    this.next = mulberry32(this.options.seed);
  }

  /** Number of ids the generator currently considers live. */
  get liveCount(): number {
    return this.live.length;
  }

  /** `count` warm-up operations (passive orders only). */
  warmup(count: number = this.options.warmup): Ops {
    const ops = allocOps(count);
    for (let i = 0; i < count; i++) this.passive(ops, i);
    return ops;
  }

  /** The next `count` mixed operations. */
  mixed(count: number = this.options.ops): Ops {
    const ops = allocOps(count);
    const { mid, step } = this.options;
    for (let i = 0; i < count; i++) {
      const r = this.rand(100);
      if (r < 40 || (r < 88 && this.live.length === 0)) {
        this.passive(ops, i);
      } else if (r < 88) {
        const j = this.rand(this.live.length);
        ops.kind[i] = OP_CANCEL;
        ops.id[i] = this.live[j];
        this.live[j] = this.live[this.live.length - 1];
        this.live.pop();
      } else if (r < 96) {
        const side = this.rand(2);
        const off = this.rand(6);
        this.place(ops, i, OP_MARKETABLE, side, side === 0 ? mid + off * step : mid - off * step);
      } else {
        ops.kind[i] = OP_MARKET;
        ops.side[i] = this.rand(2);
        ops.qty[i] = 1 + this.rand(100);
        ops.id[i] = this.nextId++;
      }
    }
    return ops;
  }

  private rand(n: number): number {
    return Math.floor(this.next() * n);
  }

  private passive(ops: Ops, i: number): void {
    const side = this.rand(2);
    const off = this.rand(50);
    const { mid, step } = this.options;
    this.place(
      ops,
      i,
      OP_PASSIVE,
      side,
      side === 0 ? mid - (1 + off) * step : mid + (1 + off) * step,
    );
  }

  /** A new GTC limit order with the next id and a drawn qty; it may be cancelled later. */
  private place(ops: Ops, i: number, kind: number, side: number, price: number): void {
    const id = this.nextId++;
    ops.kind[i] = kind;
    ops.id[i] = id;
    ops.side[i] = side;
    ops.qty[i] = 1 + this.rand(100);
    ops.price[i] = price;
    this.live.push(id);
  }
}

/**
 * Generates a W1 stream up front (not timed).
 *
 * @example
 * ```ts
 * const w1 = generateW1();                       // the W1 of docs/workloads.md
 * const quick = generateW1({ ops: 100_000 });     // a shorter variant
 * ```
 */
export function generateW1(options: W1Options = {}): W1Workload {
  const gen = new W1Generator(options);
  const o = gen.options;
  const warmup = gen.warmup(o.warmup);
  const ops = gen.mixed(o.ops);
  return {
    options: o,
    warmup,
    ops,
    minPrice: o.mid - 50 * o.step,
    maxPrice: o.mid + 50 * o.step,
  };
}
