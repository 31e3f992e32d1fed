/**
 * The thread benchmark hooks run end to end on small inputs and return plain
 * positive numbers (the figures themselves are the bench's business). Their
 * workers load the bench's dist/thread-roles.js: the root test command builds first.
 */
import { describe, expect, it } from 'vitest';
import { measureReaderThroughput } from '../src/threads/measure-reader';
import { measureRingThroughput } from '../src/threads/measure-ring';

const positive = (x: number) => Number.isFinite(x) && x > 0;

describe('thread benchmark hooks', () => {
  it('measureReaderThroughput: reads per second while the writer runs W1, both writer paths', async () => {
    for (const writer of ['per-order', 'batch'] as const) {
      const r = await measureReaderThroughput({ ops: 50_000, depth: 5, writer });
      expect(r.reads).toBeGreaterThan(0);
      for (const x of [r.readsPerSec, r.writerOrdersPerSec, r.writerAloneOrdersPerSec, r.seconds]) {
        expect(positive(x)).toBe(true);
      }
    }
  });

  it('measureRingThroughput: 1 and 2 producers, every order answered', async () => {
    for (const producers of [1, 2]) {
      const r = await measureRingThroughput(producers, 20_000);
      expect(r).toMatchObject({ producers, orders: 20_000 });
      expect(positive(r.ringOrdersPerSec) && positive(r.directOrdersPerSec)).toBe(true);
    }
    await expect(measureRingThroughput(0)).rejects.toThrow(RangeError);
  });
});
