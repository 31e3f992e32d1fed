import type { Book } from './book';
import { resolveConfig } from './config';
import { ReferenceBook } from './reference/reference-book';
import type { BookConfig } from './types';
import { WasmBook } from './wasm/wasm-book';

/**
 * Create an order book for one instrument.
 *
 * @param config - price band in ticks, capacity, engine (`'wasm'` by default, `'js'` for the
 *   reference matcher) and default self-trade mode.
 * @throws {@link TickbookError} `INVALID_CONFIG` naming the bad field.
 *
 * @example
 * ```ts
 * const book = createBook({ minPrice: 1, maxPrice: 100_000, capacity: 100_000 });
 * book.limit({ id: 1, side: 'sell', price: 10_100, qty: 5 });
 * for (const e of book.limit({ id: 2, side: 'buy', price: 10_100, qty: 3 })) {
 *   if (e.type === 'trade') console.log(`${e.qty} @ ${e.price}`);
 * }
 * ```
 *
 * The return type follows the engine: a config without `engine` (or with
 * `engine: 'wasm'`) gives a {@link WasmBook}, whose binary batch calls
 * (`applyEncoded`) and `readerDescriptor` are then visible; `engine: 'js'`,
 * or an engine only known at run time, gives a {@link Book}.
 */
export function createBook(config: BookConfig & { engine?: 'wasm' }): WasmBook;
/** A book on the reference engine (see the first signature). */
export function createBook(config: BookConfig & { engine: 'js' }): Book;
/** A book on the engine `config.engine` names (see the first signature). */
export function createBook(config: BookConfig): Book;
export function createBook(config: BookConfig): Book {
  const resolved = resolveConfig(config);
  return resolved.engine === 'wasm' ? new WasmBook(resolved) : new ReferenceBook(resolved);
}
