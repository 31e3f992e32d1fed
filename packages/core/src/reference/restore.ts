/**
 * Loading a snapshot into an empty book, one order or stop at a time, each at
 * the back of its level or trigger list so queue order is kept
 * (docs/semantics.md, "Restoring a snapshot"; the fields were checked before
 * the book existed). The book's time and last price are set first.
 */
import { TickbookError } from '../errors';
import type { SnapshotOrder, SnapshotStop } from '../internal';
import { restOrder } from './levels';
import { OrderNode } from './order-queue';
import { type BookState, stopsOf } from './state';
import { reached } from './stops';

export function restoreStop(state: BookState, s: SnapshotStop): void {
  const unbounded = s.side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const node = new OrderNode(s.id, s.side, s.price ?? unbounded, s.qty, s.owner, s.stp, false);
  node.trigger = s.trigger;
  node.tif = s.timeInForce;
  node.expiresAt = s.expiresAt;
  if (state.orders.has(s.id) || reached(node, state.last)) {
    throw new TickbookError('CORRUPT_DATA', `snapshot stop ${s.id} cannot be restored`, s.id);
  }
  state.orders.set(s.id, node);
  if (s.expiresAt > 0) state.expiries.push(node);
  stopsOf(state, s.side).getOrCreate(s.trigger).append(node);
}

export function restoreOrder(state: BookState, o: SnapshotOrder): void {
  const node = new OrderNode(o.id, o.side, o.price, o.remaining, o.owner, o.stp, o.postOnly);
  node.filled = o.filled;
  node.expiresAt = o.expiresAt;
  node.peak = o.displayQty;
  node.remaining = o.displayed;
  node.hidden = o.remaining - o.displayed;
  restOrder(state, node);
  state.orders.set(o.id, node);
  if (o.expiresAt > 0) state.expiries.push(node);
}
