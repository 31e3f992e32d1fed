/**
 * External order ids (strings, UUIDs, bigints) to the positive safe integers
 * a book takes, and back. Books take numbers because an id is a double in the
 * WASM matcher's order records and id map: no string hashing, no allocation,
 * no BigInt on the hot path. Applications whose ids are strings map them at
 * the edge with this helper.
 */
import type { BookEvent } from './types';

/**
 * A two-way map between external order ids and book ids. Book ids are handed
 * out in increasing order from `firstId` and never reused (2^53 of them last
 * forever), so a late event can never name a different order.
 *
 * The map is plain memory: after a restart, rebuild it (or persist it) beside
 * the book, for example from your own order store, before sending commands.
 *
 * @typeParam K - the external id type: anything usable as a `Map` key.
 *
 * @example
 * ```ts
 * const ids = new OrderIdMap<string>();
 * const events = book.limit({ id: ids.idFor('3f2c…'), side: 'buy', price: 100, qty: 1 });
 * ids.releaseFinished(events); // forget orders that filled or were cancelled
 * ```
 */
export class OrderIdMap<K = string> {
  private readonly byExternal = new Map<K, number>();
  private readonly byBookId = new Map<number, K>();
  private next: number;

  /** @param firstId - the first book id handed out (default 1). */
  constructor(firstId = 1) {
    if (!Number.isSafeInteger(firstId) || firstId < 1) {
      throw new RangeError(`firstId must be a positive safe integer, got ${firstId}`);
    }
    this.next = firstId;
  }

  /** Live mappings. */
  get size(): number {
    return this.byExternal.size;
  }

  /** The book id of `external`, handing out the next one if it has none yet. */
  idFor(external: K): number {
    const known = this.byExternal.get(external);
    if (known !== undefined) return known;
    const id = this.next++;
    this.byExternal.set(external, id);
    this.byBookId.set(id, external);
    return id;
  }

  /** The book id of `external`, or `undefined` when it has none (e.g. to cancel). */
  get(external: K): number | undefined {
    return this.byExternal.get(external);
  }

  /** The external id of book id `id`, or `undefined`. */
  externalOf(id: number): K | undefined {
    return this.byBookId.get(id);
  }

  /** Forget book id `id` and its external id; false when it was not mapped. */
  release(id: number): boolean {
    const external = this.byBookId.get(id);
    if (external === undefined) return false;
    this.byBookId.delete(id);
    this.byExternal.delete(external);
    return true;
  }

  /**
   * Forget every order that `events` finished: a maker or taker filled
   * completely (an iceberg maker only when it does not refresh), or an order cancelled with nothing left (user, remainder,
   * fok-unfilled, self-trade, post-only, expired). A refused command's id is
   * kept (a `DUPLICATE_ID` names a live order); release it yourself if the
   * refused command was a new order.
   */
  releaseFinished(events: readonly BookEvent[]): void {
    // An iceberg maker whose shown part fills reports 0 but refreshes from its
    // reserve (a `refreshed` event follows): it is still resting.
    let refreshed: Set<number> | undefined;
    for (const e of events) {
      if (e.type !== 'refreshed') continue;
      refreshed ??= new Set();
      refreshed.add(e.id);
    }
    for (const e of events) {
      if (e.type === 'trade') {
        if (e.makerRemaining === 0 && !refreshed?.has(e.makerId)) this.release(e.makerId);
        if (e.takerRemaining === 0) this.release(e.takerId);
      } else if (e.type === 'cancelled' && e.remaining === 0) {
        this.release(e.id);
      }
    }
  }
}
