import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { StreamHub } from '../src/streams';
import { ALICE, BOB, type Harness, harness, limit } from './helpers';

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
  message(m: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(m)), false);
  }
}

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('stream hub', () => {
  it('disconnects a subscriber that stops reading instead of buffering without bound', async () => {
    h = await harness();
    const hub = new StreamHub(h.gw.markets, 1024, h.gw.metrics);
    const slow = new FakeSocket();
    const fine = new FakeSocket();
    hub.attach(slow as unknown as WebSocket, 1);
    hub.attach(fine as unknown as WebSocket, 2);
    for (const s of [slow, fine])
      s.message({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2'] });
    slow.bufferedAmount = 4096;
    await h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1), ALICE);
    expect(slow.closed).toEqual([1013, 'too slow: send buffer full']);
    expect(fine.closed).toBeUndefined();
    expect(fine.sent.at(-1)).toMatchObject({ channel: 'l2', type: 'update' });
    // The closed subscriber is gone: later updates go to the others only.
    const before = slow.sent.length;
    await h.call('POST', '/v1/orders', limit(2, 'buy', 91, 1), BOB);
    expect(slow.sent).toHaveLength(before);
    expect(fine.sent.at(-1)).toMatchObject({ changes: [{ price: 91 }] });
  });

  it('an L2 subscriber that applies the updates to its snapshot tracks the book exactly', async () => {
    h = await harness();
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
