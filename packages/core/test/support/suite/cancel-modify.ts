/** The shared scenario suite: cancel and modify (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../book-state';
import { bookWith, cxl, lvl, type MakeBook, mod, threeBids, trade } from './events';

export function cancelModifySuite(name: string, make: MakeBook): void {
  describe(`${name} engine: cancel and modify`, () => {
    it('cancels a resting order', () => {
      const book = threeBids(make);
      expect(book.cancel(1)).toEqual([cxl(1, 'user', 5), lvl('buy', 100, 5, 1, 4)]);
      expect(book.cancel(3)).toEqual([cxl(3, 'user', 5), lvl('buy', 98, 0, 0, 5)]);
      expect(book.order(1)).toBeUndefined();
      expect(book.size).toBe(1);
      checkInvariants(book);
    });

    it('keeps time priority when lowering quantity at the same price', () => {
      const book = threeBids(make);
      expect(book.modify({ id: 1, qty: 2 })).toEqual([
        mod(1, 'buy', 100, 2, true),
        lvl('buy', 100, 7, 2, 4),
      ]);
      expect(book.ordersAt('buy', 100).map((o) => o.id)).toEqual([1, 2]);
      expect(book.modify({ id: 1, qty: 2, price: 100 })).toEqual([mod(1, 'buy', 100, 2, true)]);
    });

    // The modify, its events, and the queue at the price the order ends at (now last in it).
    it.each([
      [
        'when raising quantity',
        { id: 1, qty: 6 },
        [mod(1, 'buy', 100, 6, false), lvl('buy', 100, 5, 1, 4), lvl('buy', 100, 11, 2, 4)],
        100,
        [2, 1],
      ],
      [
        'on a price change and keeps the quantity when none is given',
        { id: 2, price: 98 },
        [mod(2, 'buy', 98, 5, false), lvl('buy', 100, 5, 1, 4), lvl('buy', 98, 10, 2, 4)],
        98,
        [3, 2],
      ],
    ])('loses time priority %s', (_what, change, events, price, queue) => {
      const book = threeBids(make);
      expect(book.modify(change)).toEqual(events);
      expect(book.ordersAt('buy', price).map((o) => o.id)).toEqual(queue);
    });

    it('matches a modify that crosses like a new order, keeping what it had filled', () => {
      const book = threeBids(make);
      book.limit({ id: 4, side: 'sell', price: 102, qty: 3 });
      book.limit({ id: 6, side: 'sell', price: 99, qty: 7 }); // fills 1 (5) and 2 (2)
      expect(book.order(2)).toMatchObject({ remaining: 3, filled: 2 });
      expect(book.modify({ id: 2, price: 103, qty: 4 })).toEqual([
        mod(2, 'buy', 103, 4, false),
        lvl('buy', 100, 0, 0, 6),
        trade(4, 2, 'buy', 102, 3, 0, 1),
        lvl('sell', 102, 0, 0, 6),
        lvl('buy', 103, 1, 1, 6),
      ]);
      expect(book.order(2)).toMatchObject({ remaining: 1, filled: 5, price: 103 });
    });

    it('cancels a post-only order whose modify would cross', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 1 },
        { id: 2, side: 'buy', price: 98, qty: 1, postOnly: true },
      ]);
      expect(book.modify({ id: 2, price: 100 })).toEqual([
        mod(2, 'buy', 100, 1, false),
        lvl('buy', 98, 0, 0, 3),
        cxl(2, 'post-only', 1),
      ]);
      expect(book.order(2)).toBeUndefined();
    });
  });
}
