/** The shared scenario suite: refused input leaves the book untouched (docs/semantics.md). */
import { describe, expect, it } from 'vitest';
import type { BookConfig, Command, ErrorCode } from '../../../src/index';
import { dumpBook } from '../book-state';
import { perOrderCall } from '../run-command';
import { cxl, lvl, type MakeBook, refusal, trade } from './events';

export function refusalsSuite(name: string, make: MakeBook): void {
  describe(`${name} engine: refused input leaves the book untouched`, () => {
    const MAX = Number.MAX_SAFE_INTEGER;
    const seeded = () => {
      const book = make({ capacity: 3 });
      book.limit({ id: 1, side: 'buy', price: 100, qty: 5 });
      book.limit({ id: 2, side: 'buy', price: 95, qty: MAX - 1 });
      return book;
    };
    const cases: Array<[string, ErrorCode, Command]> = [
      ['id 0', 'INVALID_ID', { kind: 'limit', id: 0, side: 'buy', price: 100, qty: 1 }],
      ['fractional id', 'INVALID_ID', { kind: 'cancel', id: 1.5 }],
      ['unsafe id', 'INVALID_ID', { kind: 'market', id: 2 ** 53, side: 'buy', qty: 1 }],
      [
        'bad side',
        'INVALID_SIDE',
        { kind: 'limit', id: 9, side: 'BUY' as never, price: 100, qty: 1 },
      ],
      [
        'NaN price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: Number.NaN, qty: 1 },
      ],
      [
        'negative price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: -100, qty: 1 },
      ],
      ['zero price', 'INVALID_PRICE', { kind: 'limit', id: 9, side: 'buy', price: 0, qty: 1 }],
      [
        'fractional price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: 99.5, qty: 1 },
      ],
      [
        'unsafe price',
        'INVALID_PRICE',
        { kind: 'limit', id: 9, side: 'buy', price: 2 ** 53, qty: 1 },
      ],
      [
        'price above band',
        'PRICE_OUT_OF_BAND',
        { kind: 'limit', id: 9, side: 'buy', price: 111, qty: 1 },
      ],
      [
        'price below band',
        'PRICE_OUT_OF_BAND',
        { kind: 'limit', id: 9, side: 'sell', price: 89, qty: 1 },
      ],
      ['zero qty', 'INVALID_QTY', { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 0 }],
      ['negative qty', 'INVALID_QTY', { kind: 'market', id: 9, side: 'buy', qty: -3 }],
      [
        'NaN qty',
        'INVALID_QTY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: Number.NaN },
      ],
      [
        'unsafe qty',
        'INVALID_QTY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 2 ** 53 },
      ],
      [
        'string qty',
        'INVALID_QTY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: '5' as never },
      ],
      [
        'unknown TIF',
        'INVALID_TIF',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, timeInForce: 'DAY' as never },
      ],
      [
        'GTC market',
        'INVALID_TIF',
        { kind: 'market', id: 9, side: 'buy', qty: 1, timeInForce: 'GTC' as never },
      ],
      [
        'post-only IOC',
        'INVALID_POST_ONLY',
        {
          kind: 'limit',
          id: 9,
          side: 'buy',
          price: 100,
          qty: 1,
          timeInForce: 'IOC',
          postOnly: true,
        },
      ],
      [
        'post-only market',
        'INVALID_POST_ONLY',
        { kind: 'market', id: 9, side: 'buy', qty: 1, postOnly: true } as never,
      ],
      [
        'bad owner',
        'INVALID_OWNER',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, owner: -1 },
      ],
      [
        'bad STP mode',
        'INVALID_STP_MODE',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, stp: 'none' as never },
      ],
      ['duplicate id', 'DUPLICATE_ID', { kind: 'limit', id: 1, side: 'sell', price: 106, qty: 1 }],
      ['duplicate id (market)', 'DUPLICATE_ID', { kind: 'market', id: 2, side: 'sell', qty: 1 }],
      ['unknown cancel', 'UNKNOWN_ORDER', { kind: 'cancel', id: 77 }],
      ['unknown modify', 'UNKNOWN_ORDER', { kind: 'modify', id: 77, qty: 1 }],
      ['modify bad qty', 'INVALID_QTY', { kind: 'modify', id: 1, qty: 0 }],
      ['modify out of band', 'PRICE_OUT_OF_BAND', { kind: 'modify', id: 1, price: 200 }],
      ['level overflow', 'QTY_OVERFLOW', { kind: 'limit', id: 9, side: 'buy', price: 95, qty: 2 }],
      ['modify overflow', 'QTY_OVERFLOW', { kind: 'modify', id: 1, price: 95, qty: 2 }],
      ['reduce bad id', 'INVALID_ID', { kind: 'reduce', id: -1, qty: 0 }],
      ['reduce zero qty', 'INVALID_QTY', { kind: 'reduce', id: 77, qty: 0 }],
      ['reduce fractional qty', 'INVALID_QTY', { kind: 'reduce', id: 1, qty: 1.5 }],
      ['reduce unsafe qty', 'INVALID_QTY', { kind: 'reduce', id: 1, qty: 2 ** 53 }],
      ['reduce missing qty', 'INVALID_QTY', { kind: 'reduce', id: 1 } as never],
      ['unknown reduce', 'UNKNOWN_ORDER', { kind: 'reduce', id: 77, qty: 1 }],
      [
        'zero expiresAt',
        'INVALID_EXPIRY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 0 },
      ],
      [
        'fractional expiresAt',
        'INVALID_EXPIRY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 1.5 },
      ],
      [
        'expiresAt on IOC',
        'INVALID_EXPIRY',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 5, timeInForce: 'IOC' },
      ],
      [
        'expiresAt checked after STP mode',
        'INVALID_STP_MODE',
        { kind: 'limit', id: 9, side: 'buy', price: 100, qty: 1, expiresAt: 0, stp: 'x' as never },
      ],
      [
        'duplicate before expiry',
        'DUPLICATE_ID',
        { kind: 'limit', id: 1, side: 'buy', price: 100, qty: 1, expiresAt: 5 },
      ],
      ['bad time', 'INVALID_TIME', { kind: 'advance-time', time: 1.5 }],
      ['NaN time', 'INVALID_TIME', { kind: 'advance-time', time: Number.NaN }],
      ['unsafe time', 'INVALID_TIME', { kind: 'advance-time', time: 2 ** 53 }],
      ['market without size', 'INVALID_QTY', { kind: 'market', id: 9, side: 'buy' }],
      [
        'market with qty and notional',
        'QTY_AND_NOTIONAL',
        { kind: 'market', id: 9, side: 'buy', qty: 1, notional: 0 },
      ],
      ['zero notional', 'INVALID_NOTIONAL', { kind: 'market', id: 9, side: 'buy', notional: 0 }],
      [
        'fractional notional',
        'INVALID_NOTIONAL',
        { kind: 'market', id: 9, side: 'buy', notional: 10.5 },
      ],
      [
        'unsafe notional',
        'INVALID_NOTIONAL',
        { kind: 'market', id: 9, side: 'sell', notional: 2 ** 53 },
      ],
      [
        'notional on bad side',
        'INVALID_SIDE',
        { kind: 'market', id: 9, side: 'x' as never, notional: 0 },
      ],
      [
        'FOK notional',
        'INVALID_TIF',
        { kind: 'market', id: 9, side: 'buy', notional: 100, timeInForce: 'FOK' },
      ],
      [
        'bad protection price',
        'INVALID_PRICE',
        { kind: 'market', id: 9, side: 'buy', notional: 100, protectionPrice: 100.5 },
      ],
      [
        'protection price out of band',
        'PRICE_OUT_OF_BAND',
        {
          kind: 'market',
          id: 9,
          side: 'buy',
          qty: 1,
          protectionPrice: 111,
          timeInForce: 'GTC' as never,
        },
      ],
      [
        'protection checked before TIF',
        'INVALID_PRICE',
        {
          kind: 'market',
          id: 9,
          side: 'buy',
          qty: 1,
          protectionPrice: 0,
          timeInForce: 'GTC' as never,
        },
      ],
      [
        'notional market duplicate id',
        'DUPLICATE_ID',
        { kind: 'market', id: 1, side: 'sell', notional: 100, protectionPrice: 90 },
      ],
    ];

    it.each(cases)('%s → %s (per-order API throws, batch API rejects)', (_label, code, command) => {
      const book = seeded();
      const before = dumpBook(book);
      const call = (): unknown => perOrderCall(book, command);
      expect(refusal(call)).toBe(code);
      expect(dumpBook(book)).toEqual(before);
      const id = (command as { id: number }).id;
      const reported = Number.isSafeInteger(id) && id > 0 ? id : 0;
      expect(book.apply([command])).toEqual([{ type: 'rejected', id: reported, code }]);
      expect(dumpBook(book)).toEqual(before);
    });

    it('BOOK_FULL refuses a GTC order when capacity is reached, but not IOC, FOK or market', () => {
      const book = seeded();
      book.limit({ id: 3, side: 'buy', price: 99, qty: 1 });
      const before = dumpBook(book);
      expect(refusal(() => book.limit({ id: 9, side: 'buy', price: 98, qty: 1 }))).toBe(
        'BOOK_FULL',
      );
      expect(refusal(() => book.limit({ id: 9, side: 'sell', price: 100, qty: 1 }))).toBe(
        'BOOK_FULL',
      );
      expect(book.apply([{ kind: 'limit', id: 9, side: 'buy', price: 98, qty: 1 }])).toEqual([
        { type: 'rejected', id: 9, code: 'BOOK_FULL' },
      ]);
      expect(dumpBook(book)).toEqual(before);
      const ioc = book.limit({ id: 9, side: 'sell', price: 100, qty: 1, timeInForce: 'IOC' });
      expect(ioc).toContainEqual(trade(1, 9, 'sell', 100, 1, 4, 0));
      expect(book.market({ id: 10, side: 'sell', qty: 1 })).toContainEqual(
        trade(1, 10, 'sell', 100, 1, 3, 0),
      );
    });

    it('rejects junk and unknown command kinds in a batch and goes on', () => {
      const book = seeded();
      const before = dumpBook(book);
      const events = book.apply([
        null as never,
        { kind: 'iceberg', id: 4 } as never,
        { kind: 'cancel', id: 1 },
      ]);
      expect(events).toEqual([
        { type: 'rejected', id: 0, code: 'INVALID_COMMAND' },
        { type: 'rejected', id: 4, code: 'INVALID_TYPE' },
        cxl(1, 'user', 5),
        lvl('buy', 100, 0, 0, 3),
      ]);
      expect(dumpBook(book).bids).toEqual(before.bids.slice(1));
    });

    it('refuses an invalid configuration', () => {
      const bad: Array<Partial<BookConfig>> = [
        { minPrice: 0 },
        { maxPrice: 50 },
        { minPrice: 1, maxPrice: 20_000_000 },
        { capacity: 0 },
        { capacity: 1.5 },
        { stpMode: 'nope' as never },
      ];
      for (const config of bad) expect(refusal(() => make(config))).toBe('INVALID_CONFIG');
    });
  });
}
