/** The shared scenario suite: iceberg orders (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import { type BookEvent, type Command, restoreBook } from '../../../src/index';
import { checkInvariants, dumpBook } from '../book-state';
import { acc, bookWith, cxl, lvl, type MakeBook, mod, refusal, trade } from './events';

export function icebergSuite(name: string, make: MakeBook): void {
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
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 10, displayQty: 3 },
        { id: 2, side: 'sell', price: 100, qty: 2 },
      ]);
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
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 4 }]);
      expect(book.limit({ id: 2, side: 'buy', price: 100, qty: 10, displayQty: 2 })).toEqual([
        ice(2, 'buy', 100, 10, 2),
        trade(1, 2, 'buy', 100, 4, 0, 6),
        lvl('sell', 100, 0, 0, 2),
        lvl('buy', 100, 2, 1, 2),
      ]);
      expect(book.order(2)).toMatchObject({ remaining: 6, displayed: 2, displayQty: 2 });
    });

    it('FOK counts reserves a sweep would reach, and none behind a self-trade', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 6, displayQty: 2 },
        { id: 2, side: 'sell', price: 100, qty: 1, owner: 7 },
      ]);
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
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 5, displayQty: 2, owner: 1 },
      ]);
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
}
