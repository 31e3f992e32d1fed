/** The shared scenario suite: self-trade prevention (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import type { Book, BookConfig } from '../../../src/index';
import { acc, bookWith, cxl, lvl, type MakeBook, trade } from './events';

export function selfTradeSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: self-trade prevention`, () => {
    // Resting: id 1 (owner 7, qty 2) then id 2 (owner 8, qty 2) at 100; id 3 (owner 9) at 99.
    const seeded = (config: Partial<BookConfig> = {}) => {
      const book = make(config);
      book.limit({ id: 3, side: 'sell', price: 99, qty: 1, owner: 9 });
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2, owner: 7 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 2, owner: 8 });
      return book;
    };

    // Every mode first fills the taker (owner 7) against id 3 (owner 9) at 99.
    const takesId3 = [
      acc(5, 'buy', 100, 4),
      trade(3, 5, 'buy', 99, 1, 0, 3),
      lvl('sell', 99, 0, 0, 4),
    ];

    it('cancel-newest (default) cancels the taker when it meets its own order', () => {
      const book = seeded();
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7 })).toEqual([
        ...takesId3,
        cxl(5, 'self-trade', 3),
      ]);
      expect(book.ordersAt('sell', 100).map((o) => o.id)).toEqual([1, 2]);
    });

    it.each([
      [
        'cancel-oldest',
        'cancels the resting order and keeps matching',
        [
          cxl(1, 'self-trade', 2),
          trade(2, 5, 'buy', 100, 2, 0, 1),
          lvl('sell', 100, 0, 0, 4),
          lvl('buy', 100, 1, 1, 4),
        ],
      ],
      [
        'cancel-both',
        'cancels the resting order and the taker',
        [cxl(1, 'self-trade', 2), lvl('sell', 100, 2, 1, 4), cxl(5, 'self-trade', 3)],
      ],
      [
        'decrement-and-cancel',
        'a larger taker cancels the maker and goes on',
        [
          cxl(1, 'self-trade', 2, 0),
          cxl(5, 'self-trade', 2, 1),
          trade(2, 5, 'buy', 100, 1, 1, 0),
          lvl('sell', 100, 1, 1, 4),
        ],
      ],
    ] as const)('%s: %s', (stp, _what, then) => {
      const book = seeded();
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7, stp })).toEqual([
        ...takesId3,
        ...then,
      ]);
    });

    /** A decrement-and-cancel buy of 2 at 100 from owner 7. */
    const smallTaker = (book: Book) =>
      book.limit({ id: 5, side: 'buy', price: 100, qty: 2, owner: 7, stp: 'decrement-and-cancel' });

    it('decrement-and-cancel: a larger maker is decremented and keeps its place', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 5, owner: 7 },
        { id: 2, side: 'sell', price: 100, qty: 1 },
      ]);
      expect(smallTaker(book)).toEqual([
        acc(5, 'buy', 100, 2),
        cxl(1, 'self-trade', 2, 3),
        cxl(5, 'self-trade', 2, 0),
        lvl('sell', 100, 4, 2, 3),
      ]);
      expect(book.ordersAt('sell', 100)).toEqual([
        { id: 1, qty: 3, owner: 7 },
        { id: 2, qty: 1, owner: 0 },
      ]);
    });

    it('decrement-and-cancel: equal quantities cancel both', () => {
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 2, owner: 7 }]);
      expect(smallTaker(book)).toEqual([
        acc(5, 'buy', 100, 2),
        cxl(1, 'self-trade', 2, 0),
        cxl(5, 'self-trade', 2, 0),
        lvl('sell', 100, 0, 0, 2),
      ]);
      expect(book.size).toBe(0);
    });

    it("uses the book's stpMode when the order names none", () => {
      const book = seeded({ stpMode: 'cancel-oldest' });
      const events = book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7 });
      expect(events).toContainEqual(cxl(1, 'self-trade', 2));
    });

    it('does not apply to orders without an owner, or with different owners', () => {
      const book = seeded();
      const events = book.limit({ id: 5, side: 'buy', price: 100, qty: 1, owner: 8 });
      expect(events).toContainEqual(trade(3, 5, 'buy', 99, 1, 0, 0));
      book.limit({ id: 6, side: 'buy', price: 100, qty: 2 });
      expect(book.ordersAt('sell', 100).map((o) => o.id)).toEqual([2]);
    });

    it('kills a FOK order that would self-trade, unless the mode cancels the resting order', () => {
      const killed = seeded();
      expect(
        killed.limit({ id: 5, side: 'buy', price: 100, qty: 3, owner: 7, timeInForce: 'FOK' }),
      ).toEqual([acc(5, 'buy', 100, 3), cxl(5, 'fok-unfilled', 3)]);
      const filled = seeded();
      const stp = 'cancel-oldest' as const;
      const events = filled.limit({
        id: 5,
        side: 'buy',
        price: 100,
        qty: 3,
        owner: 7,
        stp,
        timeInForce: 'FOK',
      });
      expect(
        events.filter((e) => e.type === 'trade').map((e) => e.type === 'trade' && e.qty),
      ).toEqual([1, 2]);
      expect(events).toContainEqual(cxl(1, 'self-trade', 2));
    });
  });
}
