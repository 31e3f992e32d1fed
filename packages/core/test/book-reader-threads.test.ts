/**
 * BookReader across threads: a writer worker runs W1 on a WASM book while two
 * reader workers read it continuously from the shared memory and check every
 * read: never crossed, levels strictly ordered, positive quantities and
 * counts, the sequence never going back, and equal to the book as it stood at
 * that sequence (each reader replays the same W1 stream on a replica). After
 * each chunk of W1 the writer parks at a quiet point and each reader's view
 * must equal the writer's own depth exactly. Bounded by operation counts, not
 * by time. (With the writer's seqlock switched off, the readers report
 * thousands of violations per run.)
 *
 * The workers load ../dist (Node 20 cannot run .ts workers): the root test
 * command builds first.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { BookReaderDescriptor } from '../src/index';
// @ts-expect-error -- a plain .mjs helper shared with the workers
import { createControl } from './fixtures/book-threads-control.mjs';

interface ReaderStats {
  reads: number;
  deepReads: number;
  quietChecks: number;
  sequences: number;
  violations: number;
  first: string[];
  retries: number;
}

const fixture = (name: string) => resolve(import.meta.dirname, 'fixtures', name);

function finished<T>(worker: Worker, type?: string): Promise<T> {
  return new Promise((done, fail) => {
    worker.on('message', (m) => {
      if (type === undefined || m.type === type) done(m);
    });
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (code !== 0) fail(new Error(`worker exited with ${code}`));
    });
  });
}

describe('BookReader across threads', () => {
  it('two readers never see a torn view while W1 runs, and agree with the writer at quiet points', async () => {
    const readers = 2;
    const chunks = 40;
    const chunkOps = 25_000; // 40 × 25,000: the full W1 stream
    const depth = 64; // deeper than W1's ~50 levels a side: whole-book views
    const control = createControl(depth) as SharedArrayBuffer;
    const writer = new Worker(fixture('book-writer.mjs'), {
      workerData: { control, readers, chunks, chunkOps, depth },
    });
    const writerDone = finished<{ sequence: number; size: number }>(writer, 'done');
    const { descriptor } = await finished<{ descriptor: BookReaderDescriptor }>(
      writer,
      'descriptor',
    );
    const workers = Array.from(
      { length: readers },
      () =>
        new Worker(fixture('book-reader.mjs'), {
          workerData: { control, descriptor, depth, chunks, chunkOps },
        }),
    );
    const stats = await Promise.all(workers.map((w) => finished<ReaderStats>(w)));
    const { sequence } = await writerDone;
    await Promise.all([writer, ...workers].map((w) => w.terminate()));

    for (const s of stats) {
      expect(s.first).toEqual([]);
      expect(s.violations).toBe(0);
      expect(s.quietChecks).toBe(chunks);
      // The readers did read while the writer ran, not only at quiet points.
      expect(s.reads).toBeGreaterThan(0);
    }
    expect(sequence).toBeGreaterThan(chunks * chunkOps * 0.8);
  });
});
