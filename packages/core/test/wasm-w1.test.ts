/**
 * W1 (WORKLOADS.md) on the WASM engine: the five published checksums on the
 * per-order API, on `apply`, and on the binary batch path read through the
 * event cursor.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { CommandBuffer, createWasmBook, EV_REJECTED, EV_TRADE } from '../src/wasm/index';
import {
  ChecksumAccumulator,
  checksumMismatches,
  generateW1,
  OP_CANCEL,
  OP_MARKET,
  type Ops,
  replayBatch,
  replayPerOrder,
  W1_EXPECTED,
  type W1Checksums,
} from '../src/workloads/index';

const w1 = generateW1();
const UNKNOWN_ORDER = 11;

function freshBook() {
  return createWasmBook(
    resolveConfig({ minPrice: 1, maxPrice: 20_000, capacity: 100_000, engine: 'wasm' }),
  );
}

function expectChecksums(actual: W1Checksums): void {
  const bad = checksumMismatches(actual, W1_EXPECTED);
  if (bad.length > 0) {
    throw new Error(`W1 checksums differ from WORKLOADS.md:\n  ${bad.join('\n  ')}`);
  }
  expect(actual).toEqual(W1_EXPECTED);
}

function encode(ops: Ops): CommandBuffer {
  const buffer = new CommandBuffer(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const kind = ops.kind[i];
    const side = ops.side[i] as 0 | 1;
    if (kind === OP_CANCEL) buffer.cancel(ops.id[i]);
    else if (kind === OP_MARKET) buffer.market(ops.id[i], side, ops.qty[i]);
    else buffer.limit(ops.id[i], side, ops.price[i], ops.qty[i]);
  }
  return buffer;
}

describe('W1 checksums on the WASM engine', () => {
  it('per-order API reproduces the five W1 checksums', () => {
    const book = freshBook();
    expect(book.engine).toBe('wasm');
    replayPerOrder(book, w1.warmup);
    expect(book.size).toBe(10_000);
    const acc = new ChecksumAccumulator();
    replayPerOrder(book, w1.ops, acc);
    expectChecksums(acc.result(book.size));
  });

  it('batch API (apply, 4,096 commands a call) reproduces the five W1 checksums', () => {
    const book = freshBook();
    replayBatch(book, w1.warmup, 4096);
    const acc = new ChecksumAccumulator();
    replayBatch(book, w1.ops, 4096, acc);
    expectChecksums(acc.result(book.size));
  });

  it('binary batch path (CommandBuffer + EventCursor) reproduces the five W1 checksums', () => {
    const book = freshBook();
    book.applyEncoded(encode(w1.warmup));
    expect(book.size).toBe(10_000);
    const acc = new ChecksumAccumulator();
    let otherRejections = 0;
    book.applyEncoded(encode(w1.ops), (c) => {
      while (c.next()) {
        const type = c.type;
        if (type === EV_TRADE) acc.trade(c.price, c.qty);
        else if (type === EV_REJECTED) {
          if (c.aux === UNKNOWN_ORDER) acc.refusedCancel();
          else otherRejections++;
        }
      }
    });
    expect(otherRejections).toBe(0);
    expectChecksums(acc.result(book.size));
  });
});
