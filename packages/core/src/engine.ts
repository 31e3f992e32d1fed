import type { Book } from './book';
import { createBook } from './create-book';
import { TickbookError } from './errors';
import type { BookConfig } from './types';

/**
 * A registry of books keyed by symbol: one process, many instruments, each
 * with its own configuration.
 *
 * @example
 * ```ts
 * const engine = new Engine();
 * engine.addBook('BTC-USD', { minPrice: 1, maxPrice: 1_000_000, capacity: 100_000 });
 * engine.book('BTC-USD').limit({ id: 1, side: 'buy', price: 50_000, qty: 2 });
 * ```
 */
export class Engine {
  private readonly books = new Map<string, Book>();

  /**
   * Create and register a book.
   * @throws {@link TickbookError} `DUPLICATE_SYMBOL`, or `INVALID_CONFIG`.
   */
  addBook(symbol: string, config: BookConfig): Book {
    if (typeof symbol !== 'string' || symbol.length === 0) {
      throw new TickbookError('INVALID_CONFIG', 'symbol must be a non-empty string');
    }
    if (this.books.has(symbol)) throw new TickbookError('DUPLICATE_SYMBOL', symbol);
    const book = createBook(config);
    this.books.set(symbol, book);
    return book;
  }

  /**
   * The book registered under `symbol`.
   * @throws {@link TickbookError} `UNKNOWN_SYMBOL`.
   */
  book(symbol: string): Book {
    const book = this.books.get(symbol);
    if (!book) throw new TickbookError('UNKNOWN_SYMBOL', String(symbol));
    return book;
  }

  /** True when a book is registered under `symbol`. */
  has(symbol: string): boolean {
    return this.books.has(symbol);
  }

  /**
   * Unregister a book.
   * @throws {@link TickbookError} `UNKNOWN_SYMBOL`.
   */
  removeBook(symbol: string): void {
    if (!this.books.delete(symbol)) throw new TickbookError('UNKNOWN_SYMBOL', String(symbol));
  }

  /** Registered symbols, in registration order. */
  symbols(): string[] {
    return [...this.books.keys()];
  }

  /** Number of registered books. */
  get size(): number {
    return this.books.size;
  }
}
