/**
 * When a book next needs its time moved: the expiry times (`expiresAt`) of its
 * good-till-date orders and stops, as a min-heap of numbers.
 *
 * The book itself knows exactly which orders expire when, but it has no clock:
 * its time moves only by `advance-time` commands. The gateway adds one to an
 * engine call only when something may be due, so orders without an expiry
 * cost nothing (no journal records, no engine work). An entry may be stale (the
 * order traded or was cancelled since): that costs one `advance-time` that
 * expires nothing. Entries are added from `accepted` events, dropped once the
 * book's time passes them, and rebuilt from the book itself at start-up and
 * whenever stale entries pile up.
 */
import type { Book } from 'tickbook';

export class ExpirySchedule {
  private heap: number[] = [];

  /** Number of entries (live and stale). */
  get size(): number {
    return this.heap.length;
  }

  /** The earliest expiry, or `undefined` when nothing is scheduled. */
  peek(): number | undefined {
    return this.heap[0];
  }

  add(t: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent] <= t) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = t;
  }

  /** Drop every entry `≤ time` (the book's time reached them: they are expired). */
  dropUntil(time: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0] <= time) {
      const last = h.pop() as number;
      if (h.length === 0) break;
      // Sift `last` down from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r] < h[l] ? r : l;
        if (h[c] >= last) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
  }

  /**
   * Rebuild from the book: every resting order and untriggered stop with an
   * `expiresAt` after the book's time. O(orders); done at start-up (after
   * journal recovery) and when stale entries outnumber the book's orders.
   */
  rebuild(book: Book): void {
    const times: number[] = [];
    const now = book.time;
    for (const side of ['buy', 'sell'] as const) {
      for (const level of book.levels(side)) {
        for (const o of book.ordersAt(side, level.price)) {
          const t = book.order(o.id)?.expiresAt;
          if (t !== undefined && t > now) times.push(t);
        }
      }
    }
    for (const s of book.stops()) {
      if (s.expiresAt !== undefined && s.expiresAt > now) times.push(s.expiresAt);
    }
    times.sort((a, b) => a - b); // a sorted array is a valid min-heap
    this.heap = times;
  }
}
