// Validation: every check of a command, in the order of docs/semantics.md
// "Validation (first failing check wins)" (the table in
// packages/core/src/validation-order.ts), before anything changes. A refused
// command leaves the book as it was. Each function returns OK or the error code.

import {
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
  KIND_STOP_MARKET,
  MAX_ICEBERG_SLICES,
  MAX_SAFE,
  MKT_NOTIONAL,
  MKT_PROTECTION,
  MKT_QTY_TOO,
  MOD_HAS_PRICE,
  MOD_HAS_QTY,
  MOD_HAS_TRIGGER,
  OK,
  STOP_HAS_PRICE,
  STOP_TIF_UNSET,
} from './constants';
import { hiddenOf, overflows, peakOf } from './icebergs';
import { mapFind } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Cmd, capacity, maxPrice, minPrice, order } from './layout';
import { now, used } from './state';
import { isStop } from './stops';

/** Bits of 1.0; positive doubles order as their bit patterns do. */
const ONE_BITS: u64 = 0x3ff0000000000000;
/** Bits of MAX_SAFE minus those of 1.0. */
// biome-ignore lint/correctness/noPrecisionLoss: an AssemblyScript u64 literal, exact (JS tools read it as a double)
const SAFE_SPAN: u64 = 0x433fffffffffffff - ONE_BITS;

/**
 * A positive safe integer. 1 ≤ x ≤ 2^53-1 is one unsigned compare of the
 * bit pattern (negative values, NaN and ±Infinity fall outside the span),
 * then x must be whole.
 */
export function isPosInt(x: f64): bool {
  return reinterpret<u64>(x) - ONE_BITS <= SAFE_SPAN && Math.floor(x) === x;
}

/** Id to report in a `rejected` event: the command's id when usable, else 0. */
export function rejectId(id: f64): f64 {
  return isPosInt(id) ? id : 0;
}

/** A price: INVALID_PRICE, PRICE_OUT_OF_BAND, or OK. */
function checkPrice(price: f64): i32 {
  if (!isPosInt(price)) return E_INVALID_PRICE;
  if (price < minPrice || price > maxPrice) return E_PRICE_OUT_OF_BAND;
  return OK;
}

/** Owner (0: none), then self-trade prevention mode. */
function checkOwnerAndStp(owner: f64, stp: i32): i32 {
  if (owner !== 0 && !isPosInt(owner)) return E_INVALID_OWNER;
  if (<u32>stp > 3) return E_INVALID_STP_MODE;
  return OK;
}

/** The book checks of an order that takes a slot: its id is free, it has not expired, there is room. */
function checkRoom(id: f64, expiresAt: f64): i32 {
  if (mapFind(id) !== 0) return E_DUPLICATE_ID;
  if (expiresAt !== 0 && expiresAt <= now) return E_ALREADY_EXPIRED;
  if (used >= capacity) return E_BOOK_FULL;
  return OK;
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
  let code = checkPrice(price);
  if (code !== OK) return code;
  if (!isPosInt(qty)) return E_INVALID_QTY;
  if (<u32>tif > 2) return E_INVALID_TIF;
  if (<u32>postOnly > 1 || (postOnly === 1 && tif !== GTC)) return E_INVALID_POST_ONLY;
  code = checkOwnerAndStp(owner, stp);
  if (code !== OK) return code;
  if (expiresAt !== 0 && (!isPosInt(expiresAt) || tif !== GTC)) return E_INVALID_EXPIRY;
  if (displayQty !== 0) {
    if (!isPosInt(displayQty) || displayQty >= qty || qty > displayQty * MAX_ICEBERG_SLICES) {
      return E_INVALID_DISPLAY;
    }
    if (tif !== GTC) return E_INVALID_DISPLAY;
  }
  if (tif !== GTC) return mapFind(id) !== 0 ? E_DUPLICATE_ID : OK;
  code = checkRoom(id, expiresAt);
  if (code !== OK) return code;
  if (overflows(<i32>(price - minPrice), side, qty, 0)) return E_QTY_OVERFLOW;
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
    const code = checkPrice(protection);
    if (code !== OK) return code;
  }
  if (tif !== IOC && tif !== FOK) return E_INVALID_TIF;
  if (tif === FOK && byNotional) return E_INVALID_TIF;
  if (postOnly !== 0) return E_INVALID_POST_ONLY;
  const code = checkOwnerAndStp(owner, stp);
  if (code !== OK) return code;
  if (mapFind(id) !== 0) return E_DUPLICATE_ID;
  return OK;
}

/** Order found by the last successful validateCancel / validateModify / validateReduce. */
export let found: usize = 0;

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
    const code = checkPrice(price);
    if (code !== OK) return code;
  }
  if (hasQty && !isPosInt(qty)) return E_INVALID_QTY;
  if (hasTrigger && !inBand(trigger)) return E_INVALID_TRIGGER;
  const o = mapFind(id);
  if (o === 0) return E_UNKNOWN_ORDER;
  found = o;
  if (isStop(o)) return hasPrice && order(o).kind === KIND_STOP_MARKET ? E_INVALID_PRICE : OK;
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

/**
 * A stop order record: its trigger in `displayQty`, a stop limit's price in
 * `price` (STOP_HAS_PRICE in `mflags`); `tif` STOP_TIF_UNSET when not given
 * (stop limit: GTC, stop market: IOC).
 */
export function validateStop(c: Cmd, n: u32): i32 {
  if (!isPosInt(c.id)) return E_INVALID_ID;
  if (c.side > 1) return E_INVALID_SIDE;
  if (!inBand(c.displayQtyIn(n))) return E_INVALID_TRIGGER;
  const hasPrice = (<i32>c.mflags & STOP_HAS_PRICE) !== 0;
  if (hasPrice) {
    const code = checkPrice(c.priceIn(n));
    if (code !== OK) return code;
  }
  if (!isPosInt(c.qtyIn(n))) return E_INVALID_QTY;
  const tif = <i32>c.tif;
  if (tif !== STOP_TIF_UNSET && tif !== GTC && tif !== IOC && tif !== FOK) return E_INVALID_TIF;
  if (tif === GTC && !hasPrice) return E_INVALID_TIF;
  const code = checkOwnerAndStp(c.ownerIn(n), c.stpMode());
  if (code !== OK) return code;
  const expiresAt = c.expiresAtIn(n);
  if (expiresAt !== 0 && !isPosInt(expiresAt)) return E_INVALID_EXPIRY;
  return checkRoom(c.id, expiresAt);
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
