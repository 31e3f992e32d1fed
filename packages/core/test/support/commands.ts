/**
 * fast-check arbitraries for command sequences: mostly valid orders around a
 * small band (so they trade, queue and self-trade often), mixed with every kind
 * of bad input. Shared by the reference property tests and the engine
 * differential tests.
 */
import fc from 'fast-check';
import type { BookConfig, Command, StpMode } from '../../src/index';

/** Property runs: 1,000 in CI, more for soak runs via TICKBOOK_PROPERTY_RUNS. */
export const PROPERTY_RUNS = Number(process.env.TICKBOOK_PROPERTY_RUNS ?? 1000);

const STP: StpMode[] = ['cancel-newest', 'cancel-oldest', 'cancel-both', 'decrement-and-cancel'];
const BAD_NUMBERS: unknown[] = [
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '5',
  null,
];

export interface CommandSpace {
  config: BookConfig;
  /** Largest id drawn from the small pool (small so duplicates and unknowns are common). */
  idPool: number;
}

/** A small band, capacity and id pool where everything interesting happens often. */
export function commandSpace(capacity = 8): CommandSpace {
  return { config: { minPrice: 100, maxPrice: 110, capacity }, idPool: 16 };
}

function arbitraryId(space: CommandSpace): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 1, max: space.idPool }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 53 - 1, 2 ** 53 - 2, 2 ** 32, 2 ** 31 - 1) },
  );
}

/** A value that is sometimes wrong in one of the ways callers get it wrong. */
function sometimesBad<T>(good: fc.Arbitrary<T>, bad: unknown[]): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 60, arbitrary: good },
    { weight: 1, arbitrary: fc.constantFrom(...(bad as T[])) },
  );
}

export function commandArbitrary(space: CommandSpace): fc.Arbitrary<Command> {
  const { minPrice, maxPrice } = space.config;
  const id = sometimesBad(arbitraryId(space), BAD_NUMBERS);
  const side = sometimesBad(fc.constantFrom('buy' as const, 'sell' as const), ['BUY', 'hold', 1]);
  const price = sometimesBad(fc.integer({ min: minPrice, max: maxPrice }), [
    ...BAD_NUMBERS,
    minPrice - 1,
    maxPrice + 1,
  ]);
  const qty = sometimesBad(
    fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: 1, max: 20 }) },
      { weight: 1, arbitrary: fc.constantFrom(2 ** 53 - 1, 2 ** 52) },
    ),
    BAD_NUMBERS,
  );
  const owner = fc.option(sometimesBad(fc.integer({ min: 1, max: 2 }), [0, -2, 1.5]), {
    nil: undefined,
    freq: 2,
  });
  const stp = fc.option(sometimesBad(fc.constantFrom(...STP), ['none']), {
    nil: undefined,
    freq: 2,
  });
  // Buys mostly below the middle of the band and sells above it, so orders
  // queue up; a negative offset crosses the spread.
  const mid = Math.floor((minPrice + maxPrice) / 2);
  const half = Math.ceil((maxPrice - minPrice) / 2);
  const quotedPrice = (s: unknown, off: number) =>
    Math.min(maxPrice, Math.max(minPrice, s === 'sell' ? mid + off : mid - off));
  const limit = fc
    .record(
      {
        kind: fc.constant('limit' as const),
        id,
        side,
        price,
        offset: fc.integer({ min: -2, max: half }),
        quoted: fc.boolean(),
        qty,
        timeInForce: fc.option(
          sometimesBad(fc.constantFrom('GTC', 'GTC', 'GTC', 'IOC', 'FOK'), ['DAY']),
          { nil: undefined, freq: 3 },
        ),
        postOnly: sometimesBad(fc.constantFrom(undefined, undefined, undefined, true, false), [
          'yes',
        ]),
        owner,
        stp,
        expiresAt: fc.option(sometimesBad(fc.integer({ min: 1, max: 40 }), [0, -5, 2.5, 'soon']), {
          nil: undefined,
          freq: 3,
        }),
        // icebergs: small display quantities (often below qty), sometimes bad
        displayQty: fc.option(
          sometimesBad(fc.integer({ min: 1, max: 6 }), [0, -1, 2.5, 2 ** 53, 'some']),
          { nil: undefined, freq: 3 },
        ),
      },
      { requiredKeys: ['kind', 'id', 'side', 'price', 'offset', 'quoted', 'qty'] },
    )
    .map(({ offset, quoted, ...order }) =>
      quoted && typeof order.price === 'number' && Number.isSafeInteger(order.price)
        ? { ...order, price: quotedPrice(order.side, offset) }
        : order,
    );
  // Market orders: by qty (mostly), by notional (ticks × lots), rarely both or
  // neither; sometimes with a protection price (in band, or bad).
  const notional = sometimesBad(
    fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: 1, max: 2_500 }) },
      { weight: 1, arbitrary: fc.constantFrom(2 ** 53 - 1, 2 ** 52 + 1) },
    ),
    BAD_NUMBERS,
  );
  const sizing = fc.oneof(
    { weight: 12, arbitrary: qty.map((q) => ({ qty: q })) },
    { weight: 6, arbitrary: notional.map((n) => ({ notional: n })) },
    { weight: 1, arbitrary: fc.record({ qty, notional }) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
  const market = fc
    .record(
      {
        kind: fc.constant('market' as const),
        id,
        side,
        sizing,
        protectionPrice: fc.option(price, { nil: undefined, freq: 2 }),
        timeInForce: fc.option(sometimesBad(fc.constantFrom('IOC', 'FOK'), ['GTC']), {
          nil: undefined,
        }),
        owner,
        stp,
      },
      { requiredKeys: ['kind', 'id', 'side', 'sizing'] },
    )
    .map(({ sizing: size, ...order }) => ({ ...order, ...size }));
  const cancel = fc.record({ kind: fc.constant('cancel' as const), id });
  // stops: triggers around the middle of the band so they fire often; sometimes bad
  const trigger = sometimesBad(fc.integer({ min: minPrice, max: maxPrice }), [
    ...BAD_NUMBERS,
    minPrice - 1,
    maxPrice + 1,
  ]);
  const stop = fc.record(
    {
      kind: fc.constant('stop' as const),
      id,
      side,
      trigger,
      qty,
      price,
      timeInForce: fc.option(sometimesBad(fc.constantFrom('GTC', 'IOC', 'FOK'), ['DAY']), {
        nil: undefined,
        freq: 2,
      }),
      owner,
      stp,
      expiresAt: fc.option(sometimesBad(fc.integer({ min: 1, max: 40 }), [0, 2.5]), {
        nil: undefined,
        freq: 3,
      }),
    },
    { requiredKeys: ['kind', 'id', 'side', 'trigger', 'qty'] },
  );
  const modify = fc.record(
    { kind: fc.constant('modify' as const), id, price, qty, trigger },
    { requiredKeys: ['kind', 'id'] },
  );

  const reduce = fc.record(
    { kind: fc.constant('reduce' as const), id, qty },
    { requiredKeys: ['kind', 'id'] },
  );

  // Time mostly moves forward in small steps; sometimes backwards (refused) or bad.
  const advance = fc.record({
    kind: fc.constant('advance-time' as const),
    time: sometimesBad(fc.integer({ min: 0, max: 40 }), [-1, 1.5, Number.NaN, 2 ** 53, '7']),
  });

  const junk = fc.constantFrom<unknown>(null, 7, { kind: 'iceberg', id: 1 }, { id: 3 });
  return fc.oneof(
    { weight: 12, arbitrary: limit },
    { weight: 3, arbitrary: market },
    { weight: 4, arbitrary: cancel },
    { weight: 4, arbitrary: modify },
    { weight: 3, arbitrary: reduce },
    { weight: 2, arbitrary: advance },
    { weight: 4, arbitrary: stop },
    { weight: 1, arbitrary: junk },
  ) as fc.Arbitrary<Command>;
}

export function commandsArbitrary(space: CommandSpace, maxLength = 80): fc.Arbitrary<Command[]> {
  return fc.array(commandArbitrary(space), { minLength: 1, maxLength, size: 'max' });
}
