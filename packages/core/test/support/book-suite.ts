/**
 * One scenario suite for every engine: `describeBook(name, factory)` runs each
 * rule of docs/semantics.md against a fresh book and checks the exact events.
 */
import { describe, expect, it } from 'vitest';
import {
  type Book,
  type BookConfig,
  type BookEvent,
  type Command,
  type ErrorCode,
  isTickbookError,
  restoreBook,
  TickbookError,
} from '../../src/index';
import { checkInvariants, dumpBook } from './book-state';
import { perOrderCall } from './run-command';

export type BookFactory = (config: BookConfig) => Book;

const CONFIG: BookConfig = { minPrice: 90, maxPrice: 110, capacity: 6 };

// Compact event builders so expectations read like the semantics page.
const acc = (id: number, side: 'buy' | 'sell', price: number | null, qty: number): BookEvent => ({
  type: 'accepted',
  id,
  side,
  orderType: price === null ? 'market' : 'limit',
  price,
  qty,
});
const trade = (
  makerId: number,
  takerId: number,
  takerSide: 'buy' | 'sell',
  price: number,
  qty: number,
  makerRemaining: number,
  takerRemaining: number,
): BookEvent => ({
  type: 'trade',
  makerId,
  takerId,
  takerSide,
  price,
  qty,
  makerRemaining,
  takerRemaining,
});
/** `sequence`: the book's sequence once the command that changed the level is applied. */
const lvl = (
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  count: number,
  sequence: number,
): BookEvent => ({
  type: 'level-changed',
  side,
  price,
  qty,
  count,
  sequence,
});
const cxl = (
  id: number,
  reason: 'user' | 'remainder' | 'fok-unfilled' | 'self-trade' | 'post-only',
  qty: number,
  remaining = 0,
): BookEvent => ({ type: 'cancelled', id, reason, qty, remaining });
const mod = (
  id: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  priorityKept: boolean,
): BookEvent => ({ type: 'modified', id, side, price, qty, priorityKept });

function refusal(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TickbookError);
    if (isTickbookError(e)) return e.code;
  }
  return undefined;
}

export function describeBook(name: string, factory: BookFactory): void {
  const make = (config: Partial<BookConfig> = {}) => factory({ ...CONFIG, ...config });

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
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 90, qty: 1 });
      book.limit({ id: 2, side: 'sell', price: 110, qty: 1 });
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

  describe(`${name} engine: matching`, () => {
    it('fills by price then time, printing at the maker price', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 2 });
      book.limit({ id: 3, side: 'sell', price: 99, qty: 1 });
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
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 3 });
      expect(book.limit({ id: 2, side: 'sell', price: 99, qty: 5 })).toEqual([
        acc(2, 'sell', 99, 5),
        trade(1, 2, 'sell', 100, 3, 0, 2),
        lvl('buy', 100, 0, 0, 2),
        lvl('sell', 99, 2, 1, 2),
      ]);
      expect(book.order(2)).toMatchObject({ remaining: 2, filled: 3, price: 99 });
    });

    it('does not trade past the limit price', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 102, qty: 3 });
      expect(book.limit({ id: 2, side: 'buy', price: 101, qty: 1 })).toEqual([
        acc(2, 'buy', 101, 1),
        lvl('buy', 101, 1, 1, 2),
      ]);
    });

    it('cancels the unfilled remainder of an IOC order', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2 });
      expect(book.limit({ id: 2, side: 'buy', price: 100, qty: 5, timeInForce: 'IOC' })).toEqual([
        acc(2, 'buy', 100, 5),
        trade(1, 2, 'buy', 100, 2, 0, 3),
        lvl('sell', 100, 0, 0, 2),
        cxl(2, 'remainder', 3),
      ]);
      expect(book.size).toBe(0);
    });

    it('kills a FOK order that cannot fill completely, changing nothing', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2 });
      book.limit({ id: 2, side: 'sell', price: 102, qty: 2 });
      const before = dumpBook(book);
      expect(book.limit({ id: 3, side: 'buy', price: 101, qty: 3, timeInForce: 'FOK' })).toEqual([
        acc(3, 'buy', 101, 3),
        cxl(3, 'fok-unfilled', 3),
      ]);
      expect(dumpBook(book)).toEqual(before);
    });

    it('fills a FOK order completely across levels', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2 });
      book.limit({ id: 2, side: 'sell', price: 102, qty: 2 });
      expect(book.limit({ id: 3, side: 'buy', price: 102, qty: 3, timeInForce: 'FOK' })).toEqual([
        acc(3, 'buy', 102, 3),
        trade(1, 3, 'buy', 100, 2, 0, 1),
        lvl('sell', 100, 0, 0, 3),
        trade(2, 3, 'buy', 102, 1, 1, 0),
        lvl('sell', 102, 1, 1, 3),
      ]);
    });

    it('sweeps levels with a market order and cancels its remainder', () => {
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 1 });
      book.limit({ id: 2, side: 'buy', price: 95, qty: 1 });
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
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 1 });
      expect(book.market({ id: 2, side: 'buy', qty: 2, timeInForce: 'FOK' })).toEqual([
        acc(2, 'buy', null, 2),
        cxl(2, 'fok-unfilled', 2),
      ]);
      expect(book.size).toBe(1);
    });

    it('rests a post-only order that does not cross, and cancels one that would', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 1 });
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

  describe(`${name} engine: self-trade prevention`, () => {
    // Resting: id 1 (owner 7, qty 2) then id 2 (owner 8, qty 2) at 100; id 3 (owner 9) at 99.
    const seeded = (config: Partial<BookConfig> = {}) => {
      const book = make(config);
      book.limit({ id: 3, side: 'sell', price: 99, qty: 1, owner: 9 });
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2, owner: 7 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 2, owner: 8 });
      return book;
    };

    it('cancel-newest (default) cancels the taker when it meets its own order', () => {
      const book = seeded();
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7 })).toEqual([
        acc(5, 'buy', 100, 4),
        trade(3, 5, 'buy', 99, 1, 0, 3),
        lvl('sell', 99, 0, 0, 4),
        cxl(5, 'self-trade', 3),
      ]);
      expect(book.ordersAt('sell', 100).map((o) => o.id)).toEqual([1, 2]);
    });

    it('cancel-oldest cancels the resting order and keeps matching', () => {
      const book = seeded();
      expect(
        book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7, stp: 'cancel-oldest' }),
      ).toEqual([
        acc(5, 'buy', 100, 4),
        trade(3, 5, 'buy', 99, 1, 0, 3),
        lvl('sell', 99, 0, 0, 4),
        cxl(1, 'self-trade', 2),
        trade(2, 5, 'buy', 100, 2, 0, 1),
        lvl('sell', 100, 0, 0, 4),
        lvl('buy', 100, 1, 1, 4),
      ]);
    });

    it('cancel-both cancels the resting order and the taker', () => {
      const book = seeded();
      expect(
        book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7, stp: 'cancel-both' }),
      ).toEqual([
        acc(5, 'buy', 100, 4),
        trade(3, 5, 'buy', 99, 1, 0, 3),
        lvl('sell', 99, 0, 0, 4),
        cxl(1, 'self-trade', 2),
        lvl('sell', 100, 2, 1, 4),
        cxl(5, 'self-trade', 3),
      ]);
    });

    it('decrement-and-cancel: a larger taker cancels the maker and goes on', () => {
      const book = seeded();
      const stp = 'decrement-and-cancel' as const;
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 4, owner: 7, stp })).toEqual([
        acc(5, 'buy', 100, 4),
        trade(3, 5, 'buy', 99, 1, 0, 3),
        lvl('sell', 99, 0, 0, 4),
        cxl(1, 'self-trade', 2, 0),
        cxl(5, 'self-trade', 2, 1),
        trade(2, 5, 'buy', 100, 1, 1, 0),
        lvl('sell', 100, 1, 1, 4),
      ]);
    });

    it('decrement-and-cancel: a larger maker is decremented and keeps its place', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 5, owner: 7 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 1 });
      const stp = 'decrement-and-cancel' as const;
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 2, owner: 7, stp })).toEqual([
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
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2, owner: 7 });
      const stp = 'decrement-and-cancel' as const;
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 2, owner: 7, stp })).toEqual([
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

  describe(`${name} engine: cancel and modify`, () => {
    const threeBids = () => {
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5 });
      book.limit({ id: 2, side: 'buy', price: 100, qty: 5 });
      book.limit({ id: 3, side: 'buy', price: 98, qty: 5 });
      return book;
    };

    it('cancels a resting order', () => {
      const book = threeBids();
      expect(book.cancel(1)).toEqual([cxl(1, 'user', 5), lvl('buy', 100, 5, 1, 4)]);
      expect(book.cancel(3)).toEqual([cxl(3, 'user', 5), lvl('buy', 98, 0, 0, 5)]);
      expect(book.order(1)).toBeUndefined();
      expect(book.size).toBe(1);
      checkInvariants(book);
    });

    it('keeps time priority when lowering quantity at the same price', () => {
      const book = threeBids();
      expect(book.modify({ id: 1, qty: 2 })).toEqual([
        mod(1, 'buy', 100, 2, true),
        lvl('buy', 100, 7, 2, 4),
      ]);
      expect(book.ordersAt('buy', 100).map((o) => o.id)).toEqual([1, 2]);
      expect(book.modify({ id: 1, qty: 2, price: 100 })).toEqual([mod(1, 'buy', 100, 2, true)]);
    });

    it('loses time priority when raising quantity', () => {
      const book = threeBids();
      expect(book.modify({ id: 1, qty: 6 })).toEqual([
        mod(1, 'buy', 100, 6, false),
        lvl('buy', 100, 5, 1, 4),
        lvl('buy', 100, 11, 2, 4),
      ]);
      expect(book.ordersAt('buy', 100).map((o) => o.id)).toEqual([2, 1]);
    });

    it('loses time priority on a price change and keeps the quantity when none is given', () => {
      const book = threeBids();
      expect(book.modify({ id: 2, price: 98 })).toEqual([
        mod(2, 'buy', 98, 5, false),
        lvl('buy', 100, 5, 1, 4),
        lvl('buy', 98, 10, 2, 4),
      ]);
      expect(book.ordersAt('buy', 98).map((o) => o.id)).toEqual([3, 2]);
    });

    it('matches a modify that crosses like a new order, keeping what it had filled', () => {
      const book = threeBids();
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
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 1 });
      book.limit({ id: 2, side: 'buy', price: 98, qty: 1, postOnly: true });
      expect(book.modify({ id: 2, price: 100 })).toEqual([
        mod(2, 'buy', 100, 1, false),
        lvl('buy', 98, 0, 0, 3),
        cxl(2, 'post-only', 1),
      ]);
      expect(book.order(2)).toBeUndefined();
    });
  });

  describe(`${name} engine: reduce`, () => {
    const threeBids = () => {
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5 });
      book.limit({ id: 2, side: 'buy', price: 100, qty: 5 });
      book.limit({ id: 3, side: 'buy', price: 98, qty: 5 });
      return book;
    };

    it('takes quantity off and keeps time priority (a partial user cancel)', () => {
      const book = threeBids();
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
      const book = threeBids();
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
      const book = threeBids();
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
      const a = threeBids();
      const b = threeBids();
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
    const asks = () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2 });
      book.limit({ id: 2, side: 'sell', price: 101, qty: 3 });
      book.limit({ id: 3, side: 'sell', price: 103, qty: 1 });
      return book;
    };

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
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 1 });
      book.limit({ id: 2, side: 'buy', price: 99, qty: 5 });
      book.limit({ id: 3, side: 'buy', price: 50 + 40, qty: 5 });
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
      const sells = make();
      sells.limit({ id: 1, side: 'buy', price: 100, qty: 1 });
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
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 5, owner: 7 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 5 });
      const stp = 'decrement-and-cancel' as const;
      expect(book.market({ id: 9, side: 'buy', notional: 730, owner: 7, stp })).toEqual([
        accN(9, 'buy', 730),
        cxl(1, 'self-trade', 5),
        cxl(9, 'self-trade', 500, 230),
        trade(2, 9, 'buy', 100, 2, 3, 30),
        lvl('sell', 100, 3, 1, 3),
        cxl(9, 'remainder', 30),
      ]);
      const newest = make();
      newest.limit({ id: 1, side: 'sell', price: 100, qty: 5, owner: 7 });
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

  describe(`${name} engine: good-till-date and time`, () => {
    const exp = (id: number, qty: number): BookEvent => ({
      type: 'cancelled',
      id,
      reason: 'expired',
      qty,
      remaining: 0,
    });
    const tick = (time: number): BookEvent => ({ type: 'time-advanced', time });

    it('nextExpiry is the earliest expiry of what still rests (orders and stops)', () => {
      const book = make();
      expect(book.nextExpiry).toBeUndefined();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5, expiresAt: 50 });
      book.limit({ id: 2, side: 'buy', price: 99, qty: 5, expiresAt: 30 });
      book.stop({ id: 3, side: 'buy', trigger: 109, qty: 1, expiresAt: 20 });
      book.limit({ id: 4, side: 'buy', price: 98, qty: 5 });
      expect(book.nextExpiry).toBe(20);
      book.cancel(3);
      expect(book.nextExpiry).toBe(30);
      book.limit({ id: 5, side: 'sell', price: 99, qty: 10 }); // fills 1, then 2
      expect(book.order(2)).toBeUndefined();
      expect(book.nextExpiry).toBe(undefined);
      book.limit({ id: 6, side: 'buy', price: 97, qty: 1, expiresAt: 40 });
      expect(book.nextExpiry).toBe(40);
      book.advanceTime(40);
      expect(book.nextExpiry).toBeUndefined();
    });

    it('accepts expiresAt on a GTC order, reports it, and expires it when time reaches it', () => {
      const book = make();
      expect(book.time).toBe(0);
      expect(book.limit({ id: 1, side: 'buy', price: 100, qty: 5, expiresAt: 50 })).toEqual([
        { ...acc(1, 'buy', 100, 5), expiresAt: 50 },
        lvl('buy', 100, 5, 1, 1),
      ]);
      expect(book.order(1)).toMatchObject({ expiresAt: 50, remaining: 5 });
      book.limit({ id: 2, side: 'buy', price: 100, qty: 1 });
      expect(book.order(2)?.expiresAt).toBeUndefined();
      expect(book.advanceTime(49)).toEqual([tick(49)]);
      expect(book.time).toBe(49);
      expect(book.sequence).toBe(3);
      expect(book.advanceTime(50)).toEqual([tick(50), exp(1, 5), lvl('buy', 100, 1, 1, 4)]);
      expect(book.order(1)).toBeUndefined();
      expect(book.advanceTime(50)).toEqual([tick(50)]);
      expect(book.sequence).toBe(5);
      checkInvariants(book);
    });

    it('expires by expiry time, then id, each followed by its level change', () => {
      const book = make();
      book.limit({ id: 5, side: 'buy', price: 99, qty: 1, expiresAt: 20 });
      book.limit({ id: 3, side: 'sell', price: 104, qty: 2, expiresAt: 20 });
      book.limit({ id: 4, side: 'buy', price: 99, qty: 3, expiresAt: 10 });
      book.limit({ id: 1, side: 'buy', price: 99, qty: 4, expiresAt: 30 });
      book.limit({ id: 2, side: 'sell', price: 104, qty: 1 });
      expect(book.advanceTime(25)).toEqual([
        tick(25),
        exp(4, 3),
        lvl('buy', 99, 5, 2, 6),
        exp(3, 2),
        lvl('sell', 104, 1, 1, 6),
        exp(5, 1),
        lvl('buy', 99, 4, 1, 6),
      ]);
      expect(book.size).toBe(2);
      checkInvariants(book);
    });

    it('keeps the expiry through partial fills, reduce and a modify; gone orders never expire', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 5, expiresAt: 10 });
      book.limit({ id: 2, side: 'sell', price: 101, qty: 5, expiresAt: 10 });
      book.limit({ id: 3, side: 'sell', price: 102, qty: 5, expiresAt: 10 });
      book.limit({ id: 9, side: 'buy', price: 100, qty: 2 }); // fills 2 of order 1
      book.reduce({ id: 1, qty: 1 });
      book.modify({ id: 2, price: 103, qty: 7 }); // loses priority, keeps its expiry
      book.cancel(3);
      expect(book.order(2)).toMatchObject({ price: 103, remaining: 7, expiresAt: 10 });
      expect(book.advanceTime(10)).toEqual([
        tick(10),
        exp(1, 2),
        lvl('sell', 100, 0, 0, 8),
        exp(2, 7),
        lvl('sell', 103, 0, 0, 8),
      ]);
      expect(book.size).toBe(0);
    });

    it('a fully filled or IOC-like remainder never enters the expiry schedule', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 2 });
      expect(book.limit({ id: 2, side: 'buy', price: 100, qty: 2, expiresAt: 5 })).toEqual([
        { ...acc(2, 'buy', 100, 2), expiresAt: 5 },
        trade(1, 2, 'buy', 100, 2, 0, 0),
        lvl('sell', 100, 0, 0, 2),
      ]);
      book.limit({ id: 2, side: 'buy', price: 99, qty: 1 }); // the id is free again, no expiry
      expect(book.advanceTime(6)).toEqual([tick(6)]);
      expect(book.order(2)).toMatchObject({ remaining: 1 });
    });

    it('refuses orders already expired and time going back; works in batches', () => {
      const book = make();
      book.advanceTime(100);
      expect(
        refusal(() => book.limit({ id: 1, side: 'buy', price: 99, qty: 1, expiresAt: 100 })),
      ).toBe('ALREADY_EXPIRED');
      expect(refusal(() => book.advanceTime(99))).toBe('TIME_BACKWARDS');
      expect(refusal(() => book.advanceTime(-1))).toBe('INVALID_TIME');
      expect(book.time).toBe(100);
      expect(
        book.apply([
          { kind: 'limit', id: 1, side: 'buy', price: 99, qty: 1, expiresAt: 101 },
          { kind: 'advance-time', time: 99 },
          { kind: 'advance-time', time: 101 },
        ]),
      ).toEqual([
        { ...acc(1, 'buy', 99, 1), expiresAt: 101 },
        lvl('buy', 99, 1, 1, 2),
        { type: 'rejected', id: 0, code: 'TIME_BACKWARDS' },
        tick(101),
        exp(1, 1),
        lvl('buy', 99, 0, 0, 3),
      ]);
      expect(book.submit({ kind: 'advance-time', time: 5 })).toEqual([
        { type: 'rejected', id: 0, code: 'TIME_BACKWARDS' },
      ]);
      expect(book.sequence).toBe(3);
    });

    it('snapshots carry the time and every expiry', () => {
      const book = make();
      book.advanceTime(7);
      book.limit({ id: 1, side: 'buy', price: 99, qty: 1, expiresAt: 20 });
      book.limit({ id: 2, side: 'buy', price: 99, qty: 1, expiresAt: 10 });
      const restored = restoreBook(book.snapshot(), { engine: book.engine });
      expect(restored.time).toBe(7);
      expect(restored.stateHash()).toBe(book.stateHash());
      expect(restored.advanceTime(15)).toEqual(book.advanceTime(15));
      expect(restored.advanceTime(20)).toEqual(book.advanceTime(20));
      expect(restored.size).toBe(0);
    });
  });

  describe(`${name} engine: iceberg orders`, () => {
    const ice = (
      id: number,
      side: 'buy' | 'sell',
      price: number,
      qty: number,
      displayQty: number,
    ) => ({
      ...acc(id, side, price, qty),
      displayQty,
    });
    const refreshed = (
      id: number,
      side: 'buy' | 'sell',
      price: number,
      qty: number,
    ): BookEvent => ({
      type: 'refreshed',
      id,
      side,
      price,
      qty,
    });

    it('rests showing only displayQty: L1, L2 and L3 never see the reserve; order(id) does', () => {
      const book = make();
      expect(book.limit({ id: 1, side: 'sell', price: 100, qty: 10, displayQty: 3 })).toEqual([
        ice(1, 'sell', 100, 10, 3),
        lvl('sell', 100, 3, 1, 1),
      ]);
      book.limit({ id: 2, side: 'sell', price: 100, qty: 2 });
      expect(book.bestAsk()).toEqual({ price: 100, qty: 5, count: 2 });
      expect(book.depth()).toEqual({ bids: [], asks: [{ price: 100, qty: 5, count: 2 }] });
      expect(book.ordersAt('sell', 100)).toEqual([
        { id: 1, qty: 3, owner: 0 },
        { id: 2, qty: 2, owner: 0 },
      ]);
      expect(book.order(1)).toMatchObject({ remaining: 10, displayQty: 3, displayed: 3 });
      expect(book.order(2)?.displayQty).toBeUndefined();
      expect(book.order(2)?.displayed).toBeUndefined();
      checkInvariants(book);
    });

    it('refreshes from the reserve to the back of its level and trades again in the same sweep', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 10, displayQty: 3 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 2 });
      expect(book.limit({ id: 3, side: 'buy', price: 100, qty: 7 })).toEqual([
        acc(3, 'buy', 100, 7),
        trade(1, 3, 'buy', 100, 3, 0, 4),
        refreshed(1, 'sell', 100, 3),
        trade(2, 3, 'buy', 100, 2, 0, 2),
        trade(1, 3, 'buy', 100, 2, 1, 0),
        lvl('sell', 100, 1, 1, 3),
      ]);
      expect(book.order(1)).toMatchObject({ remaining: 5, displayed: 1, filled: 5 });
      expect(book.bestAsk()).toEqual({ price: 100, qty: 1, count: 1 });
      expect(book.limit({ id: 4, side: 'buy', price: 101, qty: 6 })).toEqual([
        acc(4, 'buy', 101, 6),
        trade(1, 4, 'buy', 100, 1, 0, 5),
        refreshed(1, 'sell', 100, 3),
        trade(1, 4, 'buy', 100, 3, 0, 2),
        refreshed(1, 'sell', 100, 1),
        trade(1, 4, 'buy', 100, 1, 0, 1),
        lvl('sell', 100, 0, 0, 4),
        lvl('buy', 101, 1, 1, 4),
      ]);
      expect(book.order(1)).toBeUndefined();
      checkInvariants(book);
    });

    it('an iceberg taker matches with all of its quantity and rests showing displayQty', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 4 });
      expect(book.limit({ id: 2, side: 'buy', price: 100, qty: 10, displayQty: 2 })).toEqual([
        ice(2, 'buy', 100, 10, 2),
        trade(1, 2, 'buy', 100, 4, 0, 6),
        lvl('sell', 100, 0, 0, 2),
        lvl('buy', 100, 2, 1, 2),
      ]);
      expect(book.order(2)).toMatchObject({ remaining: 6, displayed: 2, displayQty: 2 });
    });

    it('FOK counts reserves a sweep would reach, and none behind a self-trade', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 6, displayQty: 2 });
      book.limit({ id: 2, side: 'sell', price: 100, qty: 1, owner: 7 });
      // the refreshed iceberg would queue behind the self-trade: only 2 reachable
      expect(
        book.limit({ id: 3, side: 'buy', price: 100, qty: 3, timeInForce: 'FOK', owner: 7 }),
      ).toEqual([acc(3, 'buy', 100, 3), cxl(3, 'fok-unfilled', 3)]);
      expect(book.limit({ id: 4, side: 'buy', price: 100, qty: 8, timeInForce: 'FOK' })).toEqual([
        acc(4, 'buy', 100, 8),
        cxl(4, 'fok-unfilled', 8),
      ]);
      expect(book.limit({ id: 5, side: 'buy', price: 100, qty: 7, timeInForce: 'FOK' })).toEqual([
        acc(5, 'buy', 100, 7),
        trade(1, 5, 'buy', 100, 2, 0, 5),
        refreshed(1, 'sell', 100, 2),
        trade(2, 5, 'buy', 100, 1, 0, 4),
        trade(1, 5, 'buy', 100, 2, 0, 2),
        refreshed(1, 'sell', 100, 2),
        trade(1, 5, 'buy', 100, 2, 0, 0),
        lvl('sell', 100, 0, 0, 5),
      ]);
      expect(book.size).toBe(0);
    });

    it('reduce and modify give up the reserve first; cancel and expiry take all of it', () => {
      const book = make();
      expect(
        book.limit({ id: 1, side: 'buy', price: 99, qty: 10, displayQty: 4, expiresAt: 50 }),
      ).toEqual([{ ...ice(1, 'buy', 99, 10, 4), expiresAt: 50 }, lvl('buy', 99, 4, 1, 1)]);
      book.limit({ id: 2, side: 'buy', price: 99, qty: 1 });
      expect(book.modify({ id: 1, qty: 8 })).toEqual([mod(1, 'buy', 99, 8, true)]);
      expect(book.order(1)).toMatchObject({ remaining: 8, displayed: 4 });
      expect(book.reduce({ id: 1, qty: 3 })).toEqual([cxl(1, 'user', 3, 5)]);
      expect(book.reduce({ id: 1, qty: 2 })).toEqual([
        cxl(1, 'user', 2, 3),
        lvl('buy', 99, 4, 2, 5),
      ]);
      expect(book.modify({ id: 1, qty: 2 })).toEqual([
        mod(1, 'buy', 99, 2, true),
        lvl('buy', 99, 3, 2, 6),
      ]);
      expect(book.ordersAt('buy', 99).map((o) => o.id)).toEqual([1, 2]);
      expect(book.modify({ id: 1, qty: 9 })).toEqual([
        mod(1, 'buy', 99, 9, false),
        lvl('buy', 99, 1, 1, 7),
        lvl('buy', 99, 5, 2, 7),
      ]);
      expect(book.ordersAt('buy', 99)).toEqual([
        { id: 2, qty: 1, owner: 0 },
        { id: 1, qty: 4, owner: 0 },
      ]);
      expect(book.order(1)).toMatchObject({
        remaining: 9,
        displayed: 4,
        displayQty: 4,
        expiresAt: 50,
      });
      expect(refusal(() => book.modify({ id: 1, qty: 4001 }))).toBe('INVALID_DISPLAY');
      expect(book.advanceTime(50)).toEqual([
        { type: 'time-advanced', time: 50 },
        { type: 'cancelled', id: 1, reason: 'expired', qty: 9, remaining: 0 },
        lvl('buy', 99, 1, 1, 8),
      ]);
      book.limit({ id: 3, side: 'buy', price: 98, qty: 6, displayQty: 1 });
      expect(book.cancel(3)).toEqual([cxl(3, 'user', 6), lvl('buy', 98, 0, 0, 10)]);
      checkInvariants(book);
    });

    it('self-trade prevention: decrement takes the shown part and refreshes; cancel takes all', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 5, displayQty: 2, owner: 1 });
      expect(
        book.limit({
          id: 2,
          side: 'buy',
          price: 100,
          qty: 3,
          owner: 1,
          stp: 'decrement-and-cancel',
        }),
      ).toEqual([
        acc(2, 'buy', 100, 3),
        cxl(1, 'self-trade', 2, 3),
        refreshed(1, 'sell', 100, 2),
        cxl(2, 'self-trade', 2, 1),
        cxl(1, 'self-trade', 1, 2),
        cxl(2, 'self-trade', 1, 0),
        lvl('sell', 100, 1, 1, 2),
      ]);
      expect(
        book.limit({ id: 3, side: 'buy', price: 100, qty: 1, owner: 1, stp: 'cancel-oldest' }),
      ).toEqual([
        acc(3, 'buy', 100, 1),
        cxl(1, 'self-trade', 2),
        lvl('sell', 100, 0, 0, 3),
        lvl('buy', 100, 1, 1, 3),
      ]);
    });

    it('refuses bad display quantities (INVALID_DISPLAY, after INVALID_EXPIRY)', () => {
      const book = make();
      const bad = (order: Record<string, unknown>) =>
        refusal(() => book.limit({ id: 1, side: 'buy', price: 99, qty: 5, ...order }));
      expect(bad({ displayQty: 5 })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: 6 })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: 0 })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: 1.5 })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: '2' })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: 2, timeInForce: 'IOC' })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: 2, timeInForce: 'FOK' })).toBe('INVALID_DISPLAY');
      expect(bad({ qty: 1001, displayQty: 1 })).toBe('INVALID_DISPLAY');
      expect(bad({ displayQty: 0, expiresAt: -1 })).toBe('INVALID_EXPIRY');
      expect(book.size).toBe(0);
      expect(book.sequence).toBe(0);
      book.limit({ id: 1, side: 'buy', price: 99, qty: 1000, displayQty: 1, postOnly: true });
      expect(
        book.apply([{ kind: 'limit', id: 2, side: 'sell', price: 101, qty: 2, displayQty: 2 }]),
      ).toEqual([{ type: 'rejected', id: 2, code: 'INVALID_DISPLAY' }]);
      expect(book.bestBid()).toEqual({ price: 99, qty: 1, count: 1 });
    });

    it('batches and submit give the same events; snapshots carry display and reserve', () => {
      const commands: Command[] = [
        { kind: 'limit', id: 1, side: 'sell', price: 100, qty: 9, displayQty: 2 },
        { kind: 'limit', id: 2, side: 'sell', price: 100, qty: 1 },
        { kind: 'limit', id: 3, side: 'buy', price: 100, qty: 4 },
      ];
      const a = make();
      const b = make();
      const perOrder = commands.flatMap((c) => a.submit(c));
      expect(b.apply(commands)).toEqual(perOrder);
      expect(perOrder.filter((e) => e.type === 'refreshed')).toHaveLength(1);
      const restored = restoreBook(a.snapshot(), { engine: a.engine });
      expect(restored.stateHash()).toBe(a.stateHash());
      expect(restored.order(1)).toEqual(a.order(1));
      expect(dumpBook(restored)).toEqual(dumpBook(a));
      const next: Command = { kind: 'limit', id: 4, side: 'buy', price: 100, qty: 6 };
      expect(restored.submit(next)).toEqual(a.submit(next));
    });
  });

  describe(`${name} engine: stop orders`, () => {
    const stopAcc = (
      id: number,
      side: 'buy' | 'sell',
      price: number | null,
      qty: number,
      trigger: number,
    ): BookEvent => ({
      type: 'accepted',
      id,
      side,
      orderType: price === null ? 'stop-market' : 'stop-limit',
      price,
      qty,
      trigger,
    });
    const trig = (
      id: number,
      side: 'buy' | 'sell',
      price: number | null,
      qty: number,
      trigger: number,
    ): BookEvent => ({
      type: 'triggered',
      id,
      side,
      orderType: price === null ? 'market' : 'limit',
      price,
      qty,
      trigger,
    });

    it('rests off-book until a trade reaches the trigger, then enters after the command matched', () => {
      const book = make();
      book.limit({ id: 1, side: 'sell', price: 100, qty: 1 });
      book.limit({ id: 2, side: 'sell', price: 101, qty: 1 });
      book.limit({ id: 3, side: 'sell', price: 103, qty: 5 });
      expect(book.lastPrice).toBeUndefined();
      expect(book.stop({ id: 10, side: 'buy', trigger: 101, qty: 2 })).toEqual([
        stopAcc(10, 'buy', null, 2, 101),
      ]);
      book.stop({ id: 11, side: 'buy', trigger: 103, qty: 1, price: 103 });
      // not in market data; counts in size; order(id) reports it
      expect(book.depth().bids).toEqual([]);
      expect(book.size).toBe(5);
      expect(book.order(10)).toEqual({
        id: 10,
        side: 'buy',
        price: null,
        remaining: 2,
        filled: 0,
        status: 'untriggered',
        owner: 0,
        stp: 'cancel-newest',
        postOnly: false,
        trigger: 101,
        timeInForce: 'IOC',
      });
      expect(book.stops().map((o) => o.id)).toEqual([10, 11]);
      // the taker's own matching first; then 10 (reached by its trade at 101);
      // 10's trade at 103 reaches 11 (cascade)
      expect(book.limit({ id: 4, side: 'buy', price: 101, qty: 2 })).toEqual([
        acc(4, 'buy', 101, 2),
        trade(1, 4, 'buy', 100, 1, 0, 1),
        lvl('sell', 100, 0, 0, 6),
        trade(2, 4, 'buy', 101, 1, 0, 0),
        lvl('sell', 101, 0, 0, 6),
        trig(10, 'buy', null, 2, 101),
        trade(3, 10, 'buy', 103, 2, 3, 0),
        lvl('sell', 103, 3, 1, 6),
        trig(11, 'buy', 103, 1, 103),
        trade(3, 11, 'buy', 103, 1, 2, 0),
        lvl('sell', 103, 2, 1, 6),
      ]);
      expect(book.lastPrice).toBe(103);
      expect(book.stops()).toEqual([]);
      expect(book.size).toBe(1);
    });

    it('triggers sell stops highest trigger first, equal triggers in arrival order', () => {
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 1 });
      book.limit({ id: 2, side: 'buy', price: 98, qty: 9 });
      book.stop({ id: 20, side: 'sell', trigger: 99, qty: 1 });
      book.stop({ id: 21, side: 'sell', trigger: 100, qty: 1 });
      book.stop({ id: 22, side: 'sell', trigger: 99, qty: 1, price: 99 }); // rests as a limit
      const events = book.market({ id: 3, side: 'sell', qty: 1 });
      // the trade at 100 reaches 21 only; its trade at 98 reaches 20 then 22
      expect(events.filter((e) => e.type === 'triggered').map((e) => e.id)).toEqual([21, 20, 22]);
      expect(events.at(-2)).toEqual(trig(22, 'sell', 99, 1, 99));
      expect(events.at(-1)).toEqual(lvl('sell', 99, 1, 1, 6));
      expect(book.order(22)?.status).toBe('new');
      expect(book.bestAsk()).toEqual({ price: 99, qty: 1, count: 1 });
    });

    it('triggers at once when the last price already reaches the trigger', () => {
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 3 });
      book.market({ id: 2, side: 'sell', qty: 1 });
      expect(book.stop({ id: 3, side: 'sell', trigger: 100, qty: 1, timeInForce: 'FOK' })).toEqual([
        stopAcc(3, 'sell', null, 1, 100),
        trig(3, 'sell', null, 1, 100),
        trade(1, 3, 'sell', 100, 1, 1, 0),
        lvl('buy', 100, 1, 1, 3),
      ]);
    });

    it('cancels, reduces, modifies and expires untriggered stops without market data', () => {
      const book = make();
      book.limit({ id: 1, side: 'buy', price: 100, qty: 3 });
      book.market({ id: 2, side: 'sell', qty: 1 }); // last 100
      book.stop({ id: 5, side: 'buy', trigger: 105, qty: 4, price: 106, expiresAt: 9 });
      expect(book.reduce({ id: 5, qty: 1 })).toEqual([cxl(5, 'user', 1, 3)]);
      expect(book.modify({ id: 5, qty: 2 })).toEqual([
        {
          type: 'modified',
          id: 5,
          side: 'buy',
          price: 106,
          qty: 2,
          priorityKept: true,
          trigger: 105,
        },
      ]);
      expect(book.modify({ id: 5, trigger: 104, price: 107 })).toEqual([
        {
          type: 'modified',
          id: 5,
          side: 'buy',
          price: 107,
          qty: 2,
          priorityKept: false,
          trigger: 104,
        },
      ]);
      expect(book.advanceTime(9)).toEqual([
        { type: 'time-advanced', time: 9 },
        { type: 'cancelled', id: 5, reason: 'expired', qty: 2, remaining: 0 },
      ]);
      book.stop({ id: 6, side: 'sell', trigger: 90, qty: 1 });
      expect(book.cancel(6)).toEqual([cxl(6, 'user', 1)]);
      // a modify whose new trigger is reached triggers at once
      book.stop({ id: 7, side: 'sell', trigger: 95, qty: 1 });
      const events = book.modify({ id: 7, trigger: 100 });
      expect(events.slice(0, 2)).toEqual([
        {
          type: 'modified',
          id: 7,
          side: 'sell',
          price: null,
          qty: 1,
          priorityKept: false,
          trigger: 100,
        },
        trig(7, 'sell', null, 1, 100),
      ]);
      expect(book.size).toBe(1);
    });

    it('refuses bad stops in the documented order', () => {
      const book = make({ capacity: 1 });
      expect(refusal(() => book.stop({ id: 1, side: 'buy', trigger: 89, qty: 1 }))).toBe(
        'INVALID_TRIGGER',
      );
      expect(refusal(() => book.stop({ id: 1, side: 'buy', trigger: 1.5, qty: 1 }))).toBe(
        'INVALID_TRIGGER',
      );
      expect(
        refusal(() => book.stop({ id: 1, side: 'buy', trigger: 100, qty: 1, price: 200 })),
      ).toBe('PRICE_OUT_OF_BAND');
      expect(refusal(() => book.stop({ id: 1, side: 'buy', trigger: 100, qty: 0 }))).toBe(
        'INVALID_QTY',
      );
      expect(
        refusal(() => book.stop({ id: 1, side: 'buy', trigger: 100, qty: 1, timeInForce: 'GTC' })),
      ).toBe('INVALID_TIF');
      expect(
        refusal(() => book.stop({ id: 1, side: 'buy', trigger: 100, qty: 1, expiresAt: 0 })),
      ).toBe('INVALID_EXPIRY');
      book.limit({ id: 1, side: 'buy', price: 95, qty: 1 });
      expect(refusal(() => book.stop({ id: 1, side: 'buy', trigger: 100, qty: 1 }))).toBe(
        'DUPLICATE_ID',
      );
      expect(refusal(() => book.stop({ id: 2, side: 'buy', trigger: 100, qty: 1 }))).toBe(
        'BOOK_FULL',
      );
      expect(refusal(() => book.modify({ id: 1, trigger: 100 }))).toBe('INVALID_TRIGGER');
      book.cancel(1);
      book.stop({ id: 2, side: 'buy', trigger: 100, qty: 1 });
      expect(refusal(() => book.modify({ id: 2, price: 100 }))).toBe('INVALID_PRICE');
      expect(book.apply([{ kind: 'stop', id: 3, side: 'sell', trigger: 0, qty: 1 }])).toEqual([
        { type: 'rejected', id: 3, code: 'INVALID_TRIGGER' },
      ]);
    });
  });

  describe(`${name} engine: refused input leaves the book untouched`, () => {
    const MAX = Number.MAX_SAFE_INTEGER;
    const seeded = () => {
      const book = make({ capacity: 3 });
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5 });
      book.limit({ id: 2, side: 'buy', price: 95, qty: MAX - 1 });
      return book;
    };
    const cases: Array<[string, ErrorCode, Command]> = [
      ['id 0', 'INVALID_ID', { kind: 'limit', id: 0, side: 'buy', price: 100, qty: 1 }],
      ['fractional id', 'INVALID_ID', { kind: 'cancel', id: 1.5 }],
      ['unsafe id', 'INVALID_ID', { kind: 'market', id: 2 ** 53, side: 'buy', qty: 1 }],
      [
        'bad side',
        'INVALID_SIDE',
        { kind: 'limit', id: 9, side: 'BUY' as never, price: 100, qty: 1 },
      ],
      [
        'NaN price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: Number.NaN, qty: 1 },
      ],
      [
        'negative price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: -100, qty: 1 },
      ],
      ['zero price', 'INVALID_PRICE', { kind: 'limit', id: 9, side: 'buy', price: 0, qty: 1 }],
      [
        'fractional price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: 99.5, qty: 1 },
      ],
      [
        'unsafe price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: 2 ** 53, qty: 1 },
      ],
      [
        'price above band',
        'PRICE_OUT_OF_BAND',
        { kind: 'limit', id: 9, side: 'buy', price: 111, qty: 1 },
      ],
      [
        'price below band',
        'PRICE_OUT_OF_BAND',
        { kind: 'limit', id: 9, side: 'sell', price: 89, qty: 1 },
      ],
      ['zero qty', 'INVALID_QTY', { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 0 }],
      ['negative qty', 'INVALID_QTY', { kind: 'market', id: 9, side: 'buy', qty: -3 }],
      [
        'NaN qty',
        'INVALID_QTY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: Number.NaN },
      ],
      [
        'unsafe qty',
        'INVALID_QTY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 2 ** 53 },
      ],
      [
        'string qty',
        'INVALID_QTY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: '5' as never },
      ],
      [
        'unknown TIF',
        'INVALID_TIF',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, timeInForce: 'DAY' as never },
      ],
      [
        'GTC market',
        'INVALID_TIF',
        { kind: 'market', id: 9, side: 'buy', qty: 1, timeInForce: 'GTC' as never },
      ],
      [
        'post-only IOC',
        'INVALID_POST_ONLY',
        {
          kind: 'limit',
          id: 9,
          side: 'buy',
          price: 100,
          qty: 1,
          timeInForce: 'IOC',
          postOnly: true,
        },
      ],
      [
        'post-only market',
        'INVALID_POST_ONLY',
        { kind: 'market', id: 9, side: 'buy', qty: 1, postOnly: true } as never,
      ],
      [
        'bad owner',
        'INVALID_OWNER',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, owner: -1 },
      ],
      [
        'bad STP mode',
        'INVALID_STP_MODE',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, stp: 'none' as never },
      ],
      ['duplicate id', 'DUPLICATE_ID', { kind: 'limit', id: 1, side: 'sell', price: 106, qty: 1 }],
      ['duplicate id (market)', 'DUPLICATE_ID', { kind: 'market', id: 2, side: 'sell', qty: 1 }],
      ['unknown cancel', 'UNKNOWN_ORDER', { kind: 'cancel', id: 77 }],
      ['unknown modify', 'UNKNOWN_ORDER', { kind: 'modify', id: 77, qty: 1 }],
      ['modify bad qty', 'INVALID_QTY', { kind: 'modify', id: 1, qty: 0 }],
      ['modify out of band', 'PRICE_OUT_OF_BAND', { kind: 'modify', id: 1, price: 200 }],
      ['level overflow', 'QTY_OVERFLOW', { kind: 'limit', id: 9, side: 'buy', price: 95, qty: 2 }],
      ['modify overflow', 'QTY_OVERFLOW', { kind: 'modify', id: 1, price: 95, qty: 2 }],
      ['reduce bad id', 'INVALID_ID', { kind: 'reduce', id: -1, qty: 0 }],
      ['reduce zero qty', 'INVALID_QTY', { kind: 'reduce', id: 77, qty: 0 }],
      ['reduce fractional qty', 'INVALID_QTY', { kind: 'reduce', id: 1, qty: 1.5 }],
      ['reduce unsafe qty', 'INVALID_QTY', { kind: 'reduce', id: 1, qty: 2 ** 53 }],
      ['reduce missing qty', 'INVALID_QTY', { kind: 'reduce', id: 1 } as never],
      ['unknown reduce', 'UNKNOWN_ORDER', { kind: 'reduce', id: 77, qty: 1 }],
      [
        'zero expiresAt',
        'INVALID_EXPIRY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 0 },
      ],
      [
        'fractional expiresAt',
        'INVALID_EXPIRY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 1.5 },
      ],
      [
        'expiresAt on IOC',
        'INVALID_EXPIRY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 5, timeInForce: 'IOC' },
      ],
      [
        'expiresAt checked after STP mode',
        'INVALID_STP_MODE',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 0, stp: 'x' as never },
      ],
      [
        'duplicate before expiry',
        'DUPLICATE_ID',
        { kind: 'limit', id: 1, side: 'buy', price: 100, qty: 1, expiresAt: 5 },
      ],
      ['bad time', 'INVALID_TIME', { kind: 'advance-time', time: 1.5 }],
      ['NaN time', 'INVALID_TIME', { kind: 'advance-time', time: Number.NaN }],
      ['unsafe time', 'INVALID_TIME', { kind: 'advance-time', time: 2 ** 53 }],
      ['market without size', 'INVALID_QTY', { kind: 'market', id: 9, side: 'buy' }],
      [
        'market with qty and notional',
        'QTY_AND_NOTIONAL',
        { kind: 'market', id: 9, side: 'buy', qty: 1, notional: 0 },
      ],
      ['zero notional', 'INVALID_NOTIONAL', { kind: 'market', id: 9, side: 'buy', notional: 0 }],
      [
        'fractional notional',
        'INVALID_NOTIONAL',
        { kind: 'market', id: 9, side: 'buy', notional: 10.5 },
      ],
      [
        'unsafe notional',
        'INVALID_NOTIONAL',
        { kind: 'market', id: 9, side: 'sell', notional: 2 ** 53 },
      ],
      [
        'notional on bad side',
        'INVALID_SIDE',
        { kind: 'market', id: 9, side: 'x' as never, notional: 0 },
      ],
      [
        'FOK notional',
        'INVALID_TIF',
        { kind: 'market', id: 9, side: 'buy', notional: 100, timeInForce: 'FOK' },
      ],
      [
        'bad protection price',
        'INVALID_PRICE',
        { kind: 'market', id: 9, side: 'buy', notional: 100, protectionPrice: 100.5 },
      ],
      [
        'protection price out of band',
        'PRICE_OUT_OF_BAND',
        {
          kind: 'market',
          id: 9,
          side: 'buy',
          qty: 1,
          protectionPrice: 111,
          timeInForce: 'GTC' as never,
        },
      ],
      [
        'protection checked before TIF',
        'INVALID_PRICE',
        {
          kind: 'market',
          id: 9,
          side: 'buy',
          qty: 1,
          protectionPrice: 0,
          timeInForce: 'GTC' as never,
        },
      ],
      [
        'notional market duplicate id',
        'DUPLICATE_ID',
        { kind: 'market', id: 1, side: 'sell', notional: 100, protectionPrice: 90 },
      ],
    ];

    it.each(cases)('%s → %s (per-order API throws, batch API rejects)', (_label, code, command) => {
      const book = seeded();
      const before = dumpBook(book);
      const call = (): unknown => perOrderCall(book, command);
      expect(refusal(call)).toBe(code);
      expect(dumpBook(book)).toEqual(before);
      const id = (command as { id: number }).id;
      const reported = Number.isSafeInteger(id) && id > 0 ? id : 0;
      expect(book.apply([command])).toEqual([{ type: 'rejected', id: reported, code }]);
      expect(dumpBook(book)).toEqual(before);
    });

    it('BOOK_FULL refuses a GTC order when capacity is reached, but not IOC, FOK or market', () => {
      const book = seeded();
      book.limit({ id: 3, side: 'buy', price: 99, qty: 1 });
      const before = dumpBook(book);
      expect(refusal(() => book.limit({ id: 9, side: 'buy', price: 98, qty: 1 }))).toBe(
        'BOOK_FULL',
      );
      expect(refusal(() => book.limit({ id: 9, side: 'sell', price: 100, qty: 1 }))).toBe(
        'BOOK_FULL',
      );
      expect(book.apply([{ kind: 'limit', id: 9, side: 'buy', price: 98, qty: 1 }])).toEqual([
        { type: 'rejected', id: 9, code: 'BOOK_FULL' },
      ]);
      expect(dumpBook(book)).toEqual(before);
      const ioc = book.limit({ id: 9, side: 'sell', price: 100, qty: 1, timeInForce: 'IOC' });
      expect(ioc).toContainEqual(trade(1, 9, 'sell', 100, 1, 4, 0));
      expect(book.market({ id: 10, side: 'sell', qty: 1 })).toContainEqual(
        trade(1, 10, 'sell', 100, 1, 3, 0),
      );
    });

    it('rejects junk and unknown command kinds in a batch and goes on', () => {
      const book = seeded();
      const before = dumpBook(book);
      const events = book.apply([
        null as never,
        { kind: 'iceberg', id: 4 } as never,
        { kind: 'cancel', id: 1 },
      ]);
      expect(events).toEqual([
        { type: 'rejected', id: 0, code: 'INVALID_COMMAND' },
        { type: 'rejected', id: 4, code: 'INVALID_TYPE' },
        cxl(1, 'user', 5),
        lvl('buy', 100, 0, 0, 3),
      ]);
      expect(dumpBook(book).bids).toEqual(before.bids.slice(1));
    });

    it('refuses an invalid configuration', () => {
      const bad: Array<Partial<BookConfig>> = [
        { minPrice: 0 },
        { maxPrice: 50 },
        { minPrice: 1, maxPrice: 20_000_000 },
        { capacity: 0 },
        { capacity: 1.5 },
        { stpMode: 'nope' as never },
      ];
      for (const config of bad) expect(refusal(() => make(config))).toBe('INVALID_CONFIG');
    });
  });
}
