/**
 * The engines at their edges: one command with far more events than the
 * WASM event region holds, a fault inside the matcher, and level totals
 * that hidden iceberg reserves could push past 2^53-1. Each case runs on
 * every path (per-order, submit, apply, binary) and against the reference.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Book,
  type BookEvent,
  type Command,
  createBook,
  type EngineKind,
  openJournaledBook,
  restoreBook,
} from '../src/index';
import { BITS_SEQLOCK, GEO_BITS_TABLE, GEO_EV_CAPACITY, ORDER_NEXT } from '../src/wasm/codes';
import { CommandBuffer, type WasmBook } from '../src/wasm/index';
import { checkInvariants, dumpBook } from './support/book-state';
import { codeOf, perOrderCall } from './support/run-command';
import { tempDir } from './support/temp-dir';
import { encodedEvents, expectSameAsRef, wasmBook } from './support/wasm-book';

/** The raw exports of a book's matcher. */
function exportsOf(book: WasmBook): Record<string, (...args: number[]) => number> {
  return (book as unknown as { ex: Record<string, (...args: number[]) => number> }).ex;
}

/** The seqlock counter readers on other threads spin on (odd: a write is in progress). */
function seqlockOf(book: WasmBook): number {
  const at = exportsOf(book).geometry(GEO_BITS_TABLE) + BITS_SEQLOCK;
  return Atomics.load(new Int32Array(book.memory.buffer), at >> 2);
}

/** The events of `commands` through one of the WASM book's paths. */
type Path = (book: WasmBook, commands: readonly Command[]) => BookEvent[];

const PATHS: Record<string, Path> = {
  'per-order': (book, commands) => commands.flatMap((c) => perOrderCall(book, c)),
  submit: (book, commands) => commands.flatMap((c) => book.submit(c)),
  apply: (book, commands) => book.apply(commands),
  binary: (book, commands) => encodedEvents(book, commands),
};

/** `count` sell icebergs of `qty` showing 1 at price 50, then `sweep` (default: a market buy for all of it). */
function icebergSweep(count: number, qty: number, sweep?: Command): Command[] {
  const commands: Command[] = [];
  for (let i = 1; i <= count; i++) {
    commands.push({ kind: 'limit', id: i, side: 'sell', price: 50, qty, displayQty: 1, owner: 7 });
  }
  commands.push(sweep ?? { kind: 'market', id: 10_000, side: 'buy', qty: count * qty });
  return commands;
}

describe('one command with more events than the event region holds', () => {
  const config = { minPrice: 1, maxPrice: 100, capacity: 6 };

  it('the six-iceberg sweep: every path gives the reference events and an empty book', () => {
    const commands = icebergSweep(6, 1000);
    const expected = createBook({ ...config, engine: 'js' }).apply(commands);
    expect(expected.length).toBe(6 * 2 + 11_996);
    for (const [name, run] of Object.entries(PATHS)) {
      const book = wasmBook(config);
      const capacity = exportsOf(book).geometry(GEO_EV_CAPACITY);
      expect(expected.length, name).toBeGreaterThan(2 * capacity);
      const bytes = book.memory.buffer.byteLength;
      expect(run(book, commands), name).toEqual(expected);
      expect(book.size, name).toBe(0);
      expect(book.sequence, name).toBe(7);
      expect(book.memory.buffer.byteLength, name).toBe(bytes);
      expect(seqlockOf(book) % 2, name).toBe(0);
      book.checkInvariants();
      // the book goes on: a GTC order rests (no BOOK_FULL from leaked slots)
      for (let id = 20; id < 26; id++) book.limit({ id, side: 'buy', price: 10, qty: 1 });
      expect(book.size).toBe(6);
    }
  });

  it('decrement-and-cancel against icebergs (three events a refresh), by quantity and by notional', () => {
    const stp = { owner: 7, stp: 'decrement-and-cancel' } as const;
    for (const sweep of [
      { kind: 'market', id: 10_000, side: 'buy', qty: 6000, ...stp },
      { kind: 'market', id: 10_000, side: 'buy', notional: 50 * 6000, ...stp },
      { kind: 'market', id: 10_000, side: 'buy', notional: 50 * 6000 },
      { kind: 'limit', id: 10_000, side: 'buy', price: 60, qty: 7000, ...stp },
    ] as Command[]) {
      const commands = icebergSweep(6, 1000, sweep);
      // room for the limit sweep's remainder to rest
      const roomy = { ...config, capacity: 7 };
      const ref = createBook({ ...roomy, engine: 'js' });
      const expected = ref.apply(commands);
      expect(expected.length).toBeGreaterThan(12_000);
      for (const [name, run] of Object.entries(PATHS)) {
        const book = wasmBook(roomy);
        expect(run(book, commands), name).toEqual(expected);
        expectSameAsRef(book, ref, name);
      }
    }
  });

  it('a stop cascade re-entering a deep iceberg book', () => {
    const big = { minPrice: 1, maxPrice: 1000, capacity: 400 };
    const commands: Command[] = [];
    let id = 1;
    for (let i = 0; i < 150; i++) {
      commands.push({
        kind: 'limit',
        id: id++,
        side: 'sell',
        price: 500 + (i % 5),
        qty: 900,
        displayQty: 1,
      });
    }
    for (let i = 0; i < 100; i++) {
      commands.push({ kind: 'stop', id: id++, side: 'buy', trigger: 500 + (i % 3), qty: 700 });
    }
    commands.push({ kind: 'market', id: id++, side: 'buy', qty: 2 });
    const ref = createBook({ ...big, engine: 'js' });
    const expected = ref.apply(commands);
    for (const [name, run] of Object.entries(PATHS)) {
      const book = wasmBook(big);
      expect(expected.length).toBeGreaterThan(4 * exportsOf(book).geometry(GEO_EV_CAPACITY));
      expect(run(book, commands), name).toEqual(expected);
      expect(dumpBook(book), name).toEqual(dumpBook(ref));
    }
  });

  it('apply: a command whose getter calls the same book keeps each call’s events apart (the sweep after it spills)', () => {
    const run = (book: Book) => {
      let inner: BookEvent[] | undefined;
      const sweep = {
        // read first, before the command is checked: the call it makes runs first
        get kind() {
          inner ??= book.limit({ id: 99, side: 'buy', price: 10, qty: 1 });
          return 'market';
        },
        id: 10_000,
        side: 'buy',
        qty: 6000,
      } as unknown as Command;
      const events = book.apply(icebergSweep(6, 1000, sweep));
      return { events, inner, book: dumpBook(book) };
    };
    const expected = run(createBook({ ...config, capacity: 7, engine: 'js' }));
    expect(expected.inner).toHaveLength(2);
    expect(expected.events.length).toBe(6 * 2 + 11_996);
    const book = wasmBook({ ...config, capacity: 7 });
    expect(expected.events.length).toBeGreaterThan(2 * exportsOf(book).geometry(GEO_EV_CAPACITY));
    expect(run(book)).toEqual(expected);
    book.checkInvariants();
  });

  it('a binary sink that throws on a chunk handed over mid-command: that command completes, the batch stops, the error is rethrown', () => {
    const commands = [
      ...icebergSweep(6, 1000),
      { kind: 'limit', id: 500, side: 'buy', price: 10, qty: 1 },
    ] as Command[];
    const book = wasmBook(config);
    const buffer = new CommandBuffer();
    for (const c of commands) buffer.push(c);
    let calls = 0;
    expect(() =>
      book.applyEncoded(buffer, () => {
        calls++;
        // a command sent from inside the sink is refused: the sink throws that
        book.cancel(1);
      }),
    ).toThrow(/applyEncoded event callback/);
    // the first chunk was handed over mid-sweep; no chunk after it
    expect(calls).toBe(1);
    // the sweep completed (no half-applied command); the order after it did not run
    const ref = createBook({ ...config, engine: 'js' });
    ref.apply(commands.slice(0, 7));
    expect(dumpBook(book)).toEqual(dumpBook(ref));
    expect(book.sequence).toBe(7);
    expect(seqlockOf(book) % 2).toBe(0);
    book.checkInvariants();
    expect(book.limit({ id: 500, side: 'buy', price: 10, qty: 1 })).toHaveLength(2);
  });
});

describe('a fault inside the matcher', () => {
  /** A book whose first resting order's queue link points outside memory: the next sweep traps. */
  function corrupted(): WasmBook {
    const book = wasmBook({ minPrice: 1, maxPrice: 100, capacity: 8 });
    book.limit({ id: 1, side: 'sell', price: 50, qty: 1 });
    book.limit({ id: 2, side: 'sell', price: 50, qty: 1 });
    const at = exportsOf(book).findOrder(1);
    new Uint32Array(book.memory.buffer)[(at + ORDER_NEXT) >> 2] = 0xffff_fff0;
    return book;
  }

  it('is ENGINE_FAILED on every path; the book refuses everything after it and readers never hang', () => {
    for (const [name, run] of Object.entries(PATHS)) {
      const book = corrupted();
      expect(book.failed).toBe(false);
      const sweep: Command = { kind: 'market', id: 9, side: 'buy', qty: 2 };
      expect(
        codeOf(() => run(book, [sweep])),
        name,
      ).toBe('ENGINE_FAILED');
      expect(book.failed, name).toBe(true);
      expect(seqlockOf(book) % 2, name).toBe(0);
      for (const [other, again] of Object.entries(PATHS)) {
        const next: Command = { kind: 'limit', id: 10, side: 'buy', price: 1, qty: 1 };
        expect(
          codeOf(() => again(book, [next])),
          `${name} then ${other}`,
        ).toBe('ENGINE_FAILED');
      }
    }
  });

  it('an error thrown while reading the caller’s arguments is not a fault', () => {
    const book = wasmBook({ minPrice: 1, maxPrice: 100, capacity: 8 });
    const hostile = {
      kind: 'limit',
      id: 1,
      side: 'buy',
      qty: 1,
      get price(): number {
        throw new Error('getter failed');
      },
    };
    expect(() => book.limit(hostile as never)).toThrow('getter failed');
    expect(book.failed).toBe(false);
    expect(book.limit({ id: 1, side: 'buy', price: 1, qty: 1 })).toHaveLength(2);
  });
});

/** `plain` with `field` a getter: its value at the first read, -3 (never valid) at every later one. */
function flipping(plain: Command, field: string): Command {
  const value = (plain as unknown as Record<string, unknown>)[field];
  let reads = 0;
  return Object.defineProperty({ ...plain }, field, {
    get: () => (reads++ === 0 ? value : -3),
    enumerable: true,
  });
}

describe.each(['wasm', 'js'] as EngineKind[])(
  'a command whose getter answers differently at each read (%s engine)',
  (engine) => {
    const config = { minPrice: 1, maxPrice: 100, capacity: 8 };
    const script: [Command, string][] = [
      [{ kind: 'limit', id: 1, side: 'sell', price: 10, qty: 5 }, 'qty'],
      [{ kind: 'limit', id: 2, side: 'buy', price: 9, qty: 4 }, 'price'],
      [{ kind: 'limit', id: 3, side: 'buy', price: 8, qty: 40, displayQty: 4 }, 'displayQty'],
      [{ kind: 'stop', id: 4, side: 'buy', trigger: 12, qty: 2 }, 'qty'],
      [{ kind: 'stop', id: 5, side: 'sell', trigger: 7, price: 6, qty: 2 }, 'price'],
      [{ kind: 'modify', id: 1, qty: 3 }, 'qty'],
      [{ kind: 'modify', id: 2, price: 8 }, 'price'],
      [{ kind: 'reduce', id: 3, qty: 1 }, 'qty'],
      [{ kind: 'market', id: 6, side: 'buy', qty: 2 }, 'qty'],
      [{ kind: 'market', id: 7, side: 'sell', qty: 1 }, 'id'],
      [{ kind: 'cancel', id: 1 }, 'id'],
    ];
    const plain = script.map(([c]) => c);
    const hostile = () => script.map(([c, field]) => flipping(c, field));

    it('is checked and applied with the values first read, on every path: the book holds nothing no check saw', () => {
      const paths: Record<string, (book: Book, commands: readonly Command[]) => BookEvent[]> = {
        'per-order': (book, commands) => commands.flatMap((c) => perOrderCall(book, c)),
        submit: (book, commands) => commands.flatMap((c) => book.submit(c)),
        apply: (book, commands) => book.apply(commands),
      };
      const ref = createBook({ ...config, engine: 'js' });
      const expected = paths.apply(ref, plain);
      expect(expected.filter((e) => e.type === 'rejected')).toEqual([]);
      for (const [name, run] of Object.entries(paths)) {
        const book = createBook({ ...config, engine });
        expect(run(book, hostile()), name).toEqual(expected);
        expect(dumpBook(book), name).toEqual(dumpBook(ref));
        checkInvariants(book);
      }
    });
  },
);

const MAX = Number.MAX_SAFE_INTEGER;
/** The largest display quantity whose 1,000 slices are still a safe quantity. */
const D = Math.floor(MAX / 1000);

describe.each(['wasm', 'js'] as EngineKind[])(
  'level totals never pass 2^53-1 (%s engine)',
  (engine) => {
    const config = { minPrice: 1, maxPrice: 100, capacity: 10 };
    const dirs: string[] = [];
    afterEach(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    /** Every level's total and every order's quantity is a safe integer. */
    function allSafe(book: Book): void {
      for (const side of ['buy', 'sell'] as const) {
        for (const level of book.levels(side)) {
          expect(Number.isSafeInteger(level.qty)).toBe(true);
          for (const o of book.ordersAt(side, level.price)) {
            expect(Number.isSafeInteger(book.order(o.id)?.remaining)).toBe(true);
          }
        }
      }
    }

    it('an order that would let a refresh lift its level past the bound is refused with QTY_OVERFLOW', () => {
      const book = createBook({ ...config, engine });
      book.limit({ id: 1, side: 'sell', price: 5, qty: 1000 * D, displayQty: D });
      book.limit({ id: 2, side: 'buy', price: 5, qty: D - 1, timeInForce: 'IOC' });
      // shown: 1; held: 1000 D - (D - 1), all of which the level can come to show
      const before = dumpBook(book);
      expect(codeOf(() => book.limit({ id: 3, side: 'sell', price: 5, qty: MAX - 1 }))).toBe(
        'QTY_OVERFLOW',
      );
      expect(book.submit({ kind: 'limit', id: 3, side: 'sell', price: 5, qty: MAX - 1 })).toEqual([
        { type: 'rejected', id: 3, code: 'QTY_OVERFLOW' },
      ]);
      expect(dumpBook(book)).toEqual(before);
      // exactly up to the bound is fine, and every refresh after it stays safe
      const room = MAX - (1000 * D - (D - 1));
      book.limit({ id: 3, side: 'sell', price: 5, qty: room });
      book.limit({ id: 4, side: 'buy', price: 5, qty: 1, timeInForce: 'IOC' });
      expect(book.levels('sell')[0].qty).toBeLessThanOrEqual(MAX);
      allSafe(book);
      checkInvariants(book);
      // a modify that would grow an order past the room is refused too
      // the IOC took 1 lot: a modify may grow order 3 by exactly that, no more
      expect(codeOf(() => book.modify({ id: 3, qty: room + 2 }))).toBe('QTY_OVERFLOW');
      expect(codeOf(() => book.modify({ id: 3, qty: room + 1 }))).toBe(undefined);
      expect(book.levels('sell')[0].qty).toBeLessThanOrEqual(MAX);
    });

    it('the decrement-and-cancel refresh path is bounded the same way', () => {
      const book = createBook({ ...config, engine });
      book.limit({ id: 1, side: 'sell', price: 5, qty: 1000 * D, displayQty: D, owner: 9 });
      book.limit({
        id: 2,
        side: 'buy',
        price: 5,
        qty: D - 1,
        timeInForce: 'IOC',
        owner: 9,
        stp: 'decrement-and-cancel',
      });
      expect(codeOf(() => book.limit({ id: 3, side: 'sell', price: 5, qty: MAX - 1 }))).toBe(
        'QTY_OVERFLOW',
      );
      const room = MAX - (1000 * D - (D - 1));
      book.limit({ id: 3, side: 'sell', price: 5, qty: room });
      book.limit({
        id: 4,
        side: 'buy',
        price: 5,
        qty: 1,
        timeInForce: 'IOC',
        owner: 9,
        stp: 'decrement-and-cancel',
      });
      allSafe(book);
      checkInvariants(book);
    });

    it('a triggered stop that would pass the bound cancels its remainder instead of resting', () => {
      const book = createBook({ ...config, engine });
      book.limit({ id: 1, side: 'sell', price: 5, qty: 1000 * D, displayQty: D });
      book.limit({ id: 2, side: 'sell', price: 6, qty: 1 });
      book.stop({ id: 3, side: 'sell', trigger: 6, price: 5, qty: MAX - 1 });
      const events = book.limit({ id: 4, side: 'buy', price: 6, qty: 1, timeInForce: 'IOC' });
      expect(events.at(-1)).toEqual({
        type: 'cancelled',
        id: 3,
        reason: 'remainder',
        qty: MAX - 1,
        remaining: 0,
      });
      allSafe(book);
    });

    it('such a book checkpoints and recovers in either engine', () => {
      const dir = tempDir('edges');
      dirs.push(dir);
      const files = { journalPath: join(dir, 'b.journal'), snapshotPath: join(dir, 'b.snapshot') };
      const { book, sink } = openJournaledBook({ ...files, config, engine, fsync: 'never' });
      book.limit({ id: 1, side: 'sell', price: 5, qty: 1000 * D, displayQty: D });
      book.limit({ id: 2, side: 'buy', price: 5, qty: D - 1, timeInForce: 'IOC' });
      book.submit({ kind: 'limit', id: 3, side: 'sell', price: 5, qty: MAX - 1 });
      book.limit({ id: 3, side: 'sell', price: 5, qty: MAX - (1000 * D - (D - 1)) });
      book.checkpoint();
      book.limit({ id: 4, side: 'buy', price: 5, qty: 1, timeInForce: 'IOC' });
      const hash = book.stateHash();
      const snapshot = book.snapshot();
      sink.close();
      for (const other of ['wasm', 'js'] as EngineKind[]) {
        const again = openJournaledBook({ ...files, engine: other, fsync: 'never' });
        expect(again.book.stateHash()).toBe(hash);
        again.sink.close();
        expect(restoreBook(snapshot, { engine: other }).stateHash()).toBe(hash);
      }
    });
  },
);
