/**
 * W1 checksums: the proof that two engines did the same matching. They are
 * accumulated from tickbook events (`trade`, and `rejected` / `UNKNOWN_ORDER`
 * for refused cancels on the batch API) plus the resting order count at the end.
 */
import type { BookEvent } from '../types';

/** The five W1 checksum figures (docs/workloads.md). */
export interface W1Checksums {
  /** Trade events: one per maker–taker match. */
  fills: number;
  /** Σ qty over trades. */
  filledQty: number;
  /** Σ price × qty over trades (exact in a double: W1's value is below 2^53). */
  notional: number;
  /** Cancels refused because no resting order had the id. */
  refusedCancels: number;
  /** Resting orders at the end. */
  resting: number;
}

/** The W1 checksums of docs/workloads.md (seed 42, 10,000 warm-up, 1,000,000 operations, mid 10,000). */
export const W1_EXPECTED: Readonly<W1Checksums> = Object.freeze({
  fills: 166_832,
  filledQty: 4_264_362,
  notional: 42_643_663_867,
  refusedCancels: 125_980,
  resting: 6_969,
});

/** Human names of the checksum figures, in table order. */
export const CHECKSUM_LABELS: Readonly<Record<keyof W1Checksums, string>> = Object.freeze({
  fills: 'fills',
  filledQty: 'filled quantity',
  notional: 'Σ price × qty over fills',
  refusedCancels: 'cancels refused as unknown id',
  resting: 'resting orders at the end',
});

/**
 * Accumulates the checksum figures from events. Call {@link add} with every
 * command's events, {@link refusedCancel} when the per-order `cancel` throws
 * `UNKNOWN_ORDER`, then {@link result} with the book's resting count.
 */
export class ChecksumAccumulator {
  fills = 0;
  filledQty = 0;
  notional = 0;
  refusedCancels = 0;

  /** Counts the trades and refused cancels among `events`. */
  add(events: readonly BookEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.type === 'trade') {
        this.fills++;
        this.filledQty += e.qty;
        this.notional += e.price * e.qty;
      } else if (e.type === 'rejected' && e.code === 'UNKNOWN_ORDER') {
        this.refusedCancels++;
      }
    }
  }

  /** Counts one trade seen outside the event objects (binary event paths). */
  trade(price: number, qty: number): void {
    this.fills++;
    this.filledQty += qty;
    this.notional += price * qty;
  }

  /** Counts one cancel refused as unknown id. */
  refusedCancel(): void {
    this.refusedCancels++;
  }

  /** The five figures, given the book's resting order count at the end. */
  result(resting: number): W1Checksums {
    return {
      fills: this.fills,
      filledQty: this.filledQty,
      notional: this.notional,
      refusedCancels: this.refusedCancels,
      resting,
    };
  }
}

/**
 * Compares checksums figure by figure.
 * @returns one sentence per differing figure; empty when all agree.
 */
export function checksumMismatches(
  actual: Readonly<W1Checksums>,
  expected: Readonly<W1Checksums>,
): string[] {
  const out: string[] = [];
  for (const key of Object.keys(CHECKSUM_LABELS) as (keyof W1Checksums)[]) {
    if (actual[key] !== expected[key]) {
      out.push(`${CHECKSUM_LABELS[key]}: got ${actual[key]}, expected ${expected[key]}`);
    }
  }
  return out;
}
