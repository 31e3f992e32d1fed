/** The shared scenario suite: market orders by quote amount, protection price (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import type { BookEvent, Command } from '../../../src/index';
import { checkInvariants, dumpBook } from '../book-state';
import { acc, bookWith, cxl, lvl, type MakeBook, trade } from './events';

export function marketNotionalSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: market orders by quote amount, protection price`, () => {
    const accN = (
      id: number,
      side: 'buy' | 'sell',
      notional: number,
      protectionPrice?: number,
    ): BookEvent => ({
      type: 'accepted',
      id,
      side,
      orderType: 'market',
      price: null,
      qty: null,
      notional,
      ...(protectionPrice === undefined ? {} : { protectionPrice }),
    });
    const asks = () =>
      bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 2 },
        { id: 2, side: 'sell', price: 101, qty: 3 },
        { id: 3, side: 'sell', price: 103, qty: 1 },
      ]);

    it('a buy spends at most its notional: min(maker qty, floor(left / price)) per maker', () => {
      const book = asks();
      const events = book.market({ id: 9, side: 'buy', notional: 350 });
      expect(events).toStrictEqual([
        accN(9, 'buy', 350),
        trade(1, 9, 'buy', 100, 2, 0, 150),
        lvl('sell', 100, 0, 0, 4),
        trade(2, 9, 'buy', 101, 1, 2, 49),
        lvl('sell', 101, 2, 1, 4),
        cxl(9, 'remainder', 49),
      ]);
      expect(book.bestAsk()).toEqual({ price: 101, qty: 2, count: 1 });
      checkInvariants(book);
    });

    it('a notional spent exactly leaves no remainder', () => {
      const book = asks();
      expect(book.market({ id: 9, side: 'buy', notional: 402 })).toEqual([
        accN(9, 'buy', 402),
        trade(1, 9, 'buy', 100, 2, 0, 202),
        lvl('sell', 100, 0, 0, 4),
        trade(2, 9, 'buy', 101, 2, 1, 0),
        lvl('sell', 101, 1, 1, 4),
      ]);
    });

    it('a notional that affords nothing at the best price trades nothing', () => {
      const book = asks();
      expect(book.market({ id: 9, side: 'buy', notional: 99 })).toEqual([
        accN(9, 'buy', 99),
        cxl(9, 'remainder', 99),
      ]);
      expect(book.market({ id: 8, side: 'buy', notional: 1 })).toEqual([
        accN(8, 'buy', 1),
        cxl(8, 'remainder', 1),
      ]);
      expect(book.size).toBe(3);
    });

    it('a sell receives at most its notional and stops at the first maker it cannot afford', () => {
      const book = bookWith(make, [
        { id: 1, side: 'buy', price: 100, qty: 1 },
        { id: 2, side: 'buy', price: 99, qty: 5 },
        { id: 3, side: 'buy', price: 50 + 40, qty: 5 },
      ]);
      expect(book.market({ id: 9, side: 'sell', notional: 250 })).toEqual([
        accN(9, 'sell', 250),
        trade(1, 9, 'sell', 100, 1, 0, 150),
        lvl('buy', 100, 0, 0, 4),
        trade(2, 9, 'sell', 99, 1, 4, 51),
        lvl('buy', 99, 4, 1, 4),
        cxl(9, 'remainder', 51),
      ]);
    });

    it('with no liquidity, the whole notional is cancelled', () => {
      const book = make();
      expect(book.market({ id: 9, side: 'sell', notional: 5 })).toEqual([
        accN(9, 'sell', 5),
        cxl(9, 'remainder', 5),
      ]);
    });

    it('a protection price stops a market order at the first level beyond it', () => {
      const book = asks();
      expect(book.market({ id: 9, side: 'buy', qty: 9, protectionPrice: 101 })).toStrictEqual([
        {
          type: 'accepted',
          id: 9,
          side: 'buy',
          orderType: 'market',
          price: null,
          qty: 9,
          protectionPrice: 101,
        },
        trade(1, 9, 'buy', 100, 2, 0, 7),
        lvl('sell', 100, 0, 0, 4),
        trade(2, 9, 'buy', 101, 3, 0, 4),
        lvl('sell', 101, 0, 0, 4),
        cxl(9, 'remainder', 4),
      ]);
      expect(book.bestAsk()).toEqual({ price: 103, qty: 1, count: 1 });
      const sells = bookWith(make, [{ id: 1, side: 'buy', price: 100, qty: 1 }]);
      expect(sells.market({ id: 2, side: 'sell', qty: 1, protectionPrice: 101 })).toEqual([
        { ...acc(2, 'sell', null, 1), protectionPrice: 101 },
        cxl(2, 'remainder', 1),
      ]);
    });

    it('a protection price bounds a notional order and a FOK order too', () => {
      const book = asks();
      expect(book.market({ id: 9, side: 'buy', notional: 1000, protectionPrice: 100 })).toEqual([
        accN(9, 'buy', 1000, 100),
        trade(1, 9, 'buy', 100, 2, 0, 800),
        lvl('sell', 100, 0, 0, 4),
        cxl(9, 'remainder', 800),
      ]);
      expect(
        book.market({ id: 8, side: 'buy', qty: 4, protectionPrice: 101, timeInForce: 'FOK' }),
      ).toEqual([{ ...acc(8, 'buy', null, 4), protectionPrice: 101 }, cxl(8, 'fok-unfilled', 4)]);
      expect(
        book.market({ id: 7, side: 'buy', qty: 3, protectionPrice: 101, timeInForce: 'FOK' }),
      ).toEqual([
        { ...acc(7, 'buy', null, 3), protectionPrice: 101 },
        trade(2, 7, 'buy', 101, 3, 0, 0),
        lvl('sell', 101, 0, 0, 6),
      ]);
    });

    it('self-trade prevention: a decrement takes price × qty off the notional', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 5, owner: 7 },
        { id: 2, side: 'sell', price: 100, qty: 5 },
      ]);
      const stp = 'decrement-and-cancel' as const;
      expect(book.market({ id: 9, side: 'buy', notional: 730, owner: 7, stp })).toEqual([
        accN(9, 'buy', 730),
        cxl(1, 'self-trade', 5),
        cxl(9, 'self-trade', 500, 230),
        trade(2, 9, 'buy', 100, 2, 3, 30),
        lvl('sell', 100, 3, 1, 3),
        cxl(9, 'remainder', 30),
      ]);
      const newest = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 5, owner: 7 }]);
      expect(newest.market({ id: 9, side: 'buy', notional: 730, owner: 7 })).toEqual([
        accN(9, 'buy', 730),
        cxl(9, 'self-trade', 730),
      ]);
    });

    it('is the same through apply and submit', () => {
      const a = asks();
      const b = asks();
      const cmd: Command = {
        kind: 'market',
        id: 9,
        side: 'buy',
        notional: 350,
        protectionPrice: 103,
      };
      expect(a.apply([cmd])).toEqual(b.submit(cmd));
      expect(dumpBook(a)).toEqual(dumpBook(b));
    });
  });
}
