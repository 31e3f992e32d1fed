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
  TickbookError,
} from '../../src/index';
import { checkInvariants, dumpBook } from './book-state';

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
    ];

    it.each(cases)('%s → %s (per-order API throws, batch API rejects)', (_label, code, command) => {
      const book = seeded();
      const before = dumpBook(book);
      const call = (): unknown => {
        switch (command.kind) {
          case 'limit':
            return book.limit(command);
          case 'market':
            return book.market(command);
          case 'cancel':
            return book.cancel(command.id);
          case 'modify':
            return book.modify(command);
        }
      };
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
        { kind: 'stop', id: 4 } as never,
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
