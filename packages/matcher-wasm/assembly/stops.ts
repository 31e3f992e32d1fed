// Stop orders. An untriggered stop holds an order slot (it counts against
// capacity) but no level: its trigger and arming stamp are in its slot's
// extra record, its kind (KIND_STOP_MARKET / KIND_STOP_LIMIT) and time in
// force in the order record, and it sits in its side's binary heap (buy:
// lowest trigger first, sell: highest first; equal triggers by arming stamp)
// with its 1-based heap position in `prev`. A trade pops every stop it
// reaches onto the triggered FIFO (linked through `next`), which
// runTriggered drains after the command's own matching.
// docs/semantics.md: "Stop orders".

import {
  ACC_EXPIRY,
  ACC_TRIGGER,
  BUY,
  FOK,
  GTC,
  IOC,
  KIND_PLAIN,
  KIND_STOP_LIMIT,
  KIND_STOP_MARKET,
  MOD_HAS_PRICE,
  MOD_HAS_QTY,
  MOD_HAS_TRIGGER,
  MODEV_NO_PRICE,
  MODEV_STOP,
  R_FOK_UNFILLED,
  R_REMAINDER,
  SELL,
  STOP_HAS_PRICE,
  STOP_TIF_UNSET,
  T_LIMIT,
  T_MARKET,
  T_STOP_LIMIT,
  T_STOP_MARKET,
} from './constants';
import { emitAccepted, emitCancelled, emitModified, emitTriggered } from './events';
import { heapPush } from './expiry';
import { overflows } from './icebergs';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Cmd, capacity, extraOf, minPrice, nticks, order, stopHeapBase } from './layout';
import { fillOrder, newOrder, releaseOrder } from './levels';
import { enter, fokFillable } from './match';
import { countCommand } from './state';

/** Last trade price; 0 before the first trade. */
export let lastPrice: f64 = 0;
/** Arming stamps handed out so far. */
let armed: f64 = 0;
let buyStops: u32 = 0;
let sellStops: u32 = 0;
let pendHead: usize = 0;
let pendTail: usize = 0;

export function setLastPrice(value: f64): void {
  lastPrice = value;
}

export function resetStops(): void {
  lastPrice = 0;
  armed = 0;
  buyStops = 0;
  sellStops = 0;
  pendHead = 0;
  pendTail = 0;
}

/** Is the slot at `o` an untriggered stop? */
export function isStop(o: usize): bool {
  return <i32>order(o).kind >= KIND_STOP_MARKET;
}

/** Stop kind of the order at `o` as the query export reports it: 0 none, 1 stop market, 2 stop limit. */
export function stopKindOf(o: usize): i32 {
  return isStop(o) ? <i32>order(o).kind - 1 : 0;
}

export function triggerOf(o: usize): f64 {
  return isStop(o) ? extraOf(o).a : 0;
}

/** A stop's time in force once triggered (its order record's `postOnly` byte). */
export function stopTifOf(o: usize): i32 {
  return <i32>order(o).postOnly;
}

export function stampOf(o: usize): f64 {
  return extraOf(o).b;
}

export function stopCount(side: i32): u32 {
  return side === BUY ? buyStops : sellStops;
}

function setStopCount(side: i32, n: u32): void {
  if (side === BUY) buyStops = n;
  else sellStops = n;
}

/** Heap slots: buy stops from the front of the region, sell stops from the back. */
function sSlot(side: i32, i: u32): usize {
  const k = side === BUY ? <usize>(i - 1) : <usize>capacity - <usize>i;
  return stopHeapBase + (k << 2);
}

export function stopHeapAt(side: i32, i: u32): usize {
  return <usize>load<u32>(sSlot(side, i));
}

function sPut(side: i32, i: u32, o: usize): void {
  store<u32>(sSlot(side, i), <u32>o);
  order(o).prev = i;
}

function sBefore(side: i32, a: usize, b: usize): bool {
  const ta = triggerOf(a);
  const tb = triggerOf(b);
  if (ta !== tb) return side === BUY ? ta < tb : ta > tb;
  return stampOf(a) < stampOf(b);
}

function sSiftUp(side: i32, i: u32): void {
  const o = stopHeapAt(side, i);
  while (i > 1) {
    const parent = i >> 1;
    const p = stopHeapAt(side, parent);
    if (!sBefore(side, o, p)) break;
    sPut(side, i, p);
    i = parent;
  }
  sPut(side, i, o);
}

function sSiftDown(side: i32, i: u32): void {
  const n = stopCount(side);
  const o = stopHeapAt(side, i);
  for (;;) {
    let c = i << 1;
    if (c > n) break;
    if (c + 1 <= n && sBefore(side, stopHeapAt(side, c + 1), stopHeapAt(side, c))) c++;
    const child = stopHeapAt(side, c);
    if (!sBefore(side, child, o)) break;
    sPut(side, i, child);
    i = c;
  }
  sPut(side, i, o);
}

/** Take an armed stop out of its heap. */
function sRemove(o: usize): void {
  const i = order(o).prev;
  if (i === 0) return;
  order(o).prev = 0;
  const side = <i32>order(o).side;
  const n = stopCount(side);
  const last = stopHeapAt(side, n);
  setStopCount(side, n - 1);
  if (i <= n - 1) {
    sPut(side, i, last);
    sSiftUp(side, i);
    sSiftDown(side, order(last).prev);
  }
}

export function reached(side: i32, trigger: f64): bool {
  return lastPrice > 0 && (side === BUY ? lastPrice >= trigger : lastPrice <= trigger);
}

function pendPush(o: usize): void {
  order(o).next = 0;
  if (pendTail !== 0) order(pendTail).next = <u32>o;
  else pendHead = o;
  pendTail = o;
}

/** Put a stop in its heap, or straight on the pending FIFO when the last price already reaches it. */
export function armStop(o: usize): void {
  const side = <i32>order(o).side;
  if (reached(side, triggerOf(o))) {
    pendPush(o);
    return;
  }
  armed += 1;
  extraOf(o).b = armed;
  const n = stopCount(side) + 1;
  setStopCount(side, n);
  sPut(side, n, o);
  sSiftUp(side, n);
}

/** A trade printed at `price`: the new last price; every stop it reaches goes pending, in crossing order. */
export function onTrade(price: f64): void {
  lastPrice = price;
  // inlined in the matching loop: with no stops resting a trade costs one test
  if ((buyStops | sellStops) !== 0) stopsReached(price);
}

function stopsReached(price: f64): void {
  while (buyStops !== 0) {
    const o = stopHeapAt(BUY, 1);
    if (triggerOf(o) > price) break;
    sRemove(o);
    pendPush(o);
  }
  while (sellStops !== 0) {
    const o = stopHeapAt(SELL, 1);
    if (triggerOf(o) < price) break;
    sRemove(o);
    pendPush(o);
  }
}

/** Make the slot at `o` an untriggered stop of `kind` (KIND_STOP_*), not yet in a heap. */
export function setStop(o: usize, kind: i32, tif: i32, trigger: f64): void {
  extraOf(o).a = trigger;
  const ord = order(o);
  ord.kind = <u8>kind;
  ord.postOnly = <u8>tif;
  ord.prev = 0;
}

/** Forget a slot's stop data (it triggered or left the book). */
export function clearStop(o: usize): void {
  sRemove(o);
  const ord = order(o);
  ord.kind = <u8>KIND_PLAIN;
  ord.postOnly = 0;
  const x = extraOf(o);
  x.a = 0;
  x.b = 0;
}

/** Enter the pending stops, earliest triggered first; their trades may queue more. */
export function runTriggered(): void {
  if (pendHead !== 0) runPending();
}

function runPending(): void {
  while (pendHead !== 0) {
    const o = pendHead;
    const ord = order(o);
    pendHead = <usize>ord.next;
    if (pendHead === 0) pendTail = 0;
    const isLimit = <i32>ord.kind === KIND_STOP_LIMIT;
    const tif = stopTifOf(o);
    const trigger = triggerOf(o);
    clearStop(o);
    const id = ord.id;
    const side = <i32>ord.side;
    const tick = ord.tick;
    const qty = ord.rem;
    const owner = ord.owner;
    const stp = <i32>ord.stp;
    emitTriggered(
      id,
      side,
      isLimit ? T_LIMIT : T_MARKET,
      isLimit ? minPrice + <f64>tick : NaN,
      qty,
      trigger,
    );
    if (tif === GTC && overflows(tick, side, qty, 0)) {
      emitCancelled(id, R_REMAINDER, qty, 0);
      releaseOrder(o);
      continue;
    }
    if (tif === FOK && !fokFillable(side, tick, qty, owner, stp)) {
      emitCancelled(id, R_FOK_UNFILLED, qty, 0);
      releaseOrder(o);
      continue;
    }
    enter(o, id, side, tick, qty, tif, owner, stp, 0, 0, 0);
  }
}

/** A validated stop order record: accepted, then armed (or triggered at once when the last price reaches it). */
export function execStop(c: Cmd, n: u32): void {
  countCommand();
  const o = placeStop(c, n);
  const expiresAt = c.expiresAtIn(n);
  const hasPrice = (<i32>c.mflags & STOP_HAS_PRICE) !== 0;
  const flags = (expiresAt !== 0 ? ACC_EXPIRY : 0) | ACC_TRIGGER;
  const type = hasPrice ? T_STOP_LIMIT : T_STOP_MARKET;
  const price = hasPrice ? c.priceIn(n) : NaN;
  emitAccepted(c.id, c.side, type, price, c.qtyIn(n), flags, expiresAt, triggerOf(o));
  armStop(o);
  runTriggered();
}

/** Take a slot for the stop in record `c` (validated), not yet armed. */
export function placeStop(c: Cmd, n: u32): usize {
  const side = <i32>c.side;
  const hasPrice = (<i32>c.mflags & STOP_HAS_PRICE) !== 0;
  const o = newOrder(c.id);
  const tick = hasPrice ? <i32>(c.priceIn(n) - minPrice) : side === BUY ? nticks - 1 : 0;
  fillOrder(o, c.id, c.qtyIn(n), 0, c.ownerIn(n), tick, side, c.stpMode(), 0, 0, 0);
  let tif = <i32>c.tif;
  if (tif === STOP_TIF_UNSET) tif = hasPrice ? GTC : IOC;
  setStop(o, hasPrice ? KIND_STOP_LIMIT : KIND_STOP_MARKET, tif, c.displayQtyIn(n));
  const expiresAt = c.expiresAtIn(n);
  if (expiresAt !== 0) heapPush(o, expiresAt);
  return o;
}

/** Modify an untriggered stop (found by validateModify): price, qty, trigger; a new trigger re-arms it. */
export function modifyStop(o: usize, price: f64, qty: f64, flags: i32, trigger: f64): void {
  const ord = order(o);
  const old = triggerOf(o);
  const t = (flags & MOD_HAS_TRIGGER) !== 0 ? trigger : old;
  const kept = t === old;
  if ((flags & MOD_HAS_PRICE) !== 0) ord.tick = <i32>(price - minPrice);
  if ((flags & MOD_HAS_QTY) !== 0) ord.rem = qty;
  const isLimit = <i32>ord.kind === KIND_STOP_LIMIT;
  const mflags = MODEV_STOP | (isLimit ? 0 : MODEV_NO_PRICE);
  const shownPrice = isLimit ? minPrice + <f64>ord.tick : NaN;
  emitModified(ord.id, <i32>ord.side, shownPrice, ord.rem, kept, mflags, t);
  if (!kept) {
    sRemove(o);
    extraOf(o).a = t;
    armStop(o);
    runTriggered();
  }
}
