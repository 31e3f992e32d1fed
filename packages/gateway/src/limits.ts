/**
 * Per-account limits, checked before anything reaches a book: a token bucket
 * of requests per second (a burst of up to a second's worth), a ceiling on
 * one account's open WebSocket connections, and one on the orders one
 * account holds in one book.
 */
import { ownerOf } from './ids';

/** One account's request bucket: refills at `rate` tokens a second, holds at most `rate`. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = rate;
    this.at = now();
  }

  /**
   * Take one token. Returns 0 when there was one, else the seconds until
   * one is there (for `Retry-After`).
   */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.at) / 1000) * this.rate);
    this.at = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.rate;
  }
}

/** Request buckets per account (owner), made on first use. */
export class RequestLimits {
  private readonly buckets = new Map<number, TokenBucket>();

  constructor(
    /** Requests per second per account; 0: no limit. */
    private readonly perSecond: number,
    private readonly now?: () => number,
  ) {}

  /** 0 when `owner` may make a request now, else the seconds to wait. */
  take(owner: number): number {
    if (this.perSecond <= 0) return 0;
    let bucket = this.buckets.get(owner);
    if (!bucket) {
      bucket = new TokenBucket(this.perSecond, this.now);
      this.buckets.set(owner, bucket);
    }
    return bucket.take();
  }
}

/** What {@link RestingCounts.rebuild} reads of a book. */
interface HeldOrders {
  levels(side: 'buy' | 'sell'): { price: number }[];
  ordersAt(side: 'buy' | 'sell', price: number): { id: number }[];
  stops(): { id: number }[];
}

/**
 * Per account: how many orders one book holds for it (resting limit orders
 * and waiting stops, the orders that take a slot of the book's `capacity`),
 * kept exact from the book's own events, plus the orders admitted but not yet
 * applied (queued for the next engine call), so that requests arriving
 * together cannot pass the limit between them.
 *
 * From the events (docs/semantics.md): `accepted` adds an order; it leaves
 * the book with a `cancelled` whose `remaining` is 0 (cancel, expiry,
 * self-trade prevention, post-only, FOK, a market or IOC remainder), or a
 * `trade` that leaves it 0 (as maker or taker) — unless a `refreshed` for the
 * same order follows at once (an iceberg maker whose shown part ran out
 * refreshes from its reserve and stays).
 */
export class RestingCounts {
  private readonly held = new Map<number, number>();
  private readonly queued = new Map<number, number>();

  /** Orders held for `owner` now (applied, not counting queued ones). */
  of(owner: number): number {
    return this.held.get(owner) ?? 0;
  }

  /** Every account holding orders, with its count. */
  entries(): [number, number][] {
    return [...this.held].filter(([, n]) => n !== 0);
  }

  /**
   * Admit one more order that may rest for `owner` if it holds (and has
   * queued) fewer than `max`: true and counted as queued, else false.
   */
  admit(owner: number, max: number): boolean {
    const queued = this.queued.get(owner) ?? 0;
    if ((this.held.get(owner) ?? 0) + queued >= max) return false;
    this.queued.set(owner, queued + 1);
    return true;
  }

  /** `n` admitted orders reached the book, or never will (their events count them from now on). */
  applied(owner: number, n: number): void {
    const q = (this.queued.get(owner) ?? 0) - n;
    if (q > 0) this.queued.set(owner, q);
    else this.queued.delete(owner);
  }

  add(owner: number, delta: number): void {
    const n = (this.held.get(owner) ?? 0) + delta;
    if (n !== 0) this.held.set(owner, n);
    else this.held.delete(owner);
  }

  /** Count the orders a book holds from scratch (at start-up, after recovery). */
  rebuild(book: HeldOrders): void {
    this.held.clear();
    for (const side of ['buy', 'sell'] as const) {
      for (const level of book.levels(side)) {
        for (const o of book.ordersAt(side, level.price)) this.add(ownerOf(o.id), 1);
      }
    }
    for (const s of book.stops()) this.add(ownerOf(s.id), 1);
  }
}
