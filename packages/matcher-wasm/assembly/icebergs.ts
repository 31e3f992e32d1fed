// Icebergs: a resting iceberg shows at most its display quantity (`rem`,
// what its level's total counts) and keeps the rest as a hidden reserve in
// its slot's extra record; when the shown part is gone it shows the next one
// at the back of its level. The level bound (QTY_OVERFLOW) counts reserves.
// docs/semantics.md: "Iceberg orders"; "The level bound" of "Validation (first
// failing check wins)".

import { BUY, KIND_ICEBERG, KIND_PLAIN, MAX_SAFE } from './constants';
import { emitRefreshed } from './events';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { extraOf, Level, level, order } from './layout';
import { popHead } from './levels';

/** Display quantity of the order at `o`; 0 when it is not an iceberg. */
export function peakOf(o: usize): f64 {
  return order(o).kind === KIND_ICEBERG ? extraOf(o).a : 0;
}

/** Hidden reserve of the order at `o`; 0 when it is not an iceberg. */
export function hiddenOf(o: usize): f64 {
  return order(o).kind === KIND_ICEBERG ? extraOf(o).b : 0;
}

/** Make the order at `o` plain (`peak` 0) or an iceberg with this display quantity and reserve. */
export function setIceberg(o: usize, peak: f64, hidden: f64): void {
  order(o).kind = <u8>(peak !== 0 ? KIND_ICEBERG : KIND_PLAIN);
  if (peak === 0) return;
  const x = extraOf(o);
  x.a = peak;
  x.b = hidden;
}

/** Set a resting iceberg's reserve (its side's reserve total follows). */
export function setHidden(o: usize, hidden: f64): void {
  const x = extraOf(o);
  addSideHidden(<i32>order(o).side, hidden - x.b);
  x.b = hidden;
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

export function resetIcebergs(): void {
  hiddenBuy = 0;
  hiddenSell = 0;
  icebergsBuy = 0;
  icebergsSell = 0;
}

function addSideHidden(side: i32, delta: f64): void {
  if (delta === 0) return;
  const total = (side === BUY ? hiddenBuy : hiddenSell) + delta;
  const kept = total > MAX_SAFE ? Infinity : total;
  if (side === BUY) hiddenBuy = kept;
  else hiddenSell = kept;
}

/** An iceberg joins (`n` 1) or leaves (`n` -1) a level of `side`. */
export function countIceberg(o: usize, n: i32): void {
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
export function overflows(tick: i32, side: i32, qty: f64, self: usize): bool {
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

/**
 * The head maker `m` of `L` showed nothing more: an iceberg with a reserve
 * shows the next part at the back of the level; any other order leaves.
 */
export function makerDone(L: Level, m: usize, side: i32, price: f64): void {
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
