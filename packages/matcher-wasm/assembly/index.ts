// Exports of the matcher module. One instance runs one book; JS creates the
// shared memory, calls `init`, then either one call per command (its fields
// as arguments) or `applyBatch` over command records (layout.ts `Cmd`) in the
// command region; events come back in the event region.
//
// The matcher's parts, in the order docs/semantics.md describes them (the
// reference engine in packages/core/src/reference has files of the same
// names, with the same step names): state, validate, match, levels,
// icebergs, stops, expiry, amend, restore.

export * from './abi';

import {
  GEO_BIT_LEVELS,
  GEO_BITS_TABLE,
  GEO_CAPACITY,
  GEO_CMD_REGION,
  GEO_COMMANDS,
  GEO_END,
  GEO_EV_CAPACITY,
  GEO_EV_SOFT_LIMIT,
  GEO_EVENTS,
  GEO_EXPIRY,
  GEO_FREE_HEAD,
  GEO_HEAP,
  GEO_HEAP_POS,
  GEO_ICEBERG,
  GEO_LEVELS,
  GEO_MAP_SIZE,
  GEO_ORDERS,
  GEO_SLOTS_TOUCHED,
  GEO_TICKS,
} from './abi';
import { execCancel, execModify, execReduce } from './amend';
import { nextAtOrAbove, nextAtOrBelow } from './bits';
import {
  CMD_ADVANCE_TIME,
  CMD_CANCEL,
  CMD_LIMIT,
  CMD_MARKET,
  CMD_MODIFY,
  CMD_REDUCE,
  CMD_REJECT,
  CMD_STOP,
  OK,
} from './constants';
import { emitRejected, evCount, evFull, evInit, evReset } from './events';
import { earliestExpiry, execAdvance, expiryCount, expiryOf } from './expiry';
import { hiddenOf, peakOf, sideHidden } from './icebergs';
import { mapCapacity, mapFind } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  bitLevels,
  bitsTable,
  CMD_REGION_BYTES,
  Cmd,
  capacity,
  cmdBase,
  cmdBytes,
  computeLayout,
  EV_CAPACITY,
  EV_SOFT_LIMIT,
  evBase,
  expiryBase,
  heapBase,
  heapPosBase,
  icebergBase,
  layoutEnd,
  levelsBase,
  nticks,
  ORDER_SIZE,
  ordersBase,
  setConfig,
  stpOrDefault,
} from './layout';
import { bestAsk, bestBid } from './levels';
import { execLimit, execMarket } from './match';
import { bumpNext, freeHead } from './pool';
import { warmGroup, warmingPays, warmMapEntry } from './prefetch';
import { restoreStop } from './restore';
import { writeBegin, writeEnd } from './seqlock';
import { now, resetBook, sequence, setSequence, setTime, used } from './state';
import {
  execStop,
  lastPrice,
  setLastPrice,
  stampOf,
  stopCount,
  stopHeapAt,
  stopKindOf,
  stopTifOf,
  triggerOf,
} from './stops';
import {
  rejectId,
  validateAdvance,
  validateCancel,
  validateLimit,
  validateMarket,
  validateModify,
  validateReduce,
  validateStop,
} from './validate';

/** Bytes of memory a book of `ticks` × `cap` lays out (before any event-region growth). */
export function layoutSize(ticks: i32, cap: u32): usize {
  return computeLayout(ticks, cap, false);
}

/** Set the book up in a fresh (zeroed) memory; grows it to the layout. Returns the layout end. */
export function init(minP: f64, maxP: f64, cap: u32, stp: i32): usize {
  setConfig(minP, maxP, cap, stp);
  const end = computeLayout(nticks, cap, true);
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    if (memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
  }
  resetBook();
  evInit();
  return layoutEnd;
}

// ---------------------------------------------------------------- per-order API
// One exported call per command, its fields as arguments: a single entry
// point reading a record that TypeScript wrote measured 10-15% slower per
// order (the arguments stay in registers). Each returns the number of events written from the event base,
// or -(code + 1) when the command is refused (nothing written, nothing
// changed). Validation and execution are the same steps the batch API runs.

export function limit(
  id: f64,
  side: i32,
  price: f64,
  qty: f64,
  tif: i32,
  postOnly: i32,
  owner: f64,
  stp: i32,
  expiresAt: f64,
  displayQty: f64,
): i32 {
  stp = stpOrDefault(stp);
  const x = expiresAt;
  const d = displayQty;
  const code = validateLimit(id, side, price, qty, tif, postOnly, owner, stp, x, d);
  if (code !== OK) return -1 - code;
  begin();
  execLimit(id, side, price, qty, tif, postOnly, owner, stp, x, d);
  return end();
}

/** `size`: the qty, or the notional with MKT_NOTIONAL in `mflags` (see constants.ts). */
export function market(
  id: f64,
  side: i32,
  size: f64,
  tif: i32,
  postOnly: i32,
  owner: f64,
  stp: i32,
  mflags: i32,
  protection: f64,
): i32 {
  stp = stpOrDefault(stp);
  const code = validateMarket(id, side, size, tif, postOnly, owner, stp, mflags, protection);
  if (code !== OK) return -1 - code;
  begin();
  execMarket(id, side, size, tif, owner, stp, mflags, protection);
  return end();
}

export function cancel(id: f64): i32 {
  const code = validateCancel(id);
  if (code !== OK) return -1 - code;
  begin();
  execCancel();
  return end();
}

export function modify(id: f64, price: f64, qty: f64, flags: i32, trigger: f64): i32 {
  const code = validateModify(id, price, qty, flags, trigger);
  if (code !== OK) return -1 - code;
  begin();
  execModify(price, qty, flags, trigger);
  return end();
}

export function reduce(id: f64, qty: f64): i32 {
  const code = validateReduce(id, qty);
  if (code !== OK) return -1 - code;
  begin();
  execReduce(qty);
  return end();
}

/**
 * A stop order, given as a stop record (layout.ts `Cmd`) at byte `at` from
 * the command region's start: stops are not a hot path, so they take the
 * record the batch API takes rather than ten arguments. JS writes it in the
 * record's room just past the batch region (at CMD_REGION_BYTES), so records
 * already placed for a batch (`putRecord`) are never overwritten.
 */
export function stop(at: u32): i32 {
  const c = changetype<Cmd>(cmdBase + <usize>at);
  const n = cmdBytes(c);
  const code = validateStop(c, n);
  if (code !== OK) return -1 - code;
  begin();
  execStop(c, n);
  return end();
}

/** Move the book's time to `time`, cancelling every order with `expiresAt ≤ time`. */
export function advanceTime(time: f64): i32 {
  const code = validateAdvance(time);
  if (code !== OK) return -1 - code;
  begin();
  execAdvance(time);
  return end();
}

/** A validated per-order command starts: events from the base, in a write window. */
function begin(): void {
  evReset();
  writeBegin();
}

/** ... and ends: the window closes; its events are counted. */
function end(): i32 {
  writeEnd();
  return <i32>evCount();
}

// ---------------------------------------------------------------- batch API

/**
 * Apply the command records (layout.ts `Cmd`) in bytes `start … end-1` of
 * the command region, up to the last whole record: each is validated, then
 * executed, by the same steps as the per-order API, its fields read once. A
 * refused command emits `rejected`. Stops early at a command boundary once
 * EV_SOFT_LIMIT events are written. Returns the byte offset of the first
 * record not applied; `eventCount()` tells how many events.
 */
export function applyBatch(start: u32, end: u32): u32 {
  evReset();
  writeBegin();
  let p = start;
  // big books: warm the caches a group of commands at a time (prefetch.ts)
  const warm = warmingPays();
  let warmed = start;
  while (p + 8 <= end && !evFull()) {
    const c = changetype<Cmd>(cmdBase + <usize>p);
    const n = cmdBytes(c);
    if (p + n > end) break;
    if (warm && p >= warmed) warmed = warmGroup(p, end);
    p += n;
    // start the next command's id-map miss now, to overlap it with this one
    if (!warm && p + 16 <= end) warmMapEntry(changetype<Cmd>(cmdBase + <usize>p).id);
    const code = applyRecord(c, n);
    if (code !== OK) emitRejected(rejectId(c.id), code);
  }
  writeEnd();
  return p;
}

/** Validate the record `c` (`n` bytes) and, when it passes, execute it: OK or the refusal's code. */
function applyRecord(c: Cmd, n: u32): i32 {
  const kind = <i32>c.kind;
  const id = c.id;
  if (kind === CMD_LIMIT) {
    const price = c.priceIn(n);
    const qty = c.qtyIn(n);
    const owner = c.ownerIn(n);
    const stp = c.stpMode();
    const x = c.expiresAtIn(n);
    const d = c.displayQtyIn(n);
    const code = validateLimit(id, c.side, price, qty, c.tif, c.flags, owner, stp, x, d);
    if (code === OK) execLimit(id, c.side, price, qty, c.tif, c.flags, owner, stp, x, d);
    return code;
  }
  if (kind === CMD_CANCEL) {
    const code = validateCancel(id);
    if (code === OK) execCancel();
    return code;
  }
  if (kind === CMD_MARKET) {
    const protection = c.priceIn(n);
    const size = c.qtyIn(n);
    const owner = c.ownerIn(n);
    const stp = c.stpMode();
    const mf = <i32>c.mflags;
    const code = validateMarket(id, c.side, size, c.tif, c.flags, owner, stp, mf, protection);
    if (code === OK) execMarket(id, c.side, size, c.tif, owner, stp, mf, protection);
    return code;
  }
  if (kind === CMD_MODIFY) {
    const price = c.priceIn(n);
    const qty = c.qtyIn(n);
    const trigger = c.ownerIn(n);
    const code = validateModify(id, price, qty, c.flags, trigger);
    if (code === OK) execModify(price, qty, c.flags, trigger);
    return code;
  }
  if (kind === CMD_STOP) {
    const code = validateStop(c, n);
    if (code === OK) execStop(c, n);
    return code;
  }
  if (kind === CMD_REDUCE) {
    const qty = c.qtyIn(n);
    const code = validateReduce(id, qty);
    if (code === OK) execReduce(qty);
    return code;
  }
  if (kind === CMD_ADVANCE_TIME) {
    const time = c.priceIn(n);
    const code = validateAdvance(time);
    if (code === OK) execAdvance(time);
    return code;
  }
  return kind === CMD_REJECT ? <i32>c.code : OK;
}

/** Load a snapshot order (see restore.ts). */
export { restoreOrder as restore } from './restore';

/** Load a snapshot stop, given as a stop record at byte `at` from the command region's start (see `stop`). */
export function restoreStopOrder(at: u32): bool {
  const c = changetype<Cmd>(cmdBase + <usize>at);
  return restoreStop(c, cmdBytes(c));
}

/** Last trade price (0: no trade yet). */
export function getLastPrice(): f64 {
  return lastPrice;
}

export function putLastPrice(value: f64): void {
  setLastPrice(value);
}

/** Untriggered stops of `side` (0 buy, 1 sell). */
export function stopsOn(side: i32): u32 {
  return stopCount(side);
}

/** The order address at 1-based position `i` of `side`'s stop heap. */
export function stopHeapEntry(side: i32, i: u32): usize {
  return stopHeapAt(side, i);
}

/** Stop kind (0 not a stop, 1 stop market, 2 stop limit) of the order at `o`. */
export function orderStopKind(o: usize): i32 {
  return stopKindOf(o);
}

export function orderTrigger(o: usize): f64 {
  return triggerOf(o);
}

export function orderStopTif(o: usize): i32 {
  return stopTifOf(o);
}

export function orderStopStamp(o: usize): f64 {
  return stampOf(o);
}

/** Commands applied so far (refusals excluded). */
export function getSequence(): f64 {
  return sequence;
}

export function putSequence(value: f64): void {
  writeBegin();
  setSequence(value);
  writeEnd();
}

/** The book's time. */
export function getTime(): f64 {
  return now;
}

export function putTime(value: f64): void {
  setTime(value);
}

/** The earliest expiry of a resting good-till-date order or stop; 0: none. */
export function nextExpiry(): f64 {
  return earliestExpiry();
}

/** Good-till-date orders resting (the expiry heap's size). */
export function expiryHeapSize(): u32 {
  return expiryCount();
}

/** Good-till-date expiry of the order at address `o` (0: none). */
export function orderExpiry(o: usize): f64 {
  return expiryOf(o);
}

/** An iceberg's display quantity (0: not an iceberg) of the order at address `o`. */
export function orderDisplayQty(o: usize): f64 {
  return peakOf(o);
}

/** The hidden reserve of the order at address `o` (0 for a plain order). */
export function orderHidden(o: usize): f64 {
  return hiddenOf(o);
}

export function eventCount(): u32 {
  return evCount();
}

/** Hidden reserves of the icebergs resting on `side` (Infinity past 2^53-1), for self-checks. */
export function sideReserve(side: i32): f64 {
  return sideHidden(side);
}

// ---------------------------------------------------------------- queries

export function size(): u32 {
  return used;
}
export function bestBidTick(): i32 {
  return bestBid;
}
export function bestAskTick(): i32 {
  return bestAsk;
}
/** Next level after `tick` going away from the spread on `side` (buy: lower, sell: higher), or -1. */
export function nextLevel(side: i32, tick: i32): i32 {
  return side === 0 ? nextAtOrBelow(0, tick - 1) : nextAtOrAbove(1, tick + 1);
}
/** Address of the live order with this id, or 0. */
export function findOrder(id: f64): usize {
  return mapFind(id);
}

/** Region addresses and sizes for the JS side, by GEO_* index (abi.ts). */
export function geometry(i: i32): usize {
  switch (i) {
    case GEO_LEVELS:
      return levelsBase;
    case GEO_ORDERS:
      return ordersBase;
    case GEO_COMMANDS:
      return cmdBase;
    case GEO_EVENTS:
      return evBase;
    case GEO_END:
      return layoutEnd;
    case GEO_CMD_REGION:
      return CMD_REGION_BYTES;
    case GEO_EV_SOFT_LIMIT:
      return EV_SOFT_LIMIT;
    case GEO_TICKS:
      return <usize>nticks;
    case GEO_CAPACITY:
      return capacity;
    case GEO_SLOTS_TOUCHED:
      return (bumpNext - ordersBase) / ORDER_SIZE;
    case GEO_FREE_HEAD:
      return freeHead;
    case GEO_MAP_SIZE:
      return mapCapacity();
    case GEO_BITS_TABLE:
      return bitsTable;
    case GEO_BIT_LEVELS:
      return <usize>bitLevels;
    case GEO_EXPIRY:
      return expiryBase;
    case GEO_HEAP_POS:
      return heapPosBase;
    case GEO_HEAP:
      return heapBase;
    case GEO_ICEBERG:
      return icebergBase;
    case GEO_EV_CAPACITY:
      return EV_CAPACITY;
    default:
      return 0;
  }
}
