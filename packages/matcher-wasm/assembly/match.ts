// Entering orders: an accepted limit or market order (and a re-priced or
// triggered one) checks post-only and FOK, matches against the opposite
// side best price first and oldest maker first, then rests or cancels what
// is left. docs/semantics.md: "Incoming order (limit or market): the taker"
// (with its self-trade rules), "Market orders by quote amount; protection
// price", and the taker and maker rules of "Iceberg orders".

import { nextAtOrAbove, nextAtOrBelow } from './bits';
import {
  ACC_DISPLAY,
  ACC_EXPIRY,
  BUY,
  FOK,
  GTC,
  MKT_NOTIONAL,
  MKT_PROTECTION,
  R_FOK_UNFILLED,
  R_POST_ONLY,
  R_REMAINDER,
  R_SELF_TRADE,
  SELL,
  STP_CANCEL_BOTH,
  STP_CANCEL_NEWEST,
  STP_CANCEL_OLDEST,
  STP_DECREMENT_AND_CANCEL,
  T_LIMIT,
  T_MARKET,
} from './constants';
import { emitAccepted, emitAcceptedMarket, emitCancelled, emitTrade } from './events';
import { heapPush } from './expiry';
import { hiddenOf, makerDone } from './icebergs';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Level, level, minPrice, nticks, order } from './layout';
import {
  bestAsk,
  bestBid,
  fillOrder,
  levelChanged,
  levelEmptied,
  newOrder,
  popHead,
  releaseOrder,
  restOrder,
} from './levels';
import { countCommand } from './state';
import { onTrade, runTriggered } from './stops';

/** Set by matchIncoming: matching stopped by cancel-newest / cancel-both. */
let stopped = false;
/** Set by matchIncoming: quantity the taker traded. */
let takerFilled: f64 = 0;

/** A validated limit order: accepted, then entered; a good-till-date remainder is tracked for expiry. */
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
  countCommand();
  const aflags = (expiresAt !== 0 ? ACC_EXPIRY : 0) | (displayQty !== 0 ? ACC_DISPLAY : 0);
  emitAccepted(id, side, T_LIMIT, price, qty, aflags, expiresAt, displayQty);
  const tick = <i32>(price - minPrice);
  if (tif === FOK && !fokFillable(side, tick, qty, owner, stp)) {
    emitCancelled(id, R_FOK_UNFILLED, qty, 0);
    return;
  }
  const o = enter(0, id, side, tick, qty, tif, owner, stp, postOnly, 0, displayQty);
  if (o !== 0 && expiresAt !== 0) heapPush(o, expiresAt);
  runTriggered();
}

/** A validated market order; `size`: the qty, or the notional with MKT_NOTIONAL in `mflags`. */
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
  countCommand();
  emitAcceptedMarket(
    id,
    side,
    T_MARKET,
    size,
    mflags & (MKT_NOTIONAL | MKT_PROTECTION),
    protection,
  );
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

/**
 * A limit order arrives (new, re-priced by a modify, or a triggered stop):
 * the post-only check, matching, then its remainder rests or is cancelled.
 * `o`: its slot when it already has one (0: none); `filled`: what it had
 * filled before. Returns the slot it rests in, 0 when it does not.
 */
export function enter(
  o: usize,
  id: f64,
  side: i32,
  tick: i32,
  qty: f64,
  tif: i32,
  owner: f64,
  stp: i32,
  postOnly: i32,
  filled: f64,
  peak: f64,
): usize {
  if (postOnly !== 0 && crosses(side, tick)) {
    emitCancelled(id, R_POST_ONLY, qty, 0);
    if (o !== 0) releaseOrder(o);
    return 0;
  }
  const rem = matchIncoming(id, side, tick, qty, owner, stp, false);
  if (rem > 0) {
    return restRemainder(
      id,
      side,
      tick,
      rem,
      tif,
      owner,
      stp,
      postOnly,
      filled + takerFilled,
      o,
      peak,
    );
  }
  if (o !== 0) releaseOrder(o);
  return 0;
}

/** Would an order of `side` at `tick` trade with the best opposite level? */
export function crosses(side: i32, tick: i32): bool {
  return side === BUY ? bestAsk >= 0 && bestAsk <= tick : bestBid >= 0 && bestBid >= tick;
}

/** FOK pre-check: can `qty` fill now, walking makers as matching would? */
export function fokFillable(side: i32, limitTick: i32, qty: f64, owner: f64, stp: i32): bool {
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

/** `floor(notional / price)`, exact for safe integers (the division may round up). */
export function affordable(notional: f64, price: f64): f64 {
  const q = Math.floor(notional / price);
  return q * price > notional ? q - 1 : q;
}

/**
 * Match a taker against the opposite side up to `limitTick`, best level
 * first. `qty` is its open quantity, or with `byNotional` its notional
 * (then each maker gives at most what the notional left affords at its
 * price). Returns the taker's open quantity (or notional); sets `stopped`
 * and `takerFilled`.
 */
export function matchIncoming(
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
  while (rem > 0) {
    const t = side === BUY ? bestAsk : bestBid;
    if (t < 0 || (side === BUY ? t > limitTick : t < limitTick)) break;
    const price = minPrice + <f64>t;
    if (byNotional && affordable(rem, price) === 0) break;
    rem = matchLevel(level(t), t, id, side, rem, owner, stp, byNotional);
    if (stopped) break;
  }
  return rem;
}

/**
 * Match the taker against one level, oldest maker first, and emit the
 * level's change. Returns the taker's open quantity (or notional).
 */
function matchLevel(
  L: Level,
  t: i32,
  id: f64,
  side: i32,
  rem: f64,
  owner: f64,
  stp: i32,
  byNotional: bool,
): f64 {
  const makerSide = side ^ 1;
  const price = minPrice + <f64>t;
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
    levelChanged(makerSide, t, L);
  }
  return rem;
}

/**
 * What is left of a taker with open quantity `rem` after matching: it rests
 * (GTC, not stopped by self-trade prevention) or is cancelled. `o` is its
 * slot when it already has one. Returns the slot it rests in, 0 when it does not.
 */
export function restRemainder(
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
  levelChanged(side, tick, L);
  return o;
}
