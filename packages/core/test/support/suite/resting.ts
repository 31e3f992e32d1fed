/** The shared scenario suite: resting and queries (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../book-state';
import { acc, bookWith, lvl, type MakeBook, trade } from './events';

export function restingSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: resting and queries`, () => {
    it('rests a GTC limit order and reports it in L1, L2, L3 and by id', () => {
      const book = make();
      expect(book.limit({ id: 1, side: 'buy', price: 99, qty: 5 })).toEqual([
        acc(1, 'buy', 99, 5),
        lvl('buy', 99, 5, 1, 1),
      ]);
      book.limit({ id: 2, side: 'buy', price: 99, qty: 3, owner: 4 });
      book.limit({ id: 3, side: 'buy', price: 97, qty: 1 });
      book.limit({ id: 4, side: 'sell', price: 101, qty: 2 });
      expect(book.bestBid()).toEqual({ price: 99, qty: 8, count: 2 });
      expect(book.bestAsk()).toEqual({ price: 101, qty: 2, count: 1 });
      expect(book.levels('buy')).toEqual([
        { price: 99, qty: 8, count: 2 },
        { price: 97, qty: 1, count: 1 },
      ]);
      expect(book.levels('buy', 1)).toEqual([{ price: 99, qty: 8, count: 2 }]);
      expect(book.depth()).toEqual({
        bids: book.levels('buy'),
        asks: [{ price: 101, qty: 2, count: 1 }],
      });
      expect(book.ordersAt('buy', 99)).toEqual([
        { id: 1, qty: 5, owner: 0 },
        { id: 2, qty: 3, owner: 4 },
      ]);
      expect(book.ordersAt('sell', 99)).toEqual([]);
      expect(book.order(2)).toEqual({
        id: 2,
        side: 'buy',
        price: 99,
        remaining: 3,
        filled: 0,
        status: 'new',
        owner: 4,
        stp: 'cancel-newest',
        postOnly: false,
      });
      expect(book.order(42)).toBeUndefined();
      expect(book.size).toBe(4);
      checkInvariants(book);
    });

    it('accepts prices at both edges of the band', () => {
      const book = bookWith(make, [
        { id: 1, side: 'buy', price: 90, qty: 1 },
        { id: 2, side: 'sell', price: 110, qty: 1 },
      ]);
      expect(book.bestBid()?.price).toBe(90);
      expect(book.bestAsk()?.price).toBe(110);
      expect(book.market({ id: 3, side: 'sell', qty: 1 })).toEqual([
        acc(3, 'sell', null, 1),
        trade(1, 3, 'sell', 90, 1, 0, 0),
        lvl('buy', 90, 0, 0, 3),
      ]);
    });

    it('reports an empty book as empty', () => {
      const book = make();
      expect(book.bestBid()).toBeUndefined();
      expect(book.bestAsk()).toBeUndefined();
      expect(book.depth()).toEqual({ bids: [], asks: [] });
      expect(book.size).toBe(0);
    });
  });
}
