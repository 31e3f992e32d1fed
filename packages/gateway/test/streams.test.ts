import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { StreamHub } from '../src/streams';
import {
  ALICE,
  BOB,
  CAROL,
  clockedHarness,
  limit,
  metricsOf,
  testHarness,
  withCarol,
} from './helpers';

/** Just enough of a ws socket for the hub. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: unknown[] = [];
  closed: [number, string] | undefined;
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close(code: number, reason: string) {
    this.closed = [code, reason];
    this.readyState = 3;
    this.emit('close');
  }
  terminated = false;
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  message(m: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(m)), false);
  }
}

describe('stream hub', () => {
  it('disconnects a subscriber that stops reading instead of buffering without bound', async () => {
    const h = await testHarness();
    const hub = new StreamHub(h.gw.markets, 1024, h.gw.metrics);
    const slow = new FakeSocket();
    const fine = new FakeSocket();
    hub.attach(slow as unknown as WebSocket, 1);
    hub.attach(fine as unknown as WebSocket, 2);
    for (const s of [slow, fine])
      s.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2'] });
    slow.bufferedAmount = 4096;
    await h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1), ALICE);
    // cut off at once: no closing handshake that a client that does not read would never finish
    expect(slow.terminated).toBe(true);
    expect(slow.closed).toBeUndefined();
    expect(fine.terminated).toBe(false);
    const metrics = await metricsOf(h.gw);
    expect(metrics).toMatch(/^tickbook_gateway_ws_slow_disconnects_total 1$/m);
    expect(fine.sent.at(-1)).toMatchObject({ channel: 'l2', type: 'update' });
    // The closed subscriber is gone: later updates go to the others only.
    const before = slow.sent.length;
    await h.call('POST', '/v1/orders', limit(2, 'buy', 91, 1), BOB);
    expect(slow.sent).toHaveLength(before);
    expect(fine.sent.at(-1)).toMatchObject({ changes: [{ price: 91 }] });
  });

  it('an L2 subscriber that applies the updates to its snapshot tracks the book exactly', async () => {
    const h = await testHarness();
    const hub = new StreamHub(h.gw.markets, 1 << 20, h.gw.metrics);
    const s = new FakeSocket();
    hub.attach(s as unknown as WebSocket, 9);
    await h.call('POST', '/v1/orders', limit(1, 'sell', 105, 3), ALICE);
    s.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2'] });
    const orders = [
      limit(2, 'sell', 104, 2),
      limit(3, 'buy', 100, 5),
      limit(4, 'buy', 105, 4),
      limit(5, 'buy', 100, 1),
      limit(6, 'sell', 99, 7),
    ];
    await Promise.all(orders.map((o, i) => h.call('POST', '/v1/orders', o, i % 2 ? ALICE : BOB)));
    await h.call('DELETE', '/v1/orders/BTC-USD/3', undefined, ALICE);

    const snapshot = s.sent.find((m) => (m as { type?: string }).type === 'snapshot') as {
      seq: number;
      bids: { price: number; qty: number; count: number }[];
      asks: { price: number; qty: number; count: number }[];
    };
    const book = {
      buy: new Map(snapshot.bids.map((l) => [l.price, l])),
      sell: new Map(snapshot.asks.map((l) => [l.price, l])),
    };
    let seq = snapshot.seq;
    type Change = { seq: number; side: 'buy' | 'sell'; price: number; qty: number; count: number };
    for (const m of s.sent as { type?: string; changes?: Change[] }[]) {
      if (m.type !== 'update') continue;
      for (const c of m.changes!) {
        if (c.seq <= snapshot.seq) continue;
        expect(c.seq).toBe(seq + 1);
        seq = c.seq;
        const side = book[c.side];
        if (c.count === 0) side.delete(c.price);
        else side.set(c.price, { price: c.price, qty: c.qty, count: c.count });
      }
    }
    const depth = (await h.call('GET', '/v1/depth/BTC-USD?levels=1000')).body;
    expect(seq).toBe(depth.seq);
    expect([...book.buy.values()].sort((a, b) => b.price - a.price)).toEqual(depth.bids);
    expect([...book.sell.values()].sort((a, b) => a.price - b.price)).toEqual(depth.asks);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: JSON messages, checked by the assertions
type Msg = any;

/** The `orders` stream events a socket received, flattened. */
const orderEvents = (s: FakeSocket) =>
  (s.sent as Msg[]).filter((m) => m.channel === 'orders').flatMap((m) => m.events);

describe('streams of the new events', () => {
  it('market data shows only the shown part of an iceberg; its owner sees the refresh', async () => {
    const h = await testHarness();
    const hub = new StreamHub(h.gw.markets, 1 << 20, h.gw.metrics);
    const pub = new FakeSocket();
    const alice = new FakeSocket();
    const bob = new FakeSocket();
    hub.attach(pub as unknown as WebSocket, 9);
    hub.attach(alice as unknown as WebSocket, 1);
    hub.attach(bob as unknown as WebSocket, 2);
    pub.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2', 'trades'] });
    alice.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['orders'] });
    bob.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['orders'] });

    await h.call('POST', '/v1/orders', limit(11, 'sell', 200, 10, { displayQty: 3 }), ALICE);
    await h.call('POST', '/v1/orders', limit(22, 'buy', 200, 4), BOB);

    const l2 = (pub.sent as Msg[]).filter((m) => m.type === 'update').flatMap((m) => m.changes);
    expect(l2).toEqual([
      { seq: 1, side: 'sell', price: 200, qty: 3, count: 1 },
      { seq: 2, side: 'sell', price: 200, qty: 2, count: 1 },
    ]);
    const trades = (pub.sent as Msg[])
      .filter((m) => m.channel === 'trades')
      .flatMap((m) => m.trades);
    expect(trades.map((t: Msg) => [t.price, t.qty, t.takerSide])).toEqual([
      [200, 3, 'buy'],
      [200, 1, 'buy'],
    ]);
    // Nothing public carries the whole order (10), what is left of it (6, 7) or an id.
    const publicText = JSON.stringify(pub.sent);
    expect(publicText).not.toMatch(/"qty":(10|7|6)\b/);
    expect(publicText).not.toMatch(/"id"|refreshed|displayQty/);

    expect(orderEvents(alice)).toEqual([
      {
        type: 'accepted',
        id: 11,
        side: 'sell',
        orderType: 'limit',
        price: 200,
        qty: 10,
        displayQty: 3,
      },
      { type: 'trade', id: 11, role: 'maker', side: 'sell', price: 200, qty: 3, remaining: 0 },
      { type: 'refreshed', id: 11, side: 'sell', price: 200, qty: 3 },
      { type: 'trade', id: 11, role: 'maker', side: 'sell', price: 200, qty: 1, remaining: 2 },
    ]);
    const bobs = orderEvents(bob);
    expect(bobs.map((e: Msg) => e.type)).toEqual(['accepted', 'trade', 'trade']);
    expect(bobs.every((e: Msg) => e.id === 22)).toBe(true);
  });

  it("a stop fired by another account's trade: each account sees only its own orders", async () => {
    const h = await testHarness(withCarol);
    const hub = new StreamHub(h.gw.markets, 1 << 20, h.gw.metrics);
    const sockets = [1, 2, 3].map((owner) => {
      const s = new FakeSocket();
      hub.attach(s as unknown as WebSocket, owner);
      s.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['orders'] });
      return s;
    });
    const [alice, bob, carol] = sockets;
    const stop = { symbol: 'BTC-USD', id: 20, side: 'buy', type: 'stop', trigger: 101, qty: 2 };
    await h.call('POST', '/v1/orders', stop, BOB);
    await h.call('POST', '/v1/orders', limit(1, 'sell', 101, 1), ALICE);
    await h.call('POST', '/v1/orders', limit(2, 'sell', 102, 5), ALICE);
    const before = sockets.map((s) => s.sent.length);
    await h.call('POST', '/v1/orders', limit(31, 'buy', 101, 1), CAROL);
    const fresh = (s: FakeSocket, i: number) =>
      (s.sent.slice(before[i]) as Msg[]).flatMap((m) => m.events);

    expect(fresh(carol, 2)).toEqual([
      { type: 'accepted', id: 31, side: 'buy', orderType: 'limit', price: 101, qty: 1 },
      { type: 'trade', id: 31, role: 'taker', side: 'buy', price: 101, qty: 1, remaining: 0 },
    ]);
    expect(fresh(bob, 1)).toEqual([
      {
        type: 'triggered',
        id: 20,
        side: 'buy',
        orderType: 'market',
        price: null,
        qty: 2,
        trigger: 101,
      },
      { type: 'trade', id: 20, role: 'taker', side: 'buy', price: 102, qty: 2, remaining: 0 },
    ]);
    expect(fresh(alice, 0)).toEqual([
      { type: 'trade', id: 1, role: 'maker', side: 'sell', price: 101, qty: 1, remaining: 0 },
      { type: 'trade', id: 2, role: 'maker', side: 'sell', price: 102, qty: 2, remaining: 3 },
    ]);
  });

  it('an expiry goes to its owner only; the book time never appears on a stream', async () => {
    const { h, clock } = await clockedHarness();
    const hub = new StreamHub(h.gw.markets, 1 << 20, h.gw.metrics);
    const alice = new FakeSocket();
    const bob = new FakeSocket();
    hub.attach(alice as unknown as WebSocket, 1);
    hub.attach(bob as unknown as WebSocket, 2);
    alice.message({ op: 'subscribe', symbol: 'BTC-USD' });
    bob.message({ op: 'subscribe', symbol: 'BTC-USD' });
    const expiresAt = clock.now + 1000;
    await h.call('POST', '/v1/orders', limit(5, 'buy', 90, 2, { expiresAt }), ALICE);
    clock.advance(1000);
    await h.call('POST', '/v1/orders', limit(6, 'buy', 80, 1), BOB);

    expect(orderEvents(alice)).toEqual([
      { type: 'accepted', id: 5, side: 'buy', orderType: 'limit', price: 90, qty: 2, expiresAt },
      { type: 'cancelled', id: 5, reason: 'expired', qty: 2, remaining: 0 },
    ]);
    expect(orderEvents(bob)).toEqual([
      { type: 'accepted', id: 6, side: 'buy', orderType: 'limit', price: 80, qty: 1 },
    ]);
    const l2 = (bob.sent as Msg[]).filter((m) => m.type === 'update').flatMap((m) => m.changes);
    expect(l2.map((c: Msg) => [c.price, c.qty, c.count])).toEqual([
      [90, 2, 1],
      [90, 0, 0],
      [80, 1, 1],
    ]);
    expect(JSON.stringify([alice.sent, bob.sent])).not.toContain('time-advanced');
  });
});
