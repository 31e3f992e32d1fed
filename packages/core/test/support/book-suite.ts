/**
 * One scenario suite for every engine: `describeBook(name, factory)` runs each
 * rule of docs/semantics.md against fresh books and checks the exact events,
 * one file per topic in suite/. After every test, every book the test made
 * must still hold the book invariants (and, for a WASM book, its memory's own),
 * and `afterEachBook` may check more (a journaled book replays to itself).
 */
import { afterEach } from 'vitest';
import type { Book, BookConfig } from '../../src/index';
import { checkInvariants } from './book-state';
import { cancelModifySuite } from './suite/cancel-modify';
import { CONFIG } from './suite/events';
import { goodTillDateSuite } from './suite/good-till-date';
import { icebergSuite } from './suite/iceberg';
import { marketNotionalSuite } from './suite/market-notional';
import { matchingSuite } from './suite/matching';
import { reduceSuite } from './suite/reduce';
import { refusalsSuite } from './suite/refusals';
import { restingSuite } from './suite/resting';
import { selfTradeSuite } from './suite/self-trade';
import { stopsSuite } from './suite/stops';

export type BookFactory = (config: BookConfig) => Book;

export interface SuiteOptions {
  /** More checks on each book a test made, after the test. */
  afterEachBook?: (book: Book) => void;
}

export function describeBook(name: string, factory: BookFactory, options: SuiteOptions = {}): void {
  const made: Book[] = [];
  const make = (config: Partial<BookConfig> = {}) => {
    const book = factory({ ...CONFIG, ...config });
    made.push(book);
    return book;
  };
  afterEach(() => {
    for (const book of made.splice(0)) {
      checkInvariants(book);
      (book as { checkInvariants?: () => void }).checkInvariants?.();
      options.afterEachBook?.(book);
    }
  });

  restingSuite(name, make);
  matchingSuite(name, make);
  selfTradeSuite(name, make);
  cancelModifySuite(name, make);
  reduceSuite(name, make);
  marketNotionalSuite(name, make);
  goodTillDateSuite(name, make);
  icebergSuite(name, make);
  stopsSuite(name, make);
  refusalsSuite(name, make);
}
