// Restoring a snapshot: orders and stops are loaded as they were, at the
// back of their level or trigger order, with no matching and no events; a
// record that cannot be in a valid book is refused (the caller reports
// CORRUPT_DATA). docs/semantics.md: "Restoring a snapshot".

import { OK, STOP_TIF_UNSET } from './constants';
import { heapPush } from './expiry';
import { overflows } from './icebergs';
import { mapFind } from './idmap';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Cmd, capacity, level, maxPrice, minPrice } from './layout';
import { fillOrder, newOrder, restOrder } from './levels';
import { crosses } from './match';
import { writeBegin, writeEnd } from './seqlock';
import { now, used } from './state';
import { armStop, placeStop, reached } from './stops';
import { isPosInt, validateStop } from './validate';

/**
 * Load one snapshot order at the back of its level: no matching, no events,
 * in one write window (readers on other threads never see half of it).
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
  writeBegin();
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
  writeEnd();
  return true;
}

/**
 * Load one snapshot stop, given as a stop command record (`n` bytes), at the
 * back of its trigger order: no events. Returns false for a stop that
 * cannot be in a valid book.
 */
export function restoreStop(c: Cmd, n: u32): bool {
  if (validateStop(c, n) !== OK) return false;
  if (c.tif === STOP_TIF_UNSET || reached(c.side, c.displayQtyIn(n))) return false;
  armStop(placeStop(c, n));
  return true;
}
