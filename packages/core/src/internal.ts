/**
 * Package-internal hooks that every engine implements but users do not call:
 * loading a snapshot's orders straight into queues (no matching, no events).
 */
import type { Book } from './book';
import type { Side, StpMode, TimeInForce } from './types';

/** One resting order as a snapshot stores it. */
export interface SnapshotOrder {
  id: number;
  side: Side;
  price: number;
  remaining: number;
  filled: number;
  /** 0 when none. */
  owner: number;
  stp: StpMode;
  postOnly: boolean;
  /** Good-till-date expiry; 0 when none. */
  expiresAt: number;
  /** Iceberg display quantity; 0 when not an iceberg. */
  displayQty: number;
  /** Part of `remaining` shown (in the level total); equals `remaining` for a plain order. */
  displayed: number;
}

/** One untriggered stop as a snapshot stores it (stops are stored in trigger order). */
export interface SnapshotStop {
  id: number;
  side: Side;
  trigger: number;
  /** Limit price of a stop limit; `undefined` for a stop market. */
  price: number | undefined;
  qty: number;
  timeInForce: TimeInForce;
  owner: number;
  stp: StpMode;
  /** 0 when none. */
  expiresAt: number;
}

/** Method key of {@link RestingOrderSource}. */
export const RESTING_ORDERS = Symbol.for('tickbook.restingOrders');

/**
 * A book that lists its resting orders for a snapshot faster than the public
 * queries can (the WASM book walks its memory): every resting order, bids best
 * first, then asks, queue order within a level, as `restingOrders` defines.
 */
export interface RestingOrderSource {
  [RESTING_ORDERS](): Iterable<SnapshotOrder>;
}

/** Method key of {@link Restorable}. */
export const RESTORE = Symbol.for('tickbook.restore');

/** A book that can be loaded from a snapshot. */
export interface Restorable {
  /**
   * Load orders into an empty book, each appended to the back of its level in
   * the order given (so queue order is kept), and set the command sequence
   * and the book's time (set first: every order's expiry is after it); then the
   * last trade price and the untriggered stops, in trigger order.
   */
  [RESTORE](
    orders: Iterable<SnapshotOrder>,
    sequence: number,
    time: number,
    stops: Iterable<SnapshotStop>,
    lastPrice: number,
  ): void;
}

export function isRestorable(book: Book): book is Book & Restorable {
  return typeof (book as Partial<Restorable>)[RESTORE] === 'function';
}
