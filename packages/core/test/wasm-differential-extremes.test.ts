/**
 * The differential test at the extremes, reached by the generator on its
 * own: deep books of icebergs swept by huge orders (by quantity and by
 * notional), decrement-and-cancel against icebergs, stop cascades,
 * quantities near 2^53, capacities of 1 and 2. Every path of the WASM
 * engine (per-order, submit, apply, binary) must give the reference's events,
 * and a snapshot of either engine must restore in the other and go on alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STP_MODES } from '../src/config';
import {
  type Book,
  type BookConfig,
  type BookEvent,
  type Command,
  createBook,
  type EngineKind,
  restoreBook,
} from '../src/index';
import { GEO_EV_CAPACITY } from '../src/wasm/codes';
import type { WasmBook } from '../src/wasm/index';
import { checkInvariants } from './support/book-state';
import { PROPERTY_RUNS } from './support/commands';
import { runCommand } from './support/run-command';
import { encodedEvents, expectSameAsRef, wasmBook } from './support/wasm-book';

const MAX = Number.MAX_SAFE_INTEGER;

/** Books small in band, from capacity 1 to a few hundred orders. */
const configArbitrary: fc.Arbitrary<BookConfig> = fc
  .record({
    minPrice: fc.constantFrom(1, 100, 2 ** 53 - 20),
    capacity: fc.constantFrom(1, 2, 7, 60, 300),
    stpMode: fc.constantFrom(...STP_MODES),
  })
  .map(({ minPrice, capacity, stpMode }) => ({
    minPrice,
    maxPrice: minPrice + 9,
    capacity,
    stpMode,
  }));

/** Commands that build deep iceberg books and sweep them, for a book of `config`. */
function extremeCommands(config: BookConfig): fc.Arbitrary<Command[]> {
  const { minPrice, maxPrice } = config;
  const id = fc.integer({ min: 1, max: 40 });
  const side = fc.constantFrom('buy' as const, 'sell' as const);
  const price = fc.integer({ min: minPrice, max: maxPrice });
  const owner = fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined, freq: 2 });
  const stp = fc.option(fc.constantFrom(...STP_MODES), { nil: undefined, freq: 2 });
  // small, large, and near 2^53
  const qty = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 50 }) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: MAX - 3000, max: MAX }) },
    { weight: 1, arbitrary: fc.integer({ min: 2 ** 52, max: 2 ** 52 + 1000 }) },
  );
  // icebergs of up to 1,000 slices: small display quantities, or ones near 2^53 / 1000
  const iceberg = fc
    .record({
      id,
      side,
      price,
      owner,
      stp,
      displayQty: fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: Math.floor(MAX / 1000) - 5, max: Math.floor(MAX / 1000) }),
        },
      ),
      slices: fc.integer({ min: 2, max: 1000 }),
      extra: fc.nat(3),
    })
    .map(
      ({ displayQty, slices, extra, ...o }): Command => ({
        kind: 'limit',
        ...o,
        qty: Math.min(displayQty * slices + Math.min(extra, displayQty - 1), MAX),
        displayQty,
      }),
    );
  const limit = fc
    .record({
      id,
      side,
      price,
      qty,
      owner,
      stp,
      timeInForce: fc.constantFrom('GTC' as const, 'GTC' as const, 'IOC' as const, 'FOK' as const),
    })
    .map((o): Command => ({ kind: 'limit', ...o }));
  const sweep = fc
    .record({
      id,
      side,
      qty,
      owner,
      stp,
      timeInForce: fc.constantFrom('IOC' as const, 'FOK' as const),
    })
    .map((o): Command => ({ kind: 'market', ...o }));
  const notionalSweep = fc
    .record(
      { id, side, notional: fc.integer({ min: 1, max: MAX }), owner, stp, protectionPrice: price },
      { requiredKeys: ['id', 'side', 'notional'] },
    )
    .map((o): Command => ({ kind: 'market', ...o }));
  const stop = fc
    .record(
      { id, side, trigger: price, qty, price, owner, stp },
      { requiredKeys: ['id', 'side', 'trigger', 'qty'] },
    )
    .map((o): Command => ({ kind: 'stop', ...o }));
  const modify = fc
    .record({ id, price, qty }, { requiredKeys: ['id'] })
    .map((o): Command => ({ kind: 'modify', ...o }));
  const reduce = fc.record({ id, qty }).map((o): Command => ({ kind: 'reduce', ...o }));
  const cancel = id.map((i): Command => ({ kind: 'cancel', id: i }));
  const single = fc.oneof(
    { weight: 8, arbitrary: iceberg },
    { weight: 3, arbitrary: limit },
    { weight: 2, arbitrary: sweep },
    { weight: 2, arbitrary: notionalSweep },
    { weight: 3, arbitrary: stop },
    { weight: 2, arbitrary: modify },
    { weight: 1, arbitrary: reduce },
    { weight: 1, arbitrary: cancel },
  );
  // a deep book of one side's icebergs (and stops), then one huge order from the other side
  const deepSweep = fc
    .record({
      side,
      icebergs: fc.array(iceberg, { minLength: 5, maxLength: 40 }),
      stops: fc.array(stop, { maxLength: 10 }),
      sweep: fc.oneof(sweep, notionalSweep, limit),
      huge: fc.boolean(),
    })
    .map(({ side: s, icebergs, stops, sweep: taker, huge }): Command[] => {
      const other = s === 'buy' ? 'sell' : 'buy';
      const big = huge ? { qty: MAX } : {};
      const last = {
        ...taker,
        side: other,
        ...(taker.kind === 'market' && 'notional' in taker ? {} : big),
      };
      return [...icebergs.map((c) => ({ ...c, side: s }) as Command), ...stops, last as Command];
    });
  return fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: single.map((c) => [c]) },
        { weight: 1, arbitrary: deepSweep },
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map((blocks) => blocks.flat());
}

const scenario = configArbitrary.chain((config) =>
  fc.tuple(fc.constant(config), extremeCommands(config), extremeCommands(config)),
);

/** The events of `commands` through one path of a WASM book. */
const PATHS: Record<string, (book: WasmBook, commands: readonly Command[]) => unknown[]> = {
  'per-order': (book, commands) => commands.map((c) => runCommand(book, c)),
  submit: (book, commands) => commands.flatMap((c) => book.submit(c)),
  apply: (book, commands) => book.apply(commands),
  binary: (book, commands) => encodedEvents(book, commands, 1),
};

/** What the reference gives on the same path (per-order: outcomes with refusal codes). */
function expected(path: string, ref: Book, commands: readonly Command[]): unknown[] {
  if (path === 'per-order') return commands.map((c) => runCommand(ref, c));
  if (path === 'submit') return commands.flatMap((c) => ref.submit(c));
  return ref.apply(commands);
}

/** Every level total and every event quantity stays a safe integer. */
function safeThroughout(book: Book, events: readonly BookEvent[]): void {
  for (const e of events) {
    for (const key of ['qty', 'remaining', 'makerRemaining', 'takerRemaining'] as const) {
      const v = (e as unknown as Record<string, unknown>)[key];
      if (typeof v === 'number')
        expect(Number.isSafeInteger(v), `${e.type}.${key} ${v}`).toBe(true);
    }
  }
  for (const side of ['buy', 'sell'] as const) {
    for (const level of book.levels(side)) expect(Number.isSafeInteger(level.qty)).toBe(true);
  }
}

describe('WASM engine = reference engine at the extremes', () => {
  it('every path, then a snapshot restored in the other engine, goes on alike', () => {
    let biggest = 0;
    const region = wasmBook({ minPrice: 1, maxPrice: 1, capacity: 1 });
    const regionEvents = (region as unknown as { ex: { geometry(i: number): number } }).ex.geometry(
      GEO_EV_CAPACITY,
    );
    fc.assert(
      fc.property(scenario, ([config, before, after]) => {
        const ref = createBook({ ...config, engine: 'js' });
        for (const c of before) {
          const events = ref.apply([c]);
          safeThroughout(ref, events);
          biggest = Math.max(biggest, events.length);
        }
        for (const path of Object.keys(PATHS)) {
          const book = wasmBook(config);
          const check = createBook({ ...config, engine: 'js' });
          expect(PATHS[path](book, before), path).toEqual(expected(path, check, before));
          expectSameAsRef(book, ref, path);
        }
        checkInvariants(ref);
        // snapshot → restore in the other engine, both ways, and go on
        const wasm = wasmBook(config);
        wasm.apply(before);
        for (const [from, to] of [
          [ref, 'wasm'],
          [wasm, 'js'],
        ] as [Book, EngineKind][]) {
          const restored = restoreBook(from.snapshot(), { engine: to });
          expect(restored.stateHash()).toBe(ref.stateHash());
          const twin = restoreBook(from.snapshot(), { engine: from.engine });
          expect(restored.apply(after)).toEqual(twin.apply(after));
          expect(restored.stateHash()).toBe(twin.stateHash());
        }
      }),
      { numRuns: Math.max(20, Math.ceil(PROPERTY_RUNS / 5)) },
    );
    // the generator reached commands with more events than the wasm event region holds
    expect(biggest).toBeGreaterThan(regionEvents);
  });
});
