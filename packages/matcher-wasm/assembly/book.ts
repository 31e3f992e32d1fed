// The matcher: the same steps, in the same order, as docs/semantics.md and
// the reference engine (packages/core/src/reference): validate →
// matchIncoming → restRemainder, plus cancel and modify.

import { bitClear, bitSet, nextAtOrAbove, nextAtOrBelow } from './bits';
import {
  ACC_DISPLAY,
  ACC_EXPIRY,
  ACC_TRIGGER,
  BUY,
  E_ALREADY_EXPIRED,
  E_BOOK_FULL,
  E_DUPLICATE_ID,
  E_INVALID_DISPLAY,
  E_INVALID_EXPIRY,
  E_INVALID_ID,
  E_INVALID_NOTIONAL,
  E_INVALID_OWNER,
  E_INVALID_POST_ONLY,
  E_INVALID_PRICE,
  E_INVALID_QTY,
  E_INVALID_SIDE,
  E_INVALID_STP_MODE,
  E_INVALID_TIF,
  E_INVALID_TIME,
  E_INVALID_TRIGGER,
  E_PRICE_OUT_OF_BAND,
  E_QTY_AND_NOTIONAL,
  E_QTY_OVERFLOW,
  E_TIME_BACKWARDS,
  E_UNKNOWN_ORDER,
  FOK,
  GTC,
  IOC,
  MAX_ICEBERG_SLICES,
  MAX_SAFE,
  MKT_NOTIONAL,
  MKT_PROTECTION,
  MKT_QTY_TOO,
  MOD_HAS_PRICE,
  MOD_HAS_QTY,
  MOD_HAS_TRIGGER,
  MODEV_NO_PRICE,
  MODEV_STOP,
  OK,
  R_EXPIRED,
  R_FOK_UNFILLED,
  R_POST_ONLY,
  R_REMAINDER,
  R_SELF_TRADE,
  R_USER,
  SELL,
  STP_CANCEL_BOTH,
  STP_CANCEL_NEWEST,
  STP_CANCEL_OLDEST,
  STP_DECREMENT_AND_CANCEL,
  T_LIMIT,
  T_MARKET,
  T_STOP_LIMIT,
  T_STOP_MARKET,
} from './constants';
import {
  emitAccepted,
  emitAcceptedMarket,
  emitCancelled,
  emitLevel,
  emitModified,
  emitModifiedStop,
  emitRefreshed,
  emitTime,
  emitTrade,
  emitTriggered,
} from './events';
import { mapFind, mapInsert, mapRemove, resetMap } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  capacity,
  expiryBase,
  heapBase,
  heapPosBase,
  icebergBase,
  Level,
  level,
  maxPrice,
  minPrice,
  nticks,
  ORDER_SIZE,
  order,
  ordersBase,
  stopHeapBase,
} from './layout';
import { allocOrder, freeOrder, resetPool } from './pool';

// ---------------------------------------------------------------- book state

/** Resting orders. */
export let used: u32 = 0;
/** Best bid / best ask tick, -1 when the side is empty. */
export let bestBid: i32 = -1;
export let bestAsk: i32 = -1;

/** Commands applied so far (refused ones do not count): the durability sequence. */
export let sequence: f64 = 0;

export function setSequence(value: f64): void {
  sequence = value;
}

/** The book's time: moved only by advance-time commands. */
export let now: f64 = 0;

export function setTime(value: f64): void {
  now = value;
}

// ---------------------------------------------------------------- expiry heap
// Good-till-date orders in a binary min-heap of order addresses keyed by
// (expiresAt, id), with each slot's expiry and 1-based heap position in
// arrays indexed by slot: an order leaving the book for any reason is taken
// out in O(log n) (releaseOrder), so the heap holds exactly the resting
// good-till-date orders and never more than `capacity` entries.

let heapSize: u32 = 0;

/** Good-till-date orders resting (entries in the expiry heap). */
export function expiryCount(): u32 {
  return heapSize;
}

function slotOf(o: usize): usize {
  return (o - ordersBase) / ORDER_SIZE;
}

/** The earliest expiry in the heap; 0 when it is empty. */
export function earliestExpiry(): f64 {
  return heapSize !== 0 ? expiryOf(heapAt(1)) : 0;
}

export function expiryOf(o: usize): f64 {
  return load<f64>(expiryBase + (slotOf(o) << 3));
}

function setExpiry(o: usize, t: f64): void {
  store<f64>(expiryBase + (slotOf(o) << 3), t);
}

// ---------------------------------------------------------------- icebergs
// Per slot: display quantity and hidden reserve, valid only while the
// order's `iceberg` flag is set (plain orders never touch the region). A
// resting order's `rem` is what it shows (what its level's total counts).

export function peakOf(o: usize): f64 {
  return order(o).iceberg === 1 ? load<f64>(icebergBase + (slotOf(o) << 4)) : 0;
}

export function hiddenOf(o: usize): f64 {
  return order(o).iceberg === 1 ? load<f64>(icebergBase + (slotOf(o) << 4) + 8) : 0;
}

function setIceberg(o: usize, peak: f64, hidden: f64): void {
  order(o).iceberg = peak !== 0 ? 1 : 0;
  if (peak === 0) return;
  const at = icebergBase + (slotOf(o) << 4);
  store<f64>(at, peak);
  store<f64>(at + 8, hidden);
}

/** Set a resting iceberg's reserve (its side's reserve total follows). */
function setHidden(o: usize, hidden: f64): void {
  const at = icebergBase + (slotOf(o) << 4) + 8;
  addSideHidden(<i32>order(o).side, hidden - load<f64>(at));
  store<f64>(at, hidden);
}

// The reserves of the icebergs resting on each side, and how many rest there.
// They bound any one level's reserves, so the QTY_OVERFLOW rule (see
// `overflows`) needs no walk of the level unless quantities come within this
// total of 2^53. A total that would pass 2^53-1 is no longer exact: it turns
// to Infinity (every later check walks its level) until the side has no
// iceberg left.
let hiddenBuy: f64 = 0;
let hiddenSell: f64 = 0;
let icebergsBuy: u32 = 0;
let icebergsSell: u32 = 0;

function addSideHidden(side: i32, delta: f64): void {
  if (delta === 0) return;
  const total = (side === BUY ? hiddenBuy : hiddenSell) + delta;
  const kept = total > MAX_SAFE ? Infinity : total;
  if (side === BUY) hiddenBuy = kept;
  else hiddenSell = kept;
}

/** An iceberg joins (`n` 1) or leaves (`n` -1) a level of `side`. */
function countIceberg(o: usize, n: i32): void {
  const side = <i32>order(o).side;
  addSideHidden(side, n > 0 ? hiddenOf(o) : -hiddenOf(o));
  const left = (side === BUY ? icebergsBuy : icebergsSell) + n;
  if (side === BUY) icebergsBuy = left;
  else icebergsSell = left;
  if (left !== 0) return;
  if (side === BUY) hiddenBuy = 0;
  else hiddenSell = 0;
}

/** The reserves resting on `side`: at least the reserves of any one of its levels. */
export function sideHidden(side: i32): f64 {
  return side === BUY ? hiddenBuy : hiddenSell;
}

/**
 * The QTY_OVERFLOW rule: would `qty` more lots resting at `tick` on `side`
 * let that level come to show more than 2^53-1 lots? A level can show
 * everything its orders hold, hidden reserves included (icebergs refresh
 * from them), so the bound counts them. `self`: an order of the level that
 * leaves it first (a modify), 0: none.
 */
function overflows(tick: i32, side: i32, qty: f64, self: usize): bool {
  const L = level(tick);
  if (L.count === 0 || <i32>L.side !== side) return false;
  let shown = L.total;
  if (self !== 0 && order(self).tick === tick) shown -= order(self).rem;
  if (shown <= MAX_SAFE - qty - sideHidden(side)) return false;
  // quantities near 2^53: add the level's own reserves up exactly
  let hidden: f64 = 0;
  for (let o = <usize>L.head; o !== 0; o = <usize>order(o).next) {
    if (o !== self) hidden += hiddenOf(o);
  }
  return shown + hidden > MAX_SAFE - qty;
}

function heapPosOf(o: usize): u32 {
  return load<u32>(heapPosBase + (slotOf(o) << 2));
}

function setHeapPos(o: usize, i: u32): void {
  store<u32>(heapPosBase + (slotOf(o) << 2), i);
}

function heapAt(i: u32): usize {
  return <usize>load<u32>(heapBase + ((<usize>(i - 1)) << 2));
}

function heapPut(i: u32, o: usize): void {
  store<u32>(heapBase + ((<usize>(i - 1)) << 2), <u32>o);
  setHeapPos(o, i);
}

function earlier(a: usize, b: usize): bool {
  const ea = expiryOf(a);
  const eb = expiryOf(b);
  return ea < eb || (ea === eb && order(a).id < order(b).id);
}

function siftUp(i: u32): void {
  const o = heapAt(i);
  while (i > 1) {
    const parent = i >> 1;
    const p = heapAt(parent);
    if (!earlier(o, p)) break;
    heapPut(i, p);
    i = parent;
  }
  heapPut(i, o);
}

function siftDown(i: u32): void {
  const o = heapAt(i);
  for (;;) {
    let c = i << 1;
    if (c > heapSize) break;
    if (c + 1 <= heapSize && earlier(heapAt(c + 1), heapAt(c))) c++;
    const child = heapAt(c);
    if (!earlier(child, o)) break;
    heapPut(i, child);
    i = c;
  }
  heapPut(i, o);
}

function heapPush(o: usize, expiresAt: f64): void {
  setExpiry(o, expiresAt);
  heapSize++;
  heapPut(heapSize, o);
  siftUp(heapSize);
}

/** Take `o` out of the heap if it is there. */
function heapRemove(o: usize): void {
  const i = heapPosOf(o);
  if (i === 0) return;
  setHeapPos(o, 0);
  setExpiry(o, 0);
  const last = heapAt(heapSize);
  heapSize--;
  if (i <= heapSize) {
    heapPut(i, last);
    siftUp(i);
    siftDown(heapPosOf(last));
  }
}

// ---------------------------------------------------------------- stops
// An untriggered stop holds an order slot (it counts against capacity) but
// no level: its trigger, arming stamp, heap position, kind and tif are in the
// stop region, and it sits in its side's binary heap (buy: lowest trigger
// first, sell: highest first; equal triggers by arming stamp). A trade pops
// every stop it reaches onto the pending FIFO (linked through `next`), which
// runTriggered drains after the command's own matching.

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

// An untriggered stop reuses its slot's iceberg record (a stop is never an
// iceberg): f64 trigger @0, f64 arming stamp @8; and fields of its order
// record that only a resting order uses: `iceberg` holds 2 (stop market) or
// 3 (stop limit), `postOnly` its time in force, `prev` its 1-based heap position.
function stopAt(o: usize): usize {
  return icebergBase + (slotOf(o) << 4);
}

/** Stop kind of the order at `o`: 0 none, 1 stop market, 2 stop limit. */
export function stopKindOf(o: usize): i32 {
  const k = <i32>order(o).iceberg;
  return k >= 2 ? k - 1 : 0;
}

export function triggerOf(o: usize): f64 {
  return stopKindOf(o) !== 0 ? load<f64>(stopAt(o)) : 0;
}

export function stopTifOf(o: usize): i32 {
  return <i32>order(o).postOnly;
}

export function stampOf(o: usize): f64 {
  return load<f64>(stopAt(o) + 8);
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

function reached(side: i32, trigger: f64): bool {
  return lastPrice > 0 && (side === BUY ? lastPrice >= trigger : lastPrice <= trigger);
}

function pendPush(o: usize): void {
  order(o).next = 0;
  if (pendTail !== 0) order(pendTail).next = <u32>o;
  else pendHead = o;
  pendTail = o;
}

/** Put a stop in its heap, or straight on the pending FIFO when the last price already reaches it. */
function armStop(o: usize): void {
  const side = <i32>order(o).side;
  if (reached(side, triggerOf(o))) {
    pendPush(o);
    return;
  }
  armed += 1;
  store<f64>(stopAt(o) + 8, armed);
  const n = stopCount(side) + 1;
  setStopCount(side, n);
  sPut(side, n, o);
  sSiftUp(side, n);
}

/** A trade printed at `price`: the new last price; every stop it reaches goes pending, in crossing order. */
function onTrade(price: f64): void {
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

function setStop(o: usize, kind: i32, tif: i32, trigger: f64): void {
  store<f64>(stopAt(o), trigger);
  const ord = order(o);
  ord.iceberg = <u8>(kind !== 0 ? kind + 1 : 0);
  ord.postOnly = <u8>tif;
  ord.prev = 0;
}

/** Forget a slot's stop data (it triggered or left the book). */
function clearStop(o: usize): void {
  sRemove(o);
  setStop(o, 0, 0, 0);
  store<f64>(stopAt(o) + 8, 0);
}

/** Enter the pending stops, earliest triggered first; their trades may queue more. */
function runTriggered(): void {
  if (pendHead !== 0) runPending();
}

function runPending(): void {
  while (pendHead !== 0) {
    const o = pendHead;
    const ord = order(o);
    pendHead = <usize>ord.next;
    if (pendHead === 0) pendTail = 0;
    const kind = stopKindOf(o);
    const tif = stopTifOf(o);
    const trigger = triggerOf(o);
    clearStop(o);
    const id = ord.id;
    const side = <i32>ord.side;
    const tick = ord.tick;
    const qty = ord.rem;
    const owner = ord.owner;
    const stp = <i32>ord.stp;
    const isLimit = kind === 2;
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
    const rem = matchIncoming(id, side, tick, qty, owner, stp, false);
    if (rem > 0) restRemainder(id, side, tick, rem, tif, owner, stp, 0, takerFilled, o, 0);
    else releaseOrder(o);
  }
}

/** Empty book (after setConfig and computeLayout). */
export function resetBook(): void {
  sequence = 0;
  now = 0;
  heapSize = 0;
  buyStops = 0;
  sellStops = 0;
  lastPrice = 0;
  hiddenBuy = 0;
  hiddenSell = 0;
  icebergsBuy = 0;
  icebergsSell = 0;
  armed = 0;
  pendHead = 0;
  pendTail = 0;
  used = 0;
  resetPool();
  resetMap();
  bestBid = -1;
  bestAsk = -1;
}

// ---------------------------------------------------------------- validation

/** A positive safe integer (NaN fails every comparison). */
export function isPosInt(x: f64): bool {
  return x >= 1 && x <= MAX_SAFE && Math.floor(x) === x;
}

/** Id to report in a `rejected` event: the command's id when usable, else 0. */
export function rejectId(id: f64): f64 {
  return isPosInt(id) ? id : 0;
}

export function validateLimit(
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
  if (!isPosInt(id)) return E_INVALID_ID;
  if (<u32>side > 1) return E_INVALID_SIDE;
  if (!isPosInt(price)) return E_INVALID_PRICE;
  if (price < minPrice || price > maxPrice) return E_PRICE_OUT_OF_BAND;
  if (!isPosInt(qty)) return E_INVALID_QTY;
  if (<u32>tif > 2) return E_INVALID_TIF;
  if (<u32>postOnly > 1 || (postOnly === 1 && tif !== GTC)) return E_INVALID_POST_ONLY;
  if (owner !== 0 && !isPosInt(owner)) return E_INVALID_OWNER;
  if (<u32>stp > 3) return E_INVALID_STP_MODE;
  if (expiresAt !== 0 && (!isPosInt(expiresAt) || tif !== GTC)) return E_INVALID_EXPIRY;
  if (displayQty !== 0) {
    if (!isPosInt(displayQty) || displayQty >= qty || qty > displayQty * MAX_ICEBERG_SLICES) {
      return E_INVALID_DISPLAY;
    }
    if (tif !== GTC) return E_INVALID_DISPLAY;
  }
  if (mapFind(id) !== 0) return E_DUPLICATE_ID;
  if (expiresAt !== 0 && expiresAt <= now) return E_ALREADY_EXPIRED;
  if (tif === GTC) {
    if (used >= capacity) return E_BOOK_FULL;
    if (overflows(<i32>(price - minPrice), side, qty, 0)) return E_QTY_OVERFLOW;
  }
  return OK;
}

/** `size` is the qty, or the notional with MKT_NOTIONAL in `mflags`. */
export function validateMarket(
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
  if (!isPosInt(id)) return E_INVALID_ID;
  if (<u32>side > 1) return E_INVALID_SIDE;
  const byNotional = (mflags & MKT_NOTIONAL) !== 0;
  if (!byNotional) {
    if (!isPosInt(size)) return E_INVALID_QTY;
  } else {
    if ((mflags & MKT_QTY_TOO) !== 0) return E_QTY_AND_NOTIONAL;
    if (!isPosInt(size)) return E_INVALID_NOTIONAL;
  }
  if ((mflags & MKT_PROTECTION) !== 0) {
    if (!isPosInt(protection)) return E_INVALID_PRICE;
    if (protection < minPrice || protection > maxPrice) return E_PRICE_OUT_OF_BAND;
  }
  if (tif !== IOC && tif !== FOK) return E_INVALID_TIF;
  if (tif === FOK && byNotional) return E_INVALID_TIF;
  if (postOnly !== 0) return E_INVALID_POST_ONLY;
  if (owner !== 0 && !isPosInt(owner)) return E_INVALID_OWNER;
  if (<u32>stp > 3) return E_INVALID_STP_MODE;
  if (mapFind(id) !== 0) return E_DUPLICATE_ID;
  return OK;
}

/** Order found by the last successful validateCancel / validateModify. */
let found: usize = 0;

export function validateCancel(id: f64): i32 {
  if (!isPosInt(id)) return E_INVALID_ID;
  found = mapFind(id);
  if (found === 0) return E_UNKNOWN_ORDER;
  return OK;
}

export function validateModify(id: f64, price: f64, qty: f64, flags: i32, trigger: f64): i32 {
  if (!isPosInt(id)) return E_INVALID_ID;
  const hasPrice = (flags & MOD_HAS_PRICE) !== 0;
  const hasQty = (flags & MOD_HAS_QTY) !== 0;
  const hasTrigger = (flags & MOD_HAS_TRIGGER) !== 0;
  if (hasPrice) {
    if (!isPosInt(price)) return E_INVALID_PRICE;
    if (price < minPrice || price > maxPrice) return E_PRICE_OUT_OF_BAND;
  }
  if (hasQty && !isPosInt(qty)) return E_INVALID_QTY;
  if (hasTrigger && !inBand(trigger)) return E_INVALID_TRIGGER;
  const o = mapFind(id);
  if (o === 0) return E_UNKNOWN_ORDER;
  found = o;
  const kind = stopKindOf(o);
  if (kind !== 0) return hasPrice && kind === 1 ? E_INVALID_PRICE : OK;
  if (hasTrigger) return E_INVALID_TRIGGER;
  const ord = order(o);
  const newTick = hasPrice ? <i32>(price - minPrice) : ord.tick;
  const open = ord.rem + hiddenOf(o);
  const newQty = hasQty ? qty : open;
  const peak = peakOf(o);
  if (peak !== 0 && newQty > peak * MAX_ICEBERG_SLICES) return E_INVALID_DISPLAY;
  // keeping its level and not growing, it cannot take the level past the bound
  if (newTick === ord.tick && newQty <= open) return OK;
  return overflows(newTick, <i32>ord.side, newQty, o) ? E_QTY_OVERFLOW : OK;
}

function inBand(x: f64): bool {
  return isPosInt(x) && x >= minPrice && x <= maxPrice;
}

/** `hasPrice`: a stop limit; `tif` 3 when not given (stop limit: GTC, stop market: IOC). */
export function validateStop(
  id: f64,
  side: i32,
  trigger: f64,
  hasPrice: bool,
  price: f64,
  qty: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  expiresAt: f64,
): i32 {
  if (!isPosInt(id)) return E_INVALID_ID;
  if (<u32>side > 1) return E_INVALID_SIDE;
  if (!inBand(trigger)) return E_INVALID_TRIGGER;
  if (hasPrice) {
    if (!isPosInt(price)) return E_INVALID_PRICE;
    if (price < minPrice || price > maxPrice) return E_PRICE_OUT_OF_BAND;
  }
  if (!isPosInt(qty)) return E_INVALID_QTY;
  if (tif !== 3 && tif !== GTC && tif !== IOC && tif !== FOK) return E_INVALID_TIF;
  if (tif === GTC && !hasPrice) return E_INVALID_TIF;
  if (owner !== 0 && !isPosInt(owner)) return E_INVALID_OWNER;
  if (<u32>stp > 3) return E_INVALID_STP_MODE;
  if (expiresAt !== 0 && !isPosInt(expiresAt)) return E_INVALID_EXPIRY;
  if (mapFind(id) !== 0) return E_DUPLICATE_ID;
  if (expiresAt !== 0 && expiresAt <= now) return E_ALREADY_EXPIRED;
  if (used >= capacity) return E_BOOK_FULL;
  return OK;
}

export function execStop(
  id: f64,
  side: i32,
  trigger: f64,
  hasPrice: bool,
  price: f64,
  qty: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  expiresAt: f64,
): void {
  sequence += 1;
  const flags = (expiresAt !== 0 ? ACC_EXPIRY : 0) | ACC_TRIGGER;
  const type = hasPrice ? T_STOP_LIMIT : T_STOP_MARKET;
  emitAccepted(id, side, type, hasPrice ? price : NaN, qty, flags, expiresAt, trigger);
  const o = newOrder(id);
  const tick = hasPrice ? <i32>(price - minPrice) : side === BUY ? nticks - 1 : 0;
  fillOrder(o, id, qty, 0, owner, tick, side, stp, 0, 0, 0);
  if (tif === 3) tif = hasPrice ? GTC : IOC;
  setStop(o, hasPrice ? 2 : 1, tif, trigger);
  if (expiresAt !== 0) heapPush(o, expiresAt);
  armStop(o);
  runTriggered();
}

export function validateAdvance(time: f64): i32 {
  if (!(time >= 0 && time <= MAX_SAFE && Math.floor(time) === time)) return E_INVALID_TIME;
  if (time < now) return E_TIME_BACKWARDS;
  return OK;
}

export function validateReduce(id: f64, qty: f64): i32 {
  if (!isPosInt(id)) return E_INVALID_ID;
  if (!isPosInt(qty)) return E_INVALID_QTY;
  found = mapFind(id);
  if (found === 0) return E_UNKNOWN_ORDER;
  return OK;
}

// ---------------------------------------------------------------- order pool

/** Forget a finished order: id map, pool, count. */
function releaseOrder(o: usize): void {
  if (heapSize !== 0) heapRemove(o);
  if (stopKindOf(o) !== 0) clearStop(o);
  mapRemove(order(o).id, o);
  freeOrder(o);
  used--;
}

// ---------------------------------------------------------------- levels

/** Append `o` (fields set) at the back of its level. */
function restOrder(o: usize): Level {
  const ord = order(o);
  const tick = ord.tick;
  const side = <i32>ord.side;
  const L = level(tick);
  ord.next = 0;
  if (L.count === 0) {
    ord.prev = 0;
    L.head = <u32>o;
    L.total = ord.rem;
    L.side = side;
    bitSet(side, tick);
    if (side === BUY) {
      if (tick > bestBid) bestBid = tick;
    } else if (bestAsk < 0 || tick < bestAsk) {
      bestAsk = tick;
    }
  } else {
    order(L.tail).next = <u32>o;
    ord.prev = L.tail;
    L.total += ord.rem;
  }
  L.tail = <u32>o;
  L.count++;
  if (ord.iceberg === 1) countIceberg(o, 1);
  return L;
}

/** A level of `side` at `tick` just became empty. */
function levelEmptied(side: i32, tick: i32): void {
  level(tick).total = 0;
  bitClear(side, tick);
  if (side === BUY) {
    if (tick === bestBid) bestBid = nextAtOrBelow(BUY, tick - 1);
  } else if (tick === bestAsk) {
    bestAsk = nextAtOrAbove(SELL, tick + 1);
  }
}

/** Take `o` out of its level's FIFO (anywhere in it); updates the level and best prices. */
function unlinkOrder(o: usize): Level {
  const ord = order(o);
  const L = level(ord.tick);
  const prev = ord.prev;
  const next = ord.next;
  if (prev !== 0) order(prev).next = next;
  else L.head = next;
  if (next !== 0) order(next).prev = prev;
  else L.tail = prev;
  L.count--;
  L.total -= ord.rem;
  if (ord.iceberg === 1) countIceberg(o, -1);
  if (L.count === 0) levelEmptied(<i32>ord.side, ord.tick);
  return L;
}

// ---------------------------------------------------------------- matching

/** Set by matchIncoming: matching stopped by cancel-newest / cancel-both. */
let stopped = false;
/** Set by matchIncoming: quantity the taker traded. */
let takerFilled: f64 = 0;

function crosses(side: i32, tick: i32): bool {
  return side === BUY ? bestAsk >= 0 && bestAsk <= tick : bestBid >= 0 && bestBid >= tick;
}

/** FOK pre-check: can `qty` fill now, walking makers as matching would? */
function fokFillable(side: i32, limitTick: i32, qty: f64, owner: f64, stp: i32): bool {
  let need = qty;
  let t = side === BUY ? bestAsk : bestBid;
  while (t >= 0 && (side === BUY ? t <= limitTick : t >= limitTick)) {
    let m = level(t).head;
    let hidden: f64 = 0;
    while (m !== 0) {
      const mo = order(m);
      if (owner !== 0 && mo.owner === owner) {
        if (stp !== STP_CANCEL_OLDEST) return false;
      } else {
        need -= min(need, mo.rem);
        if (need === 0) return true;
        hidden += hiddenOf(m);
      }
      m = mo.next;
    }
    // nothing stops matching at this level: icebergs refresh until their reserves are gone
    need -= min(need, hidden);
    if (need === 0) return true;
    t = side === BUY ? nextAtOrAbove(SELL, t + 1) : nextAtOrBelow(BUY, t - 1);
  }
  return false;
}

/** Remove the head maker `m` of `L`, which has no open quantity left. */
function popHead(L: Level, m: usize): void {
  const next = order(m).next;
  L.head = next;
  if (next !== 0) order(next).prev = 0;
  L.count--;
  if (order(m).iceberg === 1) countIceberg(m, -1);
  releaseOrder(m);
}

/**
 * The head maker `m` of `L` showed nothing more: an iceberg with a reserve
 * shows the next part at the back of the level; any other order leaves.
 */
function makerDone(L: Level, m: usize, side: i32, price: f64): void {
  const hidden = hiddenOf(m);
  if (hidden === 0) {
    popHead(L, m);
    return;
  }
  const mo = order(m);
  const shown = min(peakOf(m), hidden);
  setHidden(m, hidden - shown);
  mo.rem = shown;
  L.total += shown;
  if (L.count > 1) {
    const next = mo.next;
    L.head = next;
    order(next).prev = 0;
    order(L.tail).next = <u32>m;
    mo.prev = L.tail;
    mo.next = 0;
    L.tail = <u32>m;
  }
  emitRefreshed(mo.id, side, price, shown);
}

/** `floor(notional / price)`, exact for safe integers (the division may round up). */
function affordable(notional: f64, price: f64): f64 {
  const q = Math.floor(notional / price);
  return q * price > notional ? q - 1 : q;
}

/**
 * Step 4: match a taker against the opposite side up to `limitTick`.
 * `qty` is its open quantity, or with `byNotional` its notional (then each
 * maker gives at most what the notional left affords at its price).
 * Returns the taker's open quantity (or notional); sets `stopped` and `takerFilled`.
 */
function matchIncoming(
  id: f64,
  side: i32,
  limitTick: i32,
  qty: f64,
  owner: f64,
  stp: i32,
  byNotional: bool,
): f64 {
  let rem = qty;
  stopped = false;
  takerFilled = 0;
  const makerSide = side ^ 1;
  while (rem > 0) {
    const t = side === BUY ? bestAsk : bestBid;
    if (t < 0 || (side === BUY ? t > limitTick : t < limitTick)) break;
    const L = level(t);
    const price = minPrice + <f64>t;
    if (byNotional && affordable(rem, price) === 0) break;
    let changed = false;
    while (L.count !== 0) {
      const cap = byNotional ? affordable(rem, price) : rem;
      if (cap === 0) break;
      const m = <usize>L.head;
      const mo = order(m);
      if (owner !== 0 && mo.owner === owner) {
        if (stp === STP_CANCEL_NEWEST) {
          stopped = true;
          break;
        }
        changed = true;
        if (stp === STP_DECREMENT_AND_CANCEL) {
          const d = min(cap, mo.rem);
          const left = mo.rem - d;
          mo.rem = left;
          L.total -= d;
          emitCancelled(mo.id, R_SELF_TRADE, d, left + hiddenOf(m));
          if (left === 0) makerDone(L, m, makerSide, price);
          const used = byNotional ? d * price : d;
          rem -= used;
          emitCancelled(id, R_SELF_TRADE, used, rem);
          continue;
        }
        // cancel-oldest, cancel-both: the maker goes
        const r = mo.rem;
        L.total -= r;
        emitCancelled(mo.id, R_SELF_TRADE, r + hiddenOf(m), 0);
        popHead(L, m);
        if (stp === STP_CANCEL_BOTH) {
          stopped = true;
          break;
        }
        continue;
      }
      const q = min(cap, mo.rem);
      const left = mo.rem - q;
      mo.rem = left;
      mo.filled += q;
      rem -= byNotional ? q * price : q;
      takerFilled += q;
      L.total -= q;
      emitTrade(mo.id, id, side, price, q, left, rem);
      if (left === 0) makerDone(L, m, makerSide, price);
      changed = true;
      onTrade(price);
    }
    if (changed) {
      if (L.count === 0) levelEmptied(makerSide, t);
      emitLevel(makerSide, price, L.total, L.count, sequence);
    }
    if (stopped) break;
  }
  return rem;
}

/** Take a slot for a new resting order and map its id to it. */
function newOrder(id: f64): usize {
  const o = allocOrder();
  used++;
  mapInsert(id, o);
  return o;
}

/** Write every field of the order in slot `o` (its queue links are set by `restOrder`). */
function fillOrder(
  o: usize,
  id: f64,
  rem: f64,
  filled: f64,
  owner: f64,
  tick: i32,
  side: i32,
  stp: i32,
  postOnly: i32,
  peak: f64,
  hidden: f64,
): void {
  setIceberg(o, peak, hidden);
  const ord = order(o);
  ord.id = id;
  ord.rem = rem;
  ord.filled = filled;
  ord.owner = owner;
  ord.tick = tick;
  ord.side = <u8>side;
  ord.stp = <u8>stp;
  ord.postOnly = <u8>postOnly;
}

/**
 * Step 5 for a taker with open quantity `rem`; `o` is its slot when it
 * already has one (modify). Returns the slot it rests in, 0 when it does not.
 */
function restRemainder(
  id: f64,
  side: i32,
  tick: i32,
  rem: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  postOnly: i32,
  filled: f64,
  o: usize,
  peak: f64,
): usize {
  if (stopped || tif !== GTC) {
    emitCancelled(id, stopped ? R_SELF_TRADE : R_REMAINDER, rem, 0);
    if (o !== 0) releaseOrder(o);
    return 0;
  }
  if (o === 0) o = newOrder(id);
  const shown = peak !== 0 ? min(peak, rem) : rem;
  fillOrder(o, id, shown, filled, owner, tick, side, stp, postOnly, peak, rem - shown);
  const L = restOrder(o);
  emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
  return o;
}

// ---------------------------------------------------------------- commands (validated)

export function execLimit(
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
): void {
  sequence += 1;
  const aflags = (expiresAt !== 0 ? ACC_EXPIRY : 0) | (displayQty !== 0 ? ACC_DISPLAY : 0);
  emitAccepted(id, side, T_LIMIT, price, qty, aflags, expiresAt, displayQty);
  const tick = <i32>(price - minPrice);
  if (postOnly !== 0 && crosses(side, tick)) {
    emitCancelled(id, R_POST_ONLY, qty, 0);
    return;
  }
  if (tif === FOK && !fokFillable(side, tick, qty, owner, stp)) {
    emitCancelled(id, R_FOK_UNFILLED, qty, 0);
    return;
  }
  const rem = matchIncoming(id, side, tick, qty, owner, stp, false);
  if (rem > 0) {
    const o = restRemainder(
      id,
      side,
      tick,
      rem,
      tif,
      owner,
      stp,
      postOnly,
      takerFilled,
      0,
      displayQty,
    );
    if (o !== 0 && expiresAt !== 0) heapPush(o, expiresAt);
  }
  runTriggered();
}

/** Move the book's time (validated) and cancel what expires, earliest (expiresAt, id) first. */
export function execAdvance(time: f64): void {
  sequence += 1;
  now = time;
  emitTime(time);
  while (heapSize !== 0) {
    const o = heapAt(1);
    if (expiryOf(o) > time) break;
    cancelWhole(o, R_EXPIRED);
  }
}

/** `size`: the qty, or the notional with MKT_NOTIONAL in `mflags`. */
export function execMarket(
  id: f64,
  side: i32,
  size: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  mflags: i32,
  protection: f64,
): void {
  sequence += 1;
  const shown = mflags & (MKT_NOTIONAL | MKT_PROTECTION);
  emitAcceptedMarket(id, side, T_MARKET, size, shown, protection);
  const limitTick =
    (mflags & MKT_PROTECTION) !== 0 ? <i32>(protection - minPrice) : side === BUY ? nticks - 1 : 0;
  if (tif === FOK && !fokFillable(side, limitTick, size, owner, stp)) {
    emitCancelled(id, R_FOK_UNFILLED, size, 0);
    return;
  }
  const rem = matchIncoming(id, side, limitTick, size, owner, stp, (mflags & MKT_NOTIONAL) !== 0);
  if (rem > 0) emitCancelled(id, stopped ? R_SELF_TRADE : R_REMAINDER, rem, 0);
  runTriggered();
}

/** Cancel the order found by validateCancel. */
export function execCancel(): void {
  sequence += 1;
  cancelWhole(found, R_USER);
}

/**
 * Cancel everything an order still has (shown part and iceberg reserve) for
 * `reason`; a resting order's level change follows, an untriggered stop has none.
 */
function cancelWhole(o: usize, reason: i32): void {
  const ord = order(o);
  if (stopKindOf(o) !== 0) {
    emitCancelled(ord.id, reason, ord.rem, 0);
    releaseOrder(o);
    return;
  }
  const side = <i32>ord.side;
  const tick = ord.tick;
  emitCancelled(ord.id, reason, ord.rem + hiddenOf(o), 0);
  const L = unlinkOrder(o);
  releaseOrder(o);
  emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
}

/** Take `qty` off the order found by validateReduce; all of it (or more) cancels it. */
export function execReduce(qty: f64): void {
  sequence += 1;
  const o = found;
  const ord = order(o);
  if (stopKindOf(o) !== 0) {
    const taken = min(qty, ord.rem);
    ord.rem -= taken;
    emitCancelled(ord.id, R_USER, taken, ord.rem);
    if (ord.rem === 0) releaseOrder(o);
    return;
  }
  const side = <i32>ord.side;
  const tick = ord.tick;
  const hidden = hiddenOf(o);
  const open = ord.rem + hidden;
  if (qty >= open) {
    emitCancelled(ord.id, R_USER, open, 0);
    const L = unlinkOrder(o);
    releaseOrder(o);
    emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
    return;
  }
  // an iceberg gives up its reserve first: the shown part drops only after it
  const fromHidden = min(qty, hidden);
  if (fromHidden !== 0) setHidden(o, hidden - fromHidden);
  const drop = qty - fromHidden;
  ord.rem -= drop;
  const L = level(tick);
  L.total -= drop;
  emitCancelled(ord.id, R_USER, qty, open - qty);
  if (drop > 0) emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
}

/** Modify the order found by validateModify. */
export function execModify(price: f64, qty: f64, flags: i32, trigger: f64): void {
  sequence += 1;
  const o = found;
  const ord = order(o);
  const id = ord.id;
  const side = <i32>ord.side;
  const kind = stopKindOf(o);
  if (kind !== 0) {
    const old = triggerOf(o);
    const t = (flags & MOD_HAS_TRIGGER) !== 0 ? trigger : old;
    const kept = t === old;
    if ((flags & MOD_HAS_PRICE) !== 0) ord.tick = <i32>(price - minPrice);
    if ((flags & MOD_HAS_QTY) !== 0) ord.rem = qty;
    const isLimit = kind === 2;
    const mflags = MODEV_STOP | (isLimit ? 0 : MODEV_NO_PRICE);
    const shownPrice = isLimit ? minPrice + <f64>ord.tick : NaN;
    emitModifiedStop(id, side, shownPrice, ord.rem, kept, mflags, t);
    if (!kept) {
      sRemove(o);
      store<f64>(stopAt(o), t);
      armStop(o);
      runTriggered();
    }
    return;
  }
  const oldTick = ord.tick;
  const newTick = (flags & MOD_HAS_PRICE) !== 0 ? <i32>(price - minPrice) : oldTick;
  const hidden = hiddenOf(o);
  const open = ord.rem + hidden;
  const newQty = (flags & MOD_HAS_QTY) !== 0 ? qty : open;
  const newPrice = minPrice + <f64>newTick;
  if (newTick === oldTick && newQty <= open) {
    const L = level(oldTick);
    // an iceberg gives up its reserve first
    const drop = ord.rem > newQty ? ord.rem - newQty : 0;
    if (hidden !== 0) setHidden(o, newQty - ord.rem + drop);
    ord.rem -= drop;
    L.total -= drop;
    emitModified(id, side, newPrice, newQty, true);
    if (drop > 0) emitLevel(side, newPrice, L.total, L.count, sequence);
    return;
  }
  const L = unlinkOrder(o);
  emitModified(id, side, newPrice, newQty, false);
  emitLevel(side, minPrice + <f64>oldTick, L.total, L.count, sequence);
  // re-enter as a GTC limit order from step 2, keeping its slot
  const owner = ord.owner;
  const stp = <i32>ord.stp;
  const postOnly = <i32>ord.postOnly;
  if (postOnly !== 0 && crosses(side, newTick)) {
    emitCancelled(id, R_POST_ONLY, newQty, 0);
    releaseOrder(o);
    return;
  }
  const rem = matchIncoming(id, side, newTick, newQty, owner, stp, false);
  const filled = ord.filled + takerFilled;
  const peak = peakOf(o);
  if (rem > 0) restRemainder(id, side, newTick, rem, GTC, owner, stp, postOnly, filled, o, peak);
  else releaseOrder(o);
  // a good-till-date order keeps its expiry (and heap entry) through a modify
  runTriggered();
}

/**
 * Load one snapshot order at the back of its level: no matching, no events.
 * Returns false (book unchanged) for an order that cannot be in a valid book:
 * bad fields, duplicate id, full book, or a price that would cross.
 */
export function restoreOrder(
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
  if (!isPosInt(id) || <u32>side > 1 || !isPosInt(price) || !isPosInt(rem)) return false;
  if (!isPosInt(displayed) || displayed > rem) return false;
  if (displayQty === 0 ? displayed !== rem : !isPosInt(displayQty) || displayed > displayQty) {
    return false;
  }
  if (expiresAt !== 0 && !(isPosInt(expiresAt) && expiresAt > now)) return false;
  if (price < minPrice || price > maxPrice || <u32>stp > 3 || <u32>postOnly > 1) return false;
  // filled has no ceiling: a modify can refill an order past 2^53-1 lots over its life
  if (!(filled >= 0) || (owner !== 0 && !isPosInt(owner))) return false;
  if (used >= capacity || mapFind(id) !== 0) return false;
  const tick = <i32>(price - minPrice);
  if (crosses(side, tick)) return false;
  const L = level(tick);
  if (L.count !== 0 && <i32>L.side !== side) return false;
  if (overflows(tick, side, rem, 0)) return false;
  const o = newOrder(id);
  fillOrder(
    o,
    id,
    displayed,
    filled,
    owner,
    tick,
    side,
    stp,
    postOnly,
    displayQty,
    rem - displayed,
  );
  restOrder(o);
  if (expiresAt !== 0) heapPush(o, expiresAt);
  return true;
}

/**
 * Load one snapshot stop at the back of its trigger order: no events.
 * Returns false for a stop that cannot be in a valid book.
 */
export function restoreStop(
  id: f64,
  side: i32,
  trigger: f64,
  hasPrice: bool,
  price: f64,
  qty: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  expiresAt: f64,
): bool {
  if (validateStop(id, side, trigger, hasPrice, price, qty, tif, owner, stp, expiresAt) !== OK) {
    return false;
  }
  if (tif === 3 || reached(side, trigger)) return false;
  const o = newOrder(id);
  const tick = hasPrice ? <i32>(price - minPrice) : side === BUY ? nticks - 1 : 0;
  fillOrder(o, id, qty, 0, owner, tick, side, stp, 0, 0, 0);
  setStop(o, hasPrice ? 2 : 1, tif, trigger);
  if (expiresAt !== 0) heapPush(o, expiresAt);
  armStop(o);
  return true;
}
