/**
 * Read a WebAssembly book's top of book and depth from another thread, straight
 * from its shared memory: no message to the matching thread, no allocation on
 * the fast path.
 *
 * Consistency comes from a seqlock: the writer makes a counter odd before it
 * changes the book and even again afterwards. A reader notes the counter,
 * reads, and reads the counter again; if it was odd or has moved, the read
 * overlapped a write and is retried. So a reader never returns a torn or
 * crossed view. Everything read between the two counter loads is treated as
 * untrusted (a torn bitset word, an index out of range) and simply retried.
 *
 * Layout read here (see packages/matcher-wasm/assembly/layout.ts):
 * - level record of tick t at `levelsBase + 24 t`: `total f64 @0`, `count u32 @16`;
 * - bitset pyramids: u32 addresses at `bitsTable + 4 (side × 4 + k)`, u32 word
 *   counts at `bitsTable + 32 + 4 k`; level 0 has one bit per tick;
 * - seqlock: i32 at `bitsTable + 48`; command sequence: f64 at `bitsTable + 56`.
 */
import type { Level, Side } from '../types';

/** What a reader thread needs, handed over once (e.g. in `workerData`). */
export interface BookReaderDescriptor {
  /** The book's wasm memory buffer. */
  buffer: SharedArrayBuffer;
  minPrice: number;
  /** Band width in ticks. */
  ticks: number;
  levelsBase: number;
  bitsTable: number;
  /** Height of each side's bitset pyramid. */
  bitLevels: number;
}

const SEQLOCK = 48;
const SEQUENCE = 56;
const LEVEL_SIZE = 24;
const LEVEL_COUNT = 16;
const RETRY = -2;
const MAX_ATTEMPTS = 1_000_000;
const BUY = 0;
const SELL = 1;

export class BookReader {
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly seqIndex: number;
  private readonly sequenceIndex: number;
  /** Word index (u32 units) of each side's bitset level k: `[side * 4 + k]`. */
  private readonly bitBase: number[] = [];
  private readonly bitWords: number[] = [];
  private readonly top: number;
  /** The 64-bit bitset word last read, as two halves. */
  private lo = 0;
  private hi = 0;
  private readonly l1 = new Float64Array(9);
  /** Times a read overlapped a write and was retried (for tests and tuning). */
  retries = 0;

  constructor(private readonly d: BookReaderDescriptor) {
    this.u32 = new Uint32Array(d.buffer);
    this.i32 = new Int32Array(d.buffer);
    this.f64 = new Float64Array(d.buffer);
    this.seqIndex = (d.bitsTable + SEQLOCK) >> 2;
    this.sequenceIndex = (d.bitsTable + SEQUENCE) >> 3;
    for (let i = 0; i < 8; i++) this.bitBase.push(this.u32[(d.bitsTable >> 2) + i] >> 2);
    for (let k = 0; k < 4; k++) this.bitWords.push(this.u32[((d.bitsTable + 32) >> 2) + k]);
    this.top = d.bitLevels - 1;
  }

  /** Commands the writer has applied (published with each write). */
  sequence(): number {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = Atomics.load(this.i32, this.seqIndex);
      const value = this.f64[this.sequenceIndex];
      if ((before & 1) === 0 && Atomics.load(this.i32, this.seqIndex) === before) return value;
      this.retries++;
    }
    throw new Error('BookReader: the writer never left its critical section');
  }

  /**
   * Read the top `depth` levels of both sides into `out`, without allocating:
   * `out[0]` command sequence, `out[1]` bid levels n, `out[2]` ask levels m, then
   * n bid triples (price, qty, count) best first, then m ask triples.
   * `out` must hold `3 + 6 × depth` numbers.
   * @returns the number of numbers written.
   */
  readDepth(out: Float64Array, depth: number): number {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = Atomics.load(this.i32, this.seqIndex);
      if ((before & 1) === 0) {
        const written = this.tryReadDepth(out, depth);
        if (written >= 0 && Atomics.load(this.i32, this.seqIndex) === before) return written;
      }
      this.retries++;
    }
    throw new Error('BookReader: the writer never left its critical section');
  }

  /** Best bid and ask, each `undefined` when that side is empty. */
  top1(): { bid: Level | undefined; ask: Level | undefined; sequence: number } {
    const out = this.l1;
    this.readDepth(out, 1);
    const bids = out[1];
    const bid = bids ? { price: out[3], qty: out[4], count: out[5] } : undefined;
    const a = 3 + 3 * bids;
    const ask = out[2] ? { price: out[a], qty: out[a + 1], count: out[a + 2] } : undefined;
    return { bid, ask, sequence: out[0] };
  }

  /** Top `depth` levels of one side as objects (convenience; allocates). */
  levels(side: Side, depth: number): Level[] {
    const out = new Float64Array(3 + 6 * depth);
    this.readDepth(out, depth);
    const n = side === 'buy' ? out[1] : out[2];
    const start = side === 'buy' ? 3 : 3 + 3 * out[1];
    const levels: Level[] = [];
    for (let i = 0; i < n; i++) {
      const at = start + 3 * i;
      levels.push({ price: out[at], qty: out[at + 1], count: out[at + 2] });
    }
    return levels;
  }

  /** One attempt; -1 when something read was inconsistent (a write overlapped). */
  private tryReadDepth(out: Float64Array, depth: number): number {
    out[0] = this.f64[this.sequenceIndex];
    let at = 3;
    let n = 0;
    const bestBid = this.below(BUY, this.d.ticks - 1);
    const bestAsk = this.above(SELL, 0);
    if (bestBid === RETRY || bestAsk === RETRY) return -1;
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
      tick = this.above(SELL, tick + 1);
      if (tick === RETRY) return -1;
    }
    out[2] = m;
    // A consistent book is never crossed, and its bitsets never point at empty levels.
    if (n > 0 && m > 0 && out[3] >= out[3 + 3 * n]) return -1;
    return at;
  }

  private putLevel(out: Float64Array, at: number, tick: number): boolean {
    if (tick >= this.d.ticks) return false;
    const base = this.d.levelsBase + tick * LEVEL_SIZE;
    const qty = this.f64[base >> 3];
    const count = this.u32[(base + LEVEL_COUNT) >> 2];
    if (!(qty > 0) || count === 0) return false;
    out[at] = this.d.minPrice + tick;
    out[at + 1] = qty;
    out[at + 2] = count;
    return true;
  }

  /** Load word `w` of pyramid level `k` of `side` into `lo`/`hi`; false when out of range. */
  private word(side: number, k: number, w: number): boolean {
    if (w >= this.bitWords[k]) return false;
    const i = this.bitBase[side * 4 + k] + w * 2;
    this.lo = this.u32[i];
    this.hi = this.u32[i + 1];
    return true;
  }

  /** Smallest set tick ≥ `from`, -1 if none, RETRY if the words were inconsistent. */
  private above(side: number, from: number): number {
    let idx = from;
    let k = 0;
    for (;;) {
      const w = Math.floor(idx / 64);
      if (!this.word(side, k, w)) return -1;
      const bit = idx % 64;
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
      const lo = this.lo;
      const hi = this.hi;
      if (lo === 0 && hi === 0) return RETRY;
      idx = idx * 64 + lowest(lo, hi);
    }
    return idx;
  }

  /** Largest set tick ≤ `from`, -1 if none, RETRY if the words were inconsistent. */
  private below(side: number, from: number): number {
    let idx = from;
    let k = 0;
    for (;;) {
      const w = Math.floor(idx / 64);
      if (!this.word(side, k, w)) return RETRY;
      const bit = idx % 64;
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
      const lo = this.lo;
      const hi = this.hi;
      if (lo === 0 && hi === 0) return RETRY;
      idx = idx * 64 + highest(lo, hi);
    }
    return idx;
  }
}

function lowest(lo: number, hi: number): number {
  return lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
}

function highest(lo: number, hi: number): number {
  return hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
}
