/**
 * How many consistent reads per second one {@link BookReader}
 * thread gets while the matching thread runs W1 on the same WASM book.
 */
import { performance } from 'node:perf_hooks';
import { createWasmBook } from 'tickbook';
import { generateW1, replayPerOrder, toCommandBuffer } from 'tickbook/workloads';
import { awaitReady, CTL_DONE, CTL_INTS, CTL_START, startBenchWorker } from './bench-worker';

/** Options of {@link measureReaderThroughput}. */
export interface ReaderThroughputOptions {
  /** W1 operations the writer runs while the reader reads. @defaultValue 1_000_000 */
  ops?: number;
  /** Levels per side in each read (1: top of book). @defaultValue 1 */
  depth?: number;
  /**
   * How the writer applies W1: one call per order (a seqlock window per
   * order) or binary batches (`applyEncoded`, a window per batch call: a command
   * region's worth of records, at most 4,096 events).
   * @defaultValue `'per-order'`
   */
  writer?: 'per-order' | 'batch';
}

/** What {@link measureReaderThroughput} measured. */
export interface ReaderThroughput {
  /** Consistent reads per second the reader completed while the writer ran. */
  readsPerSec: number;
  reads: number;
  /** Read attempts that overlapped a write and were retried. */
  retries: number;
  /** Orders per second the writer applied meanwhile. */
  writerOrdersPerSec: number;
  /** Orders per second the same writer applied with no reader (run just before, same process). */
  writerAloneOrdersPerSec: number;
  /** The writer's run time. */
  seconds: number;
}

/** What the reader worker reports (see bench-roles.ts). */
export interface ReaderReport {
  reads: number;
  retries: number;
  seconds: number;
}

/**
 * Run W1 on a WASM book on this thread while one reader worker reads its top
 * `depth` levels as fast as it can; resolves with reads per second.
 * Blocks this thread while the writer runs (it is the writer).
 * Needs the built bench (`npm run build`): the worker loads `dist/thread-roles.js`.
 */
export async function measureReaderThroughput(
  options: ReaderThroughputOptions = {},
): Promise<ReaderThroughput> {
  const ops = options.ops ?? 1_000_000;
  const depth = options.depth ?? 1;
  const w1 = generateW1({ ops });
  const encoded = options.writer === 'batch' ? toCommandBuffer(w1.ops) : undefined;
  const freshBook = () => {
    const b = createWasmBook({ minPrice: w1.minPrice, maxPrice: w1.maxPrice, capacity: 100_000 });
    replayPerOrder(b, w1.warmup);
    return b;
  };
  const write = (b: ReturnType<typeof freshBook>): number => {
    const t0 = performance.now();
    if (encoded) b.applyEncoded(encoded);
    else replayPerOrder(b, w1.ops);
    return (performance.now() - t0) / 1000;
  };
  const aloneSeconds = write(freshBook());
  const book = freshBook();
  const control = new Int32Array(new SharedArrayBuffer(4 * CTL_INTS));
  const { worker, result } = startBenchWorker<ReaderReport>({
    role: 'reader',
    control: control.buffer,
    descriptor: book.readerDescriptor(),
    depth,
  });
  try {
    awaitReady(control, 1);
    Atomics.store(control, CTL_START, 1);
    Atomics.notify(control, CTL_START);
    const seconds = write(book);
    Atomics.store(control, CTL_DONE, 1);
    const report = await result;
    return {
      readsPerSec: report.reads / report.seconds,
      reads: report.reads,
      retries: report.retries,
      writerOrdersPerSec: ops / seconds,
      writerAloneOrdersPerSec: ops / aloneSeconds,
      seconds,
    };
  } finally {
    await worker.terminate();
  }
}
