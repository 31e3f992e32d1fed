/** Per-account limits: requests per second (429 with Retry-After) and WebSocket connections. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TokenBucket } from '../src/limits';
import { ALICE, BOB, type Harness, harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

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
    h = await harness({ maxRequestsPerSecond: 20 });
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
    const metrics = (await h.gw.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/tickbook_gateway_http_errors_total\{code="RATE_LIMITED"\} [1-9]/);
  });
});

describe('WebSocket connections per account', () => {
  it('refuses the connection past the limit with 429, and takes one again once another closes', async () => {
    h = await harness({ maxWsConnectionsPerAccount: 2 });
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
      const metrics = (await h.gw.app.inject({ method: 'GET', url: '/metrics' })).body;
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
    h = await harness();
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
