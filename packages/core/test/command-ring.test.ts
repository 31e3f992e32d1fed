import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Command,
  type CommandResult,
  createBook,
  createCommandRing,
  RingConsumer,
  RingProducer,
  WasmBook,
} from '../src/index';
import { generateW1, toCommands } from '../src/workloads/index';
import { dumpBook } from './support/book-state';
import { commandSpace, commandsArbitrary, PROPERTY_RUNS } from './support/commands';

/** Push `commands` through a fresh ring into `book`; every result, in push order. */
function throughRing(
  book: ReturnType<typeof createBook>,
  commands: readonly Command[],
  withEvents: boolean,
): CommandResult[] {
  const ring = createCommandRing({ slots: 4096, producers: 1, inFlight: 4096 });
  const producer = new RingProducer(ring, 0);
  const consumer = new RingConsumer(ring);
  const results: CommandResult[] = [];
  for (let start = 0; start < commands.length; start += 4096) {
    for (const c of commands.slice(start, start + 4096)) expect(producer.tryPush(c)).toBe(true);
    consumer.drain(book, undefined, withEvents ? () => {} : undefined);
    for (let r = producer.takeResult(); r; r = producer.takeResult()) results.push(r);
  }
  return results;
}

describe('command ring (one thread)', () => {
  it('applies commands in push order and returns each result to its producer', () => {
    const ring = createCommandRing({ slots: 8, producers: 2, inFlight: 8 });
    const a = new RingProducer(ring, 0);
    const b = new RingProducer(ring, 1);
    const consumer = new RingConsumer(ring);
    const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 100 });
    expect(a.tryPush({ kind: 'limit', id: 1, side: 'sell', price: 100, qty: 5 })).toBe(true);
    expect(b.tryPush({ kind: 'limit', id: 2, side: 'buy', price: 100, qty: 3 })).toBe(true);
    expect(b.tryPush({ kind: 'cancel', id: 99 })).toBe(true);
    expect(a.takeResult()).toBeUndefined();
    expect(consumer.drain(book)).toBe(3);
    expect(a.takeResult()).toEqual({
      applied: true,
      code: undefined,
      trades: 0,
      filled: 0,
      open: 5,
    });
    expect(b.takeResult()).toEqual({
      applied: true,
      code: undefined,
      trades: 1,
      filled: 3,
      open: 0,
    });
    expect(b.takeResult()).toEqual({
      applied: false,
      code: 'UNKNOWN_ORDER',
      trades: 0,
      filled: 0,
      open: 0,
    } satisfies CommandResult);
    expect(book.bestAsk()).toEqual({ price: 100, qty: 2, count: 1 });
  });

  it('says busy when full, drops nothing, and takes commands again once drained', () => {
    const ring = createCommandRing({ slots: 4, producers: 1, inFlight: 16 });
    const p = new RingProducer(ring, 0);
    const consumer = new RingConsumer(ring);
    const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 100 });
    const order = (id: number): Command => ({ kind: 'limit', id, side: 'buy', price: id, qty: 1 });
    for (let id = 1; id <= 4; id++) expect(p.tryPush(order(id))).toBe(true);
    expect(p.tryPush(order(5))).toBe(false);
    expect(p.push(order(5), 5)).toBe(false); // waits, times out, enqueues nothing
    expect(consumer.drain(book, 2)).toBe(2);
    expect(p.tryPush(order(5))).toBe(true);
    expect(p.tryPush(order(6))).toBe(true);
    expect(consumer.drain(book)).toBe(4);
    expect(book.levels('buy').map((l) => l.price)).toEqual([6, 5, 4, 3, 2, 1]);
    let results = 0;
    while (p.takeResult()) results++;
    expect(results).toBe(6);
  });

  it('lets an idle consumer sleep until a command is published', () => {
    const ring = createCommandRing({ slots: 4, producers: 1, inFlight: 4 });
    const p = new RingProducer(ring, 0);
    const consumer = new RingConsumer(ring);
    expect(consumer.wait(1)).toBe(false); // nothing came: timed out
    expect(p.tryPush({ kind: 'cancel', id: 1 })).toBe(true);
    expect(consumer.wait(60_000)).toBe(true); // already there: no sleep
    expect(consumer.drain(createBook({ minPrice: 1, maxPrice: 10, capacity: 1 }))).toBe(1);
  });

  it('a command whose getter throws is not enqueued and does not stall the ring', () => {
    const ring = createCommandRing({ slots: 4, producers: 1 });
    const p = new RingProducer(ring, 0);
    const consumer = new RingConsumer(ring);
    const book = createBook({ engine: 'wasm', minPrice: 1, maxPrice: 1000, capacity: 100 });
    const broken = {
      kind: 'limit',
      side: 'buy',
      price: 100,
      qty: 5,
      get id(): number {
        throw new Error('no id');
      },
    } as unknown as Command;
    expect(() => p.tryPush(broken)).toThrow('no id');
    expect(p.pending).toBe(0);
    expect(p.tryPush({ kind: 'limit', id: 7, side: 'buy', price: 100, qty: 5 })).toBe(true);
    expect(consumer.drain(book)).toBe(1);
    expect(p.takeResult()).toMatchObject({ applied: true, open: 5 });
    expect(book.has(7)).toBe(true);
  });

  it('limits a producer to its in-flight results, so the consumer never blocks', () => {
    const ring = createCommandRing({ slots: 16, producers: 1, inFlight: 2 });
    const p = new RingProducer(ring, 0);
    expect(p.tryPush({ kind: 'cancel', id: 1 })).toBe(true);
    expect(p.tryPush({ kind: 'cancel', id: 2 })).toBe(true);
    expect(p.tryPush({ kind: 'cancel', id: 3 })).toBe(false);
    expect(p.pending).toBe(2);
  });
});

describe('command ring: the WASM fast path (records straight into the book)', () => {
  it('gives the same results and book as applying decoded commands one by one', () => {
    const space = commandSpace();
    fc.assert(
      fc.property(commandsArbitrary(space, 120), (commands) => {
        const fast = createBook({ ...space.config, engine: 'wasm' });
        const slow = createBook({ ...space.config, engine: 'js' });
        expect(fast).toBeInstanceOf(WasmBook);
        expect(throughRing(fast, commands, false)).toEqual(throughRing(slow, commands, true));
        expect(dumpBook(fast)).toEqual(dumpBook(slow));
        expect(fast.sequence).toBe(slow.sequence);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('splits W1 across command-region batches and event chunks without losing a result', () => {
    const w1 = generateW1({ ops: 20_000 });
    const config = { minPrice: w1.minPrice, maxPrice: w1.maxPrice, capacity: 20_000 };
    const commands = [...toCommands(w1.warmup), ...toCommands(w1.ops)];
    const fast = createBook({ ...config, engine: 'wasm' });
    const slow = createBook({ ...config, engine: 'wasm' });
    const results = throughRing(fast, commands, false);
    expect(results).toHaveLength(commands.length);
    expect(results).toEqual(throughRing(slow, commands, true));
    expect(fast.stateHash()).toBe(slow.stateHash());
  });
});

describe('command ring (worker threads)', () => {
  it('N producers × M orders: every order applied and answered exactly once', async () => {
    const producers = 3;
    const count = 5_000;
    const ring = createCommandRing({ slots: 256, producers, inFlight: 512 });
    const consumer = new RingConsumer(ring);
    const book = createBook({ minPrice: 1, maxPrice: 1000, capacity: 100_000 });
    const seen = new Map<number, number>();
    const script = resolve(import.meta.dirname, 'fixtures/ring-producer.mjs');
    const workers = Array.from(
      { length: producers },
      (_, producer) => new Worker(script, { workerData: { ring, producer, count } }),
    );
    const reports = workers.map(
      (w) =>
        new Promise<{ producer: number; results: CommandResult[] }>((done, fail) => {
          w.once('message', done);
          w.once('error', fail);
        }),
    );
    let applied = 0;
    for (let spins = 0; applied < producers * count && spins < 10_000_000; spins++) {
      applied += consumer.drain(book, 64, (events) => {
        const first = events[0];
        const id = first.type === 'accepted' ? first.id : first.type === 'cancelled' ? first.id : 0;
        if (first.type === 'accepted') seen.set(id, (seen.get(id) ?? 0) + 1);
      });
      if (applied < producers * count) await new Promise((r) => setImmediate(r));
    }
    const done = await Promise.all(reports);
    await Promise.all(workers.map((w) => w.terminate()));
    expect(applied).toBe(producers * count);
    for (const { results } of done) expect(results).toHaveLength(count);
    // Every limit order was accepted exactly once (cancels are every 7th command).
    const limits = producers * (count - Math.floor((count + 1) / 7));
    expect(seen.size).toBe(limits);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const accepted = done.flatMap((r) => r.results).filter((r) => r.applied).length;
    expect(accepted).toBeGreaterThanOrEqual(limits);
  });
});
