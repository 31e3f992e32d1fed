/**
 * One gateway on a real loopback socket: HTTP with fetch, streams with a
 * WebSocket client.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ALICE, BOB, type Harness, harness } from './helpers';

let h: Harness;
let base: string;
let wsBase: string;

beforeAll(async () => {
  h = await harness();
  await h.gw.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = h.gw.app.server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  wsBase = `ws://127.0.0.1:${port}`;
});
afterAll(async () => {
  await h.close();
});

async function post(path: string, body: unknown, key = ALICE) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A WebSocket client that queues messages so tests can await the next one. */
// biome-ignore lint/suspicious/noExplicitAny: JSON messages, checked by the assertions
type Json = any;

/**
 * Every stream message names this gateway run (`epoch`); the client checks it
 * and hands the rest of the message to the test.
 */
const epochs = new Set<unknown>();

class Client {
  readonly messages: Json[] = [];
  private waiters: ((m: Json) => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const { epoch, ...m } = JSON.parse(data.toString());
      epochs.add(epoch);
      const w = this.waiters.shift();
      if (w) w(m);
      else this.messages.push(m);
    });
  }
  static async open(url: string, key?: string): Promise<Client> {
    const ws = new WebSocket(url, key ? { headers: { 'x-api-key': key } } : {});
    const c = new Client(ws);
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    return c;
  }
  next(): Promise<Json> {
    const m = this.messages.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((ok) => this.waiters.push(ok));
  }
  send(m: unknown) {
    this.ws.send(JSON.stringify(m));
  }
  close() {
    this.ws.close();
  }
}

/** The client's next message, which must be a BTC-USD L2 update: its level changes. */
async function nextL2Changes(c: Client): Promise<Json[]> {
  const m = await c.next();
  expect(m).toEqual({ channel: 'l2', type: 'update', symbol: 'BTC-USD', changes: m.changes });
  return m.changes;
}

/** The client's next message, which must be events of its own BTC-USD orders: the events. */
async function nextOrderEvents(c: Client): Promise<Json[]> {
  const m = await c.next();
  expect(m).toEqual({ channel: 'orders', symbol: 'BTC-USD', events: m.events });
  return m.events;
}

describe('real socket', () => {
  it('serves HTTP on loopback', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const r = await post('/v1/orders', {
      symbol: 'BTC-USD',
      id: 1,
      side: 'buy',
      price: 99,
      qty: 2,
    });
    expect(r).toMatchObject({ status: 200, body: { status: 'resting', remaining: 2 } });
  });

  it('refuses a WebSocket without a valid key', async () => {
    await expect(Client.open(`${wsBase}/v1/stream`)).rejects.toThrow(/401/);
    await expect(Client.open(`${wsBase}/v1/stream?key=wrong`)).rejects.toThrow(/401/);
  });

  it('streams an L2 snapshot then sequenced level changes, public trades, and own order events only', async () => {
    const alice = await Client.open(`${wsBase}/v1/stream`, ALICE);
    const bob = await Client.open(`${wsBase}/v1/stream?key=${BOB}`);

    alice.send({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2', 'trades', 'orders'] });
    epochs.clear();
    expect(await alice.next()).toEqual({
      type: 'subscribed',
      symbol: 'BTC-USD',
      channels: ['l2', 'trades', 'orders'],
    });
    const snapshot = await alice.next();
    expect(snapshot).toEqual({
      channel: 'l2',
      type: 'snapshot',
      symbol: 'BTC-USD',
      seq: 1,
      bids: [{ price: 99, qty: 2, count: 1 }],
      asks: [],
    });
    bob.send({ op: 'subscribe', symbol: 'BTC-USD', channels: ['orders'] });
    expect((await bob.next()).type).toBe('subscribed');

    // alice rests a sell; bob takes part of it.
    await post('/v1/orders', { symbol: 'BTC-USD', id: 2, side: 'sell', price: 101, qty: 5 });
    expect(await nextL2Changes(alice)).toEqual([
      { seq: 2, side: 'sell', price: 101, qty: 5, count: 1 },
    ]);
    expect(await nextOrderEvents(alice)).toEqual([
      { type: 'accepted', id: 2, side: 'sell', orderType: 'limit', price: 101, qty: 5 },
    ]);

    await post('/v1/orders', { symbol: 'BTC-USD', id: 2, side: 'buy', price: 101, qty: 3 }, BOB);
    const trades = await alice.next();
    expect(trades).toMatchObject({
      channel: 'trades',
      symbol: 'BTC-USD',
      trades: [{ seq: 1, price: 101, qty: 3, takerSide: 'buy' }],
    });
    expect(typeof trades.trades[0].ts).toBe('number');
    expect(await nextL2Changes(alice)).toEqual([
      { seq: 3, side: 'sell', price: 101, qty: 2, count: 1 },
    ]);
    // alice hears of her maker fill, with her own client id; bob of his taker fill.
    expect(await nextOrderEvents(alice)).toEqual([
      { type: 'trade', id: 2, role: 'maker', side: 'sell', price: 101, qty: 3, remaining: 2 },
    ]);
    expect(await nextOrderEvents(bob)).toEqual([
      { type: 'accepted', id: 2, side: 'buy', orderType: 'limit', price: 101, qty: 3 },
      { type: 'trade', id: 2, role: 'taker', side: 'buy', price: 101, qty: 3, remaining: 0 },
    ]);
    // bob never received alice's first order events: his next message is this one.
    expect(bob.messages).toEqual([]);

    // A late subscriber's snapshot carries the current sequence number.
    const late = await Client.open(`${wsBase}/v1/stream`, BOB);
    late.send({ op: 'subscribe', symbol: 'BTC-USD', channels: ['l2'] });
    await late.next();
    expect(await late.next()).toMatchObject({
      type: 'snapshot',
      seq: 3,
      asks: [{ price: 101, qty: 2, count: 1 }],
    });

    // Unsubscribe stops the flow.
    alice.send({ op: 'unsubscribe', symbol: 'BTC-USD' });
    expect(await alice.next()).toMatchObject({ type: 'unsubscribed', symbol: 'BTC-USD' });
    alice.close();
    bob.close();
    late.close();
    // every message of this run named the same epoch: the gateway's start time
    expect([...epochs]).toEqual([expect.any(Number)]);
    expect([...epochs][0]).toBeLessThanOrEqual(Date.now());
  });

  it('answers bad stream messages with an error and keeps the connection', async () => {
    const c = await Client.open(`${wsBase}/v1/stream`, ALICE);
    c.ws.send('not json');
    expect(await c.next()).toEqual({
      type: 'error',
      code: 'INVALID_JSON',
      message: 'message is not JSON',
    });
    c.send({ op: 'subscribe', symbol: 'BTC-USD', channels: ['quotes'] });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'VALIDATION_ERROR' });
    c.send({ op: 'subscribe', symbol: 'DOGE' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'UNKNOWN_SYMBOL' });
    c.send({ op: 'subscribe', symbol: 'BTC-USD', channels: ['trades'] });
    expect(await c.next()).toMatchObject({ type: 'subscribed' });
    c.close();
  });
});
