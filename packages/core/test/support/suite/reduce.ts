/** The shared scenario suite: reduce (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import { checkInvariants, dumpBook } from '../book-state';
import { acc, cxl, lvl, type MakeBook, threeBids, trade } from './events';

export function reduceSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: reduce`, () => {
    it('takes quantity off and keeps time priority (a partial user cancel)', () => {
      const book = threeBids(make);
      expect(book.reduce({ id: 1, qty: 3 })).toEqual([
        cxl(1, 'user', 3, 2),
        lvl('buy', 100, 7, 2, 4),
      ]);
      expect(book.ordersAt('buy', 100)).toEqual([
        { id: 1, qty: 2, owner: 0 },
        { id: 2, qty: 5, owner: 0 },
      ]);
      expect(book.order(1)).toMatchObject({ remaining: 2, filled: 0, status: 'new' });
      expect(book.sequence).toBe(4);
      // still first in line: a sell of 3 fills order 1 before order 2
      expect(book.limit({ id: 9, side: 'sell', price: 100, qty: 3 })).toEqual([
        acc(9, 'sell', 100, 3),
        trade(1, 9, 'sell', 100, 2, 0, 1),
        trade(2, 9, 'sell', 100, 1, 4, 0),
        lvl('buy', 100, 4, 1, 5),
      ]);
      checkInvariants(book);
    });

    it('keeps priority even on the last order of a level, and after a partial fill', () => {
      const book = threeBids(make);
      book.limit({ id: 9, side: 'sell', price: 100, qty: 1 });
      expect(book.reduce({ id: 1, qty: 1 })).toEqual([
        cxl(1, 'user', 1, 3),
        lvl('buy', 100, 8, 2, 5),
      ]);
      expect(book.order(1)).toMatchObject({ remaining: 3, filled: 1, status: 'partially-filled' });
      expect(book.ordersAt('buy', 100).map((o) => o.id)).toEqual([1, 2]);
      expect(book.reduce({ id: 2, qty: 4 })).toEqual([
        cxl(2, 'user', 4, 1),
        lvl('buy', 100, 4, 2, 6),
      ]);
      expect(book.ordersAt('buy', 100).map((o) => o.id)).toEqual([1, 2]);
    });

    it('cancels the order when taking all of it or more', () => {
      const book = threeBids(make);
      expect(book.reduce({ id: 1, qty: 5 })).toEqual([cxl(1, 'user', 5), lvl('buy', 100, 5, 1, 4)]);
      expect(book.reduce({ id: 3, qty: Number.MAX_SAFE_INTEGER })).toEqual([
        cxl(3, 'user', 5),
        lvl('buy', 98, 0, 0, 5),
      ]);
      expect(book.order(1)).toBeUndefined();
      expect(book.order(3)).toBeUndefined();
      expect(book.size).toBe(1);
      expect(book.bestBid()).toEqual({ price: 100, qty: 5, count: 1 });
      checkInvariants(book);
    });

    it('works in a batch and through submit, like the per-order call', () => {
      const a = threeBids(make);
      const b = threeBids(make);
      const events = a.apply([
        { kind: 'reduce', id: 2, qty: 2 },
        { kind: 'reduce', id: 7, qty: 1 },
        { kind: 'reduce', id: 2, qty: 0 },
      ]);
      expect(events).toEqual([
        cxl(2, 'user', 2, 3),
        lvl('buy', 100, 8, 2, 4),
        { type: 'rejected', id: 7, code: 'UNKNOWN_ORDER' },
        { type: 'rejected', id: 2, code: 'INVALID_QTY' },
      ]);
      expect(b.submit({ kind: 'reduce', id: 2, qty: 2 })).toEqual(events.slice(0, 2));
      expect(b.submit({ kind: 'reduce', id: 7, qty: 1 })).toEqual([events[2]]);
      expect(dumpBook(a)).toEqual(dumpBook(b));
      expect(a.sequence).toBe(4);
    });
  });
}
