/**
 * Level upkeep: orders joining and leaving their price levels, and the
 * level-changed event (docs/semantics.md, "Level-changed events"; the resting
 * and leaving steps of "Incoming order (limit or market): the taker").
 */
import { levelChangedEvent } from '../events';
import type { OrderNode, PriceLevel } from './order-queue';
import { type BookState, sideOf } from './state';

/** Append a resting order to the back of its level (created when missing). */
export function restOrder(state: BookState, order: OrderNode): PriceLevel {
  const level = sideOf(state, order.side).getOrCreate(order.price);
  level.append(order);
  return level;
}

/** Take an order out of its level, dropping the level once empty; the id map keeps it. */
export function unlinkOrder(state: BookState, order: OrderNode): void {
  const level = order.level!;
  level.remove(order);
  if (level.count === 0) sideOf(state, level.side).drop(level);
}

/** A resting order leaves the book: out of its level and the id map. */
export function releaseOrder(state: BookState, order: OrderNode): void {
  unlinkOrder(state, order);
  state.orders.delete(order.id);
}

/**
 * A maker loses `qty` of its shown part. It leaves the book at 0 unless it
 * is an iceberg with a reserve (the caller then refreshes it: makerDone).
 */
export function takeShown(state: BookState, order: OrderNode, qty: number): void {
  if (qty === order.remaining && order.hidden > 0) {
    order.remaining = 0;
    order.level!.total -= qty;
    return;
  }
  reduceResting(state, order, qty);
}

/** Lower a resting order's quantity; it leaves the book at 0. */
export function reduceResting(state: BookState, order: OrderNode, qty: number): void {
  if (qty === order.remaining) {
    releaseOrder(state, order);
    order.remaining = 0;
    return;
  }
  order.remaining -= qty;
  order.level!.total -= qty;
}

/** A level's change, stamped with the sequence the command being applied will have. */
export function levelChanged(state: BookState, level: PriceLevel) {
  return levelChangedEvent(level.side, level.price, level.total, level.count, state.sequence + 1);
}
