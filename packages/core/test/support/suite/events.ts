/**
 * What every scenario file of the shared suite uses: the book factory type,
 * the default config, and compact event builders so expectations read like
 * docs/semantics.md.
 */
import { expect } from 'vitest';
import {
  type Book,
  type BookConfig,
  type BookEvent,
  type ErrorCode,
  isTickbookError,
  TickbookError,
} from '../../../src/index';

export type BookFactory = (config: BookConfig) => Book;

export const CONFIG: BookConfig = { minPrice: 90, maxPrice: 110, capacity: 6 };

// Compact event builders so expectations read like the semantics page.
export const acc = (
  id: number,
  side: 'buy' | 'sell',
  price: number | null,
  qty: number,
): BookEvent => ({
  type: 'accepted',
  id,
  side,
  orderType: price === null ? 'market' : 'limit',
  price,
  qty,
});
export const trade = (
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
export const lvl = (
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
export const cxl = (
  id: number,
  reason: 'user' | 'remainder' | 'fok-unfilled' | 'self-trade' | 'post-only',
  qty: number,
  remaining = 0,
): BookEvent => ({ type: 'cancelled', id, reason, qty, remaining });
export const mod = (
  id: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  priorityKept: boolean,
): BookEvent => ({ type: 'modified', id, side, price, qty, priorityKept });

export function refusal(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TickbookError);
    if (isTickbookError(e)) return e.code;
  }
  return undefined;
}

/** A fresh book of the engine under test: the suite's config, with `config` over it. */
export type MakeBook = (config?: Partial<BookConfig>) => Book;

/** A fresh book after these limit orders, placed one after the other. */
export function bookWith(make: MakeBook, orders: Parameters<Book['limit']>[0][]): Book {
  const book = make();
  for (const order of orders) book.limit(order);
  return book;
}

/** Two bids at 100 (ids 1 then 2) and one at 98 (id 3), 5 each: sequence 3. */
export const threeBids = (make: MakeBook): Book =>
  bookWith(make, [
    { id: 1, side: 'buy', price: 100, qty: 5 },
    { id: 2, side: 'buy', price: 100, qty: 5 },
    { id: 3, side: 'buy', price: 98, qty: 5 },
  ]);
