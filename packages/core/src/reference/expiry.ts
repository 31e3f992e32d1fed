/**
 * Time and good-till-date: the expiry heap, advancing the book's time and the
 * expiries it cancels (docs/semantics.md, "Time and good-till-date"; the
 * good-till-date part of "Stop orders").
 */
import { timeAdvancedEvent } from '../events';
import type { BookEvent } from '../types';
import { cancelWhole } from './amend';
import type { OrderNode } from './order-queue';
import type { BookState } from './state';

/** Set the book's time, then cancel every order and stop with `expiresAt ≤ time`, earliest first. */
export function execAdvance(state: BookState, time: number, events: BookEvent[]): void {
  state.time = time;
  events.push(timeAdvancedEvent(time));
  const expiries = state.expiries;
  for (;;) {
    const order = expiries.peek();
    if (!order || order.expiresAt > time) break;
    expiries.pop();
    if (state.orders.get(order.id) !== order) continue; // gone already: a stale entry
    cancelWhole(state, order, 'expired', events);
  }
}

/** The earliest expiry among live orders and stops, or undefined. */
export function nextExpiry(state: BookState): number | undefined {
  const expiries = state.expiries;
  // the heap keeps entries of orders that left since: drop them from the top
  for (let o = expiries.peek(); o; o = expiries.peek()) {
    if (state.orders.get(o.id) === o) return o.expiresAt;
    expiries.pop();
  }
  return undefined;
}

/**
 * Resting good-till-date orders, earliest `(expiresAt, id)` first: a binary
 * heap with lazy deletion (an order that left the book stays until it
 * reaches the top, or until {@link compact} drops it). Keys never change.
 */
export class ExpiryHeap {
  private readonly heap: OrderNode[] = [];

  peek(): OrderNode | undefined {
    return this.heap[0];
  }

  push(node: OrderNode): void {
    const h = this.heap;
    h.push(node);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    this.siftDown(0);
  }

  /** Drop stale entries once they outnumber the live orders (keeps memory bounded). */
  compact(live: Map<number, OrderNode>): void {
    const h = this.heap;
    if (h.length <= 2 * live.size + 64) return;
    const kept = h.filter((n) => live.get(n.id) === n);
    h.length = 0;
    h.push(...kept);
    for (let i = (h.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) return;
      const r = l + 1;
      const c = r < h.length && earlier(h[r], h[l]) ? r : l;
      if (!earlier(h[c], h[i])) return;
      [h[i], h[c]] = [h[c], h[i]];
      i = c;
    }
  }
}

function earlier(a: OrderNode, b: OrderNode): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.id < b.id);
}
