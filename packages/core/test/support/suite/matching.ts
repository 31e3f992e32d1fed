/** The shared scenario suite: matching (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import { checkInvariants, dumpBook } from '../book-state';
import { acc, bookWith, cxl, lvl, type MakeBook, trade } from './events';

export function matchingSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: matching`, () => {
    it('fills by price then time, printing at the maker price', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 2 },
        { id: 2, side: 'sell', price: 100, qty: 2 },
        { id: 3, side: 'sell', price: 99, qty: 1 },
      ]);
      expect(book.limit({ id: 4, side: 'buy', price: 101, qty: 4 })).toEqual([
        acc(4, 'buy', 101, 4),
        trade(3, 4, 'buy', 99, 1, 0, 3),
        lvl('sell', 99, 0, 0, 4),
        trade(1, 4, 'buy', 100, 2, 0, 1),
        trade(2, 4, 'buy', 100, 1, 1, 0),
        lvl('sell', 100, 1, 1, 4),
      ]);
      expect(book.order(2)).toMatchObject({ remaining: 1, filled: 1, status: 'partially-filled' });
      checkInvariants(book);
    });

    it('rests the remainder of a GTC limit order after matching', () => {
      const book = bookWith(make, [{ id: 1, side: 'buy', price: 100, qty: 3 }]);
      expect(book.limit({ id: 2, side: 'sell', price: 99, qty: 5 })).toEqual([
        acc(2, 'sell', 99, 5),
        trade(1, 2, 'sell', 100, 3, 0, 2),
        lvl('buy', 100, 0, 0, 2),
        lvl('sell', 99, 2, 1, 2),
      ]);
      expect(book.order(2)).toMatchObject({ remaining: 2, filled: 3, price: 99 });
    });

    it('does not trade past the limit price', () => {
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 102, qty: 3 }]);
      expect(book.limit({ id: 2, side: 'buy', price: 101, qty: 1 })).toEqual([
        acc(2, 'buy', 101, 1),
        lvl('buy', 101, 1, 1, 2),
      ]);
    });

    it('cancels the unfilled remainder of an IOC order', () => {
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 2 }]);
      expect(book.limit({ id: 2, side: 'buy', price: 100, qty: 5, timeInForce: 'IOC' })).toEqual([
        acc(2, 'buy', 100, 5),
        trade(1, 2, 'buy', 100, 2, 0, 3),
        lvl('sell', 100, 0, 0, 2),
        cxl(2, 'remainder', 3),
      ]);
      expect(book.size).toBe(0);
    });

    it('kills a FOK order that cannot fill completely, changing nothing', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 2 },
        { id: 2, side: 'sell', price: 102, qty: 2 },
      ]);
      const before = dumpBook(book);
      expect(book.limit({ id: 3, side: 'buy', price: 101, qty: 3, timeInForce: 'FOK' })).toEqual([
        acc(3, 'buy', 101, 3),
        cxl(3, 'fok-unfilled', 3),
      ]);
      expect(dumpBook(book)).toEqual(before);
    });

    it('fills a FOK order completely across levels', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 2 },
        { id: 2, side: 'sell', price: 102, qty: 2 },
      ]);
      expect(book.limit({ id: 3, side: 'buy', price: 102, qty: 3, timeInForce: 'FOK' })).toEqual([
        acc(3, 'buy', 102, 3),
        trade(1, 3, 'buy', 100, 2, 0, 1),
        lvl('sell', 100, 0, 0, 3),
        trade(2, 3, 'buy', 102, 1, 1, 0),
        lvl('sell', 102, 1, 1, 3),
      ]);
    });

    it('sweeps levels with a market order and cancels its remainder', () => {
      const book = bookWith(make, [
        { id: 1, side: 'buy', price: 100, qty: 1 },
        { id: 2, side: 'buy', price: 95, qty: 1 },
      ]);
      expect(book.market({ id: 3, side: 'sell', qty: 5 })).toEqual([
        acc(3, 'sell', null, 5),
        trade(1, 3, 'sell', 100, 1, 0, 4),
        lvl('buy', 100, 0, 0, 3),
        trade(2, 3, 'sell', 95, 1, 0, 3),
        lvl('buy', 95, 0, 0, 3),
        cxl(3, 'remainder', 3),
      ]);
      expect(book.size).toBe(0);
      expect(book.market({ id: 4, side: 'buy', qty: 2 })).toEqual([
        acc(4, 'buy', null, 2),
        cxl(4, 'remainder', 2),
      ]);
    });

    it('kills a FOK market order that the book cannot fill', () => {
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 1 }]);
      expect(book.market({ id: 2, side: 'buy', qty: 2, timeInForce: 'FOK' })).toEqual([
        acc(2, 'buy', null, 2),
        cxl(2, 'fok-unfilled', 2),
      ]);
      expect(book.size).toBe(1);
    });

    it('rests a post-only order that does not cross, and cancels one that would', () => {
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 1 }]);
      expect(book.limit({ id: 2, side: 'buy', price: 99, qty: 1, postOnly: true })).toEqual([
        acc(2, 'buy', 99, 1),
        lvl('buy', 99, 1, 1, 2),
      ]);
      const before = dumpBook(book);
      expect(book.limit({ id: 3, side: 'buy', price: 100, qty: 1, postOnly: true })).toEqual([
        acc(3, 'buy', 100, 1),
        cxl(3, 'post-only', 1),
      ]);
      expect(dumpBook(book)).toEqual(before);
    });
  });
}
