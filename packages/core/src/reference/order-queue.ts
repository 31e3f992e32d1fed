/**
 * Price levels of the reference engine: each level is an intrusive doubly
 * linked FIFO of order nodes, so removing any order is O(1).
 */
import type { Side, StpMode } from '../types';

/** One live order. Also used for the incoming (taker) order while it matches. */
export class OrderNode {
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  level: PriceLevel | null = null;
  filled = 0;
  /**
   * A market taker sized by quote amount: `remaining` is then the notional it
   * has left (ticks × lots), not lots.
   */
  byNotional = false;
  /** Good-till-date expiry (book time); 0 when none. */
  expiresAt = 0;
  /**
   * Iceberg display quantity; 0 when not an iceberg. A resting iceberg's
   * `remaining` is its shown part (what its level's total counts) and
   * `hidden` its reserve; a taker's `remaining` is all it has open.
   */
  peak = 0;
  hidden = 0;
  /** An untriggered stop's trigger price; 0 otherwise. Its `level` is then a stop list. */
  trigger = 0;
  /** A stop's time in force once triggered. */
  tif: 'GTC' | 'IOC' | 'FOK' = 'GTC';

  constructor(
    readonly id: number,
    readonly side: Side,
    /** Limit price; ±Infinity for a market order (buy: +Infinity). */
    public price: number,
    public remaining: number,
    readonly owner: number,
    readonly stp: StpMode,
    readonly postOnly: boolean,
  ) {}
}

/** All orders resting at one price on one side, oldest first. */
export class PriceLevel {
  head: OrderNode | null = null;
  tail: OrderNode | null = null;
  /** Sum of the orders' remaining (shown) quantities. */
  total = 0;
  /**
   * Sum of the icebergs' hidden reserves: what the level can still come to
   * show on top of `total` (the QTY_OVERFLOW rule counts it). Kept by
   * `append`/`remove` and `setHidden` (icebergs.ts).
   */
  hidden = 0;
  count = 0;

  constructor(
    readonly side: Side,
    readonly price: number,
  ) {}

  append(order: OrderNode): void {
    order.level = this;
    order.prev = this.tail;
    order.next = null;
    if (this.tail) this.tail.next = order;
    else this.head = order;
    this.tail = order;
    this.total += order.remaining;
    this.hidden += order.hidden;
    this.count += 1;
  }

  remove(order: OrderNode): void {
    if (order.prev) order.prev.next = order.next;
    else this.head = order.next;
    if (order.next) order.next.prev = order.prev;
    else this.tail = order.prev;
    order.prev = order.next = order.level = null;
    this.total -= order.remaining;
    this.hidden -= order.hidden;
    this.count -= 1;
  }
}
