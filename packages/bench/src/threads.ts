/**
 * Threads: reads per second of one `BookReader` worker while the
 * matching thread runs W1 on the same WASM book, and orders per second
 * through the command ring from 1 and 2 producer workers versus direct
 * `submit()` calls on one thread.
 */

import { fmtRate, progress, table } from './report';
import { measureReaderThroughput, type ReaderThroughput } from './threads/measure-reader';
import { measureRingThroughput, type RingThroughput } from './threads/measure-ring';

export interface ReaderResult extends ReaderThroughput {
  writer: 'per-order' | 'batch';
  depth: number;
}

export interface ThreadsResult {
  readers: ReaderResult[];
  ring: RingThroughput[];
}

export async function runThreads(quick: boolean): Promise<ThreadsResult> {
  const ops = quick ? 200_000 : 1_000_000;
  const readers: ReaderResult[] = [];
  for (const writer of ['per-order', 'batch'] as const) {
    for (const depth of [1, 10]) {
      progress(`threads · reader (depth ${depth}) while the writer runs W1 ${writer}`);
      readers.push({ writer, depth, ...(await measureReaderThroughput({ ops, depth, writer })) });
    }
  }
  const ring: RingThroughput[] = [];
  for (const producers of [1, 2]) {
    progress(`threads · command ring, ${producers} producer(s)`);
    ring.push(await measureRingThroughput(producers, ops));
  }
  return { readers, ring };
}

export function threadsText(t: ThreadsResult): string {
  const readers = table([
    ['writer', 'levels read', 'reads/s', 'retries', 'writer orders/s', 'writer alone'],
    ...t.readers.map((r) => [
      `W1 ${r.writer}`,
      String(r.depth),
      fmtRate(r.readsPerSec),
      r.retries.toLocaleString(),
      fmtRate(r.writerOrdersPerSec),
      fmtRate(r.writerAloneOrdersPerSec),
    ]),
  ]);
  const ring = table([
    [
      'producers',
      'orders',
      'ring orders/s',
      'direct submit orders/s',
      'ring ÷ direct',
      'busy waits',
    ],
    ...t.ring.map((r) => [
      String(r.producers),
      r.orders.toLocaleString(),
      fmtRate(r.ringOrdersPerSec),
      fmtRate(r.directOrdersPerSec),
      `${(r.ringOrdersPerSec / r.directOrdersPerSec).toFixed(2)}×`,
      r.busy.toLocaleString(),
    ]),
  ]);
  return `${readers}\n(one reader worker; a batch writer holds the lock for one call, up to 4,096 events, and holds off its next call while a reader waits)\n\n${ring}`;
}
