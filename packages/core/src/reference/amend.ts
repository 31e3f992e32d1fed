/**
 * Changing what rests: cancel, reduce and modify of resting orders and
 * untriggered stops (docs/semantics.md, "Cancel", "Reduce", "Modify"; their
 * iceberg and stop rules in "Iceberg orders" and "Stop orders"). The exec
 * steps run only after the command's validation passed, so the order exists.
 */
import { cancelledEvent, modifiedEvent } from '../events';
import type { BookEvent, CancelReason, ModifyRequest, ReduceRequest } from '../types';
import { setHidden } from './icebergs';
import { levelChanged, reduceResting, releaseOrder, unlinkOrder } from './levels';
import { enter } from './match';
import type { OrderNode } from './order-queue';
import type { BookState } from './state';
import { modifyStop, removeStop } from './stops';

export function execCancel(state: BookState, id: number, events: BookEvent[]): void {
  cancelWhole(state, state.orders.get(id)!, 'user', events);
}

/**
 * Cancel all an order has (a resting order's shown part and reserve, or an
 * untriggered stop), for a user cancel or an expiry; a resting order's level
 * changed.
 */
export function cancelWhole(
  state: BookState,
  order: OrderNode,
  reason: CancelReason,
  events: BookEvent[],
): void {
  if (order.trigger > 0) {
    events.push(cancelledEvent(order.id, reason, order.remaining, 0));
    removeStop(state, order);
    return;
  }
  const level = order.level!;
  events.push(cancelledEvent(order.id, reason, order.remaining + order.hidden, 0));
  releaseOrder(state, order);
  events.push(levelChanged(state, level));
}

export function execReduce(state: BookState, request: ReduceRequest, events: BookEvent[]): void {
  const order = state.orders.get(request.id)!;
  if (order.trigger > 0) {
    const taken = Math.min(request.qty, order.remaining);
    order.remaining -= taken;
    events.push(cancelledEvent(order.id, 'user', taken, order.remaining));
    if (order.remaining === 0) removeStop(state, order);
    return;
  }
  const level = order.level!;
  const open = order.remaining + order.hidden;
  const taken = Math.min(request.qty, open);
  // an iceberg gives up its reserve first: the shown part drops only after it
  const fromHidden = Math.min(taken, order.hidden);
  setHidden(order, order.hidden - fromHidden);
  const drop = taken - fromHidden;
  if (drop > 0) reduceResting(state, order, drop);
  events.push(cancelledEvent(order.id, 'user', taken, open - taken));
  if (drop > 0) events.push(levelChanged(state, level));
}

export function execModify(state: BookState, request: ModifyRequest, events: BookEvent[]): void {
  const order = state.orders.get(request.id)!;
  if (order.trigger > 0) {
    modifyStop(state, order, request, events);
    return;
  }
  const newPrice = request.price ?? order.price;
  const open = order.remaining + order.hidden;
  const newQty = request.qty ?? open;
  const level = order.level!;
  if (newPrice === order.price && newQty <= open) {
    // keeps priority: an iceberg gives up its reserve first
    const drop = Math.max(0, order.remaining - newQty);
    setHidden(order, newQty - order.remaining + drop);
    order.remaining -= drop;
    level.total -= drop;
    events.push(modifiedEvent(order.id, order.side, newPrice, newQty, true));
    if (drop > 0) events.push(levelChanged(state, level));
    return;
  }

  // Keep the id → order entry while it re-enters: deleting and re-adding the
  // same key leaves a deleted entry in the key's Map bucket every time, and
  // an order modified over and over would make every lookup of it slower.
  unlinkOrder(state, order);
  events.push(modifiedEvent(order.id, order.side, newPrice, newQty, false));
  events.push(levelChanged(state, level));
  order.price = newPrice;
  order.remaining = newQty;
  order.hidden = 0;
  enter(state, order, true, events);
}
