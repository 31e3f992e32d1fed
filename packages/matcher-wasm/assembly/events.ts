// Event writer: fixed 56-byte records appended from `evBase` into a region of
// EV_CAPACITY records laid out at init. A batch call stops at a command
// boundary once EV_SOFT_LIMIT events are written, but a single command has
// no useful bound (an iceberg is met up to 1,000 times in one sweep, a stop
// cascade re-enters the book): when the region is full mid-command, the
// events so far are handed to JS through the imported `evSpill` and the
// writer starts again at `evBase`. Memory never grows after init, so no
// command can run out of it.

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
import { evSpill } from './env';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { EV_CAPACITY, EV_SIZE, EV_SOFT_LIMIT, Ev, evBase } from './layout';

/** Next free event record. */
let evPtr: usize = 0;
/** End of the event region: a record must fit before it. */
let evEnd: usize = 0;
/** A batch stops at the first command boundary at or past this address. */
let evSoft: usize = 0;

/** Place the region (after init laid the memory out). */
export function evInit(): void {
  evEnd = evBase + EV_CAPACITY * EV_SIZE;
  evReset();
}

export function evReset(): void {
  evPtr = evBase;
  evSoft = evBase + EV_SOFT_LIMIT * EV_SIZE;
}

/** True once a batch has written its soft limit of events (or its consumer failed). */
export function evFull(): bool {
  return evPtr >= evSoft;
}

export function evCount(): u32 {
  return <u32>((evPtr - evBase) / EV_SIZE);
}

/** The region is full mid-command: JS takes what is there, the writer starts over. */
function spill(): void {
  const stop = evSpill(evCount());
  evPtr = evBase;
  // after a spill the soft limit counts from the start again; a failed
  // consumer stops the batch at the end of this command
  evSoft = stop !== 0 ? evBase : evBase + EV_SOFT_LIMIT * EV_SIZE;
}

function next(type: i32): Ev {
  if (evPtr + EV_SIZE > evEnd) spill();
  const p = evPtr;
  evPtr = p + EV_SIZE;
  const e = changetype<Ev>(p);
  e.type = <u8>type;
  return e;
}

/**
 * The fields every event about one order has: `id` (a), `side`, `aux` (order
 * type, priority kept, …), `count` (flags), `price` (c), `qty` (d).
 */
function orderEvent(type: i32, id: f64, side: i32, aux: i32, count: i32, price: f64, qty: f64): Ev {
  const e = next(type);
  e.side = <u8>side;
  e.aux = <u8>aux;
  e.count = <u32>count;
  e.a = id;
  e.c = price;
  e.d = qty;
  return e;
}

/**
 * A limit or stop order's accepted event; `expiresAt` 0: none (else
 * ACC_EXPIRY, in `e`); `extra` a display quantity (ACC_DISPLAY) or a
 * trigger (ACC_TRIGGER), in `f`.
 */
export function emitAccepted(
  id: f64,
  side: i32,
  orderType: i32,
  price: f64,
  qty: f64,
  flags: i32,
  expiresAt: f64,
  extra: f64,
): void {
  const e = orderEvent(EV_ACCEPTED, id, side, orderType, flags, price, qty);
  e.e = expiresAt;
  e.f = extra;
}

/** An iceberg refreshed: it now shows `qty` at the back of its level. */
export function emitRefreshed(id: f64, side: i32, price: f64, qty: f64): void {
  orderEvent(EV_REFRESHED, id, side, 0, 0, price, qty);
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
  orderEvent(EV_ACCEPTED, id, side, orderType, flags, NaN, size).e = protection;
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

/**
 * A modify: `kept` whether it kept its priority. An untriggered stop's has
 * `flags` MODEV_STOP (| MODEV_NO_PRICE for a stop market) and its trigger in `e`.
 */
export function emitModified(
  id: f64,
  side: i32,
  price: f64,
  qty: f64,
  kept: bool,
  flags: i32,
  trigger: f64,
): void {
  orderEvent(EV_MODIFIED, id, side, <i32>kept, flags, price, qty).e = trigger;
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
  orderEvent(EV_TRIGGERED, id, side, orderType, 0, price, qty).e = trigger;
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
