// Exports of the matcher module. One instance runs one book; JS creates the
// shared memory, calls `init`, then either one call per command (scalar
// arguments, events in the event region) or `applyBatch` over the command region.

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
import { nextAtOrAbove, nextAtOrBelow } from './bits';
import {
  bestAsk,
  bestBid,
  earliestExpiry,
  execAdvance,
  execCancel,
  execLimit,
  execMarket,
  execModify,
  execReduce,
  execStop,
  expiryCount,
  expiryOf,
  hiddenOf,
  lastPrice,
  now,
  peakOf,
  rejectId,
  resetBook,
  restoreOrder,
  restoreStop,
  sequence,
  setLastPrice,
  setSequence,
  setTime,
  sideHidden,
  stampOf,
  stopCount,
  stopHeapAt,
  stopKindOf,
  stopTifOf,
  triggerOf,
  used,
  validateAdvance,
  validateCancel,
  validateLimit,
  validateMarket,
  validateModify,
  validateReduce,
  validateStop,
} from './book';
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
  STOP_HAS_PRICE,
  STP_DEFAULT,
} from './constants';
import { emitRejected, evCount, evFull, evInit, evReset } from './events';
import { mapCapacity, mapFind, mapTouch } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  bitLevels,
  bitsTable,
  CMD_REGION_BYTES,
  Cmd,
  capacity,
  cmdBase,
  cmdBytes,
  cmdField,
  computeLayout,
  defaultStp,
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
} from './layout';
import { bumpNext, freeHead } from './pool';
import { writeBegin, writeEnd } from './seqlock';

/** Bytes of memory a book of `ticks` × `cap` lays out (before any event-region growth). */
export function layoutSize(ticks: i32, cap: u32): usize {
  return computeLayout(ticks, cap, false);
}

/** A command's self-trade mode, the book's default filled in. */
function stpOf(stp: i32): i32 {
  return stp === STP_DEFAULT ? defaultStp : stp;
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
// Each returns the number of events written from the event base, or -(code + 1)
// when the command is refused (nothing written, nothing changed).

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
  stp = stpOf(stp);
  const x = expiresAt;
  const d = displayQty;
  const code = validateLimit(id, side, price, qty, tif, postOnly, owner, stp, x, d);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execLimit(id, side, price, qty, tif, postOnly, owner, stp, x, d);
  writeEnd();
  return <i32>evCount();
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
  stp = stpOf(stp);
  const code = validateMarket(id, side, size, tif, postOnly, owner, stp, mflags, protection);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execMarket(id, side, size, tif, owner, stp, mflags, protection);
  writeEnd();
  return <i32>evCount();
}

export function cancel(id: f64): i32 {
  const code = validateCancel(id);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execCancel();
  writeEnd();
  return <i32>evCount();
}

export function modify(id: f64, price: f64, qty: f64, flags: i32, trigger: f64): i32 {
  const code = validateModify(id, price, qty, flags, trigger);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execModify(price, qty, flags, trigger);
  writeEnd();
  return <i32>evCount();
}

export function reduce(id: f64, qty: f64): i32 {
  const code = validateReduce(id, qty);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execReduce(qty);
  writeEnd();
  return <i32>evCount();
}

/** A stop order; `tif` 3 when not given. */
export function stop(
  id: f64,
  side: i32,
  trigger: f64,
  hasPrice: i32,
  price: f64,
  qty: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  expiresAt: f64,
): i32 {
  stp = stpOf(stp);
  const hp = hasPrice !== 0;
  const code = validateStop(id, side, trigger, hp, price, qty, tif, owner, stp, expiresAt);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execStop(id, side, trigger, hp, price, qty, tif, owner, stp, expiresAt);
  writeEnd();
  return <i32>evCount();
}

/** Move the book's time to `time`, cancelling every order with `expiresAt ≤ time`. */
export function advanceTime(time: f64): i32 {
  const code = validateAdvance(time);
  if (code !== OK) return -1 - code;
  evReset();
  writeBegin();
  execAdvance(time);
  writeEnd();
  return <i32>evCount();
}

// ---------------------------------------------------------------- batch API

/**
 * Apply the command records in bytes `start … end-1` of the command region,
 * up to the last whole record. Stops early at a command boundary once
 * EV_SOFT_LIMIT events are written. Returns the byte offset of the first
 * record not applied; `eventCount()` tells how many events.
 */
export function applyBatch(start: u32, end: u32): u32 {
  evReset();
  writeBegin();
  let p = start;
  while (p + 8 <= end && !evFull()) {
    const c = changetype<Cmd>(cmdBase + <usize>p);
    const bytes = cmdBytes(c);
    if (p + bytes > end) break;
    p += bytes;
    // start the next command's id-map miss now, to overlap it with this one
    if (p + 16 <= end) mapTouch(changetype<Cmd>(cmdBase + <usize>p).id);
    const kind = <i32>c.kind;
    if (kind === CMD_LIMIT) {
      const stp = stpOf(c.stp);
      const price = cmdField(c, bytes, 2);
      const qty = cmdField(c, bytes, 3);
      const owner = cmdField(c, bytes, 4);
      const x = cmdField(c, bytes, 5);
      const d = cmdField(c, bytes, 6);
      const code = validateLimit(c.id, c.side, price, qty, c.tif, c.flags, owner, stp, x, d);
      if (code !== OK) emitRejected(rejectId(c.id), code);
      else execLimit(c.id, c.side, price, qty, c.tif, c.flags, owner, stp, x, d);
    } else if (kind === CMD_CANCEL) {
      const code = validateCancel(c.id);
      if (code !== OK) emitRejected(rejectId(c.id), code);
      else execCancel();
    } else if (kind === CMD_MARKET) {
      const stp = stpOf(c.stp);
      const mf = <i32>c.mflags;
      const protection = cmdField(c, bytes, 2);
      const size = cmdField(c, bytes, 3);
      const owner = cmdField(c, bytes, 4);
      const code = validateMarket(c.id, c.side, size, c.tif, c.flags, owner, stp, mf, protection);
      if (code !== OK) emitRejected(rejectId(c.id), code);
      else execMarket(c.id, c.side, size, c.tif, owner, stp, mf, protection);
    } else if (kind === CMD_MODIFY) {
      const price = cmdField(c, bytes, 2);
      const qty = cmdField(c, bytes, 3);
      const trigger = cmdField(c, bytes, 4);
      const code = validateModify(c.id, price, qty, c.flags, trigger);
      if (code !== OK) emitRejected(rejectId(c.id), code);
      else execModify(price, qty, c.flags, trigger);
    } else if (kind === CMD_STOP) {
      const stp = stpOf(c.stp);
      const hp = (<i32>c.mflags & STOP_HAS_PRICE) !== 0;
      const price = cmdField(c, bytes, 2);
      const qty = cmdField(c, bytes, 3);
      const owner = cmdField(c, bytes, 4);
      const x = cmdField(c, bytes, 5);
      const t = cmdField(c, bytes, 6);
      const code = validateStop(c.id, c.side, t, hp, price, qty, c.tif, owner, stp, x);
      if (code !== OK) emitRejected(rejectId(c.id), code);
      else execStop(c.id, c.side, t, hp, price, qty, c.tif, owner, stp, x);
    } else if (kind === CMD_REDUCE) {
      const qty = cmdField(c, bytes, 3);
      const code = validateReduce(c.id, qty);
      if (code !== OK) emitRejected(rejectId(c.id), code);
      else execReduce(qty);
    } else if (kind === CMD_ADVANCE_TIME) {
      const time = cmdField(c, bytes, 2);
      const code = validateAdvance(time);
      if (code !== OK) emitRejected(0, code);
      else execAdvance(time);
    } else if (kind === CMD_REJECT) {
      emitRejected(c.id, c.code);
    }
  }
  writeEnd();
  return p;
}

/** Load a snapshot order (see book.ts). */
export function restore(
  id: f64,
  side: i32,
  price: f64,
  rem: f64,
  filled: f64,
  owner: f64,
  stp: i32,
  postOnly: i32,
  expiresAt: f64,
  displayQty: f64,
  displayed: f64,
): bool {
  writeBegin();
  const x = expiresAt;
  const ok = restoreOrder(
    id,
    side,
    price,
    rem,
    filled,
    owner,
    stp,
    postOnly,
    x,
    displayQty,
    displayed,
  );
  writeEnd();
  return ok;
}

/** Load a snapshot stop (see book.ts). */
export function restoreStopOrder(
  id: f64,
  side: i32,
  trigger: f64,
  hasPrice: i32,
  price: f64,
  qty: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  expiresAt: f64,
): bool {
  return restoreStop(id, side, trigger, hasPrice !== 0, price, qty, tif, owner, stp, expiresAt);
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
