// Linear-memory layout of one book. Every region is sized once, by `init`,
// from the book's config; nothing is allocated per order afterwards.
//
//   base ─┬─ levels   nticks × 24 B   price ladder, index = price - minPrice
//         ├─ bits     bid and ask bitset pyramids (1 bit per tick, then 1 bit per 64-bit word, …)
//         ├─ map      2^k × 8 B       id → order hash map, load factor ≤ 1/2
//         ├─ orders   capacity × 48 B order pool (free list through `next`)
//         ├─ expiry   capacity × 8 B  good-till-date expiry per order slot (0: none)
//         ├─ heapPos  capacity × 4 B  1-based position of the slot in the expiry heap (0: none)
//         ├─ heap     capacity × 4 B  expiry heap of order addresses, by (expiresAt, id)
//         ├─ iceberg  capacity × 16 B per order slot: its `Extra` record (iceberg display
//         │                           quantity and reserve, or a stop's trigger and stamp)
//         ├─ stopHeap capacity × 4 B  untriggered stops: the buy heap (lowest trigger first) from the
//         │                           front, the sell heap (highest first) from the back; ties by stamp
//         ├─ commands CMD_REGION_BYTES    batch input, variable-length records written by JS,
//         │           + CMD_SIZE          then one record: a per-order or restored stop
//         └─ events   EV_CAPACITY × 56 B records, written here, decoded by JS
//
// Fresh wasm memory is zero, and zero means "empty" in every record (a level
// with count 0, a map entry with order 0, a null link), so `init` touches no
// page it does not need: RSS grows with what the book actually uses.

import { STP_DEFAULT } from './constants';

/**
 * One order slot (48 bytes): a resting order, or an untriggered stop.
 * ```
 *  0        8        16       24        32   36   40   44   45   46   47
 *  ┌────────┬────────┬────────┬─────────┬────┬────┬────┬────┬────┬────┬────┐
 *  │ id f64 │ rem f64│fill f64│owner f64│prev│next│tick│side│stp │po  │kind│
 *  └────────┴────────┴────────┴─────────┴────┴────┴────┴────┴────┴────┴────┘
 * ```
 * `kind` (KIND_*) says what the slot holds and which fields mean what:
 * | field | KIND_PLAIN / KIND_ICEBERG (resting)       | KIND_STOP_MARKET / KIND_STOP_LIMIT (untriggered) |
 * | rem   | open quantity it shows (its level counts it) | its quantity                                  |
 * | prev  | previous order in its level's FIFO (0: head) | 1-based position in its side's stop heap      |
 * | next  | next order in its level's FIFO; free-list link | next in the triggered FIFO                   |
 * | tick  | price - minPrice                          | limit price - minPrice (stop market: the band's end) |
 * | po    | post-only flag (0/1)                      | time in force once triggered (GTC/IOC/FOK)       |
 * Per-slot regions add what a kind needs: an iceberg's display quantity
 * and reserve, or a stop's trigger and arming stamp (`Extra` below); a
 * good-till-date order's expiry and heap position (expiry.ts).
 */
@final
@unmanaged
export class Order {
  id: f64;
  rem: f64;
  filled: f64;
  owner: f64;
  prev: u32;
  next: u32;
  tick: i32;
  side: u8;
  stp: u8;
  postOnly: u8;
  kind: u8;
}
export const ORDER_SIZE: u32 = 48;

/**
 * The per-slot extra record (16 bytes, region `iceberg`), used by two kinds:
 * ```
 *  0          8
 *  ┌──────────┬──────────┐
 *  │ a f64    │ b f64    │   KIND_ICEBERG: a display quantity, b hidden reserve
 *  └──────────┴──────────┘   KIND_STOP_*:  a trigger price,   b arming stamp (ties by it)
 * ```
 * A plain order never touches it.
 */
@final
@unmanaged
export class Extra {
  a: f64;
  b: f64;
}
export const EXTRA_SIZE: u32 = 16;

/**
 * One price level (24 bytes), for whichever side rests there: the book is
 * never crossed, so a tick holds bids or asks, never both, and one ladder
 * serves both sides.
 * ```
 *  0          8      12     16      20
 *  ┌──────────┬──────┬──────┬───────┬──────┐
 *  │ total f64│ head │ tail │ count │ side │
 *  └──────────┴──────┴──────┴───────┴──────┘
 * ```
 * `head`/`tail` are order addresses (valid only while `count > 0`).
 */
@final
@unmanaged
export class Level {
  total: f64;
  head: u32;
  tail: u32;
  count: u32;
  side: u32;
}
export const LEVEL_SIZE: u32 = 24;

/**
 * One batch command: an 8-byte header and up to six f64 fields, 16 to 56
 * bytes. `words` is the record's size in 8-byte words (2-7): trailing fields
 * that are zero are left out (they read as 0), so a cancel takes 16 bytes and
 * a plain limit order 32; commands are packed one after another.
 * ```
 *  0    1    2    3     4    5    6      7     8      16       24     32       40          48
 *  ┌────┬────┬────┬─────┬────┬────┬──────┬─────┬──────┬────────┬──────┬────────┬───────────┬──────────┐
 *  │kind│side│tif │flags│stp │code│mflags│words│id f64│price   │qty   │owner   │expiresAt  │displayQty│
 *  └────┴────┴────┴─────┴────┴────┴──────┴─────┴──────┴────────┴──────┴────────┴───────────┴──────────┘
 * ```
 * `flags`: post-only (0 no, 1 yes, 2 invalid) for orders; MOD_HAS_* for modify.
 * `mflags` (market): MKT_NOTIONAL (`qty` holds the notional), MKT_QTY_TOO,
 * MKT_PROTECTION (`price` holds the protection price); (stop) STOP_HAS_PRICE.
 * `expiresAt`: good-till-date expiry (0: none, NaN: invalid); `displayQty`:
 * a limit order's iceberg display quantity, a stop's trigger (0: none, NaN:
 * invalid). A modify carries its new trigger in `owner`; an advance-time its
 * time in `price`. `code`: error code of a CMD_REJECT record. Invalid enums
 * are sent as 255.
 */
@final
@unmanaged
export class Cmd {
  kind: u8;
  side: u8;
  tif: u8;
  flags: u8;
  stp: u8;
  code: u8;
  mflags: u8;
  words: u8;
  id: f64;
  price: f64;
  qty: f64;
  owner: f64;
  expiresAt: f64;
  displayQty: f64;

  // A record's fields past its `words` are left out and read as 0; `n` is
  // the record's size in bytes (cmdBytes).
  priceIn(n: u32): f64 {
    return n > 16 ? this.price : 0;
  }
  qtyIn(n: u32): f64 {
    return n > 24 ? this.qty : 0;
  }
  ownerIn(n: u32): f64 {
    return n > 32 ? this.owner : 0;
  }
  expiresAtIn(n: u32): f64 {
    return n > 40 ? this.expiresAt : 0;
  }
  displayQtyIn(n: u32): f64 {
    return n > 48 ? this.displayQty : 0;
  }

  /** The self-trade prevention mode, the book's default for STP_DEFAULT. */
  stpMode(): i32 {
    return stpOrDefault(this.stp);
  }
}
/** Largest command record (all six fields). */
export const CMD_SIZE: u32 = 56;
/** Smallest command record: header and id. */
export const CMD_MIN_WORDS: u32 = 2;

/** Size in bytes of the record `c`, its `words` clamped to 2-7 (only JS writes it). */
export function cmdBytes(c: Cmd): u32 {
  return min(max(<u32>c.words, CMD_MIN_WORDS), CMD_SIZE >> 3) << 3;
}

/**
 * One event (56 bytes), decoded by JS.
 * ```
 *  0    1    2    3  4        8       16      24      32      40      48
 *  ┌────┬────┬────┬──┬────────┬───────┬───────┬───────┬───────┬───────┬───────┐
 *  │type│side│aux │  │count u32│ a f64 │ b f64 │ c f64 │ d f64 │ e f64 │ f f64 │
 *  └────┴────┴────┴──┴────────┴───────┴───────┴───────┴───────┴───────┴───────┘
 * ```
 * Every field has one meaning in every event type that carries it, so a
 * reader never branches on the type to find a field:
 * | field | meaning                                   | in                                 |
 * | type  | EV_* event type                           | all                                |
 * | side  | side; the taker's side for a trade        | accepted, trade, modified, level   |
 * | aux   | order type / error code / cancel reason / priorityKept | accepted / rejected / cancelled / modified |
 * | count | orders at the level; market sizing flags   | level-changed; accepted            |
 * | a     | id; the maker's id for a trade            | all but level-changed              |
 * | b     | taker id; the command's sequence number   | trade; level-changed               |
 * | c     | price                                     | accepted, trade, modified, level   |
 * | d     | qty (a notional market order: its notional) | all but rejected                 |
 * | e     | remaining; the maker's for a trade; protection price | trade, cancelled; accepted |
 * | f     | taker's remaining                         | trade                              |
 */
@final
@unmanaged
export class Ev {
  type: u8;
  side: u8;
  aux: u8;
  pad: u8;
  count: u32;
  a: f64;
  b: f64;
  c: f64;
  d: f64;
  e: f64;
  f: f64;
}
export const EV_SIZE: u32 = 56;

/** Bytes of the command region: 1,024 of the largest records, up to 3,584 cancels. */
export const CMD_REGION_BYTES: u32 = 1024 * CMD_SIZE;
/**
 * A batch call stops at the first command boundary after this many events.
 * Small on purpose: the region is rewritten by every call and read back by
 * JS, and at 1,024 records (57 KB) it stays in the second-level cache beside
 * the id map and the order pool instead of pushing them out (W1 binary batch
 * under cachegrind: a sixth fewer misses of a 1 MB L2 than at 4,096, a third
 * fewer of a 512 KB one, for about 1 % more instructions on the extra calls).
 */
export const EV_SOFT_LIMIT: u32 = 1024;
/**
 * Event records laid out at init. A batch stops adding commands past the soft
 * limit; one command that writes past the capacity hands its events to JS in
 * chunks (events.ts), so the region never grows.
 */
export const EV_CAPACITY: u32 = EV_SOFT_LIMIT + 1024;
/** Bitset pyramid height limit: 64^4 = 16,777,216 ticks. */
export const MAX_BIT_LEVELS: i32 = 4;

/**
 * The 64-byte table at `bitsTable`, read by other threads as well:
 * ```
 *  0                     32                  48        52        56
 *  ┌─────────────────────┬───────────────────┬─────────┬─────────┬──────────┐
 *  │ bitset addresses    │ words per level   │ seqlock │ waiting │ sequence │
 *  │ u32 × (2 sides × 4) │ u32 × 4           │ i32     │ i32     │ f64      │
 *  └─────────────────────┴───────────────────┴─────────┴─────────┴──────────┘
 * ```
 * See seqlock.ts. `waiting`: readers that have spun without finding the
 * book between two write windows; written by readers, read by the JS writer
 * (never by this module): packages/core/src/threads/book-reader.ts.
 */
export const BITS_WORDS: usize = 32;
export const BITS_SEQLOCK: usize = 48;
export const BITS_READERS_WAITING: usize = 52;
export const BITS_SEQUENCE: usize = 56;

// ---- the book's geometry and state (instance globals) ----
export let minPrice: f64 = 0;
export let maxPrice: f64 = 0;
export let nticks: i32 = 0;
export let capacity: u32 = 0;
/** The book's self-trade prevention mode for orders that name none. */
export let defaultStp: i32 = 0;

export let levelsBase: usize = 0;
/** Bitset word arrays: `bitsBase[side * 4 + k]` is stored at `bitsTable`. */
export let bitsTable: usize = 0;
export let bitLevels: i32 = 0;
export let mapBase: usize = 0;
/** Entries reserved for the id map (it starts smaller and doubles up to this). */
export let mapMaxSize: u32 = 0;
export let ordersBase: usize = 0;
export let expiryBase: usize = 0;
export let heapPosBase: usize = 0;
export let heapBase: usize = 0;
export let icebergBase: usize = 0;
export let stopHeapBase: usize = 0;
export let cmdBase: usize = 0;
export let evBase: usize = 0;
export let layoutEnd: usize = 0;

export function align(x: usize, a: usize): usize {
  return (x + a - 1) & ~(a - 1);
}

export function level(tick: i32): Level {
  return changetype<Level>(levelsBase + <usize>tick * LEVEL_SIZE);
}

export function order(ptr: usize): Order {
  return changetype<Order>(ptr);
}

/** A command's self-trade prevention mode, the book's default for STP_DEFAULT. */
export function stpOrDefault(stp: i32): i32 {
  return stp === STP_DEFAULT ? defaultStp : stp;
}

/** Index of the slot at address `o` in the per-slot regions. */
export function slotOf(o: usize): usize {
  return (o - ordersBase) / ORDER_SIZE;
}

/** The extra record (iceberg or stop data) of the slot at `o`. */
export function extraOf(o: usize): Extra {
  return changetype<Extra>(icebergBase + slotOf(o) * EXTRA_SIZE);
}

/** Byte address of bitset level `k` of `side`. */
export function bitsAt(side: i32, k: i32): usize {
  return load<u32>(bitsTable + ((<usize>(side * MAX_BIT_LEVELS + k)) << 2));
}

/** Number of 64-bit words in bitset level `k` (same for both sides). */
export function bitWords(k: i32): u32 {
  return load<u32>(bitsTable + BITS_WORDS + ((<usize>k) << 2));
}

/** Record the book's band, capacity and default self-trade mode. */
export function setConfig(minP: f64, maxP: f64, cap: u32, stp: i32): void {
  minPrice = minP;
  maxPrice = maxP;
  nticks = <i32>(maxP - minP) + 1;
  capacity = cap;
  defaultStp = stp;
}

function mapSizeFor(cap: u32): u32 {
  let size: u32 = 16;
  while (size < cap * 2) size <<= 1;
  return size;
}

/**
 * Lay the regions out for a band of `ticks` ticks and `cap` orders; returns
 * the end address. Pure: `init` calls it to place the regions and JS calls it
 * to size the memory before creating it.
 */
export function computeLayout(ticks: i32, cap: u32, commit: bool): usize {
  let p = align(__heap_base, 64);
  const table = p;
  p += 64;
  const levels = p;
  p = align(p + <usize>ticks * LEVEL_SIZE, 64);
  let n = <u32>ticks;
  let k = 0;
  const sideBase = p;
  // words per level, then both sides' arrays
  let wordsTotal: usize = 0;
  do {
    const words = (n + 63) >> 6;
    if (commit) store<u32>(table + BITS_WORDS + ((<usize>k) << 2), words);
    wordsTotal += words;
    n = words;
    k++;
  } while (n > 1);
  if (commit) {
    bitLevels = k;
    let q = sideBase;
    for (let s = 0; s < 2; s++) {
      for (let j = 0; j < k; j++) {
        store<u32>(table + ((<usize>(s * MAX_BIT_LEVELS + j)) << 2), <u32>q);
        q += (<usize>load<u32>(table + BITS_WORDS + ((<usize>j) << 2))) << 3;
      }
    }
  }
  p = align(sideBase + wordsTotal * 16, 64);
  const map = p;
  const mapSize = mapSizeFor(cap);
  p += (<usize>mapSize) << 3;
  const orders = p;
  p = align(p + <usize>cap * ORDER_SIZE, 64);
  const expiry = p;
  p = align(p + ((<usize>cap) << 3), 64);
  const heapPos = p;
  p = align(p + ((<usize>cap) << 2), 64);
  const heap = p;
  p = align(p + ((<usize>cap) << 2), 64);
  const iceberg = p;
  p = align(p + <usize>cap * EXTRA_SIZE, 64);
  const stopHeap = p;
  p = align(p + ((<usize>cap) << 2), 64);
  const cmds = p;
  // the batch region, then one record's room for a per-order stop (see index.ts `stop`)
  p = align(p + CMD_REGION_BYTES + CMD_SIZE, 64);
  const evs = p;
  p += EV_CAPACITY * EV_SIZE;
  if (commit) {
    bitsTable = table;
    levelsBase = levels;
    mapBase = map;
    mapMaxSize = mapSize;
    ordersBase = orders;
    expiryBase = expiry;
    heapPosBase = heapPos;
    heapBase = heap;
    icebergBase = iceberg;
    stopHeapBase = stopHeap;
    cmdBase = cmds;
    evBase = evs;
    layoutEnd = p;
  }
  return p;
}
