/** Rebuild a book, of any engine, from snapshot bytes. */
import type { Book } from '../book';
import { createBook } from '../create-book';
import { isRestorable, RESTORE } from '../internal';
import type { EngineKind } from '../types';
import { readSnapshot } from './snapshot';

/**
 * Rebuild a book from a snapshot: same queues, same id map, same sequence.
 * @param options.engine - which engine to restore into (any engine reads any snapshot).
 * @throws {@link TickbookError} `CORRUPT_DATA` (naming what no valid book could hold: see
 * snapshot-check.ts), `UNSUPPORTED_VERSION`; nothing half-restored is returned.
 */
export function restoreBook(bytes: Uint8Array, options: { engine?: EngineKind } = {}): Book {
  // Decode and check everything first, so a bad snapshot fails before any book exists.
  const s = readSnapshot(bytes);
  const book = createBook({ ...s.config, engine: options.engine });
  if (!isRestorable(book)) throw new Error(`engine ${book.engine} cannot restore snapshots`);
  book[RESTORE](s.orders, s.sequence, s.time, s.stops, s.lastPrice);
  return book;
}
