import { describe, expect, it } from 'vitest';
import { clientIdOf, MAX_CLIENT_ID, MAX_OWNER, ownerOf, toEngineId } from '../src/index';
import { ALICE, BOB, harnessPerTest, limit } from './helpers';

const h = harnessPerTest();

describe('client ids → engine ids', () => {
  it('packs owner and client id into a safe integer and back', () => {
    const extremes = [
      [1, 1],
      [1, MAX_CLIENT_ID],
      [MAX_OWNER, 1],
      [MAX_OWNER, MAX_CLIENT_ID],
      [2, 12345],
    ];
    const seen = new Set<number>();
    for (const [owner, id] of extremes) {
      const e = toEngineId(owner, id);
      expect(Number.isSafeInteger(e)).toBe(true);
      expect(ownerOf(e)).toBe(owner);
      expect(clientIdOf(e)).toBe(id);
      seen.add(e);
    }
    expect(seen.size).toBe(extremes.length);
  });
});

describe('ownership', () => {
  it('two accounts can use the same client id without colliding', async () => {
    expect((await h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1), ALICE)).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', limit(1, 'buy', 91, 2), BOB)).status).toBe(200);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1', undefined, ALICE)).body.price).toBe(90);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1', undefined, BOB)).body.price).toBe(91);
  });

  it("another account's order answers not found to get, cancel and modify, and is untouched", async () => {
    await h.call('POST', '/v1/orders', limit(5, 'sell', 100, 3), ALICE);
    for (const [method, body] of [['GET'], ['DELETE'], ['PATCH', { qty: 1 }]] as const) {
      const r = await h.call(method, '/v1/orders/BTC-USD/5', body, BOB);
      expect(r.status, method).toBe(404);
      expect(r.body.code).toBe('UNKNOWN_ORDER');
    }
    const mine = await h.call('GET', '/v1/orders/BTC-USD/5', undefined, ALICE);
    expect(mine.body).toMatchObject({ id: 5, remaining: 3, price: 100 });
  });

  it("answers never show another account's order ids", async () => {
    await h.call('POST', '/v1/orders', limit(5, 'sell', 100, 3), ALICE);
    const r = await h.call('POST', '/v1/orders', limit(77, 'buy', 100, 1), BOB);
    expect(r.body.events.every((e: { id: number }) => e.id === 77)).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain('"id":5');
  });

  it('self-trade prevention uses the account: same owner never trades, different owners do', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 3), ALICE);
    const self = await h.call('POST', '/v1/orders', limit(2, 'buy', 100, 1), ALICE);
    expect(self.body).toMatchObject({ status: 'cancelled', reason: 'self-trade', filled: 0 });
    const cross = await h.call('POST', '/v1/orders', limit(2, 'buy', 100, 1), BOB);
    expect(cross.body).toMatchObject({ status: 'filled', filled: 1 });
    // cancel-oldest: the new order cancels alice's own resting one and rests.
    const oldest = await h.call(
      'POST',
      '/v1/orders',
      limit(3, 'buy', 100, 1, { stp: 'cancel-oldest' }),
      ALICE,
    );
    expect(oldest.body.status).toBe('resting');
    expect(oldest.body.events).toContainEqual({
      type: 'cancelled',
      id: 1,
      reason: 'self-trade',
      qty: 2,
      remaining: 0,
    });
  });
});

describe('ownership of the new order kinds', () => {
  it('another account cannot reduce, modify, cancel or see your stops and icebergs', async () => {
    await h.call('POST', '/v1/orders', limit(5, 'sell', 100, 10, { displayQty: 2 }), ALICE);
    await h.call(
      'POST',
      '/v1/orders',
      { symbol: 'BTC-USD', id: 6, side: 'buy', type: 'stop', trigger: 120, qty: 3 },
      ALICE,
    );
    for (const [method, url, body] of [
      ['POST', '/v1/orders/BTC-USD/5/reduce', { qty: 1 }],
      ['POST', '/v1/orders/BTC-USD/6/reduce', { qty: 1 }],
      ['PATCH', '/v1/orders/BTC-USD/6', { trigger: 110 }],
      ['PATCH', '/v1/orders/BTC-USD/5', { qty: 1 }],
      ['GET', '/v1/orders/BTC-USD/6', undefined],
      ['DELETE', '/v1/orders/BTC-USD/6', undefined],
    ] as const) {
      const r = await h.call(method, url, body, BOB);
      expect(r.status, `${method} ${url}`).toBe(404);
      expect(r.body).toMatchObject({ code: 'UNKNOWN_ORDER' });
    }
    expect((await h.call('GET', '/v1/orders/BTC-USD/5', undefined, ALICE)).body).toMatchObject({
      remaining: 10,
      displayed: 2,
    });
    expect((await h.call('GET', '/v1/orders/BTC-USD/6', undefined, ALICE)).body).toMatchObject({
      remaining: 3,
      trigger: 120,
      status: 'untriggered',
    });
    // Bob's own stop with the same client id is his, and separate.
    const bobs = await h.call(
      'POST',
      '/v1/orders',
      { symbol: 'BTC-USD', id: 6, side: 'sell', type: 'stop', trigger: 80, qty: 1 },
      BOB,
    );
    expect(bobs.body).toMatchObject({ id: 6, status: 'untriggered' });
    expect(
      (await h.call('POST', '/v1/orders/BTC-USD/6/reduce', { qty: 1 }, BOB)).body,
    ).toMatchObject({ status: 'cancelled', reason: 'user' });
    expect((await h.call('GET', '/v1/orders/BTC-USD/6', undefined, ALICE)).status).toBe(200);
  });

  it("a taker's answer never shows the iceberg maker's refresh or id", async () => {
    await h.call('POST', '/v1/orders', limit(5, 'sell', 100, 10, { displayQty: 2 }), ALICE);
    const r = await h.call('POST', '/v1/orders', limit(77, 'buy', 100, 5), BOB);
    expect(r.body.filled).toBe(5);
    expect(r.body.events.every((e: { id: number }) => e.id === 77)).toBe(true);
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual([
      'accepted',
      'trade',
      'trade',
      'trade',
    ]);
  });
});
