// The matcher: the same steps, in the same order, as docs/semantics.md and
// the reference engine (packages/core/src/reference): validate →
// matchIncoming → restRemainder, plus cancel and modify.

import { bitClear, bitSet, nextAtOrAbove, nextAtOrBelow } from './bits';
import {
  BUY,
  E_BOOK_FULL,
  E_DUPLICATE_ID,
  E_INVALID_ID,
  E_INVALID_OWNER,
  E_INVALID_POST_ONLY,
  E_INVALID_PRICE,
  E_INVALID_QTY,
  E_INVALID_SIDE,
  E_INVALID_STP_MODE,
  E_INVALID_TIF,
  E_PRICE_OUT_OF_BAND,
  E_QTY_OVERFLOW,
  E_UNKNOWN_ORDER,
  FOK,
  GTC,
  IOC,
  MAX_SAFE,
  MOD_HAS_PRICE,
  MOD_HAS_QTY,
  OK,
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
} from './constants';
import { emitAccepted, emitCancelled, emitLevel, emitModified, emitTrade } from './events';
import { mapFind, mapInsert, mapRemove, resetMap } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { capacity, Level, level, maxPrice, minPrice, nticks, order } from './layout';
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

/** Empty book (after setConfig and computeLayout). */
export function resetBook(): void {
  sequence = 0;
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
  if (mapFind(id) !== 0) return E_DUPLICATE_ID;
  if (tif === GTC) {
    if (used >= capacity) return E_BOOK_FULL;
    const L = level(<i32>(price - minPrice));
    if (L.count !== 0 && <i32>L.side === side && L.total > MAX_SAFE - qty) return E_QTY_OVERFLOW;
  }
  return OK;
}

export function validateMarket(
  id: f64,
  side: i32,
  qty: f64,
  tif: i32,
  postOnly: i32,
  owner: f64,
  stp: i32,
): i32 {
  if (!isPosInt(id)) return E_INVALID_ID;
  if (<u32>side > 1) return E_INVALID_SIDE;
  if (!isPosInt(qty)) return E_INVALID_QTY;
  if (tif !== IOC && tif !== FOK) return E_INVALID_TIF;
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

export function validateModify(id: f64, price: f64, qty: f64, flags: i32): i32 {
  if (!isPosInt(id)) return E_INVALID_ID;
  const hasPrice = (flags & MOD_HAS_PRICE) !== 0;
  const hasQty = (flags & MOD_HAS_QTY) !== 0;
  if (hasPrice) {
    if (!isPosInt(price)) return E_INVALID_PRICE;
    if (price < minPrice || price > maxPrice) return E_PRICE_OUT_OF_BAND;
  }
  if (hasQty && !isPosInt(qty)) return E_INVALID_QTY;
  const o = mapFind(id);
  if (o === 0) return E_UNKNOWN_ORDER;
  found = o;
  const ord = order(o);
  const newTick = hasPrice ? <i32>(price - minPrice) : ord.tick;
  const newQty = hasQty ? qty : ord.rem;
  if (newTick === ord.tick && newQty <= ord.rem) return OK; // keeps priority: cannot overflow
  const L = level(newTick);
  if (L.count !== 0 && <i32>L.side === <i32>ord.side) {
    const other = newTick === ord.tick ? L.total - ord.rem : L.total;
    if (other > MAX_SAFE - newQty) return E_QTY_OVERFLOW;
  }
  return OK;
}

// ---------------------------------------------------------------- order pool

/** Forget a finished order: id map, pool, count. */
function releaseOrder(o: usize): void {
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
    while (m !== 0) {
      const mo = order(m);
      if (owner !== 0 && mo.owner === owner) {
        if (stp !== STP_CANCEL_OLDEST) return false;
      } else {
        need -= min(need, mo.rem);
        if (need === 0) return true;
      }
      m = mo.next;
    }
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
  releaseOrder(m);
}

/**
 * Step 4: match a taker against the opposite side up to `limitTick`.
 * Returns the taker's open quantity; sets `stopped` and `takerFilled`.
 */
function matchIncoming(id: f64, side: i32, limitTick: i32, qty: f64, owner: f64, stp: i32): f64 {
  let rem = qty;
  stopped = false;
  takerFilled = 0;
  const makerSide = side ^ 1;
  while (rem > 0) {
    const t = side === BUY ? bestAsk : bestBid;
    if (t < 0 || (side === BUY ? t > limitTick : t < limitTick)) break;
    const L = level(t);
    const price = minPrice + <f64>t;
    let changed = false;
    while (rem > 0 && L.count !== 0) {
      const m = <usize>L.head;
      const mo = order(m);
      if (owner !== 0 && mo.owner === owner) {
        if (stp === STP_CANCEL_NEWEST) {
          stopped = true;
          break;
        }
        changed = true;
        if (stp === STP_DECREMENT_AND_CANCEL) {
          const d = min(rem, mo.rem);
          const left = mo.rem - d;
          mo.rem = left;
          L.total -= d;
          emitCancelled(mo.id, R_SELF_TRADE, d, left);
          if (left === 0) popHead(L, m);
          rem -= d;
          emitCancelled(id, R_SELF_TRADE, d, rem);
          continue;
        }
        // cancel-oldest, cancel-both: the maker goes
        const r = mo.rem;
        L.total -= r;
        emitCancelled(mo.id, R_SELF_TRADE, r, 0);
        popHead(L, m);
        if (stp === STP_CANCEL_BOTH) {
          stopped = true;
          break;
        }
        continue;
      }
      const q = min(rem, mo.rem);
      const left = mo.rem - q;
      mo.rem = left;
      mo.filled += q;
      rem -= q;
      takerFilled += q;
      L.total -= q;
      emitTrade(mo.id, id, side, price, q, left, rem);
      if (left === 0) popHead(L, m);
      changed = true;
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
): void {
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

/** Step 5 for a taker with open quantity `rem`; `o` is its slot when it already has one (modify). */
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
): void {
  if (stopped || tif !== GTC) {
    emitCancelled(id, stopped ? R_SELF_TRADE : R_REMAINDER, rem, 0);
    if (o !== 0) releaseOrder(o);
    return;
  }
  if (o === 0) o = newOrder(id);
  fillOrder(o, id, rem, filled, owner, tick, side, stp, postOnly);
  const L = restOrder(o);
  emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
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
): void {
  sequence += 1;
  emitAccepted(id, side, T_LIMIT, price, qty);
  const tick = <i32>(price - minPrice);
  if (postOnly !== 0 && crosses(side, tick)) {
    emitCancelled(id, R_POST_ONLY, qty, 0);
    return;
  }
  if (tif === FOK && !fokFillable(side, tick, qty, owner, stp)) {
    emitCancelled(id, R_FOK_UNFILLED, qty, 0);
    return;
  }
  const rem = matchIncoming(id, side, tick, qty, owner, stp);
  if (rem > 0) restRemainder(id, side, tick, rem, tif, owner, stp, postOnly, takerFilled, 0);
}

export function execMarket(id: f64, side: i32, qty: f64, tif: i32, owner: f64, stp: i32): void {
  sequence += 1;
  emitAccepted(id, side, T_MARKET, NaN, qty);
  const limitTick = side === BUY ? nticks - 1 : 0;
  if (tif === FOK && !fokFillable(side, limitTick, qty, owner, stp)) {
    emitCancelled(id, R_FOK_UNFILLED, qty, 0);
    return;
  }
  const rem = matchIncoming(id, side, limitTick, qty, owner, stp);
  if (rem > 0) emitCancelled(id, stopped ? R_SELF_TRADE : R_REMAINDER, rem, 0);
}

/** Cancel the order found by validateCancel. */
export function execCancel(): void {
  sequence += 1;
  const o = found;
  const ord = order(o);
  const side = <i32>ord.side;
  const tick = ord.tick;
  emitCancelled(ord.id, R_USER, ord.rem, 0);
  const L = unlinkOrder(o);
  releaseOrder(o);
  emitLevel(side, minPrice + <f64>tick, L.total, L.count, sequence);
}

/** Modify the order found by validateModify. */
export function execModify(price: f64, qty: f64, flags: i32): void {
  sequence += 1;
  const o = found;
  const ord = order(o);
  const id = ord.id;
  const side = <i32>ord.side;
  const oldTick = ord.tick;
  const newTick = (flags & MOD_HAS_PRICE) !== 0 ? <i32>(price - minPrice) : oldTick;
  const newQty = (flags & MOD_HAS_QTY) !== 0 ? qty : ord.rem;
  const newPrice = minPrice + <f64>newTick;
  if (newTick === oldTick && newQty <= ord.rem) {
    const L = level(oldTick);
    const drop = ord.rem - newQty;
    ord.rem = newQty;
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
  const rem = matchIncoming(id, side, newTick, newQty, owner, stp);
  const filled = ord.filled + takerFilled;
  if (rem > 0) restRemainder(id, side, newTick, rem, GTC, owner, stp, postOnly, filled, o);
  else releaseOrder(o);
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
): bool {
  if (!isPosInt(id) || <u32>side > 1 || !isPosInt(price) || !isPosInt(rem)) return false;
  if (price < minPrice || price > maxPrice || <u32>stp > 3 || <u32>postOnly > 1) return false;
  // filled has no ceiling: a modify can refill an order past 2^53-1 lots over its life
  if (!(filled >= 0) || (owner !== 0 && !isPosInt(owner))) return false;
  if (used >= capacity || mapFind(id) !== 0) return false;
  const tick = <i32>(price - minPrice);
  if (crosses(side, tick)) return false;
  const L = level(tick);
  if (L.count !== 0 && (<i32>L.side !== side || L.total > MAX_SAFE - rem)) return false;
  const o = newOrder(id);
  fillOrder(o, id, rem, filled, owner, tick, side, stp, postOnly);
  restOrder(o);
  return true;
}
