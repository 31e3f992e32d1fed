/**
 * Orders per second through the command ring from 1 or more
 * producer threads into a WASM book on this thread, against the same orders
 * applied by direct calls.
 */
import { performance } from 'node:perf_hooks';
import { createCommandRing, createWasmBook, RingConsumer } from 'tickbook';
import { generateW1, replayPerOrder, toCommands } from 'tickbook/workloads';
import { awaitReady, CTL_INTS, CTL_START, startBenchWorker } from './bench-worker';

/** What {@link measureRingThroughput} measured. */
export interface RingThroughput {
  producers: number;
  orders: number;
  /** Orders per second applied from the ring, results posted back, all producers together. */
  ringOrdersPerSec: number;
  /** The same orders through `book.submit()` on one thread. */
  directOrdersPerSec: number;
  /** Times a producer found the ring full (or its results unread) and had to wait. */
  busy: number;
}

/** What a producer worker reports (see bench-roles.ts). */
export interface ProducerReport {
  pushed: number;
  results: number;
  busy: number;
}

/**
 * Split the first `orders` W1 operations among `producers` worker threads
 * (contiguous slices), push them through a command ring and apply them on
 * this thread; then apply the same operations with direct `submit()` calls
 * on a fresh book (twice; the first pass warms the JIT up). Blocks this
 * thread while it drains (it is the matching thread; it sleeps in
 * `RingConsumer.wait` when the ring stays empty). Needs the built bench: the
 * workers load `dist/thread-roles.js`.
 * @param producers - producer threads.
 * @param orders - W1 operations, all producers together. @defaultValue 1_000_000
 */
export async function measureRingThroughput(
  producers: number,
  orders = 1_000_000,
): Promise<RingThroughput> {
  if (!Number.isInteger(producers) || producers < 1) {
    throw new RangeError('measureRingThroughput: producers must be a positive integer');
  }
  const w1 = generateW1({ ops: orders });
  const config = { minPrice: w1.minPrice, maxPrice: w1.maxPrice, capacity: 100_000 };

  // Direct calls first (same thread, same orders, same warm-up); the first
  // pass only warms the JIT up.
  const commands = toCommands(w1.ops);
  let t0 = 0;
  let directSeconds = 0;
  for (let pass = 0; pass < 2; pass++) {
    const direct = createWasmBook(config);
    replayPerOrder(direct, w1.warmup);
    t0 = performance.now();
    for (const c of commands) direct.submit(c);
    directSeconds = (performance.now() - t0) / 1000;
  }

  const book = createWasmBook(config);
  replayPerOrder(book, w1.warmup);
  const ring = createCommandRing({ producers });
  const consumer = new RingConsumer(ring);
  const control = new Int32Array(new SharedArrayBuffer(4 * CTL_INTS));
  const workers = Array.from({ length: producers }, (_, producer) =>
    startBenchWorker<ProducerReport>({
      role: 'producer',
      control: control.buffer,
      ring,
      producer,
      producers,
      orders,
    }),
  );
  try {
    awaitReady(control, producers);
    Atomics.store(control, CTL_START, 1);
    Atomics.notify(control, CTL_START);
    t0 = performance.now();
    for (let applied = 0, idle = 0; applied < orders; ) {
      const n = consumer.drain(book, 1024);
      applied += n;
      // Empty for a while: sleep until a producer publishes (gives the core back).
      if (n > 0) idle = 0;
      else if (++idle > 64) consumer.wait(1);
    }
    const ringSeconds = (performance.now() - t0) / 1000;
    const reports = await Promise.all(workers.map((w) => w.result));
    const results = reports.reduce((n, r) => n + r.results, 0);
    if (results !== orders) throw new Error(`ring benchmark: ${results} results for ${orders}`);
    return {
      producers,
      orders,
      ringOrdersPerSec: orders / ringSeconds,
      directOrdersPerSec: orders / directSeconds,
      busy: reports.reduce((n, r) => n + r.busy, 0),
    };
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
