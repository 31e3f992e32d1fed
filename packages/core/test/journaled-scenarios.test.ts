/**
 * The shared scenario suite over journaled books: every rule holds the same
 * through `JournaledBook`, and after every test its journal, replayed in the
 * other engine, rebuilds exactly the book the test left.
 */
import { expect } from 'vitest';
import { createBook, type EngineKind, JournaledBook, MemorySink, recover } from '../src/index';
import { describeBook } from './support/book-suite';

for (const [engine, other] of [
  ['wasm', 'js'],
  ['js', 'wasm'],
] as [EngineKind, EngineKind][]) {
  describeBook(
    `journaled ${engine}`,
    (config) => new JournaledBook(createBook({ ...config, engine }), new MemorySink()),
    {
      afterEachBook: (book) => {
        const journaled = book as JournaledBook;
        const journal = (journaled.sink as MemorySink).bytes();
        const replayed = recover({ journal, engine: other }).book;
        expect(replayed.stateHash()).toBe(journaled.stateHash());
        expect(replayed.sequence).toBe(journaled.sequence);
      },
    },
  );
}
