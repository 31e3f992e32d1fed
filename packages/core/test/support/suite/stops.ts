/** The shared scenario suite: stop orders (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../../../src/index';
import { acc, bookWith, cxl, lvl, type MakeBook, refusal, trade } from './events';

export function stopsSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: stop orders`, () => {
    /** A stop's event: accepted as `stop-market`/`stop-limit`, triggered as `market`/`limit`. */
    const stopEvent =
      (type: 'accepted' | 'triggered', kindPrefix: '' | 'stop-') =>
      (id: number, side: 'buy' | 'sell', price: number | null, qty: number, trigger: number) =>
        ({
          type,
          id,
          side,
          orderType: `${kindPrefix}${price === null ? 'market' : 'limit'}`,
          price,
          qty,
          trigger,
        }) as BookEvent;
    const stopAcc = stopEvent('accepted', 'stop-');
    const trig = stopEvent('triggered', '');

    it('rests off-book until a trade reaches the trigger, then enters after the command matched', () => {
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 1 },
        { id: 2, side: 'sell', price: 101, qty: 1 },
        { id: 3, side: 'sell', price: 103, qty: 5 },
      ]);
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
      const book = bookWith(make, [
        { id: 1, side: 'buy', price: 100, qty: 1 },
        { id: 2, side: 'buy', price: 98, qty: 9 },
      ]);
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
      const book = bookWith(make, [{ id: 1, side: 'buy', price: 100, qty: 3 }]);
      book.market({ id: 2, side: 'sell', qty: 1 });
      expect(book.stop({ id: 3, side: 'sell', trigger: 100, qty: 1, timeInForce: 'FOK' })).toEqual([
        stopAcc(3, 'sell', null, 1, 100),
        trig(3, 'sell', null, 1, 100),
        trade(1, 3, 'sell', 100, 1, 1, 0),
        lvl('buy', 100, 1, 1, 3),
      ]);
    });

    it('cancels, reduces, modifies and expires untriggered stops without market data', () => {
      const book = bookWith(make, [{ id: 1, side: 'buy', price: 100, qty: 3 }]);
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
}
