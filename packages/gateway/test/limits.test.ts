import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildGateway } from '../src/index';
import { RestingCounts, TokenBucket } from '../src/limits';
import type { OrderMarket } from '../src/market';
import {
  ALICE,
  BOB,
  CAROL,
  clockedHarness,
  limit,
  metricsOf,
  postBatch,
  request,
  stop,
  testConfig,
  testDir,
  testHarness,
  withCarol,
} from './helpers';

describe('request rate per account', () => {
  it("a token bucket passes a second's worth at once, then refills at the rate", () => {
    let t = 0;
    const bucket = new TokenBucket(10, () => t);
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeCloseTo(0.1, 10);
    t += 250; // 2.5 tokens back
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeGreaterThan(0);
  });

  it('answers 429 with Retry-After past the limit, for that account only', async () => {
    const h = await testHarness({ maxRequestsPerSecond: 20 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await h.call('GET', '/v1/depth/BTC-USD', undefined, ALICE)).status);
    }
    // a burst of 20 passes (a little more if the bucket refilled meanwhile), the rest are refused
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const res = await h.gw.app.inject({
      method: 'GET',
      url: '/v1/depth/BTC-USD',
      headers: { 'x-api-key': ALICE },
    });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(res.body).code).toBe('RATE_LIMITED');
    // another account is not held back
    expect((await h.call('GET', '/v1/depth/BTC-USD', undefined, BOB)).status).toBe(200);
    const metrics = await metricsOf(h.gw);
    expect(metrics).toMatch(/tickbook_gateway_http_errors_total\{code="RATE_LIMITED"\} [1-9]/);
  });
});

describe('WebSocket connections per account', () => {
  it('refuses the connection past the limit with 429, and takes one again once another closes', async () => {
    const h = await testHarness({ maxWsConnectionsPerAccount: 2 });
    await h.gw.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.gw.app.server.address() as AddressInfo;
    const open = (key: string) =>
      new Promise<WebSocket | number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream?key=${key}`);
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    const a = await open(ALICE);
    const b = await open(ALICE);
    expect(a).toBeInstanceOf(WebSocket);
    expect(b).toBeInstanceOf(WebSocket);
    expect(await open(ALICE)).toBe(429);
    const other = await open(BOB);
    expect(other).toBeInstanceOf(WebSocket);
    const closed = new Promise((r) => (a as WebSocket).once('close', r));
    (a as WebSocket).close();
    await closed;
    // the server counts the connection gone once its side has closed too
    for (let i = 0; i < 200; i++) {
      const metrics = await metricsOf(h.gw);
      if (/tickbook_gateway_ws_clients 2\b/.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const again = await open(ALICE);
    expect(again).toBeInstanceOf(WebSocket);
    for (const ws of [b, other, again]) (ws as WebSocket).close();
  });
});

describe('order ids in paths', () => {
  it('takes only canonical decimal order ids in paths', async () => {
    const h = await testHarness();
    const placed = await h.call('POST', '/v1/orders', {
      symbol: 'BTC-USD',
      id: 1001,
      side: 'buy',
      price: 5,
      qty: 1,
    });
    expect(placed.status).toBe(200);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1001')).status).toBe(200);
    for (const id of ['0x3E9', '1.001e3', '01001', '1001.0', '%201001', '+1001']) {
      const res = await h.call('GET', `/v1/orders/BTC-USD/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.body.code, id).toBe('VALIDATION_ERROR');
    }
    // and a cancel by such an id does not reach order 1001
    expect((await h.call('DELETE', '/v1/orders/BTC-USD/0x3E9')).status).toBe(400);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1001')).status).toBe(200);
  });
});

describe('logs', () => {
  it('never carry the API key a stream URL holds', async () => {
    const { redactKey } = await import('../src/server');
    expect(redactKey('/v1/stream?key=dev-key-alice')).toBe('/v1/stream?key=[redacted]');
    expect(redactKey('/v1/stream?x=1&key=s3cr3t&y=2')).toBe('/v1/stream?x=1&key=[redacted]&y=2');
    expect(redactKey('/v1/depth/BTC-USD?levels=5')).toBe('/v1/depth/BTC-USD?levels=5');
  });
});

/** Per account, the orders a market's counts say it holds, and what a count of its book says. */
function counts(market: OrderMarket) {
  const fresh = new RestingCounts();
  fresh.rebuild(market.book);
  const sorted = (c: RestingCounts) => c.entries().sort((a, b) => a[0] - b[0]);
  return { kept: sorted(market.resting), book: sorted(fresh) };
}

describe('orders held per account and symbol', () => {
  it('refuses an order that could rest at the limit with 409 TOO_MANY_ORDERS, and leaves the book alone', async () => {
    const h = await testHarness({ maxRestingOrdersPerSymbol: 3 });
    for (let id = 1; id <= 3; id++) {
      expect((await h.call('POST', '/v1/orders', limit(id, 'buy', 100 + id, 1))).status).toBe(200);
    }
    const market = h.gw.markets.get('BTC-USD')!;
    const before = {
      size: market.book.size,
      sequence: market.book.sequence,
      hash: market.book.stateHash(),
      depth: (await h.call('GET', '/v1/depth/BTC-USD')).body,
    };
    const refused = await h.call('POST', '/v1/orders', limit(4, 'buy', 90, 1));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'TOO_MANY_ORDERS', id: 4 });
    // a waiting stop would hold a slot too
    const s = await h.call('POST', '/v1/orders', stop(5, 'buy', 200, 1));
    expect(s.status).toBe(409);
    expect(s.body.code).toBe('TOO_MANY_ORDERS');
    // nothing reached the book: same orders, same sequence, same state, no such order
    expect(market.book.size).toBe(before.size);
    expect(market.book.sequence).toBe(before.sequence);
    expect(market.book.stateHash()).toBe(before.hash);
    expect((await h.call('GET', '/v1/depth/BTC-USD')).body).toEqual(before.depth);
    expect((await h.call('GET', '/v1/orders/BTC-USD/4')).status).toBe(404);
    expect(await metricsOf(h.gw)).toMatch(
      /tickbook_gateway_http_errors_total\{code="TOO_MANY_ORDERS"\} 2\b/,
    );
    // orders that never rest still pass: IOC, FOK and market orders
    for (const [id, extra] of [
      [6, { timeInForce: 'IOC' }],
      [7, { timeInForce: 'FOK' }],
    ] as const) {
      const r = await h.call('POST', '/v1/orders', limit(id, 'sell', 200, 1, extra));
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('cancelled');
    }
    const market8 = { symbol: 'BTC-USD', id: 8, side: 'buy', type: 'market', qty: 1 };
    expect((await h.call('POST', '/v1/orders', market8)).status).toBe(200);
    expect(counts(market).kept).toEqual([[1, 3]]);
  });

  it('counts per account and per symbol: other accounts and symbols are not held back', async () => {
    const h = await testHarness({ maxRestingOrdersPerSymbol: 2 });
    for (let id = 1; id <= 2; id++) await h.call('POST', '/v1/orders', limit(id, 'buy', 100, 1));
    expect((await h.call('POST', '/v1/orders', limit(3, 'buy', 100, 1))).status).toBe(409);
    // bob still may, on the same symbol
    for (let id = 1; id <= 2; id++) {
      expect((await h.call('POST', '/v1/orders', limit(id, 'buy', 99, 1), BOB)).status).toBe(200);
    }
    // alice still may on another symbol
    const tiny = { ...limit(1, 'buy', 10, 1), symbol: 'TINY' };
    expect((await h.call('POST', '/v1/orders', tiny)).status).toBe(200);
    expect(counts(h.gw.markets.get('BTC-USD')!).kept).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(counts(h.gw.markets.get('TINY')!).kept).toEqual([[1, 1]]);
  });

  it('frees a place once an order is cancelled, filled, or expires', async () => {
    const { h, clock } = await clockedHarness({ maxRestingOrdersPerSymbol: 2 });
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1));
    await h.call('POST', '/v1/orders', limit(2, 'buy', 101, 5));
    expect((await h.call('POST', '/v1/orders', limit(3, 'buy', 90, 1))).status).toBe(409);
    // cancel frees one
    expect((await h.call('DELETE', '/v1/orders/BTC-USD/1')).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(3, 'buy', 90, 1))).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(4, 'buy', 90, 1))).status).toBe(409);
    // a partial fill keeps the order (and its place); a full fill frees it
    expect((await h.call('POST', '/v1/orders', limit(1, 'sell', 101, 2), BOB)).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(4, 'buy', 90, 1))).status).toBe(409);
    expect((await h.call('POST', '/v1/orders', limit(2, 'sell', 101, 3), BOB)).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(4, 'buy', 90, 1))).status).toBe(200);
    // a reduce to nothing frees one too; then an order expiring on the clock
    expect((await h.call('POST', '/v1/orders/BTC-USD/4/reduce', { qty: 5 })).body.status).toBe(
      'cancelled',
    );
    const gtd = limit(5, 'buy', 80, 1, { expiresAt: clock.now + 1000 });
    expect((await h.call('POST', '/v1/orders', gtd)).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(6, 'buy', 80, 1))).status).toBe(409);
    clock.advance(1000);
    // the gateway applies the expiry with its next engine call (here an IOC order
    // that never rests; its timer at expiresAt does the same when no request comes)
    const ioc = limit(7, 'sell', 200, 1, { timeInForce: 'IOC' });
    expect((await h.call('POST', '/v1/orders', ioc)).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(6, 'buy', 80, 1))).status).toBe(200);
    expect((await h.call('GET', '/v1/orders/BTC-USD/5')).status).toBe(404);
    const market = h.gw.markets.get('BTC-USD')!;
    expect(counts(market).kept).toEqual([[1, 2]]);
    expect(counts(market).kept).toEqual(counts(market).book);
  });

  it('answers a batch past the limit order by order: the first ones rest, the rest are refused', async () => {
    const h = await testHarness({ maxRestingOrdersPerSymbol: 3 });
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1));
    const res = await postBatch(h, [
      { id: 2, side: 'buy', price: 100, qty: 1 },
      { id: 3, side: 'buy', price: 100, qty: 1, timeInForce: 'IOC' },
      { id: 4, side: 'buy', price: 100, qty: 1 },
      { id: 5, side: 'buy', price: 100, qty: 1 },
      { id: 6, side: 'buy', type: 'stop', trigger: 200, qty: 1 },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.rejected).toBe(2);
    expect(
      res.body.results.map((r: { id: number; status: string; code?: string }) => [
        r.id,
        r.status,
        r.code,
      ]),
    ).toEqual([
      [2, 'resting', undefined],
      [3, 'cancelled', undefined],
      [4, 'resting', undefined],
      [5, 'rejected', 'TOO_MANY_ORDERS'],
      [6, 'rejected', 'TOO_MANY_ORDERS'],
    ]);
    expect(h.gw.markets.get('BTC-USD')!.book.size).toBe(3);
    // requests arriving together cannot pass the limit between them either
    await h.call('DELETE', '/v1/orders/BTC-USD/4');
    const together = await Promise.all(
      [7, 8, 9].map((id) => h.call('POST', '/v1/orders', limit(id, 'buy', 100, 1))),
    );
    expect(together.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(counts(h.gw.markets.get('BTC-USD')!).kept).toEqual([[1, 3]]);
  });

  it('keeps exact counts through fills, icebergs, self-trade prevention, stops, modifies and expiries', async () => {
    const { h, clock } = await clockedHarness({ ...withCarol, maxRestingOrdersPerSymbol: 1000 });
    const market = h.gw.markets.get('BTC-USD')!;
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const keys = [ALICE, BOB, CAROL];
    const stps = ['cancel-newest', 'cancel-oldest', 'cancel-both', 'decrement-and-cancel'];
    const nextId = [0, 0, 0];
    const seen = new Set<string>();
    for (let step = 0; step < 600; step++) {
      const a = rnd(3);
      const key = keys[a];
      const side = rnd(2) ? 'buy' : 'sell';
      const price = 95 + rnd(11);
      const qty = 1 + rnd(12);
      const kind = rnd(12);
      let res: { status: number; body: { status?: string } };
      if (kind <= 4) {
        const extra: Record<string, unknown> = { stp: stps[rnd(4)] };
        if (kind === 1 && qty > 2) extra.displayQty = 1 + rnd(qty - 1);
        if (kind === 2) extra.timeInForce = rnd(2) ? 'IOC' : 'FOK';
        if (kind === 3) extra.expiresAt = clock.now + 1 + rnd(3000);
        if (kind === 4 && rnd(2)) extra.postOnly = true;
        res = await h.call('POST', '/v1/orders', limit(++nextId[a], side, price, qty, extra), key);
      } else if (kind === 5) {
        const body = { symbol: 'BTC-USD', id: ++nextId[a], side, type: 'market', qty };
        res = await h.call('POST', '/v1/orders', body, key);
      } else if (kind === 6) {
        const stop: Record<string, unknown> = { symbol: 'BTC-USD', id: ++nextId[a], side };
        Object.assign(stop, { type: 'stop', trigger: price, qty, stp: stps[rnd(4)] });
        if (rnd(2)) stop.price = price + (side === 'buy' ? 1 : -1);
        res = await h.call('POST', '/v1/orders', stop, key);
      } else if (kind === 7) {
        const body = { price: 95 + rnd(11), qty: 1 + rnd(12) };
        res = await h.call('PATCH', `/v1/orders/BTC-USD/${1 + rnd(nextId[a] + 1)}`, body, key);
      } else if (kind === 8) {
        const body = { qty: 1 + rnd(6) };
        res = await h.call(
          'POST',
          `/v1/orders/BTC-USD/${1 + rnd(nextId[a] + 1)}/reduce`,
          body,
          key,
        );
      } else if (kind === 9) {
        res = await h.call(
          'DELETE',
          `/v1/orders/BTC-USD/${1 + rnd(nextId[a] + 1)}`,
          undefined,
          key,
        );
      } else if (kind === 10) {
        const orders = Array.from({ length: 1 + rnd(6) }, () => ({
          id: ++nextId[a],
          side: rnd(2) ? 'buy' : 'sell',
          price: 95 + rnd(11),
          qty: 1 + rnd(12),
          ...(rnd(3) === 0 ? { displayQty: 1 } : {}),
        }));
        res = await postBatch(h, orders, key);
      } else {
        clock.advance(rnd(1500));
        res = await h.call('GET', '/v1/depth/BTC-USD', undefined, key);
      }
      seen.add(`${res.status}:${res.body.status ?? ''}`);
      const c = counts(market);
      expect(c.kept, `step ${step}`).toEqual(c.book);
    }
    // the walk reached the interesting outcomes
    for (const outcome of ['200:resting', '200:filled', '200:cancelled', '200:untriggered']) {
      expect(seen).toContain(outcome);
    }
    expect(counts(market).kept.length).toBeGreaterThan(0);
  });

  it('rebuilds the counts from the journal at a restart', async () => {
    const config = testConfig(testDir(), {
      maxRestingOrdersPerSymbol: 2,
      checkpointEveryCommands: 3,
    });
    const first = await buildGateway(config);
    const post = async (body: object, key = ALICE) =>
      (await request(first, 'POST', '/v1/orders', body, key)).status;
    expect(await post(limit(1, 'buy', 100, 1))).toBe(200);
    expect(await post(limit(2, 'buy', 100, 2))).toBe(200);
    expect(await post(limit(1, 'sell', 100, 1), BOB)).toBe(200); // fills alice's 1
    expect(await post(limit(3, 'buy', 99, 1))).toBe(200);
    expect(await post(limit(4, 'buy', 99, 1))).toBe(409);
    expect(await post(limit(2, 'sell', 120, 1), BOB)).toBe(200);
    await first.app.close();

    const second = await buildGateway(config);
    try {
      const market = second.markets.get('BTC-USD')!;
      expect(counts(market).kept).toEqual([
        [1, 2],
        [2, 1],
      ]);
      expect(counts(market).kept).toEqual(counts(market).book);
      const again = await request(second, 'POST', '/v1/orders', limit(4, 'buy', 99, 1));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('TOO_MANY_ORDERS');
    } finally {
      await second.app.close();
    }
  });
});
