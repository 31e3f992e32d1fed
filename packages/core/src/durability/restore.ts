/** Rebuild a book, of any engine, from snapshot bytes. */
import type { Book } from '../book';
import { createBook } from '../create-book';
import { isRestorable, RESTORE } from '../internal';
import type { EngineKind } from '../types';
import { decodeSnapshot } from './snapshot';

/**
 * Rebuild a book from a snapshot: same queues, same id map, same sequence.
 * @param options.engine - which engine to restore into (any engine reads any snapshot).
 * @throws {@link TickbookError} `CORRUPT_DATA`, `UNSUPPORTED_VERSION`; nothing half-restored is returned.
 */
export function restoreBook(bytes: Uint8Array, options: { engine?: EngineKind } = {}): Book {
  const snapshot = decodeSnapshot(bytes);
  // Decode every order first, so a corrupt record fails before any book exists.
  const orders = [...snapshot.orders()];
  const stops = [...snapshot.stops()];
  const book = createBook({ ...snapshot.config, engine: options.engine });
  if (!isRestorable(book)) throw new Error(`engine ${book.engine} cannot restore snapshots`);
  book[RESTORE](orders, snapshot.sequence, snapshot.time, stops, snapshot.lastPrice);
  return book;
}
