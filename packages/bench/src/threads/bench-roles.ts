/**
 * What the thread benchmarks' workers do (see bench-worker.ts): the worker
 * script imports this module's build (`dist/thread-roles.js`).
 */
import { performance } from 'node:perf_hooks';
import {
  BookReader,
  type BookReaderDescriptor,
  depthBufferLength,
  type RingDescriptor,
  RingProducer,
} from 'tickbook';
import { generateW1, toCommands } from 'tickbook/workloads';
import { CTL_DONE } from './bench-worker';
import type { ReaderReport } from './measure-reader';
import type { ProducerReport } from './measure-ring';

/**
 * Run one benchmark worker role; `ready` announces the worker and blocks
 * until the benchmark starts.
 */
export function runBenchWorker(
  data: Record<string, unknown>,
  ready: () => void,
): ReaderReport | ProducerReport {
  const control = new Int32Array(data.control as SharedArrayBuffer);
  if (data.role === 'reader') {
    const reader = new BookReader(data.descriptor as BookReaderDescriptor);
    const depth = data.depth as number;
    const out = new Float64Array(depthBufferLength(depth));
    ready();
    const t0 = performance.now();
    let reads = 0;
    // At least one read: on a busy machine a short writer run can finish
    // before this thread gets the CPU at all.
    do {
      reader.readDepth(out, depth);
      reads++;
    } while (Atomics.load(control, CTL_DONE) === 0);
    return { reads, retries: reader.retries, seconds: (performance.now() - t0) / 1000 };
  }
  // producer: its contiguous slice of the first `orders` W1 operations
  const { producer, producers, orders } = data as Record<string, number>;
  const p = new RingProducer(data.ring as RingDescriptor, producer);
  const w1 = generateW1({ ops: orders });
  const commands = toCommands(
    w1.ops,
    Math.floor((producer * orders) / producers),
    Math.floor(((producer + 1) * orders) / producers),
  );
  ready();
  let results = 0;
  let busy = 0;
  for (const command of commands) {
    if (p.tryPush(command)) continue;
    // Full: take what has come back, then wait for the consumer to free slots.
    busy++;
    do {
      while (p.takeResult()) results++;
    } while (!p.push(command, 10));
  }
  while (results < commands.length) {
    if (p.takeResult()) results++;
  }
  return { pushed: commands.length, results, busy };
}
