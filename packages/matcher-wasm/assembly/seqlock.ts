// The writer side of the seqlock that lets other threads read the book from
// shared memory (packages/core/src/threads/book-reader.ts). Every exported
// call that changes the book makes the counter odd before its first change
// and even again after its last one, and publishes the command sequence
// inside that window. A reader that saw the same even value before and after
// its reads saw no change at all.
//
//   bitsTable + 48  i32  seqlock counter (odd: a write is in progress)
//   bitsTable + 56  f64  commands applied (`sequence`), as of the last window
//
// This instance is the only writer, so the counter's value is kept in a
// global too and written with atomic stores (no read-modify-write needed).
// A window costs two atomic stores: per-order calls pay about 2 ns, a batch
// call (up to a command region's worth of commands) pays it once
// (measured when the seqlock was added).
//
// Ordering: the closing store (sequentially consistent, so at least a
// release) cannot become visible before the book's stores. On x86-64 the
// opening store is an `xchg`, a full barrier, so no store of the book can
// become visible before the counter is odd. On weaker hardware (ARM64) a
// store-store fence belongs after the opening store; `atomic.fence()` fails
// binaryen's validation in AssemblyScript 0.28, so it is not there yet.

import { BITS_SEQLOCK, BITS_SEQUENCE, bitsTable } from './layout';
import { sequence } from './state';

let counter: i32 = 0;

/** Open a write window: the counter goes odd. */
export function writeBegin(): void {
  counter += 1;
  atomic.store<i32>(bitsTable + BITS_SEQLOCK, counter);
}

/** Publish the sequence and close the window: the counter goes even. */
export function writeEnd(): void {
  store<f64>(bitsTable + BITS_SEQUENCE, sequence);
  counter += 1;
  atomic.store<i32>(bitsTable + BITS_SEQLOCK, counter);
}
