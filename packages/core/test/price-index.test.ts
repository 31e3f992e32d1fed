import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceIndex } from '../src/reference/price-index';
import { PROPERTY_RUNS } from './support/commands';

/** Naive answers to compare with. */
function naiveNext(set: Set<number>, i: number): number {
  let best = -1;
  for (const x of set) if (x >= i && (best < 0 || x < best)) best = x;
  return best;
}
function naivePrev(set: Set<number>, i: number): number {
  let best = -1;
  for (const x of set) if (x <= i && x > best) best = x;
  return best;
}

describe('PriceIndex (reference engine level index)', () => {
  it('answers next/prev like a plain set, across sizes that need one to four layers', () => {
    const ops = fc.array(
      fc.tuple(fc.constantFrom('add', 'delete', 'next', 'prev'), fc.nat(), fc.nat()),
      { maxLength: 200 },
    );
    const sizes = fc.constantFrom(1, 31, 32, 33, 1000, 1025, 40_000, 1_100_000);
    fc.assert(
      fc.property(sizes, ops, (size, program) => {
        const index = new PriceIndex(size);
        const set = new Set<number>();
        for (const [op, a, b] of program) {
          // Cluster values near the ends and near one random point so hits are common.
          const anchor = b % 3 === 0 ? 0 : b % 3 === 1 ? size - 1 : (b * 7919) % size;
          const i = Math.min(size - 1, Math.max(0, anchor + (a % 64) - 32));
          if (op === 'add') {
            index.add(i);
            set.add(i);
          } else if (op === 'delete') {
            if (set.has(i)) index.delete(i);
            set.delete(i);
          } else if (op === 'next') {
            expect(index.next(i)).toBe(naiveNext(set, i));
          } else {
            expect(index.prev(i)).toBe(naivePrev(set, i));
          }
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('finds members across a sparse million-tick band', () => {
    const index = new PriceIndex(1_000_000);
    index.add(3);
    index.add(999_999);
    expect(index.next(4)).toBe(999_999);
    expect(index.prev(999_998)).toBe(3);
    expect(index.prev(2)).toBe(-1);
    index.delete(999_999);
    expect(index.next(4)).toBe(-1);
  });
});
