/**
 * Readers and a busy batch writer: a BookReader that keeps finding the book
 * inside a write window says so in the shared `waiting` counter until its read
 * succeeds, and the WASM writer holds off its next batch window while that
 * counter is non-zero (briefly, bounded). The reader side is driven here by
 * holding a write window open by hand, so nothing depends on timing; the
 * bench (threads section) shows what it does for reads per second.
 *
 * The worker loads ../dist: the root test command builds first.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createBook, type SequencedDepth } from '../src/index';
import { ANNOUNCE_ATTEMPTS } from '../src/threads/book-reader';
import { BITS_READERS_WAITING, BITS_SEQLOCK } from '../src/wasm/codes';
import { CommandBuffer, type WasmBook } from '../src/wasm/index';

const config = { minPrice: 1, maxPrice: 1_000, capacity: 1_000 };

function bookWithOrders(): WasmBook {
  const book = createBook({ ...config, engine: 'wasm' }) as WasmBook;
  for (let i = 1; i <= 20; i++) {
    book.limit({ id: i, side: i % 2 ? 'buy' : 'sell', price: i % 2 ? 500 - i : 500 + i, qty: i });
  }
  return book;
}

function counters(book: WasmBook) {
  const d = book.readerDescriptor();
  const i32 = new Int32Array(d.buffer);
  return {
    descriptor: d,
    i32,
    seqlock: (d.bitsTable + BITS_SEQLOCK) >> 2,
    waiting: (d.bitsTable + BITS_READERS_WAITING) >> 2,
  };
}

describe('BookReader and a busy batch writer', () => {
  it('a reader stuck behind a write window counts itself waiting, and leaves the count once its read succeeds', async () => {
    const book = bookWithOrders();
    const { descriptor, i32, seqlock, waiting } = counters(book);
    expect(Atomics.load(i32, waiting)).toBe(0);
    Atomics.add(i32, seqlock, 1); // a write window opens (odd) and stays open
    const worker = new Worker(resolve(import.meta.dirname, 'fixtures/reader-once.mjs'), {
      workerData: { descriptor, levels: 3 },
    });
    const answer = new Promise<{ view: SequencedDepth; retries: number }>((done, fail) => {
      worker.once('message', done);
      worker.once('error', fail);
    });
    let posted = false;
    void answer.then(() => {
      posted = true;
    });
    try {
      // the reader spins, then announces itself (it does not notify: poll,
      // bounded so that a reader that never announces fails the test)
      for (let k = 0; k < 10_000 && Atomics.load(i32, waiting) === 0; k++) {
        Atomics.wait(i32, waiting, 0, 1);
      }
      expect(Atomics.load(i32, waiting)).toBe(1);
      expect(posted).toBe(false); // no read can complete inside the window
    } finally {
      Atomics.sub(i32, seqlock, 1); // the window closes
    }
    const { view, retries } = await answer;
    await worker.terminate();
    expect(retries).toBeGreaterThanOrEqual(ANNOUNCE_ATTEMPTS);
    expect(Atomics.load(i32, waiting)).toBe(0);
    const d = book.depth(3);
    expect({ bids: view.bids, asks: view.asks }).toEqual({ bids: d.bids, asks: d.asks });
    expect(view.sequence).toBe(book.sequence);
  });

  it('a batch writer with readers waiting still applies everything, the same way, and leaves the count to the readers', () => {
    const commands = new CommandBuffer();
    for (let i = 0; i < 5_000; i++) {
      commands.limit(
        100 + i,
        i % 2 === 0 ? 0 : 1,
        i % 2 === 0 ? 400 + (i % 50) : 450 + (i % 50),
        3,
      );
    }
    const plain = bookWithOrders();
    const expected = plain.applyEncodedEvents(commands);
    const book = bookWithOrders();
    const { i32, waiting } = counters(book);
    Atomics.store(i32, waiting, 1); // a reader that never shows up to read
    expect(book.applyEncodedEvents(commands)).toEqual(expected);
    expect(Atomics.load(i32, waiting)).toBe(1);
    expect(book.stateHash()).toBe(plain.stateHash());
  });
});
