/**
 * The WASM engine's own concerns: the binary interface's error numbering, sparse
 * and maximal bands, event-region growth and batch resumption, many books in
 * one process, and the memory a large book takes.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, isTickbookError, TickbookError } from '../src/errors';
import { type BookEvent, type Command, createBook } from '../src/index';
import * as codes from '../src/wasm/codes';
import { decodeCommand } from '../src/wasm/decode-command';
import { recordBytes } from '../src/wasm/encode';
import {
  CommandBuffer,
  codeOf,
  createWasmBook,
  EVENT_TYPE_CODES,
  REASON_CODES,
  WASM_ERROR_CODES,
  type WasmBook,
} from '../src/wasm/index';
import { matcherModule, memoryPlan } from '../src/wasm/module';
import { mulberry32 } from '../src/workloads/prng';
import { checkInvariants, dumpBook } from './support/book-state';
import { expectSameAsRef, wasmBook } from './support/wasm-book';

/** The commands in a buffer, as objects. */
function commandsOf(buffer: CommandBuffer): Command[] {
  const f64 = new Float64Array(buffer.bytes.buffer);
  const out: Command[] = [];
  for (let at = 0; at < buffer.byteLength; at += recordBytes(buffer.bytes, at)) {
    out.push(decodeCommand(buffer.bytes, f64, at));
  }
  expect(out.length).toBe(buffer.length);
  return out;
}

describe('binary interface', () => {
  it('numbers error codes by their index in ERROR_CODE_LIST', () => {
    expect(codes.WASM_ERROR_CODES).toBe(ERROR_CODE_LIST);
    const book = wasmBook({ minPrice: 1, maxPrice: 10, capacity: 1 });
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'none';
    };
    expect(codeOf(() => book.cancel(0))).toBe('INVALID_ID');
    expect(codeOf(() => book.limit({ id: 1, side: 'up' as never, price: 5, qty: 1 }))).toBe(
      'INVALID_SIDE',
    );
    expect(codeOf(() => book.limit({ id: 1, side: 'buy', price: 11, qty: 1 }))).toBe(
      'PRICE_OUT_OF_BAND',
    );
    expect(codeOf(() => book.cancel(3))).toBe('UNKNOWN_ORDER');
    book.limit({ id: 1, side: 'buy', price: 5, qty: 1 });
    expect(codeOf(() => book.limit({ id: 2, side: 'buy', price: 5, qty: 1 }))).toBe('BOOK_FULL');
    expect(codeOf(() => book.limit({ id: 1, side: 'buy', price: 5, qty: 1 }))).toBe('DUPLICATE_ID');
    expect(book.apply([{ kind: 'iceberg' } as never, null as never])).toEqual([
      { type: 'rejected', id: 0, code: 'INVALID_TYPE' },
      { type: 'rejected', id: 0, code: 'INVALID_COMMAND' },
    ]);
  });

  it('throws refusals that look like constructed TickbookErrors, without the stack capture', () => {
    const book = wasmBook({ minPrice: 1, maxPrice: 10, capacity: 1 });
    let thrown: unknown;
    try {
      book.cancel(42);
    } catch (e) {
      thrown = e;
    }
    const built = new TickbookError('UNKNOWN_ORDER', undefined, 42);
    expect(thrown).toBeInstanceOf(TickbookError);
    expect(thrown).toBeInstanceOf(Error);
    expect(isTickbookError(thrown)).toBe(true);
    const e = thrown as TickbookError;
    expect([e.name, e.code, e.orderId]).toEqual([built.name, built.code, built.orderId]);
    // The message names the offending value (written when read, see refusal.ts).
    expect(e.message).toBe('UNKNOWN_ORDER: id 42 is not the id of a resting order');
    expect(String(e)).toBe(`TickbookError: ${e.message}`);
    expect(e.stack).toBe(`TickbookError: ${e.message}`);
    expect(Object.keys(e).sort()).toEqual(Object.keys(built).sort());
  });

  it('refuses a bad config like createBook does', () => {
    expect(() => createWasmBook({ minPrice: 0, maxPrice: 10, capacity: 1 })).toThrow(
      /INVALID_CONFIG/,
    );
    expect(() => createWasmBook({ minPrice: 1, maxPrice: 2 ** 25, capacity: 1 })).toThrow(
      /INVALID_CONFIG/,
    );
    expect(() => createWasmBook({ minPrice: 1, maxPrice: 10, capacity: 0 })).toThrow(
      /INVALID_CONFIG/,
    );
    expect(createWasmBook({ minPrice: 1, maxPrice: 10, capacity: 1 }).config).toEqual({
      minPrice: 1,
      maxPrice: 10,
      capacity: 1,
      engine: 'wasm',
      stpMode: 'cancel-newest',
    });
  });

  it('keeps the module compiled once for every book', () => {
    const a = matcherModule();
    wasmBook({ minPrice: 1, maxPrice: 10, capacity: 4 });
    expect(matcherModule()).toBe(a);
  });
});

describe('bands', () => {
  it('finds levels across a sparse 16,777,216-tick band without scanning', () => {
    const config = { minPrice: 1, maxPrice: 16_777_216, capacity: 64 };
    const book = wasmBook(config);
    const ref = createBook({ ...config, engine: 'js' });
    const prices = [1, 2, 64, 65, 4095, 4096, 4097, 262_144, 8_000_000, 16_777_215, 16_777_216];
    let id = 1;
    const run = (c: Command) => expect(book.apply([c])).toEqual(ref.apply([c]));
    for (const p of prices) {
      run({ kind: 'limit', id: id++, side: p < 5_000_000 ? 'buy' : 'sell', price: p, qty: 1 });
    }
    expect(dumpBook(book)).toEqual(dumpBook(ref));
    // sweep both sides from the far edges: every level, best first
    run({ kind: 'market', id: id++, side: 'sell', qty: 100 });
    run({ kind: 'limit', id: id++, side: 'buy', price: 16_777_216, qty: 2 });
    run({ kind: 'limit', id: id++, side: 'buy', price: 16_777_216, qty: 5 });
    expect(dumpBook(book)).toEqual(dumpBook(ref));
    checkInvariants(book);
    book.checkInvariants();
  });

  it('a million-tick band with a million-order capacity lays out in at most 128 MB', () => {
    const plan = memoryPlan(1_000_000, 1_000_000);
    expect(plan.initial * 65_536).toBeLessThanOrEqual(128 * 1024 * 1024);
    const book = wasmBook({ minPrice: 1, maxPrice: 1_000_000, capacity: 1_000_000 });
    const bytes = book.memory.buffer.byteLength;
    expect(bytes).toBeLessThanOrEqual(128 * 1024 * 1024);
    // fill it completely: no growth, then BOOK_FULL
    const buffer = new CommandBuffer(1_000_000);
    for (let i = 0; i < 1_000_000; i++) {
      const side = i % 2 === 0 ? 0 : 1;
      buffer.limit(i + 1, side, side === 0 ? 1 + (i % 499_999) : 500_001 + (i % 499_999), 1);
    }
    book.applyEncoded(buffer);
    expect(book.size).toBe(1_000_000);
    expect(() => book.limit({ id: 2_000_000, side: 'buy', price: 1, qty: 1 })).toThrow(/BOOK_FULL/);
    expect(book.memory.buffer.byteLength).toBe(bytes);
  });
});

describe('event region', () => {
  it('one command that sweeps the whole book hands its events over in chunks; memory never grows', () => {
    const config = { minPrice: 1, maxPrice: 100_000, capacity: 30_000 };
    const fill: Command[] = [];
    for (let i = 1; i <= 30_000; i++) {
      fill.push({
        kind: 'limit',
        id: i,
        side: 'sell',
        price: 1 + (i % 20_000),
        qty: 1,
        owner: 1 + (i % 2),
      });
    }
    const sweep: Command = {
      kind: 'market',
      id: 99_999,
      side: 'buy',
      qty: 40_000,
      owner: 1,
      stp: 'decrement-and-cancel',
    };
    const ref = createBook({ ...config, engine: 'js' });
    ref.apply(fill);
    const expected = ref.apply([sweep]);
    expect(expected.length).toBeGreaterThan(60_000);

    const perOrder = wasmBook(config);
    perOrder.apply(fill);
    const before = perOrder.memory.buffer.byteLength;
    expect(perOrder.market(sweep as never)).toEqual(expected);
    expect(perOrder.memory.buffer.byteLength).toBe(before);
    expectSameAsRef(perOrder, ref);

    const batch = wasmBook(config);
    batch.apply(fill);
    expect(batch.apply([sweep])).toEqual(expected);
    expectSameAsRef(batch, ref);
  });

  it('stops a batch at a command boundary when the region is full and resumes: nothing lost or repeated', () => {
    const config = { minPrice: 1, maxPrice: 1_000, capacity: 10_000 };
    const commands: Command[] = [];
    let id = 1;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 1_500; i++) {
        commands.push({ kind: 'limit', id: id++, side: 'sell', price: 500 + (i % 7), qty: 2 });
      }
      commands.push({ kind: 'market', id: id++, side: 'buy', qty: 3_000 });
      for (let i = 0; i < 300; i++) commands.push({ kind: 'cancel', id: id - 1 - i });
    }
    const expected = createBook({ ...config, engine: 'js' }).apply(commands);
    expect(expected.length).toBeGreaterThan(20_000);
    const book = wasmBook(config);
    expect(book.apply(commands)).toEqual(expected);
    const encoded = wasmBook(config);
    const buffer = new CommandBuffer();
    for (const c of commands) buffer.push(c);
    const chunks: number[] = [];
    const events: BookEvent[] = [];
    encoded.applyEncoded(buffer, (cursor) => {
      chunks.push(cursor.count);
      while (cursor.next()) events.push(cursor.toEvent());
    });
    expect(events).toEqual(expected);
    encoded.checkInvariants();
    expect(chunks.length).toBeGreaterThan(5);
    expect(Math.max(...chunks)).toBeLessThan(4_096 + 3_100);
  });
});

describe('variable-length command records', () => {
  it('leave out trailing zero fields: 16 bytes for a cancel, 32 for a plain limit order', () => {
    const buffer = new CommandBuffer();
    const sizes: number[] = [];
    const add = (append: () => void) => {
      const before = buffer.byteLength;
      append();
      sizes.push(buffer.byteLength - before);
    };
    add(() => buffer.cancel(1));
    add(() => buffer.limit(2, 0, 10, 5));
    add(() => buffer.limit(3, 0, 10, 5, 0, false, 7)); // owner
    add(() => buffer.limit(4, 0, 10, 5, 0, false, 0, undefined, 99)); // good-till-date
    add(() => buffer.limit(5, 0, 10, 5, 0, false, 0, undefined, 0, 2)); // iceberg
    add(() => buffer.market(6, 1, 3));
    add(() => buffer.reduce(2, 1));
    add(() => buffer.advanceTime(50));
    add(() => buffer.push({ kind: 'stop', id: 7, side: 'buy', trigger: 12, qty: 1 }));
    add(() => buffer.push({ kind: 'modify', id: 5, trigger: 3 }));
    add(() => buffer.push({ kind: 'limit', id: 8, side: 'buy', price: Number.NaN, qty: 0 }));
    expect(sizes).toEqual([16, 32, 40, 48, 56, 32, 32, 24, 56, 40, 32]);
    expect(buffer.length).toBe(sizes.length);
    expect(buffer.byteLength).toBe(sizes.reduce((a, b) => a + b));
  });

  it('cross command-region boundaries anywhere: long mixed streams match the reference, binary and apply()', () => {
    const config = { minPrice: 1, maxPrice: 200, capacity: 5_000 };
    const rand = mulberry32(7);
    const pick = (n: number) => Math.floor(rand() * n);
    const commands: Command[] = [];
    let id = 1;
    let time = 0;
    const side = () => (pick(2) === 0 ? 'buy' : 'sell');
    for (let k = 0; k < 30_000; k++) {
      const r = pick(100);
      const price = 90 + pick(21);
      const qty = 1 + pick(20);
      const old = 1 + pick(id);
      if (r < 30) commands.push({ kind: 'limit', id: id++, side: side(), price, qty });
      else if (r < 55) commands.push({ kind: 'cancel', id: old });
      else if (r < 60)
        commands.push({ kind: 'limit', id: id++, side: side(), price, qty, owner: 1 + pick(3) });
      else if (r < 64)
        commands.push({
          kind: 'limit',
          id: id++,
          side: side(),
          price,
          qty,
          expiresAt: time + 1 + pick(50),
        });
      else if (r < 67)
        commands.push({
          kind: 'limit',
          id: id++,
          side: side(),
          price,
          qty: qty + 5,
          displayQty: 1 + pick(5),
        });
      else if (r < 72) commands.push({ kind: 'market', id: id++, side: side(), qty });
      else if (r < 76) commands.push({ kind: 'modify', id: old, price, qty });
      else if (r < 80) commands.push({ kind: 'reduce', id: old, qty: 1 + pick(3) });
      else if (r < 84)
        commands.push({
          kind: 'stop',
          id: id++,
          side: side(),
          trigger: price,
          qty,
          price: pick(2) ? price : undefined,
        });
      else if (r < 86) commands.push({ kind: 'modify', id: old, trigger: price });
      else if (r < 90) {
        time += pick(3);
        commands.push({ kind: 'advance-time', time });
      } else if (r < 95)
        commands.push({ kind: 'limit', id: id++, side: side(), price: 500, qty }); // out of band
      else commands.push({ kind: 'limit', id: old, side: side(), price, qty }); // duplicate id, mostly
    }
    const expected = createBook({ ...config, engine: 'js' }).apply(commands);
    expect(new Set(expected.map((e) => e.type)).size).toBe(codes.EVENT_TYPE_CODES.length);

    const buffer = new CommandBuffer();
    for (const c of commands) buffer.push(c);
    // several regions' worth, so records straddle region ends at many offsets
    expect(buffer.byteLength).toBeGreaterThan(5 * 1_024 * codes.CMD_SIZE);
    expect(commandsOf(buffer)).toHaveLength(commands.length);
    const encoded = wasmBook(config);
    expect(encoded.applyEncodedEvents(buffer)).toEqual(expected);
    encoded.checkInvariants();

    const viaApply = wasmBook(config);
    expect(viaApply.apply(commands)).toEqual(expected);
    expect(dumpBook(viaApply)).toEqual(dumpBook(encoded));
  });
});

describe('records placed for a batch', () => {
  it('a per-order stop between putRecord and applyWritten leaves the placed records as they were', () => {
    const placed = new CommandBuffer();
    placed.limit(1, 0, 100, 5);
    placed.limit(2, 1, 110, 7);
    const words = new Int32Array(placed.bytes.buffer);
    const book = createWasmBook({ minPrice: 1, maxPrice: 1000, capacity: 100 });
    const second = book.putRecord(0, words, 0);
    book.putRecord(second, words, second >> 2);
    // a stop reaches the matcher as a record too: in between
    book.stop({ id: 3, side: 'buy', trigger: 500, qty: 1 });
    const accepted: number[] = [];
    book.applyWritten(placed.byteLength, (events) => {
      while (events.next()) if (events.type === codes.EV_ACCEPTED) accepted.push(events.id);
    });
    expect(accepted).toEqual([1, 2]);
    expect(book.order(3)?.status).toBe('untriggered');
    expect(book.size).toBe(3);
  });
});

describe('event cursor by index', () => {
  it('typeAt and seek read the same events as next(), over many chunks, and next() goes on from a seek', () => {
    const config = { minPrice: 1, maxPrice: 1_000, capacity: 10_000 };
    const buffer = new CommandBuffer();
    let id = 1;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2_000; i++) buffer.limit(id++, 1, 500 + (i % 9), 2);
      buffer.market(id++, 0, 3_000);
      for (let i = 0; i < 400; i++) buffer.cancel(id - 1 - 2 * i); // about half refused
    }
    const inOrder: BookEvent[] = [];
    wasmBook(config).applyEncoded(buffer, (c) => {
      while (c.next()) inOrder.push(c.toEvent());
    });
    const byIndex: BookEvent[] = [];
    let chunks = 0;
    wasmBook(config).applyEncoded(buffer, (c) => {
      chunks++;
      for (let i = 0; i < c.count; i++) {
        const type = c.typeAt(i);
        c.seek(i);
        expect(c.index).toBe(i);
        expect(c.type).toBe(type);
        byIndex.push(c.toEvent());
      }
      // seek backwards, then next() walks on from there
      c.seek(0);
      const first = c.toEvent();
      expect(c.next()).toBe(c.count > 1);
      if (c.count > 1) expect(c.toEvent()).toEqual(byIndex[byIndex.length - c.count + 1]);
      expect(first).toEqual(byIndex[byIndex.length - c.count]);
      expect(() => c.typeAt(c.count)).toThrow(RangeError);
      expect(() => c.typeAt(-1)).toThrow(RangeError);
      expect(() => c.seek(c.count)).toThrow(/outside this chunk/);
      expect(() => c.seek(Number.NaN)).toThrow(RangeError);
    });
    expect(chunks).toBeGreaterThan(1);
    expect(byIndex).toEqual(inOrder);
    expect(byIndex.filter((e) => e.type === 'trade').length).toBeGreaterThan(1_000);
    expect(byIndex.filter((e) => e.type === 'rejected').length).toBeGreaterThan(100);
  });
});

describe('event cursor', () => {
  it('reads every field of every event type as the decoded objects have it', () => {
    const book = wasmBook({ minPrice: 1, maxPrice: 100, capacity: 10 });
    const buffer = new CommandBuffer();
    buffer.limit(1, 1, 50, 5, 0, false, 7);
    buffer.limit(2, 1, 51, 5);
    buffer.limit(3, 0, 52, 7); // trades 5 @ 50, 2 @ 51
    buffer.market(4, 0, 100, 1, 7, codeOf.stp('cancel-oldest'));
    buffer.limit(5, 0, 40, 3, 0, true);
    buffer.modify(5, 45, 2);
    buffer.modify(5, undefined, 1);
    buffer.limit(7, 0, 40, 9);
    buffer.reduce(7, 4); // partial: keeps priority
    buffer.reduce(7, 9); // the rest: cancelled
    buffer.reduce(7, 1); // refused: UNKNOWN_ORDER
    buffer.cancel(5);
    buffer.cancel(5); // refused: UNKNOWN_ORDER
    buffer.push({ kind: 'market', id: 6, side: 'sell', qty: 1, timeInForce: 'FOK' });
    buffer.limit(10, 1, 60, 4);
    buffer.marketNotional(11, 0, 130, 0, undefined, 60); // 2 @ 60, 10 left
    buffer.market(12, 0, 5, 1, 0, undefined, 59); // nothing at or below 59
    buffer.limit(13, 0, 30, 2, 0, false, 0, undefined, 20);
    buffer.limit(14, 0, 30, 2, 0, false, 0, undefined, 10);
    buffer.advanceTime(15); // expires 14
    buffer.advanceTime(14); // refused: TIME_BACKWARDS
    buffer.limit(20, 1, 70, 5, 0, false, 0, undefined, 0, 2); // iceberg showing 2
    buffer.limit(21, 0, 70, 5); // 2 @ 60, then 2 of 20, refreshes it, 1 more
    buffer.push({ kind: 'stop', id: 30, side: 'buy', trigger: 70, qty: 1 }); // reached: triggers at once
    buffer.push({ kind: 'stop', id: 31, side: 'sell', trigger: 50, qty: 1, price: 40 });
    buffer.push({ kind: 'modify', id: 31, trigger: 45, qty: 2 });
    const seen: BookEvent[] = [];
    book.applyEncoded(buffer, (c) => {
      while (c.next()) {
        const e = c.toEvent();
        seen.push(e);
        expect(c.typeName).toBe(e.type);
        expect(EVENT_TYPE_CODES[c.type]).toBe(e.type);
        switch (e.type) {
          case 'trade':
            expect([
              c.makerId,
              c.takerId,
              c.price,
              c.qty,
              c.makerRemaining,
              c.takerRemaining,
            ]).toEqual([e.makerId, e.takerId, e.price, e.qty, e.makerRemaining, e.takerRemaining]);
            expect(c.side).toBe(e.takerSide === 'buy' ? 0 : 1);
            break;
          case 'level-changed':
            expect([c.price, c.qty, c.levelCount, c.side, c.sequence]).toEqual([
              e.price,
              e.qty,
              e.count,
              e.side === 'buy' ? 0 : 1,
              e.sequence,
            ]);
            break;
          case 'cancelled':
            expect([c.id, c.qty, c.remaining, REASON_CODES[c.aux]]).toEqual([
              e.id,
              e.qty,
              e.remaining,
              e.reason,
            ]);
            break;
          case 'accepted':
            expect([c.id, c.notional ?? c.qty]).toEqual([e.id, e.notional ?? e.qty]);
            expect(c.notional).toBe(e.notional);
            expect(c.protectionPrice).toBe(e.protectionPrice);
            expect(c.expiresAt).toBe(e.expiresAt);
            expect(c.displayQty).toBe(e.displayQty);
            expect(c.trigger).toBe(e.trigger);
            if (e.price !== null) expect(c.price).toBe(e.price);
            break;
          case 'refreshed':
            expect([c.id, c.price, c.qty, c.side]).toEqual([
              e.id,
              e.price,
              e.qty,
              e.side === 'buy' ? 0 : 1,
            ]);
            break;
          case 'modified':
            expect([c.id, c.price, c.qty, c.aux === 1]).toEqual([
              e.id,
              e.price,
              e.qty,
              e.priorityKept,
            ]);
            break;
          case 'rejected':
            expect([c.id, WASM_ERROR_CODES[c.aux]]).toEqual([e.id, e.code]);
            break;
          case 'time-advanced':
            expect(c.time).toBe(e.time);
            break;
          case 'triggered':
            expect([c.id, c.qty, c.trigger]).toEqual([e.id, e.qty, e.trigger]);
            break;
        }
      }
    });
    expect(seen).toContainEqual({
      type: 'accepted',
      id: 11,
      side: 'buy',
      orderType: 'market',
      price: null,
      qty: null,
      notional: 130,
      protectionPrice: 60,
    });
    expect(seen).toContainEqual({
      type: 'cancelled',
      id: 14,
      reason: 'expired',
      qty: 2,
      remaining: 0,
    });
    expect(seen).toContainEqual({ type: 'rejected', id: 0, code: 'TIME_BACKWARDS' });
    expect(seen).toContainEqual({ type: 'refreshed', id: 20, side: 'sell', price: 70, qty: 2 });
    expect(seen).toContainEqual({
      type: 'accepted',
      id: 20,
      side: 'sell',
      orderType: 'limit',
      price: 70,
      qty: 5,
      displayQty: 2,
    });
    const types = new Set(seen.map((e) => e.type));
    expect([...types].sort()).toEqual([...EVENT_TYPE_CODES].sort());
    const ref = createBook({ minPrice: 1, maxPrice: 100, capacity: 10, engine: 'js' });
    expect(seen).toEqual(ref.apply(commandsOf(buffer)));
  });
});

describe('good-till-date at scale', () => {
  it('expires tens of thousands of orders in (expiresAt, id) order, like the reference, and leaves the heap exact', () => {
    const config = { minPrice: 1, maxPrice: 2_000, capacity: 60_000 };
    const wasm = wasmBook(config);
    const ref = createBook({ ...config, engine: 'js' });
    const buffer = new CommandBuffer();
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let id = 1; id <= 50_000; id++) {
      const side = id % 2 === 0 ? 0 : 1;
      const price = side === 0 ? 1 + rand(999) : 1_001 + rand(999);
      buffer.limit(id, side, price, 1 + rand(9), 0, false, 0, undefined, 1 + rand(10_000));
    }
    for (let id = 1; id <= 50_000; id += 3) buffer.cancel(id); // leave the heap from its middle
    for (let id = 2; id <= 50_000; id += 7) buffer.reduce(id, 1 + rand(5));
    for (let t = 500; t <= 10_000; t += 500) buffer.advanceTime(t);
    const wasmEvents = wasm.applyEncodedEvents(buffer);
    expect(wasmEvents).toEqual(ref.apply(commandsOf(buffer)));
    const count = (reason: string, full: boolean) =>
      wasmEvents.filter(
        (e) => e.type === 'cancelled' && e.reason === reason && (e.remaining === 0) === full,
      ).length;
    expect(count('expired', true)).toBe(50_000 - count('user', true));
    expect(count('user', false)).toBeGreaterThan(1_000); // partial reduces kept their expiry
    expect(wasm.size).toBe(0);
    wasm.checkInvariants();
  });
});

describe('reentrancy', () => {
  it('refuses a command sent from inside an applyEncoded callback, and works after it', () => {
    const book = wasmBook({ minPrice: 1, maxPrice: 100, capacity: 10 });
    const buffer = new CommandBuffer();
    buffer.limit(1, 0, 50, 5);
    expect(() =>
      book.applyEncoded(buffer, () => {
        book.cancel(1);
      }),
    ).toThrow(/inside its own applyEncoded event callback/);
    expect(book.cancel(1)[0]).toMatchObject({ type: 'cancelled', id: 1, reason: 'user' });
  });
});

describe('many books', () => {
  it('hosts 1,000 books in one process, each sized from its own config and independent', () => {
    const books: WasmBook[] = [];
    for (let i = 0; i < 1_000; i++) {
      books.push(wasmBook({ minPrice: 1 + i, maxPrice: 100 + i * 50, capacity: 10 + i }));
    }
    const sizes = new Set(books.map((b) => b.memory.buffer.byteLength));
    expect(sizes.size).toBeGreaterThan(1);
    books.forEach((book, i) => {
      book.limit({ id: 1, side: 'buy', price: 1 + i, qty: 1 + i });
      book.limit({ id: 2, side: 'sell', price: 100 + i * 50, qty: 2 });
    });
    books.forEach((book, i) => {
      expect(book.size).toBe(2);
      expect(book.bestBid()).toEqual({ price: 1 + i, qty: 1 + i, count: 1 });
      expect(book.bestAsk()).toEqual({ price: 100 + i * 50, qty: 2, count: 1 });
      const events = book.market({ id: 3, side: 'sell', qty: 1 + i });
      expect(events[1]).toMatchObject({ type: 'trade', makerId: 1, price: 1 + i, qty: 1 + i });
      expect(book.size).toBe(1);
    });
  });
});
