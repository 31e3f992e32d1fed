/**
 * Snapshots that pass their checksum but say something no book could hold:
 * both engines must refuse exactly the same ones (`CORRUPT_DATA`, naming
 * what is wrong) and restore the rest to the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/durability/crc32';
import { decodeSnapshot, encodeSnapshot, type SnapshotParts } from '../src/durability/snapshot';
import { isTickbookError } from '../src/errors';
import { type Book, type Command, createBook, type EngineKind, restoreBook } from '../src/index';
import type { SnapshotOrder, SnapshotStop } from '../src/internal';
import type { WasmBook } from '../src/wasm/index';
import { checkInvariants } from './support/book-state';
import {
  commandArbitrary,
  commandSpace,
  commandsArbitrary,
  PROPERTY_RUNS,
} from './support/commands';

const space = commandSpace();
const ENGINES: EngineKind[] = ['js', 'wasm'];

/** A snapshot's parts, as plain data to mutate. */
interface Parts extends SnapshotParts {
  orders: SnapshotOrder[];
  stops: SnapshotStop[];
}

function partsOf(bytes: Uint8Array): Parts {
  const d = decodeSnapshot(bytes);
  const orders = [...d.orders()];
  return {
    config: { stpMode: 'cancel-newest', ...d.config } as Parts['config'],
    sequence: d.sequence,
    time: d.time,
    lastPrice: d.lastPrice,
    orderCount: orders.length,
    orders,
    stops: [...d.stops()],
  };
}

type Outcome = { ok: true; hash: string; book: Book } | { ok: false; code: string };

function restoreIn(bytes: Uint8Array, engine: EngineKind): Outcome {
  try {
    const book = restoreBook(bytes, { engine });
    return { ok: true, hash: book.stateHash(), book };
  } catch (e) {
    if (!isTickbookError(e)) throw e;
    return { ok: false, code: e.code };
  }
}

/** Both engines agree: the same refusal, or the same restored book that goes on the same way. */
function bothAgree(bytes: Uint8Array, after: readonly Command[]): Outcome {
  const [js, wasm] = ENGINES.map((engine) => restoreIn(bytes, engine));
  if (!js.ok || !wasm.ok) {
    expect(wasm.ok ? 'restored' : wasm.code).toBe(js.ok ? 'restored' : js.code);
    return js;
  }
  expect(wasm.hash).toBe(js.hash);
  checkInvariants(js.book);
  (wasm.book as WasmBook).checkInvariants();
  expect(wasm.book.apply(after)).toEqual(js.book.apply(after));
  expect(wasm.book.stateHash()).toBe(js.book.stateHash());
  return js;
}

const INTERESTING = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  0,
  0.5,
  1.5,
  2 ** 53,
  2 ** 53 - 1,
  1e300,
  space.config.minPrice - 1,
  space.config.maxPrice + 1,
];

/** A value for a field: an interesting constant, a neighbour, or another record's value. */
const fieldValue = (current: number, others: number[]) =>
  fc.oneof(
    fc.constantFrom(...INTERESTING),
    fc.constantFrom(current + 1, current - 1, current * 1001),
    others.length > 0 ? fc.constantFrom(...others) : fc.constant(current),
  );

type Mutation = (p: Parts) => fc.Arbitrary<Parts>;

const ORDER_FIELDS = [
  'id',
  'price',
  'remaining',
  'filled',
  'owner',
  'expiresAt',
  'displayQty',
  'displayed',
] as const;
const STOP_FIELDS = ['id', 'trigger', 'price', 'qty', 'owner', 'expiresAt'] as const;

const mutations: Mutation[] = [
  // a header field
  (p) =>
    fc
      .constantFrom('sequence', 'time', 'lastPrice', 'capacity', 'minPrice', 'maxPrice')
      .chain((field) => {
        const inConfig = field === 'capacity' || field === 'minPrice' || field === 'maxPrice';
        const current = inConfig ? p.config[field] : p[field as 'sequence' | 'time' | 'lastPrice'];
        return fieldValue(current, [p.orders.length, p.orders.length + p.stops.length - 1]).map(
          (v) =>
            inConfig
              ? { ...p, config: { ...p.config, [field]: v } }
              : ({ ...p, [field]: v } as Parts),
        );
      }),
  // one field of one resting order
  (p) =>
    p.orders.length === 0
      ? fc.constant(p)
      : fc
          .tuple(fc.nat(p.orders.length - 1), fc.constantFrom(...ORDER_FIELDS))
          .chain(([i, field]) =>
            fieldValue(
              p.orders[i][field],
              p.orders.map((o) => o[field]),
            ).map((v) => {
              const orders = p.orders.slice();
              orders[i] = { ...orders[i], [field]: v };
              return { ...p, orders };
            }),
          ),
  // one order's side, or two orders swapped, or one order twice
  (p) =>
    p.orders.length === 0
      ? fc.constant(p)
      : fc
          .tuple(fc.nat(p.orders.length - 1), fc.nat(p.orders.length - 1), fc.nat(2))
          .map(([i, j, how]) => {
            const orders = p.orders.slice();
            if (how === 0)
              orders[i] = { ...orders[i], side: orders[i].side === 'buy' ? 'sell' : 'buy' };
            else if (how === 1) [orders[i], orders[j]] = [orders[j], orders[i]];
            else orders.splice(j, 0, orders[i]);
            return { ...p, orders, orderCount: orders.length };
          }),
  // one field of one stop, or its side, or its kind
  (p) =>
    p.stops.length === 0
      ? fc.constant(p)
      : fc
          .tuple(fc.nat(p.stops.length - 1), fc.constantFrom(...STOP_FIELDS, 'side', 'kind'))
          .chain(([i, field]) => {
            const stop = p.stops[i];
            const put = (s: SnapshotStop) => {
              const stops = p.stops.slice();
              stops[i] = s;
              return { ...p, stops };
            };
            if (field === 'side') {
              return fc.constant(put({ ...stop, side: stop.side === 'buy' ? 'sell' : 'buy' }));
            }
            if (field === 'kind') {
              return fc.constant(
                put({
                  ...stop,
                  price: stop.price === undefined ? space.config.minPrice : undefined,
                }),
              );
            }
            return fieldValue(
              stop[field] ?? 0,
              p.stops.map((s) => s[field] ?? 0),
            ).map((v) => put({ ...stop, [field]: v }));
          }),
];

/** Random bytes of the body rewritten, the checksum made right again. */
function flipBytes(bytes: Uint8Array, at: number[], values: number[]): Uint8Array {
  const out = bytes.slice();
  const bodyStart = 12;
  const bodyEnd = out.length - 4;
  at.forEach((a, k) => {
    out[bodyStart + (a % (bodyEnd - bodyStart))] = values[k];
  });
  new DataView(out.buffer).setUint32(bodyEnd, crc32(out, bodyStart, bodyEnd), true);
  return out;
}

/** A book that ran `commands` (on the reference), as snapshot bytes. */
function snapshotAfter(commands: readonly Command[]): Uint8Array {
  const book = createBook({ ...space.config, engine: 'js' });
  book.apply(commands);
  return book.snapshot();
}

describe('snapshots that pass the checksum but are not valid books', () => {
  it('field mutations: both engines refuse the same ones and restore the rest identically', () => {
    let refused = 0;
    let restored = 0;
    fc.assert(
      fc.property(
        commandsArbitrary(space)
          .map(snapshotAfter)
          .chain((bytes) => {
            const parts = partsOf(bytes);
            return fc.tuple(
              fc.constant(parts),
              fc.constantFrom(...mutations).chain((m) => m(parts)),
            );
          }),
        fc.array(commandArbitrary(space), { maxLength: 20 }),
        ([, mutated], after) => {
          const outcome = bothAgree(encodeSnapshot(mutated), after);
          if (outcome.ok) restored++;
          else {
            refused++;
            expect(['CORRUPT_DATA', 'UNSUPPORTED_VERSION']).toContain(outcome.code);
          }
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
    // the mutations reach both outcomes
    expect(refused).toBeGreaterThan(PROPERTY_RUNS / 4);
    expect(restored).toBeGreaterThan(PROPERTY_RUNS / 20);
  });

  it('byte mutations with the checksum fixed: the same refusals and the same books', () => {
    fc.assert(
      fc.property(
        commandsArbitrary(space).map(snapshotAfter),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 }),
        fc.array(commandArbitrary(space), { maxLength: 20 }),
        (bytes, at, values, after) => {
          bothAgree(flipBytes(bytes, at, values), after);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  /** Snapshot of a small valid book with a bid, an ask, an iceberg and a stop, mutated by `change`. */
  function refusedFor(change: (p: Parts) => Parts): string[] {
    const book = createBook({ ...space.config, engine: 'js' });
    book.limit({ id: 1, side: 'buy', price: 101, qty: 5 });
    book.limit({ id: 2, side: 'buy', price: 100, qty: 50, displayQty: 5 });
    book.limit({ id: 3, side: 'sell', price: 108, qty: 4, expiresAt: 30 });
    book.limit({ id: 4, side: 'sell', price: 101, qty: 1 }); // trades: last price 101
    book.stop({ id: 5, side: 'buy', trigger: 105, qty: 2 });
    book.advanceTime(3);
    const parts = partsOf(book.snapshot());
    expect(bothAgree(encodeSnapshot(parts), []).ok).toBe(true);
    return ENGINES.map((engine) => {
      const r = restoreIn(encodeSnapshot(change(structuredClone(parts))), engine);
      return r.ok ? 'restored' : r.code;
    });
  }

  const order = (p: Parts, id: number) => p.orders.find((o) => o.id === id) as SnapshotOrder;
  /** Change fields of order `id`. */
  const withOrder =
    (id: number, fields: Partial<SnapshotOrder>) =>
    (p: Parts): Parts => {
      Object.assign(order(p, id), fields);
      return p;
    };
  const CASES: [string, (p: Parts) => Parts][] = [
    ['a duplicate id', (p) => ({ ...p, stops: [{ ...p.stops[0], id: 1 }] })],
    ['an out-of-band price', withOrder(1, { price: 200 })],
    ['a crossed book', withOrder(3, { price: 100 })],
    ['a fractional quantity', withOrder(1, { remaining: 4.5, displayed: 4.5 })],
    ['more orders than capacity', (p) => ({ ...p, config: { ...p.config, capacity: 2 } })],
    ['a negative time', (p) => ({ ...p, time: -1 })],
    ['a NaN time', (p) => ({ ...p, time: Number.NaN })],
    ['a fractional sequence', (p) => ({ ...p, sequence: 2.5 })],
    ['a negative sequence', (p) => ({ ...p, sequence: -3 })],
    ['a NaN last price', (p) => ({ ...p, lastPrice: Number.NaN })],
    ['an out-of-band last price', (p) => ({ ...p, lastPrice: 500 })],
    ['an iceberg above 1000 × its display', withOrder(2, { remaining: 5001 })],
    [
      'a level past 2^53-1',
      (p) => {
        // order 1 (4 lots left) joins order 2's level, whose reserve grows to the brim
        Object.assign(order(p, 1), { price: 100 });
        Object.assign(order(p, 2), { remaining: 2 ** 53 - 4, displayQty: 2 ** 50 });
        return p;
      },
    ],
    ['an expiry not after the time', withOrder(3, { expiresAt: 3 })],
    ['a stop the last price reaches', (p) => ({ ...p, stops: [{ ...p.stops[0], trigger: 101 }] })],
    [
      'a GTC stop market',
      (p) => ({ ...p, stops: [{ ...p.stops[0], timeInForce: 'GTC' as const }] }),
    ],
    [
      'asks before bids',
      (p) => ({ ...p, orders: [...p.orders.slice(2), ...p.orders.slice(0, 2)] }),
    ],
  ];

  it.each(CASES)('%s is CORRUPT_DATA in both engines', (_name, change) => {
    expect(refusedFor(change)).toEqual(['CORRUPT_DATA', 'CORRUPT_DATA']);
  });
});
