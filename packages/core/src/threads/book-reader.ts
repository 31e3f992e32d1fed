/**
 * Read a WebAssembly book's top of book and depth from another thread, straight
 * from its shared memory: no message to the matching thread, no allocation on
 * the fast path ({@link BookReader.readDepth}).
 *
 * Consistency comes from a seqlock: the writer makes a counter odd before an
 * exported call changes the book and even again afterwards, publishing the
 * command sequence inside that window (packages/matcher-wasm/assembly/seqlock.ts).
 * A reader notes the counter, reads, and reads the counter again; if it was odd
 * or has moved, the read overlapped a write and is retried. So a reader never
 * returns a torn or crossed view, and the sequences it returns never go
 * backwards. Everything read between the two counter loads is treated as
 * untrusted (a torn bitset word, an index out of range) and simply retried.
 *
 * The counter loads are `Atomics.load`, the data loads plain typed-array
 * reads. On x86-64 loads are not reordered with each other, so the check is
 * exact; on weakly ordered hardware (ARM64) JavaScript has no load fence to
 * put before the second counter load, and the structural checks here
 * (bitsets agreeing with levels, positive quantities, not crossed) are the
 * remaining guard. A reader that spins on the book costs the writer cache
 * misses on the lines it reads (the benchmark measures it: `npm run bench`, threads section).
 *
 * Layout read here (see packages/matcher-wasm/assembly/layout.ts):
 * - level record of tick t at `levelsBase + 24 t`: `total f64 @0`, `count u32 @16`;
 * - bitset pyramids: u32 addresses at `bitsTable + 4 (side × 4 + k)`, u32 word
 *   counts at `bitsTable + 32 + 4 k`; level 0 has one bit per tick;
 * - seqlock: i32 at `bitsTable + 48`; command sequence: f64 at `bitsTable + 56`;
 * - readers waiting: i32 at `bitsTable + 52`.
 *
 * A batch writer running flat out leaves only short gaps between its write
 * windows. A reader that has spun {@link ANNOUNCE_ATTEMPTS} times without
 * finding one says so in the shared `waiting` counter until its read
 * succeeds; the writer checks the counter after each window and, while it
 * is non-zero, holds off its next window briefly (`WasmBook`), so readers
 * are not starved. A writer with no waiting readers pays one load a window.
 */
import type { Depth, Level } from '../types';
import {
  BITS_READERS_WAITING,
  BITS_SEQLOCK,
  BITS_SEQUENCE,
  BITS_WORDS,
  LEVEL_COUNT,
  LEVEL_SIZE,
} from '../wasm/codes';

/**
 * What a reader thread needs, handed over once: plain numbers and the
 * memory's `SharedArrayBuffer`, so it can be passed in `workerData` or
 * `postMessage` (see `WasmBook.readerDescriptor()`).
 */
export interface BookReaderDescriptor {
  /** The book's wasm memory buffer. */
  buffer: SharedArrayBuffer;
  minPrice: number;
  /** Band width in ticks. */
  ticks: number;
  /** Byte address of the price ladder. */
  levelsBase: number;
  /** Byte address of the bitset table (bitset addresses, seqlock, sequence). */
  bitsTable: number;
  /** Height of each side's bitset pyramid. */
  bitLevels: number;
}

/** A consistent L2 view with the sequence it belongs to (see {@link BookReader.depth}). */
export interface SequencedDepth extends Depth {
  /** Commands the book had applied when this view was true. */
  sequence: number;
}

const MAX_BIT_LEVELS = 4;
/** A walk met words that do not fit together: a write overlapped it. */
const RETRY = -2;
/** Attempts (~1 ms of spinning: longer than one batch window) before retries sleep briefly. */
const SPIN_ATTEMPTS = 65_536;
/** Attempts before a read asks the writer for a gap (the `waiting` counter). */
export const ANNOUNCE_ATTEMPTS = 64;
/** Sleep between attempts once spinning has not helped (ms). */
const BACKOFF_MS = 0.05;
/** A read gives up after this long inside one write window (the writer died or hung). */
const GIVE_UP_MS = 10_000;
const BUY = 0;
const SELL = 1;

/**
 * Numbers {@link BookReader.readDepth} needs room for: `3 + 6 × depth`.
 * @param depth - levels per side.
 */
export function depthBufferLength(depth: number): number {
  return 3 + 6 * depth;
}

/**
 * Reads a WASM book's L1/L2 from any thread without messaging the writer:
 * build it from the writer's {@link WasmBook.readerDescriptor} (sent to the
 * worker with `postMessage`). Reads are consistent (never torn or crossed)
 * and their sequences never go backwards; see the module comment above.
 */
export class BookReader {
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly seqIndex: number;
  private readonly sequenceIndex: number;
  private readonly waitingIndex: number;
  /** This reader counts in the writer's `waiting` counter (between announce and withdraw). */
  private announced = false;
  private readonly minPrice: number;
  private readonly ticks: number;
  private readonly levelsBase: number;
  /** u32 index of word 0 of each side's bitset level k: `[side * 4 + k]`. */
  private readonly bitBase = new Int32Array(2 * MAX_BIT_LEVELS);
  /** 64-bit words in bitset level k (both sides). */
  private readonly bitWords = new Int32Array(MAX_BIT_LEVELS);
  private readonly top: number;
  /** The 64-bit bitset word last read, as two halves. */
  private lo = 0;
  private hi = 0;
  private readonly scratch = new Float64Array(depthBufferLength(1));
  /** Attempts that overlapped a write and were retried (for tests and tuning). */
  retries = 0;

  /** @param descriptor - from `WasmBook.readerDescriptor()` on the writer's thread. */
  constructor(descriptor: BookReaderDescriptor) {
    const d = descriptor;
    this.u32 = new Uint32Array(d.buffer);
    this.i32 = new Int32Array(d.buffer);
    this.f64 = new Float64Array(d.buffer);
    this.minPrice = d.minPrice;
    this.ticks = d.ticks;
    this.levelsBase = d.levelsBase;
    this.seqIndex = (d.bitsTable + BITS_SEQLOCK) >> 2;
    this.waitingIndex = (d.bitsTable + BITS_READERS_WAITING) >> 2;
    this.sequenceIndex = (d.bitsTable + BITS_SEQUENCE) >> 3;
    // The table's addresses and word counts are written once, at init.
    for (let i = 0; i < 2 * MAX_BIT_LEVELS; i++) {
      this.bitBase[i] = this.u32[(d.bitsTable >> 2) + i] >> 2;
    }
    for (let k = 0; k < MAX_BIT_LEVELS; k++) {
      this.bitWords[k] = this.u32[((d.bitsTable + BITS_WORDS) >> 2) + k];
    }
    this.top = d.bitLevels - 1;
  }

  /** Commands the writer has applied, as of its last completed write. */
  sequence(): number {
    for (let attempt = 0; ; attempt++) {
      const before = Atomics.load(this.i32, this.seqIndex);
      if ((before & 1) === 0) {
        const value = this.f64[this.sequenceIndex];
        if (Atomics.load(this.i32, this.seqIndex) === before) {
          if (this.announced) this.withdraw();
          return value;
        }
      }
      this.retried(attempt, before);
    }
  }

  /**
   * The fast path: read the top `depth` levels of both sides into `out`
   * without allocating. Layout: `out[0]` command sequence, `out[1]` bid
   * levels n, `out[2]` ask levels m, then n bid triples (price, qty, count)
   * best first, then m ask triples. `out` must hold
   * {@link depthBufferLength}`(depth)` numbers.
   * @returns the number of numbers written (`3 + 3 (n + m)`).
   */
  readDepth(out: Float64Array, depth: number): number {
    for (let attempt = 0; ; attempt++) {
      const before = Atomics.load(this.i32, this.seqIndex);
      if ((before & 1) === 0) {
        const written = this.tryReadDepth(out, depth);
        if (written >= 0 && Atomics.load(this.i32, this.seqIndex) === before) {
          if (this.announced) this.withdraw();
          return written;
        }
      }
      this.retried(attempt, before);
    }
  }

  /** Best bid and ask (each `undefined` when that side is empty) and their sequence. Allocates. */
  topOfBook(): { bid: Level | undefined; ask: Level | undefined; sequence: number } {
    const out = this.scratch;
    this.readDepth(out, 1);
    const n = out[1];
    const bid = n > 0 ? { price: out[3], qty: out[4], count: out[5] } : undefined;
    const a = 3 + 3 * n;
    const ask = out[2] > 0 ? { price: out[a], qty: out[a + 1], count: out[a + 2] } : undefined;
    return { bid, ask, sequence: out[0] };
  }

  /** Top `limit` levels of both sides as objects, in `Book.depth()`'s shape. Allocates. */
  depth(limit: number): SequencedDepth {
    const out = new Float64Array(depthBufferLength(limit));
    this.readDepth(out, limit);
    const n = out[1];
    const m = out[2];
    const side = (start: number, count: number): Level[] => {
      const levels: Level[] = [];
      for (let i = 0, at = start; i < count; i++, at += 3) {
        levels.push({ price: out[at], qty: out[at + 1], count: out[at + 2] });
      }
      return levels;
    };
    return { bids: side(3, n), asks: side(3 + 3 * n, m), sequence: out[0] };
  }

  /** Count a failed attempt; once spinning has not helped, sleep briefly; give up eventually. */
  private retried(attempt: number, seen: number): void {
    this.retries++;
    if (attempt === ANNOUNCE_ATTEMPTS && !this.announced) {
      this.announced = true;
      Atomics.add(this.i32, this.waitingIndex, 1);
    }
    if (attempt < SPIN_ATTEMPTS) return;
    if (attempt * BACKOFF_MS > GIVE_UP_MS) {
      this.withdraw();
      throw new Error('BookReader: the writer has not finished a write for 10 s');
    }
    // Sleeps only while the counter still holds `seen` (the writer does not notify).
    Atomics.wait(this.i32, this.seqIndex, seen, BACKOFF_MS);
  }

  /** Leave the writer's `waiting` count. */
  private withdraw(): void {
    if (!this.announced) return;
    this.announced = false;
    Atomics.sub(this.i32, this.waitingIndex, 1);
  }

  /** One attempt; -1 when something read was inconsistent (a write overlapped). */
  private tryReadDepth(out: Float64Array, depth: number): number {
    out[0] = this.f64[this.sequenceIndex];
    let at = 3;
    let n = 0;
    const bestBid = this.below(BUY, this.ticks - 1);
    const bestAsk = this.above(SELL, 0);
    if (bestBid === RETRY || bestAsk === RETRY) return -1;
    // Each walk moves strictly away from the spread, so levels are strictly ordered.
    for (let tick = bestBid; tick >= 0 && n < depth; n++) {
      if (!this.putLevel(out, at, tick)) return -1;
      at += 3;
      tick = tick === 0 ? -1 : this.below(BUY, tick - 1);
      if (tick === RETRY) return -1;
    }
    out[1] = n;
    let m = 0;
    for (let tick = bestAsk; tick >= 0 && m < depth; m++) {
      if (!this.putLevel(out, at, tick)) return -1;
      at += 3;
      tick = tick === this.ticks - 1 ? -1 : this.above(SELL, tick + 1);
      if (tick === RETRY) return -1;
    }
    out[2] = m;
    // A consistent book is never crossed.
    if (n > 0 && m > 0 && out[3] >= out[3 + 3 * n]) return -1;
    return at;
  }

  /** Copy the level at `tick`; false when it is empty (its bitset bit was stale: a write overlapped). */
  private putLevel(out: Float64Array, at: number, tick: number): boolean {
    if (tick >= this.ticks) return false;
    const base = this.levelsBase + tick * LEVEL_SIZE;
    const qty = this.f64[base >> 3];
    const count = this.u32[(base + LEVEL_COUNT) >> 2];
    if (!(qty > 0) || count === 0) return false;
    out[at] = this.minPrice + tick;
    out[at + 1] = qty;
    out[at + 2] = count;
    return true;
  }

  /** Load word `w` of pyramid level `k` of `side` into `lo`/`hi`; false when out of range. */
  private word(side: number, k: number, w: number): boolean {
    if (w >= this.bitWords[k]) return false;
    const i = this.bitBase[side * MAX_BIT_LEVELS + k] + w * 2;
    this.lo = this.u32[i];
    this.hi = this.u32[i + 1];
    return true;
  }

  /** Smallest set tick ≥ `from`, -1 if none, RETRY if the words were inconsistent. */
  private above(side: number, from: number): number {
    let idx = from;
    let k = 0;
    for (;;) {
      const w = idx >>> 6;
      if (!this.word(side, k, w)) return -1; // past the end of the band
      const bit = idx & 63;
      let lo = this.lo;
      let hi = this.hi;
      if (bit < 32) lo = (lo & (-1 << bit)) >>> 0;
      else {
        lo = 0;
        hi = (hi & (-1 << (bit - 32))) >>> 0;
      }
      if (lo !== 0 || hi !== 0) {
        idx = w * 64 + lowest(lo, hi);
        break;
      }
      if (k === this.top) return -1;
      k++;
      idx = w + 1;
    }
    while (k > 0) {
      k--;
      if (!this.word(side, k, idx)) return RETRY;
      if (this.lo === 0 && this.hi === 0) return RETRY;
      idx = idx * 64 + lowest(this.lo, this.hi);
    }
    return idx;
  }

  /** Largest set tick ≤ `from`, -1 if none, RETRY if the words were inconsistent. */
  private below(side: number, from: number): number {
    let idx = from;
    let k = 0;
    for (;;) {
      const w = idx >>> 6;
      if (!this.word(side, k, w)) return RETRY;
      const bit = idx & 63;
      let lo = this.lo;
      let hi = this.hi;
      if (bit < 32) {
        lo = (lo & (0xffffffff >>> (31 - bit))) >>> 0;
        hi = 0;
      } else hi = (hi & (0xffffffff >>> (63 - bit))) >>> 0;
      if (lo !== 0 || hi !== 0) {
        idx = w * 64 + highest(lo, hi);
        break;
      }
      if (k === this.top || w === 0) return -1;
      k++;
      idx = w - 1;
    }
    while (k > 0) {
      k--;
      if (!this.word(side, k, idx)) return RETRY;
      if (this.lo === 0 && this.hi === 0) return RETRY;
      idx = idx * 64 + highest(this.lo, this.hi);
    }
    return idx;
  }
}

/** Index of the lowest set bit of the 64-bit word `hi:lo` (not zero). */
function lowest(lo: number, hi: number): number {
  return lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
}

/** Index of the highest set bit of the 64-bit word `hi:lo` (not zero). */
function highest(lo: number, hi: number): number {
  return hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
}
