/** The shared scenario suite: good-till-date and time (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import { type BookEvent, restoreBook } from '../../../src/index';
import { checkInvariants } from '../book-state';
import { acc, bookWith, lvl, type MakeBook, refusal, trade } from './events';

export function goodTillDateSuite(name: string, make: MakeBook): void {
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
      const book = bookWith(make, [
        { id: 5, side: 'buy', price: 99, qty: 1, expiresAt: 20 },
        { id: 3, side: 'sell', price: 104, qty: 2, expiresAt: 20 },
        { id: 4, side: 'buy', price: 99, qty: 3, expiresAt: 10 },
        { id: 1, side: 'buy', price: 99, qty: 4, expiresAt: 30 },
        { id: 2, side: 'sell', price: 104, qty: 1 },
      ]);
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
      const book = bookWith(make, [
        { id: 1, side: 'sell', price: 100, qty: 5, expiresAt: 10 },
        { id: 2, side: 'sell', price: 101, qty: 5, expiresAt: 10 },
        { id: 3, side: 'sell', price: 102, qty: 5, expiresAt: 10 },
        { id: 9, side: 'buy', price: 100, qty: 2 }, // fills 2 of order 1
      ]);
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
      const book = bookWith(make, [{ id: 1, side: 'sell', price: 100, qty: 2 }]);
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
}
