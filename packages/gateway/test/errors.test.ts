import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CAROL,
  expectRefused,
  harness,
  harnessPerTest,
  limit,
  market,
  postBatch,
  withCarol,
} from './helpers';

const h = harnessPerTest({ maxBatchOrders: 3, bodyLimitBytes: 2048 });

/** The book is exactly as before: nothing rests, no L2 change happened. */
async function expectUntouched() {
  const d = await h.call('GET', '/v1/depth/BTC-USD');
  expect(d.body).toEqual({ symbol: 'BTC-USD', seq: 0, bids: [], asks: [] });
  expect(h.gw.markets.get('BTC-USD')!.book.size).toBe(0);
}

describe('authentication', () => {
  it.each([
    ['no key', null],
    ['an unknown key', 'not-a-key'],
  ])('refuses a request with %s (401)', async (_what, key) => {
    const r = await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1), key);
    expectRefused(r, 401, 'UNAUTHORIZED', 'missing or unknown API key (x-api-key header)');
    expect((await h.call('GET', '/v1/depth/BTC-USD', undefined, key)).status).toBe(401);
    await expectUntouched();
  });
});

describe('schema errors: 400 with a clear message, nothing reaches the book', () => {
  const cases: [string, unknown, string][] = [
    [
      'missing qty',
      { symbol: 'BTC-USD', id: 1, side: 'buy', price: 1 },
      "body must have required property 'qty'",
    ],
    [
      'missing price on a limit order',
      { symbol: 'BTC-USD', id: 1, side: 'buy', qty: 1 },
      "body must have required property 'price'",
    ],
    [
      'price on a market order',
      { symbol: 'BTC-USD', id: 1, side: 'buy', type: 'market', price: 5, qty: 1 },
      'body/price is not allowed here (a market order has no price)',
    ],
    [
      'a string quantity (no coercion)',
      { ...limit(1, 'buy', 100, 1), qty: '1' },
      'body/qty must be integer',
    ],
    [
      'a fractional price',
      { ...limit(1, 'buy', 100, 1), price: 100.5 },
      'body/price must be integer',
    ],
    ['a zero quantity', { ...limit(1, 'buy', 100, 1), qty: 0 }, 'body/qty must be >= 1'],
    ['a negative price', { ...limit(1, 'buy', 100, 1), price: -3 }, 'body/price must be >= 1'],
    [
      'an unsafe quantity',
      { ...limit(1, 'buy', 100, 1), qty: 2 ** 53 },
      'body/qty must be <= 9007199254740991',
    ],
    ['a client id of 0', limit(0, 'buy', 100, 1), 'body/id must be >= 1'],
    ['a client id above 2^32-1', limit(2 ** 32, 'buy', 100, 1), 'body/id must be <= 4294967295'],
    [
      'an unknown side',
      { ...limit(1, 'buy', 100, 1), side: 'long' },
      'body/side must be one of buy, sell',
    ],
    [
      'an unknown type',
      { ...limit(1, 'buy', 100, 1), type: 'iceberg' },
      'body/type must be one of limit, market, stop',
    ],
    [
      'an unknown time in force',
      { ...limit(1, 'buy', 100, 1), timeInForce: 'GTD' },
      'body/timeInForce must be one of GTC, IOC, FOK',
    ],
    [
      'a non-boolean postOnly',
      { ...limit(1, 'buy', 100, 1), postOnly: 'yes' },
      'body/postOnly must be boolean',
    ],
    [
      'an unknown stp mode',
      { ...limit(1, 'buy', 100, 1), stp: 'none' },
      'body/stp must be one of cancel-newest, cancel-oldest, cancel-both, decrement-and-cancel',
    ],
    [
      'an unknown field',
      { ...limit(1, 'buy', 100, 1), owner: 2 },
      "body has unknown property 'owner'",
    ],
    [
      'no symbol',
      { id: 1, side: 'buy', price: 100, qty: 1 },
      "body must have required property 'symbol'",
    ],
    ['a body that is not an object', [1, 2], 'body must be object'],
  ];
  it.each(cases)('single order with %s', async (_what, body, message) => {
    const r = await h.call('POST', '/v1/orders', body);
    expectRefused(r, 400, 'VALIDATION_ERROR', message);
    await expectUntouched();
  });

  it('a batch with one bad order is refused whole', async () => {
    const r = await postBatch(h, [
      { id: 1, side: 'buy', price: 100, qty: 1 },
      { id: 2, side: 'buy', price: 100, qty: -1 },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('body/orders/1/qty must be >= 1');
    await expectUntouched();
  });

  it('caps the batch length', async () => {
    const orders = [1, 2, 3, 4].map((id) => ({ id, side: 'buy', price: 100, qty: 1 }));
    const r = await postBatch(h, orders);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('body/orders must NOT have more than 3 items');
    const empty = await postBatch(h, []);
    expect(empty.body.message).toBe('body/orders must NOT have fewer than 1 items');
    await expectUntouched();
  });

  it('refuses an empty modify and a non-numeric id in the path', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1));
    const r = await h.call('PATCH', '/v1/orders/BTC-USD/1', {});
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('body must NOT have fewer than 1 properties');
    const p = await h.call('PATCH', '/v1/orders/BTC-USD/1', { qty: 1.5 });
    expect(p.body.message).toBe('body/qty must be integer');
    const g = await h.call('GET', '/v1/orders/BTC-USD/abc');
    expect(g.status).toBe(400);
    expect(g.body.message).toBe(
      'params/id must be a decimal integer (digits only, no sign, leading zero or exponent)',
    );
    const d = await h.call('GET', '/v1/depth/BTC-USD?levels=0');
    expect(d.body.message).toBe('querystring/levels must be >= 1');
  });
});

describe('transport errors', () => {
  it('invalid JSON is 400 INVALID_JSON', async () => {
    const res = await h.gw.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'x-api-key': ALICE, 'content-type': 'application/json' },
      payload: '{"symbol": "BTC-USD", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_JSON');
  });

  it('an empty JSON body is no body: DELETE works, POST is refused by its schema', async () => {
    await h.call('POST', '/v1/orders', limit(7, 'buy', 100, 1));
    const headers = { 'x-api-key': ALICE, 'content-type': 'application/json' };
    const del = await h.gw.app.inject({ method: 'DELETE', url: '/v1/orders/BTC-USD/7', headers });
    expect(del.statusCode).toBe(200);
    const post = await h.gw.app.inject({ method: 'POST', url: '/v1/orders', headers });
    expect(post.statusCode).toBe(400);
    expect(post.json().code).toBe('VALIDATION_ERROR');
  });

  it('a JSON body that poisons __proto__ is refused', async () => {
    const res = await h.gw.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'x-api-key': ALICE, 'content-type': 'application/json' },
      payload: '{"symbol":"BTC-USD","id":1,"side":"buy","price":100,"qty":1,"__proto__":{"x":1}}',
    });
    expect(res.statusCode).toBe(400);
  });

  it('a body over the limit is 413 BODY_TOO_LARGE', async () => {
    const orders = [1, 2, 3].map((id) => ({
      id,
      side: 'buy',
      price: 100,
      qty: 1,
      pad: 'x'.repeat(1000),
    }));
    const r = await postBatch(h, orders);
    expectRefused(r, 413, 'BODY_TOO_LARGE', 'request body is larger than 2048 bytes');
    await expectUntouched();
  });

  it('a non-JSON content type is 415', async () => {
    const res = await h.gw.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'x-api-key': ALICE, 'content-type': 'application/xml' },
      payload: '<order side="buy"/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // text/plain too (Fastify's own text parser is removed), even when it holds JSON
    const text = await h.gw.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'x-api-key': ALICE, 'content-type': 'text/plain' },
      payload: '{"symbol":"BTC-USD","id":1,"side":"buy","price":5,"qty":1}',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an unknown route is 404 NOT_FOUND', async () => {
    const r = await h.call('GET', '/v1/nope');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('NOT_FOUND');
  });
});

describe('engine refusals return the TickbookError code', () => {
  it('unknown symbol: 404 UNKNOWN_SYMBOL on every route', async () => {
    const bad = { ...limit(1, 'buy', 100, 1), symbol: 'DOGE' };
    for (const [method, url, body] of [
      ['POST', '/v1/orders', bad],
      [
        'POST',
        '/v1/orders/batch',
        { symbol: 'DOGE', orders: [limit(1, 'buy', 1, 1)].map(({ symbol: _, ...o }) => o) },
      ],
      ['GET', '/v1/orders/DOGE/1', undefined],
      ['DELETE', '/v1/orders/DOGE/1', undefined],
      ['PATCH', '/v1/orders/DOGE/1', { qty: 1 }],
      ['GET', '/v1/depth/DOGE', undefined],
    ] as const) {
      const r = await h.call(method, url, body);
      expect(r.status, `${method} ${url}`).toBe(404);
      expect(r.body.code).toBe('UNKNOWN_SYMBOL');
    }
  });

  it('PRICE_OUT_OF_BAND is 422', async () => {
    const r = await h.call('POST', '/v1/orders', limit(5, 'buy', 100_001, 1));
    expectRefused(r, 422, 'PRICE_OUT_OF_BAND', "Price is outside the book's price band", 5);
    await expectUntouched();
  });

  it('INVALID_TIF (GTC market order) and INVALID_POST_ONLY are 422', async () => {
    const m = await h.call('POST', '/v1/orders', market(1, 'buy', { qty: 1, timeInForce: 'GTC' }));
    expect(m.status).toBe(422);
    expect(m.body.code).toBe('INVALID_TIF');
    const p = await h.call(
      'POST',
      '/v1/orders',
      limit(1, 'buy', 100, 1, { postOnly: true, timeInForce: 'IOC' }),
    );
    expect(p.status).toBe(422);
    expect(p.body.code).toBe('INVALID_POST_ONLY');
    await expectUntouched();
  });

  it('DUPLICATE_ID is 409', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1));
    const r = await h.call('POST', '/v1/orders', limit(1, 'buy', 99, 1));
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('DUPLICATE_ID');
    expect((await h.call('GET', '/v1/depth/BTC-USD')).body.bids).toEqual([
      { price: 100, qty: 1, count: 1 },
    ]);
  });

  it('BOOK_FULL is 409', async () => {
    const tiny = (id: number) => ({ symbol: 'TINY', id, side: 'buy', price: 10, qty: 1 });
    expect((await h.call('POST', '/v1/orders', tiny(1))).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', tiny(2))).status).toBe(200);
    const r = await h.call('POST', '/v1/orders', tiny(3));
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('BOOK_FULL');
    expect(h.gw.markets.get('TINY')!.book.size).toBe(2);
  });

  it('UNKNOWN_ORDER is 404 for get, cancel and modify', async () => {
    for (const [method, body] of [['GET'], ['DELETE'], ['PATCH', { qty: 1 }]] as const) {
      const r = await h.call(method, '/v1/orders/BTC-USD/42', body);
      expectRefused(r, 404, 'UNKNOWN_ORDER', 'No resting order has this id', 42);
    }
  });

  it('modify to an out-of-band price is 422 and leaves the order as it was', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 4));
    const r = await h.call('PATCH', '/v1/orders/BTC-USD/1', { price: 200_000, qty: 1 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('PRICE_OUT_OF_BAND');
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).body).toMatchObject({
      price: 100,
      remaining: 4,
    });
  });

  it('in a batch, a refused order is reported with its code and the others apply (each order is atomic)', async () => {
    const r = await postBatch(h, [
      { id: 1, side: 'buy', price: 100, qty: 1 },
      { id: 2, side: 'buy', price: 999_999, qty: 1 },
      { id: 1, side: 'buy', price: 101, qty: 1 },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);
    expect(r.body.rejected).toBe(2);
    expect(r.body.results.map((x: { code?: string }) => x.code)).toEqual([
      undefined,
      'PRICE_OUT_OF_BAND',
      'DUPLICATE_ID',
    ]);
    expect((await h.call('GET', '/v1/depth/BTC-USD')).body.bids).toEqual([
      { price: 100, qty: 1, count: 1 },
    ]);
  });
});

describe('failure of the book or journal', () => {
  it('answers 503 UNAVAILABLE and stops taking writes for that symbol (fail-stop)', async () => {
    const market = h.gw.markets.get('BTC-USD')!;
    const book = market.book as { apply: (...a: unknown[]) => unknown };
    book.apply = () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const r = await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1));
    expectRefused(r, 503, 'UNAVAILABLE', 'BTC-USD: ENOSPC: no space left on device');
    expect((await h.call('DELETE', '/v1/orders/BTC-USD/1')).status).toBe(503);
    const health = await h.call('GET', '/health', undefined, null);
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('failed');
    // Other symbols keep working.
    const tiny = await h.call('POST', '/v1/orders', {
      symbol: 'TINY',
      id: 1,
      side: 'buy',
      price: 10,
      qty: 1,
    });
    expect(tiny.status).toBe(200);
  });
});

describe('logs of refused requests', () => {
  it('a client error logs one info line without a stack; a server error logs its error with the stack', async () => {
    const lines: string[] = [];
    const logged = await harness(
      {
        ...withCarol,
        logLevel: 'trace',
        maxRequestsPerSecond: 3,
        maxRestingOrdersPerSymbol: 1,
        bodyLimitBytes: 2048,
      },
      { logStream: { write: (line: string) => lines.push(line) } },
    );
    try {
      const json = { 'content-type': 'application/json' };
      const requests: [string, () => Promise<number>][] = [
        [
          'validation',
          async () =>
            (await logged.call('POST', '/v1/orders', { symbol: 'BTC-USD', id: 'x' })).status,
        ],
        [
          'auth',
          async () =>
            (await logged.call('POST', '/v1/orders', limit(1, 'buy', 100, 1), 'not-a-key')).status,
        ],
        [
          'invalid JSON',
          async () =>
            (
              await logged.gw.app.inject({
                method: 'POST',
                url: '/v1/orders',
                headers: { ...json, 'x-api-key': BOB },
                payload: '{bad',
              })
            ).statusCode,
        ],
        [
          'media type',
          async () =>
            (
              await logged.gw.app.inject({
                method: 'POST',
                url: '/v1/orders',
                headers: { 'content-type': 'text/plain', 'x-api-key': BOB },
                payload: 'hi',
              })
            ).statusCode,
        ],
        [
          'body too large',
          async () =>
            (
              await logged.gw.app.inject({
                method: 'POST',
                url: '/v1/orders',
                headers: { ...json, 'x-api-key': BOB },
                payload: `{"x":"${'a'.repeat(4096)}"}`,
              })
            ).statusCode,
        ],
        [
          'resting order',
          async () => (await logged.call('POST', '/v1/orders', limit(1, 'buy', 100, 1))).status,
        ],
        [
          'too many orders',
          async () => (await logged.call('POST', '/v1/orders', limit(2, 'buy', 100, 1))).status,
        ],
        [
          'unknown order',
          async () => (await logged.call('GET', '/v1/orders/BTC-USD/77', undefined, CAROL)).status,
        ],
        [
          'engine refusal',
          async () =>
            (await logged.call('POST', '/v1/orders', limit(5, 'buy', 10_000_000, 1), CAROL)).status,
        ],
        [
          'rate limit',
          async () => {
            // alice's bucket holds 3: send until it is empty (a slow machine refills it)
            for (;;) {
              before = lines.length;
              const r = await logged.call('GET', '/v1/depth/BTC-USD');
              if (r.status !== 200) return r.status;
            }
          },
        ],
        ['no route', async () => (await logged.call('GET', '/nope')).status],
      ];
      const statuses: Record<string, number> = {};
      let before = 0;
      for (const [what, send] of requests) {
        before = lines.length;
        statuses[what] = await send();
        const added = lines.slice(before);
        if (statuses[what] >= 400) {
          expect(added.length, what).toBeLessThanOrEqual(1);
          for (const line of added) {
            expect(JSON.parse(line).level, what).toBe(30);
            expect(line, what).not.toMatch(/"stack"|\\n\s+at |\bat .*\.[jt]s:\d+/);
          }
        }
      }
      expect(statuses).toEqual({
        validation: 400,
        auth: 401,
        'invalid JSON': 400,
        'media type': 415,
        'body too large': 413,
        'resting order': 200,
        'too many orders': 409,
        'unknown order': 404,
        'engine refusal': 422,
        'rate limit': 429,
        'no route': 404,
      });
      // one refused request: one line, with what an operator needs
      const refused = lines.map((l) => JSON.parse(l)).filter((l) => l.statusCode === 409);
      expect(refused).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'request refused',
          req: { method: 'POST', url: '/v1/orders' },
        }),
      ]);

      // a server error (500) still logs its error, stack included
      const book = logged.gw.markets.get('BTC-USD')!.book as { order: (id: number) => unknown };
      book.order = () => {
        throw new Error('engine state unreadable');
      };
      before = lines.length;
      const r = await logged.call('GET', '/v1/orders/BTC-USD/1', undefined, CAROL);
      expectRefused(r, 500, 'INTERNAL', 'internal error');
      const errors = lines
        .slice(before)
        .map((l) => JSON.parse(l))
        .filter((l) => l.level === 50);
      expect(errors).toHaveLength(1);
      expect(errors[0].err.message).toBe('engine state unreadable');
      expect(errors[0].err.stack).toMatch(/\n\s+at /);
    } finally {
      await logged.close();
    }
  });
});
