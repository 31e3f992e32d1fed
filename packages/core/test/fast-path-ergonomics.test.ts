/**
 * The binary batch path's ergonomics: named codes, CommandBuffer.stop and a
 * modify's trigger encode exactly what the command objects do, createBook's
 * return type follows the engine, and decimal quantities convert to lots.
 */
import { describe, expect, it } from 'vitest';
import {
  type Book,
  type Command,
  CommandBuffer,
  codeOf,
  createBook,
  createWasmBook,
  fromLots,
  SIDE_BUY,
  SIDE_SELL,
  STP_BOOK_DEFAULT,
  STP_CANCEL_BOTH,
  STP_CANCEL_NEWEST,
  STP_CANCEL_OLDEST,
  STP_DECREMENT_AND_CANCEL,
  TIF_FOK,
  TIF_GTC,
  TIF_IOC,
  type TickbookError,
  toLots,
  toTicks,
  type WasmBook,
} from '../src/index';

const config = { minPrice: 1, maxPrice: 1_000, capacity: 100 };

it('names every code the numeric arguments take, equal to codeOf', () => {
  expect([SIDE_BUY, SIDE_SELL]).toEqual([codeOf.side('buy'), codeOf.side('sell')]);
  expect([TIF_GTC, TIF_IOC, TIF_FOK]).toEqual(
    ['GTC', 'IOC', 'FOK'].map((t) => codeOf.tif(t as 'GTC')),
  );
  expect([STP_CANCEL_NEWEST, STP_CANCEL_OLDEST, STP_CANCEL_BOTH, STP_DECREMENT_AND_CANCEL]).toEqual(
    (['cancel-newest', 'cancel-oldest', 'cancel-both', 'decrement-and-cancel'] as const).map(
      codeOf.stp,
    ),
  );
  expect(STP_BOOK_DEFAULT).toBe(254);
});

describe('CommandBuffer.stop and modify(…, trigger)', () => {
  // The same stream twice: through the numeric methods, and as command objects.
  const objects: Command[] = [
    { kind: 'limit', id: 1, side: 'sell', price: 100, qty: 5 },
    { kind: 'stop', id: 2, side: 'buy', trigger: 100, qty: 3 },
    {
      kind: 'stop',
      id: 3,
      side: 'buy',
      trigger: 101,
      qty: 2,
      price: 105,
      timeInForce: 'IOC',
      owner: 7,
    },
    {
      kind: 'stop',
      id: 4,
      side: 'sell',
      trigger: 90,
      qty: 1,
      price: 89,
      expiresAt: 50,
      stp: 'cancel-both',
    },
    { kind: 'modify', id: 3, trigger: 100 },
    { kind: 'limit', id: 5, side: 'sell', price: 101, qty: 10 },
    { kind: 'limit', id: 6, side: 'buy', price: 100, qty: 1, timeInForce: 'IOC' },
  ];
  const numeric = new CommandBuffer();
  numeric.limit(1, SIDE_SELL, 100, 5);
  numeric.stop(2, SIDE_BUY, 100, 3);
  numeric.stop(3, SIDE_BUY, 101, 2, 105, TIF_IOC, 7);
  numeric.stop(4, SIDE_SELL, 90, 1, 89, undefined, 0, STP_CANCEL_BOTH, 50);
  numeric.modify(3, undefined, undefined, 100);
  numeric.limit(5, SIDE_SELL, 101, 10);
  numeric.limit(6, SIDE_BUY, 100, 1, TIF_IOC);

  it('gives the events apply gives for the same commands', () => {
    const viaBuffer = createWasmBook(config);
    const viaObjects = createBook({ ...config, engine: 'js' });
    const expected = viaObjects.apply(objects);
    expect(expected.filter((e) => e.type === 'triggered').map((e) => e.id)).toEqual([2, 3]);
    expect(expected.some((e) => e.type === 'rejected')).toBe(false);
    expect(viaBuffer.applyEncodedEvents(numeric)).toEqual(expected);
    expect(viaBuffer.stateHash()).toBe(viaObjects.stateHash());
  });
});

it("createBook's type shows the WASM-only calls exactly where they exist", () => {
  const wasm: WasmBook = createBook(config);
  const alsoWasm: WasmBook = createBook({ ...config, engine: 'wasm' });
  // @ts-expect-error the reference engine has no binary batch path
  const notWasm: WasmBook = createBook({ ...config, engine: 'js' });
  const either: Book = createBook({ ...config, engine: Math.random() < 2 ? 'js' : 'wasm' });
  expect(typeof wasm.applyEncoded).toBe('function');
  expect(typeof alsoWasm.readerDescriptor).toBe('function');
  expect((notWasm as unknown as Record<string, unknown>).applyEncoded).toBeUndefined();
  expect(either.engine).toBe('js');
});

it('converts decimal quantities to lots and back, exactly; numbers by their decimal form', () => {
  expect(toLots('0.015', '0.001')).toBe(15);
  expect(toLots(0.3, '0.1')).toBe(3); // 0.3 / 0.1 in floating point is 2.9999999999999996
  expect(fromLots(15, '0.001')).toBe('0.015');
  expect(toTicks(101.25, 0.25)).toBe(405);
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return `${(e as TickbookError).code} ${(e as TickbookError).message}`;
    }
    return 'accepted';
  };
  expect(refused(() => toLots('0.0155', '0.001'))).toMatch(
    /^INVALID_QTY .*not a multiple of lot size/,
  );
  expect(refused(() => toLots(1e-7, '0.001'))).toMatch(/^INVALID_QTY .*1e-7 is not a plain/);
  expect(refused(() => toTicks('-1', '1'))).toMatch(/^INVALID_PRICE/);
});
