/**
 * WebSocket clients that never read, on real loopback sockets, while orders
 * flow: each is cut off at once when its unsent data passes the limit
 * (counted in a metric), and a client that reads keeps getting every update.
 */

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { neverReadingSubscriber } from '../src/load-common';
import { ALICE, type Harness, harness, metricsOf } from './helpers';

let h: Harness;
let port: number;

beforeAll(async () => {
  // a small per-client limit, so a few updates fill it once the kernel's buffers are full
  h = await harness({
    wsMaxBufferedBytes: 64 * 1024,
    instruments: [{ symbol: 'BTC-USD', minPrice: 1, maxPrice: 100_000, capacity: 300_000 }],
  });
  await h.gw.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.gw.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await h.close();
});

const neverReads = () => neverReadingSubscriber(port, ALICE, 'BTC-USD');

async function batch(first: number): Promise<number> {
  const orders = [];
  for (let i = 0; i < 1000; i++) {
    const id = first + i;
    orders.push({
      id,
      side: id % 2 ? 'buy' : 'sell',
      price: id % 2 ? 1 + (id % 40_000) : 50_001 + (id % 40_000),
      qty: 1,
    });
  }
  const res = await fetch(`http://127.0.0.1:${port}/v1/orders/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ALICE },
    body: JSON.stringify({ symbol: 'BTC-USD', orders }),
  });
  return res.status;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').at(-1)) : Number.NaN;
}

describe('slow WebSocket clients', () => {
  it('are terminated at once past the buffer limit, while a reading client gets every update', async () => {
    const slow = await Promise.all([neverReads(), neverReads(), neverReads()]);
    const reader = new WebSocket(`ws://127.0.0.1:${port}/v1/stream?key=${ALICE}`);
    let updates = 0;
    let lastSeq = 0;
    let gaps = 0;
    reader.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.channel === 'l2' && m.type === 'update') {
        updates++;
        if (m.changes[0].seq !== lastSeq + 1) gaps++;
        lastSeq = m.changes.at(-1).seq;
      } else if (m.channel === 'l2' && m.type === 'snapshot') lastSeq = m.seq;
    });
    await new Promise((r) => reader.once('open', r));
    reader.send(JSON.stringify({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2'] }));
    await new Promise((r) => setTimeout(r, 50));
    // Bounded load: up to 200 batches of 1,000 resting orders, until all three are cut off.
    let metrics = '';
    for (let b = 0; b < 200; b++) {
      expect(await batch(1 + b * 1000)).toBe(200);
      metrics = await metricsOf(h.gw);
      if (metric(metrics, 'tickbook_gateway_ws_slow_disconnects_total') >= 3) break;
    }
    expect(metric(metrics, 'tickbook_gateway_ws_slow_disconnects_total')).toBe(3);
    // only the reader is left
    expect(metric(metrics, 'tickbook_gateway_ws_clients')).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(updates).toBeGreaterThan(0);
    expect(gaps).toBe(0);
    reader.close();
    for (const s of slow) s.destroy();
  });
});
