// Changing what rests: cancel, reduce (keeps priority) and modify (keeps
// priority when it stays at its price and does not grow; otherwise it
// re-enters as a limit order). An untriggered stop has its own modify in
// stops.ts. docs/semantics.md: "Cancel", "Reduce", "Modify".

import { GTC, MOD_HAS_PRICE, MOD_HAS_QTY, R_USER } from './constants';
import { emitCancelled, emitModified } from './events';
import { hiddenOf, peakOf, setHidden } from './icebergs';
import { level, minPrice, order } from './layout';
import { levelChanged, releaseOrder, unlinkOrder } from './levels';
import { enter } from './match';
import { countCommand } from './state';
import { isStop, modifyStop, runTriggered } from './stops';
import { found } from './validate';

/** Cancel the order found by validateCancel. */
export function execCancel(): void {
  countCommand();
  cancelWhole(found, R_USER);
}

/**
 * Cancel everything an order still has (shown part and iceberg reserve) for
 * `reason`; a resting order's level change follows, an untriggered stop has none.
 */
export function cancelWhole(o: usize, reason: i32): void {
  const ord = order(o);
  if (isStop(o)) {
    emitCancelled(ord.id, reason, ord.rem, 0);
    releaseOrder(o);
    return;
  }
  const side = <i32>ord.side;
  const tick = ord.tick;
  emitCancelled(ord.id, reason, ord.rem + hiddenOf(o), 0);
  const L = unlinkOrder(o);
  releaseOrder(o);
  levelChanged(side, tick, L);
}

/** Take `qty` off the order found by validateReduce; all of it (or more) cancels it. */
export function execReduce(qty: f64): void {
  countCommand();
  const o = found;
  const ord = order(o);
  if (isStop(o)) {
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
    levelChanged(side, tick, L);
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
  if (drop > 0) levelChanged(side, tick, L);
}

/** Modify the order found by validateModify. */
export function execModify(price: f64, qty: f64, flags: i32, trigger: f64): void {
  countCommand();
  const o = found;
  if (isStop(o)) {
    modifyStop(o, price, qty, flags, trigger);
    return;
  }
  const ord = order(o);
  const id = ord.id;
  const side = <i32>ord.side;
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
    emitModified(id, side, newPrice, newQty, true, 0, 0);
    if (drop > 0) levelChanged(side, oldTick, L);
    return;
  }
  const L = unlinkOrder(o);
  emitModified(id, side, newPrice, newQty, false, 0, 0);
  levelChanged(side, oldTick, L);
  // re-enter as a GTC limit order from step 2, keeping its slot (and a
  // good-till-date order its expiry and heap entry)
  const peak = peakOf(o);
  enter(
    o,
    id,
    side,
    newTick,
    newQty,
    GTC,
    ord.owner,
    <i32>ord.stp,
    <i32>ord.postOnly,
    ord.filled,
    peak,
  );
  runTriggered();
}
