// Event writer: fixed 56-byte records appended from `evBase`. The region is
// the tail of linear memory; a command that sweeps a huge book may write
// more than the laid-out slots, so the writer grows memory when needed
// (JS refreshes its views when it sees events past its view's end).

import {
  EV_ACCEPTED,
  EV_CANCELLED,
  EV_LEVEL,
  EV_MODIFIED,
  EV_REFRESHED,
  EV_REJECTED,
  EV_TIME,
  EV_TRADE,
  EV_TRIGGERED,
} from './constants';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { EV_SIZE, EV_SOFT_LIMIT, Ev, evBase } from './layout';

/** Next free event record. */
let evPtr: usize = 0;
/**
 * End of writable memory (bytes). Only this instance grows its memory (at
 * init and in growFor), so the value is kept here rather than asking
 * `memory.size`, which costs a call on a shared memory.
 */
let memEnd: usize = 0;

/** Learn the memory's size (after init grew it). */
export function evInit(): void {
  memEnd = (<usize>memory.size()) << 16;
  evPtr = evBase;
}

export function evReset(): void {
  evPtr = evBase;
}

/** True once a batch has written its soft limit of events. */
export function evFull(): bool {
  return evPtr >= evBase + EV_SOFT_LIMIT * EV_SIZE;
}

export function evCount(): u32 {
  return <u32>((evPtr - evBase) / EV_SIZE);
}

function growFor(need: usize): void {
  const cur = memory.size();
  let pages = <i32>((need - memEnd + 0xffff) >> 16);
  // grow geometrically so a long sweep does not call memory.grow per event
  if (pages < cur >> 3) pages = cur >> 3;
  if (memory.grow(pages) < 0) {
    if (memory.grow(<i32>((need - memEnd + 0xffff) >> 16)) < 0) unreachable();
  }
  memEnd = (<usize>memory.size()) << 16;
}

function next(type: i32): Ev {
  const p = evPtr;
  if (p + EV_SIZE > memEnd) growFor(p + EV_SIZE);
  evPtr = p + EV_SIZE;
  const e = changetype<Ev>(p);
  e.type = <u8>type;
  return e;
}

/**
 * A limit order's accepted event; `expiresAt` 0: none (else ACC_EXPIRY, in `e`);
 * `displayQty` 0: none (else ACC_DISPLAY, in `f`).
 */
export function emitAccepted(
  id: f64,
  side: i32,
  orderType: i32,
  price: f64,
  qty: f64,
  flags: i32,
  expiresAt: f64,
  displayQty: f64,
): void {
  const e = next(EV_ACCEPTED);
  e.side = <u8>side;
  e.aux = <u8>orderType;
  e.count = <u32>flags;
  e.a = id;
  e.c = price;
  e.d = qty;
  e.e = expiresAt;
  e.f = displayQty;
}

/** An iceberg refreshed: it now shows `qty` at the back of its level. */
export function emitRefreshed(id: f64, side: i32, price: f64, qty: f64): void {
  const e = next(EV_REFRESHED);
  e.side = <u8>side;
  e.a = id;
  e.c = price;
  e.d = qty;
}

/** The book's time moved to `time`. */
export function emitTime(time: f64): void {
  const e = next(EV_TIME);
  e.a = time;
}

/**
 * A market order's accepted event: `size` is its qty or, with MKT_NOTIONAL in
 * `flags`, its notional; with MKT_PROTECTION, `e` holds the protection price.
 */
export function emitAcceptedMarket(
  id: f64,
  side: i32,
  orderType: i32,
  size: f64,
  flags: i32,
  protection: f64,
): void {
  const e = next(EV_ACCEPTED);
  e.side = <u8>side;
  e.aux = <u8>orderType;
  e.count = <u32>flags;
  e.a = id;
  e.c = NaN;
  e.d = size;
  e.e = protection;
}

export function emitRejected(id: f64, code: i32): void {
  const e = next(EV_REJECTED);
  e.aux = <u8>code;
  e.a = id;
}

export function emitTrade(
  makerId: f64,
  takerId: f64,
  takerSide: i32,
  price: f64,
  qty: f64,
  makerRem: f64,
  takerRem: f64,
): void {
  const e = next(EV_TRADE);
  e.side = <u8>takerSide;
  e.a = makerId;
  e.b = takerId;
  e.c = price;
  e.d = qty;
  e.e = makerRem;
  e.f = takerRem;
}

export function emitCancelled(id: f64, reason: i32, qty: f64, remaining: f64): void {
  const e = next(EV_CANCELLED);
  e.aux = <u8>reason;
  e.a = id;
  e.d = qty;
  e.e = remaining;
}

export function emitModified(id: f64, side: i32, price: f64, qty: f64, kept: bool): void {
  const e = next(EV_MODIFIED);
  e.side = <u8>side;
  e.aux = <u8>kept;
  e.count = 0;
  e.a = id;
  e.c = price;
  e.d = qty;
}

/** An untriggered stop was modified: `flags` MODEV_STOP (| MODEV_NO_PRICE for a stop market), trigger in `e`. */
export function emitModifiedStop(
  id: f64,
  side: i32,
  price: f64,
  qty: f64,
  kept: bool,
  flags: i32,
  trigger: f64,
): void {
  const e = next(EV_MODIFIED);
  e.side = <u8>side;
  e.aux = <u8>kept;
  e.count = <u32>flags;
  e.a = id;
  e.c = price;
  e.d = qty;
  e.e = trigger;
}

/** A stop fired: `aux` T_LIMIT or T_MARKET (what it enters as), trigger in `e`. */
export function emitTriggered(
  id: f64,
  side: i32,
  orderType: i32,
  price: f64,
  qty: f64,
  trigger: f64,
): void {
  const e = next(EV_TRIGGERED);
  e.side = <u8>side;
  e.aux = <u8>orderType;
  e.a = id;
  e.c = price;
  e.d = qty;
  e.e = trigger;
}

/** `seq`: the sequence number of the command that changed the level. */
export function emitLevel(side: i32, price: f64, qty: f64, count: u32, seq: f64): void {
  const e = next(EV_LEVEL);
  e.side = <u8>side;
  e.count = count;
  e.b = seq;
  e.c = price;
  e.d = qty;
}
