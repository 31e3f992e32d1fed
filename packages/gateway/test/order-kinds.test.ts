/**
 * The engine's other order kinds through the HTTP API: market orders by
 * notional and with a protection price, icebergs, stop market / stop limit
 * (and modify of a trigger), reduce. Each accepted end to end with its events,
 * each refusal with the engine's code (or a schema message), in single and
 * batch requests.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { toEngineId } from '../src/index';
import {
  ALICE,
  BOB,
  CAROL,
  expectBatch,
  expectRefused,
  harnessPerTest,
  limit,
  market,
  metricsOf,
  postBatch,
  stop,
  withCarol,
} from './helpers';

const h = harnessPerTest(withCarol);

const depth = async () => (await h.call('GET', '/v1/depth/BTC-USD')).body;
const book = () => h.gw.markets.get('BTC-USD')!.book;

describe('market orders by notional and with a protection price', () => {
  beforeEach(async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5));
    await h.call('POST', '/v1/orders', limit(2, 'sell', 101, 5));
  });

  it('a notional buy spends at most the notional, level by level; the rest is cancelled', async () => {
    const r = await h.call('POST', '/v1/orders', market(1, 'buy', { notional: 750 }), BOB);
    expect(r.status).toBe(200);
    // 5 × 100 = 500, then floor(250 / 101) = 2 lots = 202, 48 left.
    expect(r.body).toEqual({
      symbol: 'BTC-USD',
      id: 1,
      status: 'cancelled',
      filled: 7,
      remaining: 0,
      reason: 'remainder',
      events: [
        {
          type: 'accepted',
          id: 1,
          side: 'buy',
          orderType: 'market',
          price: null,
          qty: null,
          notional: 750,
        },
        { type: 'trade', id: 1, role: 'taker', side: 'buy', price: 100, qty: 5, remaining: 250 },
        { type: 'trade', id: 1, role: 'taker', side: 'buy', price: 101, qty: 2, remaining: 48 },
        { type: 'cancelled', id: 1, reason: 'remainder', qty: 48, remaining: 0 },
      ],
    });
    expect((await depth()).asks).toEqual([{ price: 101, qty: 3, count: 1 }]);
  });

  it('a notional spent exactly is filled, with no remainder', async () => {
    const r = await h.call('POST', '/v1/orders', market(1, 'buy', { notional: 300 }), BOB);
    expect(r.body).toMatchObject({ status: 'filled', filled: 3, remaining: 0 });
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual(['accepted', 'trade']);
  });

  it('a protection price stops matching at the first level beyond it', async () => {
    const r = await h.call(
      'POST',
      '/v1/orders',
      market(2, 'buy', { qty: 8, protectionPrice: 100 }),
      BOB,
    );
    expect(r.body).toMatchObject({ status: 'cancelled', filled: 5, reason: 'remainder' });
    expect(r.body.events[0]).toEqual({
      type: 'accepted',
      id: 2,
      side: 'buy',
      orderType: 'market',
      price: null,
      qty: 8,
      protectionPrice: 100,
    });
    expect(r.body.events.at(-1)).toEqual({
      type: 'cancelled',
      id: 2,
      reason: 'remainder',
      qty: 3,
      remaining: 0,
    });
    // FOK counts only the liquidity within the protection price.
    const fok = await h.call(
      'POST',
      '/v1/orders',
      market(3, 'buy', { qty: 3, protectionPrice: 100, timeInForce: 'FOK' }),
      BOB,
    );
    expect(fok.body).toMatchObject({ status: 'cancelled', filled: 0, reason: 'fok-unfilled' });
    // Notional and protection price together.
    const both = await h.call(
      'POST',
      '/v1/orders',
      market(4, 'buy', { notional: 10_000, protectionPrice: 101 }),
      BOB,
    );
    expect(both.body).toMatchObject({ status: 'cancelled', filled: 5, reason: 'remainder' });
    expect(both.body.events[0]).toMatchObject({ notional: 10_000, protectionPrice: 101 });
  });

  it('refuses notional with FOK, qty with notional, and a protection price out of band', async () => {
    const before = await depth();
    expectRefused(
      await h.call(
        'POST',
        '/v1/orders',
        market(5, 'buy', { notional: 500, timeInForce: 'FOK' }),
        BOB,
      ),
      422,
      'INVALID_TIF',
    );
    const both = await h.call(
      'POST',
      '/v1/orders',
      market(5, 'buy', { notional: 500, qty: 1 }),
      BOB,
    );
    expectRefused(
      both,
      422,
      'QTY_AND_NOTIONAL',
      'A market order gives either qty or notional, not both',
      5,
    );
    expectRefused(
      await h.call(
        'POST',
        '/v1/orders',
        market(5, 'buy', { qty: 1, protectionPrice: 100_001 }),
        BOB,
      ),
      422,
      'PRICE_OUT_OF_BAND',
    );
    expect(await depth()).toEqual(before);
  });
});

describe('iceberg limit orders', () => {
  it('rests showing displayQty only; the owner sees the whole order; it refreshes as it fills', async () => {
    const r = await h.call('POST', '/v1/orders', limit(10, 'sell', 200, 10, { displayQty: 3 }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'resting', remaining: 10 });
    expect(r.body.events).toEqual([
      {
        type: 'accepted',
        id: 10,
        side: 'sell',
        orderType: 'limit',
        price: 200,
        qty: 10,
        displayQty: 3,
      },
    ]);
    expect((await depth()).asks).toEqual([{ price: 200, qty: 3, count: 1 }]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/10')).body).toMatchObject({
      remaining: 10,
      displayQty: 3,
      displayed: 3,
    });

    // Bob takes 4: 3 from the shown part, a refresh, then 1 more.
    const take = await h.call('POST', '/v1/orders', limit(7, 'buy', 200, 4), BOB);
    expect(take.body).toMatchObject({ status: 'filled', filled: 4 });
    expect(take.body.events).toEqual([
      { type: 'accepted', id: 7, side: 'buy', orderType: 'limit', price: 200, qty: 4 },
      { type: 'trade', id: 7, role: 'taker', side: 'buy', price: 200, qty: 3, remaining: 1 },
      { type: 'trade', id: 7, role: 'taker', side: 'buy', price: 200, qty: 1, remaining: 0 },
    ]);
    expect((await depth()).asks).toEqual([{ price: 200, qty: 2, count: 1 }]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/10')).body).toMatchObject({
      remaining: 6,
      filled: 4,
      displayed: 2,
    });
  });

  it('refuses displayQty ≥ qty, more than 1000 × displayQty, and displayQty with IOC/FOK', async () => {
    for (const extra of [
      { displayQty: 5 },
      { displayQty: 6 },
      { displayQty: 1, timeInForce: 'IOC' },
      { displayQty: 1, timeInForce: 'FOK' },
    ]) {
      const r = await h.call('POST', '/v1/orders', limit(1, 'sell', 200, 5, extra));
      expect(r.status, JSON.stringify(extra)).toBe(422);
      expect(r.body).toMatchObject({ code: 'INVALID_DISPLAY', id: 1 });
    }
    const big = await h.call('POST', '/v1/orders', limit(1, 'sell', 200, 1001, { displayQty: 1 }));
    expect(big.body.code).toBe('INVALID_DISPLAY');
    expect(book().size).toBe(0);
  });
});

describe('stop orders', () => {
  it('a stop market waits off the book, then fires when a trade reaches its trigger', async () => {
    const placed = await h.call('POST', '/v1/orders', stop(20, 'buy', 101, 2), BOB);
    expect(placed.status).toBe(200);
    expect(placed.body).toEqual({
      symbol: 'BTC-USD',
      id: 20,
      status: 'untriggered',
      filled: 0,
      remaining: 2,
      events: [
        {
          type: 'accepted',
          id: 20,
          side: 'buy',
          orderType: 'stop-market',
          price: null,
          qty: 2,
          trigger: 101,
        },
      ],
    });
    expect(await depth()).toMatchObject({ bids: [], asks: [] });
    expect((await h.call('GET', '/v1/orders/BTC-USD/20', undefined, BOB)).body).toEqual({
      symbol: 'BTC-USD',
      id: 20,
      side: 'buy',
      price: null,
      remaining: 2,
      filled: 0,
      status: 'untriggered',
      postOnly: false,
      stp: 'cancel-newest',
      trigger: 101,
      timeInForce: 'IOC',
    });

    // Alice offers 1 @ 101 and 5 @ 102; Carol buys at 101: the trade fires Bob's stop,
    // which buys 2 @ 102 from Alice.
    await h.call('POST', '/v1/orders', limit(1, 'sell', 101, 1));
    await h.call('POST', '/v1/orders', limit(2, 'sell', 102, 5));
    const carol = await h.call('POST', '/v1/orders', limit(1, 'buy', 101, 1), CAROL);
    expect(carol.body).toMatchObject({ status: 'filled', filled: 1 });
    // Carol's answer has her own events only: not Bob's stop, nor Alice's ids.
    expect(carol.body.events).toEqual([
      { type: 'accepted', id: 1, side: 'buy', orderType: 'limit', price: 101, qty: 1 },
      { type: 'trade', id: 1, role: 'taker', side: 'buy', price: 101, qty: 1, remaining: 0 },
    ]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/20', undefined, BOB)).status).toBe(404);
    expect((await h.call('GET', '/v1/orders/BTC-USD/2')).body).toMatchObject({
      remaining: 3,
      filled: 2,
    });
  });

  it('a stop limit already reached on arrival triggers at once and rests at its price', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 1));
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1), BOB); // last price 100
    const r = await h.call(
      'POST',
      '/v1/orders',
      stop(2, 'sell', 100, 3, { price: 105, expiresAt: 9_000_000_000_000 }),
      BOB,
    );
    expect(r.body).toMatchObject({ status: 'resting', remaining: 3, filled: 0 });
    expect(r.body.events).toEqual([
      {
        type: 'accepted',
        id: 2,
        side: 'sell',
        orderType: 'stop-limit',
        price: 105,
        qty: 3,
        trigger: 100,
        expiresAt: 9_000_000_000_000,
      },
      {
        type: 'triggered',
        id: 2,
        side: 'sell',
        orderType: 'limit',
        price: 105,
        qty: 3,
        trigger: 100,
      },
    ]);
    expect((await depth()).asks).toEqual([{ price: 105, qty: 3, count: 1 }]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/2', undefined, BOB)).body).toMatchObject({
      status: 'new',
      expiresAt: 9_000_000_000_000,
    });
  });

  it('modifies a waiting stop: trigger, limit price and qty through PATCH', async () => {
    await h.call('POST', '/v1/orders', stop(21, 'sell', 99, 3, { price: 98 }));
    const t = await h.call('PATCH', '/v1/orders/BTC-USD/21', { trigger: 97 });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ status: 'untriggered', remaining: 3 });
    expect(t.body.events).toEqual([
      {
        type: 'modified',
        id: 21,
        side: 'sell',
        price: 98,
        qty: 3,
        priorityKept: false,
        trigger: 97,
      },
    ]);
    const p = await h.call('PATCH', '/v1/orders/BTC-USD/21', { price: 96, qty: 2 });
    expect(p.body.events[0]).toMatchObject({ price: 96, qty: 2, priorityKept: true, trigger: 97 });
    expect((await h.call('GET', '/v1/orders/BTC-USD/21')).body).toMatchObject({
      price: 96,
      remaining: 2,
      trigger: 97,
      status: 'untriggered',
    });
    expect(await depth()).toMatchObject({ bids: [], asks: [] });
  });

  it('a new trigger the last price already reached fires the stop in the same request', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 1));
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1), BOB); // last price 100
    await h.call('POST', '/v1/orders', limit(2, 'sell', 100, 5));
    await h.call('POST', '/v1/orders', stop(3, 'buy', 110, 2), BOB);
    const r = await h.call('PATCH', '/v1/orders/BTC-USD/3', { trigger: 100 }, BOB);
    expect(r.body).toMatchObject({ status: 'filled', filled: 2, remaining: 0 });
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual([
      'modified',
      'triggered',
      'trade',
    ]);
  });

  it('refuses: trigger missing, out of band, GTC stop market, fields that do not apply, a trigger on a resting order, a price on a stop market', async () => {
    const missing = await h.call('POST', '/v1/orders', {
      symbol: 'BTC-USD',
      id: 1,
      side: 'buy',
      type: 'stop',
      qty: 1,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("body must have required property 'trigger'");
    for (const [extra, message] of [
      [{ postOnly: true }, 'body/postOnly is not allowed here (a stop order cannot be post-only)'],
      [
        { displayQty: 1 },
        'body/displayQty is not allowed here (a stop order cannot be an iceberg)',
      ],
      [{ notional: 5 }, 'body/notional is not allowed here (a stop order is sized by qty)'],
      [{ trigger: 1.5 }, 'body/trigger must be integer'],
    ] as const) {
      const r = await h.call('POST', '/v1/orders', stop(1, 'buy', 100, 1, extra));
      expectRefused(r, 400, 'VALIDATION_ERROR', message);
    }
    const trigger = await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 1, { trigger: 100 }));
    expect(trigger.body.message).toBe(
      'body/trigger is not allowed here (only a stop order has a trigger)',
    );
    expectRefused(
      await h.call('POST', '/v1/orders', stop(1, 'buy', 100_001, 1)),
      422,
      'INVALID_TRIGGER',
    );
    expectRefused(
      await h.call('POST', '/v1/orders', stop(1, 'buy', 100, 1, { timeInForce: 'GTC' })),
      422,
      'INVALID_TIF',
    );
    expectRefused(
      await h.call('POST', '/v1/orders', stop(1, 'buy', 100, 1, { price: 200_000 })),
      422,
      'PRICE_OUT_OF_BAND',
    );
    expect(book().size).toBe(0);

    await h.call('POST', '/v1/orders', limit(5, 'buy', 90, 1));
    expectRefused(
      await h.call('PATCH', '/v1/orders/BTC-USD/5', { trigger: 95 }),
      422,
      'INVALID_TRIGGER',
    );
    await h.call('POST', '/v1/orders', stop(6, 'buy', 120, 1));
    expectRefused(
      await h.call('PATCH', '/v1/orders/BTC-USD/6', { price: 125 }),
      422,
      'INVALID_PRICE',
    );
    expectRefused(
      await h.call('PATCH', '/v1/orders/BTC-USD/6', { trigger: 0 }),
      400,
      'VALIDATION_ERROR',
    );
    // A stop's id is live: a new order with it is a duplicate.
    expectRefused(await h.call('POST', '/v1/orders', limit(6, 'buy', 90, 1)), 409, 'DUPLICATE_ID');
    expect((await h.call('GET', '/v1/orders/BTC-USD/6')).body).toMatchObject({ trigger: 120 });
  });

  it('a waiting stop holds a slot: BOOK_FULL when the book is full', async () => {
    const tiny = (id: number) => ({ ...stop(id, 'buy', 50, 1), symbol: 'TINY' });
    expect((await h.call('POST', '/v1/orders', tiny(1))).status).toBe(200);
    expect((await h.call('POST', '/v1/orders', tiny(2))).status).toBe(200);
    expectRefused(await h.call('POST', '/v1/orders', tiny(3)), 409, 'BOOK_FULL');
    expect(h.gw.markets.get('TINY')!.book.stops()).toHaveLength(2);
  });
});

describe('reduce', () => {
  it('takes quantity off a resting order and keeps its place in the queue', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 5));
    await h.call('POST', '/v1/orders', limit(2, 'buy', 100, 4), BOB);
    const r = await h.call('POST', '/v1/orders/BTC-USD/1/reduce', { qty: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      symbol: 'BTC-USD',
      id: 1,
      status: 'resting',
      filled: 0,
      remaining: 3,
      events: [{ type: 'cancelled', id: 1, reason: 'user', qty: 2, remaining: 3 }],
    });
    expect((await depth()).bids).toEqual([{ price: 100, qty: 7, count: 2 }]);
    // Still first in the queue (a modify to a larger qty would have lost this).
    expect(book().ordersAt('buy', 100)).toEqual([
      { id: toEngineId(1, 1), qty: 3, owner: 1 },
      { id: toEngineId(2, 2), qty: 4, owner: 2 },
    ]);
    // Taking all of it (or more) cancels it.
    const all = await h.call('POST', '/v1/orders/BTC-USD/1/reduce', { qty: 10 });
    expect(all.body).toMatchObject({ status: 'cancelled', reason: 'user', remaining: 0 });
    expect(all.body.events).toEqual([
      { type: 'cancelled', id: 1, reason: 'user', qty: 3, remaining: 0 },
    ]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
  });

  it('reduces an iceberg from its hidden reserve first, and a waiting stop', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 200, 10, { displayQty: 3 }));
    const r = await h.call('POST', '/v1/orders/BTC-USD/1/reduce', { qty: 6 });
    expect(r.body).toMatchObject({ status: 'resting', remaining: 4 });
    expect((await depth()).asks).toEqual([{ price: 200, qty: 3, count: 1 }]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).body).toMatchObject({
      remaining: 4,
      displayed: 3,
    });
    await h.call('POST', '/v1/orders', stop(2, 'buy', 150, 5));
    const s = await h.call('POST', '/v1/orders/BTC-USD/2/reduce', { qty: 1 });
    expect(s.body).toMatchObject({ status: 'untriggered', remaining: 4 });
    expect(s.body.events).toEqual([
      { type: 'cancelled', id: 2, reason: 'user', qty: 1, remaining: 4 },
    ]);
  });

  it('refuses an unknown order (404), a bad qty (400) and an unknown symbol (404)', async () => {
    const r = await h.call('POST', '/v1/orders/BTC-USD/42/reduce', { qty: 1 });
    expectRefused(r, 404, 'UNKNOWN_ORDER', 'No resting order has this id', 42);
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 5));
    for (const [body, message] of [
      [{ qty: 0 }, 'body/qty must be >= 1'],
      [{ qty: '1' }, 'body/qty must be integer'],
      [{}, "body must have required property 'qty'"],
      [{ qty: 1, price: 5 }, "body has unknown property 'price'"],
    ] as const) {
      const bad = await h.call('POST', '/v1/orders/BTC-USD/1/reduce', body);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toBe(message);
    }
    const sym = await h.call('POST', '/v1/orders/DOGE/1/reduce', { qty: 1 });
    expect(sym.status).toBe(404);
    expect(sym.body.code).toBe('UNKNOWN_SYMBOL');
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).body.remaining).toBe(5);
  });
});

describe('batch', () => {
  it('takes every order kind, each refused one with its code', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5), BOB);
    const r = await postBatch(h, [
      { id: 1, side: 'sell', price: 110, qty: 9, displayQty: 3 },
      { id: 2, side: 'buy', type: 'market', notional: 250 },
      { id: 3, side: 'buy', type: 'market', qty: 1, protectionPrice: 99 },
      { id: 4, side: 'sell', type: 'stop', trigger: 90, qty: 1 },
      { id: 5, side: 'sell', type: 'stop', trigger: 90, price: 89, qty: 1 },
      { id: 6, side: 'buy', price: 95, qty: 1, expiresAt: 9_000_000_000_000 },
      { id: 7, side: 'sell', price: 110, qty: 3, displayQty: 3 },
      { id: 8, side: 'buy', type: 'market', notional: 250, timeInForce: 'FOK' },
      { id: 9, side: 'buy', price: 95, qty: 1, expiresAt: 1 },
    ]);
    expectBatch(r, 6, 3, [
      { id: 1, status: 'resting', filled: 0, remaining: 9 },
      { id: 2, status: 'cancelled', filled: 2, remaining: 0, reason: 'remainder' },
      { id: 3, status: 'cancelled', filled: 0, remaining: 0, reason: 'remainder' },
      { id: 4, status: 'untriggered', filled: 0, remaining: 1 },
      { id: 5, status: 'untriggered', filled: 0, remaining: 1 },
      { id: 6, status: 'resting', filled: 0, remaining: 1 },
      { id: 7, status: 'rejected', filled: 0, remaining: 0, code: 'INVALID_DISPLAY' },
      { id: 8, status: 'rejected', filled: 0, remaining: 0, code: 'INVALID_TIF' },
      { id: 9, status: 'rejected', filled: 0, remaining: 0, code: 'ALREADY_EXPIRED' },
    ]);
    expect(await depth()).toMatchObject({
      bids: [{ price: 95, qty: 1, count: 1 }],
      asks: [
        { price: 100, qty: 3, count: 1 },
        { price: 110, qty: 3, count: 1 },
      ],
    });
  });

  it('schema-checks the new fields per order', async () => {
    const r = await postBatch(h, [
      { id: 1, side: 'buy', type: 'market', notional: 5 },
      { id: 2, side: 'buy', type: 'market', qty: 1, displayQty: 1 },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'body/orders/1/displayQty is not allowed here (a market order never rests, so it cannot be an iceberg)',
    );
    expect(book().size).toBe(0);
  });
});

describe('metrics', () => {
  it('counts stop and reduce commands by kind', async () => {
    await h.call('POST', '/v1/orders', stop(1, 'buy', 100, 2), ALICE);
    await h.call('POST', '/v1/orders/BTC-USD/1/reduce', { qty: 1 }, ALICE);
    const text = await metricsOf(h.gw);
    expect(text).toContain('tickbook_gateway_commands_total{symbol="BTC-USD",kind="stop"} 1');
    expect(text).toContain('tickbook_gateway_commands_total{symbol="BTC-USD",kind="reduce"} 1');
    expect(text).toContain(
      'tickbook_gateway_commands_total{symbol="BTC-USD",kind="advance-time"} 0',
    );
  });
});
