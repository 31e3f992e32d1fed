/**
 * The validation table (src/validation-order.ts) is the order both engines
 * refuse in, on every path: for each command kind, each check is broken
 * alone, then together with every later check it can be broken beside
 * (the two touch different fields), and the earlier check's code must win
 * with the book untouched. docs/semantics.md lists the same order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST } from '../src/errors';
import {
  type Book,
  type BookEvent,
  type Command,
  CommandBuffer,
  createBook,
  type EngineKind,
  type WasmBook,
} from '../src/index';
import { VALIDATION_ORDER } from '../src/validation-order';
import { runCommand } from './support/run-command';

const MAX = Number.MAX_SAFE_INTEGER;
type Fields = Record<string, unknown>;

/**
 * The book every case starts from (time 50): a huge bid at 100 (the level
 * bound), an ask at 200, an iceberg ask at 250 showing 1 of 10, a bid at 90,
 * and an untriggered buy stop market at 300. `full`: capacity equals the five
 * orders it holds.
 */
function fixture(engine: EngineKind, full: boolean): Book {
  const book = createBook({ engine, minPrice: 1, maxPrice: 1000, capacity: full ? 5 : 6 });
  book.limit({ id: 7, side: 'buy', price: 100, qty: MAX - 5 });
  book.limit({ id: 8, side: 'sell', price: 200, qty: 5 });
  book.stop({ id: 9, side: 'buy', trigger: 300, qty: 1 });
  book.limit({ id: 11, side: 'sell', price: 250, qty: 10, displayQty: 1 });
  book.limit({ id: 12, side: 'buy', price: 90, qty: 1 });
  book.advanceTime(50);
  return book;
}

/** How to break one check: the fields it sets, and whether it needs the full book. */
interface Breaker {
  code: string;
  set: Fields;
  full?: boolean;
}

// Breakers that several commands share.
const badId: Breaker = { code: 'INVALID_ID', set: { id: 0 } };
const badSide: Breaker = { code: 'INVALID_SIDE', set: { side: 'up' } };
const badPrice: Breaker = { code: 'INVALID_PRICE', set: { price: 1.5 } };
const outOfBand: Breaker = { code: 'PRICE_OUT_OF_BAND', set: { price: 5000 } };
const badQty: Breaker = { code: 'INVALID_QTY', set: { qty: 0 } };
const badOwner: Breaker = { code: 'INVALID_OWNER', set: { owner: -3 } };
const badStp: Breaker = { code: 'INVALID_STP_MODE', set: { stp: 'nope' } };
const badExpiry: Breaker = { code: 'INVALID_EXPIRY', set: { expiresAt: 2.5 } };
const duplicate: Breaker = { code: 'DUPLICATE_ID', set: { id: 7 } };
const expired: Breaker = { code: 'ALREADY_EXPIRED', set: { expiresAt: 40 } };
const full: Breaker = { code: 'BOOK_FULL', set: {}, full: true };
const unknown: Breaker = { code: 'UNKNOWN_ORDER', set: { id: 99 } };
const fractionalId: Breaker = { code: 'INVALID_ID', set: { id: 1.5 } };

/** A valid command of each kind on the fixture, and one breaker per row of the table. */
const CASES: Record<Command['kind'], { base: Fields; breakers: Breaker[] }> = {
  limit: {
    base: { kind: 'limit', id: 20, side: 'buy', price: 150, qty: 10 },
    breakers: [
      badId,
      badSide,
      badPrice,
      outOfBand,
      badQty,
      { code: 'INVALID_TIF', set: { timeInForce: 'DAY' } },
      { code: 'INVALID_POST_ONLY', set: { postOnly: 'yes' } },
      badOwner,
      badStp,
      badExpiry,
      { code: 'INVALID_DISPLAY', set: { displayQty: 0.5 } },
      duplicate,
      expired,
      full,
      { code: 'QTY_OVERFLOW', set: { price: 100, qty: 10 } },
    ],
  },
  market: {
    base: { kind: 'market', id: 21, side: 'buy', qty: 1 },
    breakers: [
      badId,
      badSide,
      badQty,
      { code: 'QTY_AND_NOTIONAL', set: { qty: 1, notional: 100 } },
      { code: 'INVALID_NOTIONAL', set: { qty: undefined, notional: 0 } },
      { code: 'INVALID_PRICE', set: { protectionPrice: 1.5 } },
      { code: 'PRICE_OUT_OF_BAND', set: { protectionPrice: 5000 } },
      { code: 'INVALID_TIF', set: { timeInForce: 'GTC' } },
      { code: 'INVALID_POST_ONLY', set: { postOnly: true } },
      badOwner,
      badStp,
      duplicate,
    ],
  },
  cancel: { base: { kind: 'cancel', id: 8 }, breakers: [badId, unknown] },
  modify: {
    base: { kind: 'modify', id: 8, qty: 4 },
    breakers: [
      fractionalId,
      badPrice,
      outOfBand,
      badQty,
      { code: 'INVALID_TRIGGER', set: { trigger: 5000 } },
      unknown,
      { code: 'INVALID_PRICE', set: { id: 9, price: 150 } },
      { code: 'INVALID_TRIGGER', set: { trigger: 300 } },
      { code: 'INVALID_DISPLAY', set: { id: 11, qty: 2000 } },
      { code: 'QTY_OVERFLOW', set: { id: 12, price: 100, qty: 10 } },
    ],
  },
  reduce: { base: { kind: 'reduce', id: 8, qty: 1 }, breakers: [fractionalId, badQty, unknown] },
  stop: {
    base: { kind: 'stop', id: 22, side: 'buy', trigger: 300, qty: 1 },
    breakers: [
      badId,
      badSide,
      { code: 'INVALID_TRIGGER', set: { trigger: 5000 } },
      badPrice,
      outOfBand,
      badQty,
      { code: 'INVALID_TIF', set: { timeInForce: 'DAY' } },
      badOwner,
      badStp,
      badExpiry,
      duplicate,
      expired,
      full,
    ],
  },
  'advance-time': {
    base: { kind: 'advance-time', time: 60 },
    breakers: [
      { code: 'INVALID_TIME', set: { time: -1 } },
      { code: 'TIME_BACKWARDS', set: { time: 10 } },
    ],
  },
};

/** The command with the breakers' fields set (an undefined value removes the field). */
function broken(base: Fields, breakers: Breaker[]): Command {
  const out: Fields = { ...base };
  for (const b of breakers) {
    for (const [k, v] of Object.entries(b.set)) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
  }
  return out as unknown as Command;
}

/** Two breakers that set different fields can be applied together. */
function disjoint(a: Breaker, b: Breaker): boolean {
  return Object.keys(a.set).every((k) => !(k in b.set));
}

const rejectedCode = (events: BookEvent[]) =>
  events.length === 1 && events[0].type === 'rejected' ? events[0].code : events;

const PATHS: Record<string, (book: Book, c: Command) => unknown> = {
  'per-order': (book, c) => {
    const outcome = runCommand(book, c);
    return outcome.ok ? outcome.events : outcome.code;
  },
  submit: (book, c) => rejectedCode(book.submit(c)),
  apply: (book, c) => rejectedCode(book.apply([c])),
  binary: (book, c) => {
    if (book.engine !== 'wasm') return rejectedCode(book.apply([c]));
    const buffer = new CommandBuffer();
    buffer.push(c);
    return rejectedCode((book as WasmBook).applyEncodedEvents(buffer));
  },
};

describe('the validation table', () => {
  it('lists each command kind once per check, with a breaker for every row here', () => {
    for (const [kind, steps] of Object.entries(VALIDATION_ORDER)) {
      const codes = CASES[kind as Command['kind']].breakers.map((b) => b.code);
      expect(codes, kind).toEqual(steps.map((s) => s.code));
    }
  });

  it('is the order docs/semantics.md gives', () => {
    const page = readFileSync(new URL('../../../docs/semantics.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('## Validation'), page.indexOf('**Present fields.**'));
    for (const [kind, steps] of Object.entries(VALIDATION_ORDER)) {
      const start = section.indexOf(`**${kind}**:`);
      expect(start, kind).toBeGreaterThanOrEqual(0);
      const paragraph = section.slice(start, section.indexOf('\n\n', start));
      const codes = [...paragraph.matchAll(/`([A-Z_]+)`/g)]
        .map((m) => m[1])
        .filter((c) => (ERROR_CODE_LIST as string[]).includes(c));
      expect(codes, kind).toEqual(steps.map((s) => s.code));
    }
  });

  for (const engine of ['js', 'wasm'] as const) {
    describe(`${engine} engine`, () => {
      for (const [kind, { base, breakers }] of Object.entries(CASES)) {
        it(`${kind}: the first failing check wins on every path, the book untouched`, () => {
          const valid = fixture(engine, false);
          expect(typeof PATHS.submit(valid, broken(base, []))).not.toBe('string');
          let cases = 0;
          for (let i = 0; i < breakers.length; i++) {
            const combos = [[breakers[i]]];
            for (let j = i + 1; j < breakers.length; j++) {
              if (disjoint(breakers[i], breakers[j])) combos.push([breakers[i], breakers[j]]);
            }
            for (const combo of combos) {
              const command = broken(base, combo);
              const full = combo.some((b) => b.full === true);
              for (const [path, run] of Object.entries(PATHS)) {
                const book = fixture(engine, full);
                const before = book.stateHash();
                const what = `${path}: ${JSON.stringify(command)}${full ? ' on a full book' : ''}`;
                expect(run(book, command), what).toBe(breakers[i].code);
                expect(book.stateHash(), what).toBe(before);
                cases++;
              }
            }
          }
          expect(cases).toBeGreaterThanOrEqual(breakers.length * 4);
        });
      }
    });
  }
});
