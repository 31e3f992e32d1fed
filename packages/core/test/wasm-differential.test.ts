/**
 * Differential tests: random command sequences (valid and invalid, every
 * order type (market orders by qty or notional, with or without a protection
 * price), TIF, post-only, modify, reduce, cancel, every self-trade mode, band
 * edges, ids near 2^53-1, a book small enough to fill) run through the
 * reference engine and the WASM engine must give the same events, event for
 * event, the same refusals, and the same book.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { decodeSnapshot, restingOrders, snapshotBook } from '../src/durability/snapshot';
import { stateHash } from '../src/durability/state-hash';
import { type Book, type BookConfig, type BookEvent, type Command, createBook } from '../src/index';
import { RESTORE } from '../src/internal';
import { CMD_SIZE, GEO_MAP_SIZE } from '../src/wasm/codes';
import { decodeCommand } from '../src/wasm/decode-command';
import { encodeCommand, recordBytes } from '../src/wasm/encode';
import { CommandBuffer, createWasmBook, WasmBook } from '../src/wasm/index';
import { checkInvariants, dumpBook } from './support/book-state';
import {
  type CommandSpace,
  commandSpace,
  commandsArbitrary,
  PROPERTY_RUNS,
} from './support/commands';
import { runCommand } from './support/run-command';

const STP_MODES = [
  'cancel-newest',
  'cancel-oldest',
  'cancel-both',
  'decrement-and-cancel',
] as const;

function wasmBook(config: BookConfig): WasmBook {
  return createWasmBook(resolveConfig({ ...config, engine: 'wasm' }));
}

function refBook(config: BookConfig): Book {
  return createBook({ ...config, engine: 'js' });
}

/** Book spaces: the shared small band, one at the top of the safe range, one that fills at once. */
const spaces: [string, CommandSpace][] = [
  ['small band, capacity 8', commandSpace(8)],
  ['capacity 2 (often full)', commandSpace(2)],
  [
    'band at the top of the safe range',
    { config: { minPrice: 2 ** 53 - 11, maxPrice: 2 ** 53 - 1, capacity: 8 }, idPool: 16 },
  ],
  ['one-tick band', { config: { minPrice: 1, maxPrice: 1, capacity: 6 }, idPool: 12 }],
];

/** A space with a random default self-trade mode. */
const configured = (space: CommandSpace) =>
  fc
    .constantFrom(...STP_MODES)
    .map((stpMode) => ({ ...space, config: { ...space.config, stpMode } }));

function ids(space: CommandSpace): number[] {
  const out = [2 ** 53 - 1, 2 ** 53 - 2, 2 ** 32, 2 ** 31 - 1];
  for (let i = 1; i <= space.idPool; i++) out.push(i);
  return out;
}

/** The raw exports of a book's matcher. */
function exportsOf(book: WasmBook): { geometry(i: number): number } {
  return (book as unknown as { ex: { geometry(i: number): number } }).ex;
}

/** The applied-command count both engines keep for durability. */
function sequenceOf(book: Book): number {
  return (book as unknown as { sequence: number }).sequence;
}

function expectSameBook(wasm: WasmBook, ref: Book, space: CommandSpace): void {
  expect(stateHash(wasm)).toBe(stateHash(ref as Book & { sequence: number }));
  expect(dumpBook(wasm)).toEqual(dumpBook(ref));
  expect(sequenceOf(wasm)).toBe(sequenceOf(ref));
  expect(wasm.nextExpiry).toBe(ref.nextExpiry);
  expect(wasm.bestBid()).toEqual(ref.bestBid());
  expect(wasm.bestAsk()).toEqual(ref.bestAsk());
  expect(wasm.depth(2)).toEqual(ref.depth(2));
  for (const id of ids(space)) expect(wasm.order(id)).toEqual(ref.order(id));
}

/**
 * Long sequences that keep a deep book: mostly resting orders over a large id
 * pool, with cancels, modifies and the odd sweep, so thousands of orders rest.
 */
function deepBookArbitrary(space: CommandSpace): fc.Arbitrary<Command[]> {
  const { minPrice, maxPrice } = space.config;
  const mid = Math.floor((minPrice + maxPrice) / 2);
  const id = fc.integer({ min: 1, max: space.idPool });
  const side = fc.constantFrom('buy' as const, 'sell' as const);
  const owner = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });
  const resting = fc
    .record({
      id,
      side,
      off: fc.integer({ min: 1, max: mid - minPrice }),
      qty: fc.integer({ min: 1, max: 20 }),
      owner,
    })
    .map(
      ({ off, ...o }): Command => ({
        kind: 'limit',
        ...o,
        price: o.side === 'buy' ? mid - off : mid + off,
      }),
    );
  const sweep = fc
    .record({ id, side, qty: fc.integer({ min: 1, max: 400 }), owner })
    .map((o): Command => ({ kind: 'market', ...o }));
  const notionalSweep = fc
    .record(
      {
        id,
        side,
        notional: fc.integer({ min: 1, max: 400 * maxPrice }),
        protectionPrice: fc.integer({ min: minPrice, max: maxPrice }),
        owner,
      },
      { requiredKeys: ['id', 'side', 'notional'] },
    )
    .map((o): Command => ({ kind: 'market', ...o }));
  const cancel = id.map((i): Command => ({ kind: 'cancel', id: i }));
  const modify = fc
    .record(
      {
        id,
        price: fc.integer({ min: minPrice, max: maxPrice }),
        qty: fc.integer({ min: 1, max: 30 }),
      },
      { requiredKeys: ['id'] },
    )
    .map((m): Command => ({ kind: 'modify', ...m }));
  const reduce = fc
    .record({ id, qty: fc.integer({ min: 1, max: 25 }) })
    .map((r): Command => ({ kind: 'reduce', ...r }));
  // Good-till-date orders expire `expiresAt` ticks of time after they arrive
  // and time advances in steps: both relative here, made absolute below.
  const gtd = fc
    .record({
      id,
      side,
      off: fc.integer({ min: 1, max: mid - minPrice }),
      qty: fc.integer({ min: 1, max: 20 }),
      expiresAt: fc.integer({ min: 1, max: 200 }),
    })
    .map(
      ({ off, ...o }): Command => ({
        kind: 'limit',
        ...o,
        price: o.side === 'buy' ? mid - off : mid + off,
      }),
    );
  const advance = fc
    .integer({ min: 0, max: 5 })
    .map((time): Command => ({ kind: 'advance-time', time }));
  return fc
    .array(
      fc.oneof(
        { weight: 16, arbitrary: resting },
        { weight: 4, arbitrary: cancel },
        { weight: 2, arbitrary: modify },
        { weight: 1, arbitrary: reduce },
        { weight: 1, arbitrary: sweep },
        { weight: 1, arbitrary: notionalSweep },
        { weight: 1, arbitrary: gtd },
        { weight: 1, arbitrary: advance },
      ),
      { minLength: 2_000, maxLength: 4_000 },
    )
    .map((commands) => {
      let now = 0;
      return commands.map((c): Command => {
        if (c.kind === 'advance-time') {
          now += c.time;
          return { kind: 'advance-time', time: now };
        }
        if (c.kind === 'limit' && c.expiresAt !== undefined)
          return { ...c, expiresAt: now + c.expiresAt };
        return c;
      });
    });
}

describe('binary command records', () => {
  it('decodeCommand(encodeCommand(c)) behaves exactly like c on the reference engine', () => {
    const space = commandSpace(4);
    fc.assert(
      fc.property(configured(space), commandsArbitrary(space), (sp, commands) => {
        // packed one after another, as in a CommandBuffer
        const bytes = new Uint8Array(CMD_SIZE * commands.length);
        const f64 = new Float64Array(bytes.buffer);
        let at = 0;
        const decoded = commands.map((c) => {
          const size = encodeCommand(c, bytes, f64, at);
          expect(recordBytes(bytes, at)).toBe(size);
          const command = decodeCommand(bytes, f64, at);
          at += size;
          return command;
        });
        expect(refBook(sp.config).apply(decoded)).toEqual(refBook(sp.config).apply(commands));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('WASM engine = reference engine', () => {
  it('really runs in WebAssembly over shared memory', () => {
    const book = wasmBook(commandSpace().config);
    expect(book.engine).toBe('wasm');
    expect(book).toBeInstanceOf(WasmBook);
    expect(book.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  for (const [name, base] of spaces) {
    describe(name, () => {
      it('per-order API: same events, same refusal codes, same book after every command', () => {
        fc.assert(
          fc.property(configured(base), commandsArbitrary(base), (space, commands) => {
            const ref = refBook(space.config);
            const wasm = wasmBook(space.config);
            for (const command of commands) {
              const expected = runCommand(ref, command);
              const actual = runCommand(wasm, command);
              expect(actual).toEqual(expected);
              expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
              expect(dumpBook(wasm)).toEqual(dumpBook(ref));
              wasm.checkInvariants();
            }
            checkInvariants(wasm);
            expectSameBook(wasm, ref, space);
          }),
          { numRuns: PROPERTY_RUNS },
        );
      });

      it('batch API (apply and binary commands): the same stream as the reference apply()', () => {
        fc.assert(
          fc.property(
            configured(base),
            commandsArbitrary(base),
            fc.integer({ min: 1, max: 40 }),
            (space, commands, chunk) => {
              const ref = refBook(space.config);
              const expected = ref.apply(commands);

              const wasm = wasmBook(space.config);
              const actual: BookEvent[] = [];
              for (let s = 0; s < commands.length; s += chunk) {
                actual.push(...wasm.apply(commands.slice(s, s + chunk)));
              }
              expect(actual).toEqual(expected);
              expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
              expectSameBook(wasm, ref, space);

              const encoded = wasmBook(space.config);
              const buffer = new CommandBuffer(1);
              for (const c of commands) buffer.push(c as Command);
              expect(encoded.applyEncodedEvents(buffer)).toEqual(expected);
              expectSameBook(encoded, ref, space);
            },
          ),
          { numRuns: PROPERTY_RUNS },
        );
      });

      it('restores the reference book orders and goes on exactly like it', () => {
        fc.assert(
          fc.property(
            configured(base),
            commandsArbitrary(base),
            commandsArbitrary(base),
            (space, before, after) => {
              const ref = refBook(space.config);
              ref.apply(before);
              const wasm = wasmBook(space.config);
              wasm[RESTORE](
                restingOrders(ref),
                sequenceOf(ref),
                ref.time,
                decodeSnapshot(snapshotBook(ref as Book & { sequence: number })).stops(),
                ref.lastPrice ?? 0,
              );
              expectSameBook(wasm, ref, space);
              // and through the snapshot format, both ways
              const bytes = snapshotBook(ref as Book & { sequence: number });
              const viaBytes = wasmBook(space.config);
              const decoded = decodeSnapshot(bytes);
              viaBytes[RESTORE](
                decoded.orders(),
                sequenceOf(ref),
                ref.time,
                decoded.stops(),
                decoded.lastPrice,
              );
              expect(snapshotBook(viaBytes)).toEqual(bytes);
              expect(stateHash(viaBytes)).toBe(stateHash(ref as Book & { sequence: number }));
              expect(wasm.apply(after)).toEqual(ref.apply(after));
              expectSameBook(wasm, ref, space);
            },
          ),
          { numRuns: Math.ceil(PROPERTY_RUNS / 4) },
        );
      });
    });
  }

  it('a book big enough for the batch loop to warm its caches ahead: same stream, same book', () => {
    // Past 2^17 map entries (about 65,000 orders) the binary batch loop loads
    // the map entries, slots and neighbours of a group of commands ahead;
    // those loads must never change a result, whatever the commands are.
    const space: CommandSpace = {
      config: { minPrice: 100, maxPrice: 140, capacity: 80_000 },
      idPool: 72_000,
    };
    const base: Command[] = [];
    for (let id = 1; id <= 70_000; id++) {
      const side = id % 2 === 0 ? 'buy' : 'sell';
      const off = 1 + (id % 20);
      if (id % 97 === 0) {
        // stops far from the market: their slots' `prev` is a heap position
        base.push({ kind: 'stop', id, side, trigger: side === 'buy' ? 140 : 100, qty: 5 });
        continue;
      }
      const price = side === 'buy' ? 120 - off : 120 + off;
      base.push(
        id % 50 === 0
          ? { kind: 'limit', id, side, price, qty: 20, displayQty: 3 }
          : { kind: 'limit', id, side, price, qty: 1 + (id % 20) },
      );
    }
    const toBuffer = (commands: readonly Command[]) => {
      const b = new CommandBuffer(1);
      for (const c of commands) b.push(c);
      return b;
    };
    const commands = fc
      .tuple(
        deepBookArbitrary(space),
        commandsArbitrary(space, 300),
        fc.integer({ min: 0, max: 2_000 }),
      )
      .map(([deep, mixed, at]) => [...deep.slice(0, at), ...mixed, ...deep.slice(at)]);
    // half the runs move every valid id up next to 2^53 - 1 (the map hashes their bits)
    const shifted = (commands: readonly Command[], by: number): Command[] =>
      commands.map((c) =>
        // (the mixed commands include non-objects, refused as INVALID_COMMAND)
        typeof c === 'object' && c !== null && 'id' in c && Number.isSafeInteger(c.id) && c.id >= 1
          ? { ...c, id: c.id + by }
          : c,
      );
    fc.assert(
      fc.property(
        configured(space),
        commands,
        fc.constantFrom(0, 2 ** 53 - 80_000),
        (sp, raw, by) => {
          const cmds = shifted(raw, by);
          const start = shifted(base, by);
          const ref = refBook(sp.config);
          const wasm = wasmBook(sp.config);
          expect(wasm.applyEncodedEvents(toBuffer(start))).toEqual(ref.apply(start));
          expect(exportsOf(wasm).geometry(GEO_MAP_SIZE)).toBeGreaterThanOrEqual(2 ** 17);
          expect(wasm.applyEncodedEvents(toBuffer(cmds))).toEqual(ref.apply(cmds));
          expect(stateHash(wasm)).toBe(stateHash(ref as Book & { sequence: number }));
          expect(dumpBook(wasm)).toEqual(dumpBook(ref));
          wasm.checkInvariants();
        },
      ),
      // each run builds a 70,000-order book: report a failure without shrinking
      { numRuns: Math.max(4, Math.ceil(PROPERTY_RUNS / 100)), endOnFailure: true },
    );
  });

  it('long sequences over a large id pool (the id map grows and shifts): same stream, same book', () => {
    const space: CommandSpace = {
      config: { minPrice: 100, maxPrice: 140, capacity: 3_000 },
      idPool: 6_000,
    };
    let maxMap = 0;
    fc.assert(
      fc.property(configured(space), deepBookArbitrary(space), (sp, commands) => {
        const ref = refBook(sp.config);
        const wasm = wasmBook(sp.config);
        const perOrder = wasmBook(sp.config);
        const perOrderRef = refBook(sp.config);
        expect(wasm.apply(commands)).toEqual(ref.apply(commands));
        commands.forEach((c, i) => {
          expect(runCommand(perOrder, c)).toEqual(runCommand(perOrderRef, c));
          if (i % 250 === 0) perOrder.checkInvariants(); // the expiry heap mid-sequence too
        });
        expect(dumpBook(wasm)).toEqual(dumpBook(ref));
        expect(dumpBook(perOrder)).toEqual(dumpBook(ref));
        for (let id = 1; id <= space.idPool; id++) expect(wasm.order(id)).toEqual(ref.order(id));
        checkInvariants(wasm);
        wasm.checkInvariants();
        perOrder.checkInvariants();
        maxMap = Math.max(maxMap, exportsOf(wasm).geometry(GEO_MAP_SIZE));
      }),
      { numRuns: Math.max(5, Math.ceil(PROPERTY_RUNS / 50)) },
    );
    // the sequences were long enough to make the map grow past its first size
    expect(maxMap).toBeGreaterThan(1024);
  });
});
