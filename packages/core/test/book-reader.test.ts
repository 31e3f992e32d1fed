/**
 * BookReader on one thread: after any command sequence, what it reads from
 * the shared memory equals the writer's own `depth()` and `sequence`; the
 * writer's seqlock moves by one window per change and not at all on a
 * refusal. (The threaded test is book-reader-threads.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BookReader,
  type BookReaderDescriptor,
  CommandBuffer,
  createWasmBook,
  depthBufferLength,
  type WasmBook,
} from '../src/index';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';
import { runCommand } from './support/run-command';

const seqlock = (d: BookReaderDescriptor) => new Int32Array(d.buffer)[(d.bitsTable + 48) >> 2];

/** Everything the reader gives, compared with the writer's own answers. */
function expectSameView(book: WasmBook, reader: BookReader, limit: number): void {
  const view = reader.depth(limit);
  expect({ bids: view.bids, asks: view.asks }).toEqual(book.depth(limit));
  expect(view.sequence).toBe(book.sequence);
  expect(reader.sequence()).toBe(book.sequence);
  const top = reader.topOfBook();
  expect(top.bid).toEqual(book.bestBid());
  expect(top.ask).toEqual(book.bestAsk());
}

describe('BookReader (one thread)', () => {
  it('reads what depth() and sequence say after random commands, per-order or batched', () => {
    const space = commandSpace();
    fc.assert(
      fc.property(
        commandsArbitrary(space),
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        (commands, batched, limit) => {
          const book = createWasmBook(space.config);
          const reader = new BookReader(book.readerDescriptor());
          expectSameView(book, reader, limit);
          if (batched) {
            book.apply(commands);
            expectSameView(book, reader, limit);
            return;
          }
          for (const command of commands) {
            runCommand(book, command);
            expectSameView(book, reader, limit);
          }
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('walks every height of bitset pyramid (bands of 1 to 16,777,216 ticks)', () => {
    const bands = [1, 63, 64, 65, 4_096, 4_097, 300_000, 16_777_216];
    fc.assert(
      fc.property(
        fc.constantFrom(...bands),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 50 }),
        (ticks, draws, limit) => {
          const book = createWasmBook({ minPrice: 1, maxPrice: ticks, capacity: 64 });
          const reader = new BookReader(book.readerDescriptor());
          let id = 0;
          for (const [u, cancelOne] of draws) {
            const price = 1 + Math.min(ticks - 1, Math.floor(u * ticks));
            if (cancelOne && id > 0) {
              const victim = 1 + Math.floor(u * id);
              if (book.has(victim)) book.cancel(victim);
            } else {
              // A sell at or below the best bid trades instead of resting: both are fine.
              book.limit({ id: ++id, side: u < 0.5 ? 'buy' : 'sell', price, qty: 1 + id });
            }
            expectSameView(book, reader, limit);
          }
        },
      ),
      { numRuns: Math.max(50, PROPERTY_RUNS / 10) },
    );
  });

  it('fills the caller buffer without allocating: sequence, counts, then triples', () => {
    const book = createWasmBook({ minPrice: 100, maxPrice: 200, capacity: 16 });
    book.limit({ id: 1, side: 'buy', price: 120, qty: 5 });
    book.limit({ id: 2, side: 'buy', price: 110, qty: 3 });
    book.limit({ id: 3, side: 'buy', price: 110, qty: 4 });
    book.limit({ id: 4, side: 'sell', price: 130, qty: 2 });
    const reader = new BookReader(book.readerDescriptor());
    const out = new Float64Array(depthBufferLength(2));
    expect(out.length).toBe(15);
    expect(reader.readDepth(out, 2)).toBe(12);
    expect([...out.subarray(0, 12)]).toEqual([4, 2, 1, 120, 5, 1, 110, 7, 2, 130, 2, 1]);
    expect(reader.retries).toBe(0);
  });

  it('opens one write window per change (a command, or a binary batch call), none for a refusal', () => {
    const book = createWasmBook({ minPrice: 1, maxPrice: 10, capacity: 4 });
    const d = book.readerDescriptor();
    expect(seqlock(d)).toBe(0);
    book.limit({ id: 1, side: 'buy', price: 5, qty: 1 });
    expect(seqlock(d)).toBe(2);
    expect(() => book.cancel(99)).toThrow();
    expect(seqlock(d)).toBe(2);
    // apply runs object commands one export call each: a window per applied command
    book.apply([
      { kind: 'cancel', id: 1 },
      { kind: 'cancel', id: 98 },
      { kind: 'limit', id: 2, side: 'sell', price: 6, qty: 1 },
    ]);
    expect(seqlock(d)).toBe(6);
    expect(new BookReader(d).sequence()).toBe(3);
    // the binary path applies a command region's worth in one window
    const buffer = new CommandBuffer();
    buffer.cancel(2);
    buffer.limit(3, 0, 5, 1);
    book.applyEncoded(buffer);
    expect(seqlock(d)).toBe(8);
    expect(new BookReader(d).sequence()).toBe(5);
  });

  it('hands over a descriptor that survives structured cloning (workerData)', () => {
    const book = createWasmBook({ minPrice: 1, maxPrice: 10, capacity: 4 });
    const clone = structuredClone(book.readerDescriptor());
    book.limit({ id: 1, side: 'sell', price: 7, qty: 3 });
    expect(new BookReader(clone).topOfBook()).toEqual({
      bid: undefined,
      ask: { price: 7, qty: 3, count: 1 },
      sequence: 1,
    });
  });
});
