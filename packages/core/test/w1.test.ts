/**
 * W1 (docs/workloads.md): the generator follows the spec, and every engine path
 * reproduces the five published checksums exactly.
 */
import { describe, expect, it } from 'vitest';
import { createBook, ERROR_CODE_LIST, EV_REJECTED, EV_TRADE, type WasmBook } from '../src/index';
import {
  ChecksumAccumulator,
  checksumMismatches,
  countKinds,
  generateW1,
  OP_CANCEL,
  OP_MARKET,
  OP_MARKETABLE,
  OP_PASSIVE,
  replayBatch,
  replayPerOrder,
  toCommandBuffer,
  W1_EXPECTED,
  type W1Checksums,
  W1Generator,
} from '../src/workloads/index';

const w1 = generateW1();

function bytesEqual(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const view = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return view(a).equals(view(b));
}

function expectChecksums(actual: W1Checksums): void {
  const bad = checksumMismatches(actual, W1_EXPECTED);
  if (bad.length > 0) {
    throw new Error(`W1 checksums differ from docs/workloads.md:\n  ${bad.join('\n  ')}`);
  }
  expect(actual).toEqual(W1_EXPECTED);
}

describe('W1 generator', () => {
  it('produces the W1 shape: 10,000 passive warm-up orders, then 1,000,000 mixed operations', () => {
    expect(w1.warmup.length).toBe(10_000);
    expect(countKinds(w1.warmup)).toEqual([10_000, 0, 0, 0]);
    expect(w1.ops.length).toBe(1_000_000);
    const [passive, cancel, marketable, market] = countKinds(w1.ops);
    expect(passive + cancel + marketable + market).toBe(1_000_000);
    // r < 40 passive, < 88 cancel, < 96 marketable, else market (±1%).
    expect(Math.abs(passive - 400_000)).toBeLessThan(10_000);
    expect(Math.abs(cancel - 480_000)).toBeLessThan(10_000);
    expect(Math.abs(marketable - 80_000)).toBeLessThan(3_000);
    expect(Math.abs(market - 40_000)).toBeLessThan(3_000);
  });

  it('numbers ids from 1 up by one for every limit or market order', () => {
    let next = 1;
    const bad: string[] = [];
    for (const ops of [w1.warmup, w1.ops]) {
      for (let i = 0; i < ops.length; i++) {
        if (ops.kind[i] === OP_CANCEL) continue;
        if (ops.id[i] !== next) bad.push(`op ${i}: id ${ops.id[i]}, expected ${next}`);
        next++;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('prices passive orders off the touch and marketable ones through it', () => {
    const { kind, side, price } = w1.ops;
    const bad: number[] = [];
    for (let i = 0; i < w1.ops.length; i++) {
      const p = price[i];
      const buy = side[i] === 0;
      let ok = true;
      if (kind[i] === OP_PASSIVE) ok = buy ? p >= 9_950 && p <= 9_999 : p >= 10_001 && p <= 10_050;
      else if (kind[i] === OP_MARKETABLE)
        ok = buy ? p >= 10_000 && p <= 10_005 : p >= 9_995 && p <= 10_000;
      else if (kind[i] === OP_MARKET) ok = p === 0;
      if (!ok) bad.push(i);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('gives the same stream in chunks as in one call', () => {
    const gen = new W1Generator();
    gen.warmup();
    const a = gen.mixed(300_000);
    const b = gen.mixed(700_000);
    expect(Array.from(a.id.subarray(0, 1000))).toEqual(Array.from(w1.ops.id.subarray(0, 1000)));
    expect(bytesEqual(b.id, w1.ops.id.subarray(300_000))).toBe(true);
    expect(bytesEqual(b.price, w1.ops.price.subarray(300_000))).toBe(true);
    expect(bytesEqual(b.kind, w1.ops.kind.subarray(300_000))).toBe(true);
  });

  it('refuses options that cannot make a valid stream', () => {
    expect(() => generateW1({ ops: -1 })).toThrow(RangeError);
    expect(() => generateW1({ step: 0 })).toThrow(RangeError);
    expect(() => generateW1({ mid: 10, step: 1 })).toThrow(RangeError);
  });
});

describe.each(['js', 'wasm'] as const)('W1 checksums on the %s engine', (engine) => {
  const freshBook = () => createBook({ minPrice: 1, maxPrice: 20_000, capacity: 100_000, engine });

  it('per-order API reproduces the five W1 checksums', () => {
    const book = freshBook();
    expect(book.engine).toBe(engine);
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
});

describe('W1 checksums on the WASM binary batch path', () => {
  it('CommandBuffer + EventCursor reproduce the five W1 checksums', () => {
    const book = createBook({ minPrice: 1, maxPrice: 20_000, capacity: 100_000 }) as WasmBook;
    book.applyEncoded(toCommandBuffer(w1.warmup));
    expect(book.size).toBe(10_000);
    const acc = new ChecksumAccumulator();
    const unknownOrder = ERROR_CODE_LIST.indexOf('UNKNOWN_ORDER');
    let otherRejections = 0;
    book.applyEncoded(toCommandBuffer(w1.ops), (c) => {
      while (c.next()) {
        if (c.type === EV_TRADE) acc.trade(c.price, c.qty);
        else if (c.type === EV_REJECTED) {
          if (c.aux === unknownOrder) acc.refusedCancel();
          else otherRejections++;
        }
      }
    });
    expect(otherRejections).toBe(0);
    expectChecksums(acc.result(book.size));
  });
});

describe('W1 checksum accounting', () => {
  it('a mismatch is reported figure by figure', () => {
    const wrong = { ...W1_EXPECTED, fills: W1_EXPECTED.fills + 1 };
    expect(checksumMismatches(wrong, W1_EXPECTED)).toEqual([
      `fills: got ${W1_EXPECTED.fills + 1}, expected ${W1_EXPECTED.fills}`,
    ]);
  });
});
