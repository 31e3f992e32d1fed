import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGateway } from '../src/index';
import {
  BOB,
  expectBatch,
  harness,
  harnessPerTest,
  limit,
  metricsOf,
  postBatch,
  tempDir,
  testConfig,
} from './helpers';

const h = harnessPerTest();

describe('orders', () => {
  it('submits a limit order that rests', async () => {
    const r = await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      symbol: 'BTC-USD',
      id: 1,
      status: 'resting',
      filled: 0,
      remaining: 5,
      events: [{ type: 'accepted', id: 1, side: 'sell', orderType: 'limit', price: 100, qty: 5 }],
    });
  });

  it('matches, reports the taker its fills and the maker stays with its remainder', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5));
    const r = await h.call('POST', '/v1/orders', limit(7, 'buy', 101, 3), BOB);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('filled');
    expect(r.body.filled).toBe(3);
    expect(r.body.events).toEqual([
      { type: 'accepted', id: 7, side: 'buy', orderType: 'limit', price: 101, qty: 3 },
      { type: 'trade', id: 7, role: 'taker', side: 'buy', price: 100, qty: 3, remaining: 0 },
    ]);
    const maker = await h.call('GET', '/v1/orders/BTC-USD/1');
    expect(maker.status).toBe(200);
    expect(maker.body).toMatchObject({
      symbol: 'BTC-USD',
      id: 1,
      side: 'sell',
      price: 100,
      remaining: 2,
      filled: 3,
      status: 'partially-filled',
    });
  });

  it('market orders take liquidity and never rest; IOC remainder is cancelled', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 2));
    const m = await h.call(
      'POST',
      '/v1/orders',
      { symbol: 'BTC-USD', id: 2, side: 'buy', type: 'market', qty: 5 },
      BOB,
    );
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({
      status: 'cancelled',
      filled: 2,
      remaining: 0,
      reason: 'remainder',
    });
    expect(m.body.events.at(-1)).toEqual({
      type: 'cancelled',
      id: 2,
      reason: 'remainder',
      qty: 3,
      remaining: 0,
    });
    const ioc = await h.call('POST', '/v1/orders', limit(3, 'buy', 50, 1, { timeInForce: 'IOC' }));
    expect(ioc.body).toMatchObject({ status: 'cancelled', filled: 0, reason: 'remainder' });
    const fok = await h.call('POST', '/v1/orders', limit(4, 'buy', 50, 1, { timeInForce: 'FOK' }));
    expect(fok.body).toMatchObject({ status: 'cancelled', reason: 'fok-unfilled' });
  });

  it('post-only orders that would cross are cancelled', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 2));
    const r = await h.call('POST', '/v1/orders', limit(2, 'buy', 100, 1, { postOnly: true }), BOB);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled', reason: 'post-only', filled: 0 });
  });

  it('cancels a resting order', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 5));
    const r = await h.call('DELETE', '/v1/orders/BTC-USD/1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 1, status: 'cancelled', reason: 'user', remaining: 0 });
    expect(r.body.events).toEqual([
      { type: 'cancelled', id: 1, reason: 'user', qty: 5, remaining: 0 },
    ]);
    expect((await h.call('GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
  });

  it('modifies: lower qty keeps priority, a new price loses it and may match', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 5));
    const down = await h.call('PATCH', '/v1/orders/BTC-USD/1', { qty: 2 });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ id: 1, status: 'resting', remaining: 2 });
    expect(down.body.events[0]).toEqual({
      type: 'modified',
      id: 1,
      side: 'buy',
      price: 100,
      qty: 2,
      priorityKept: true,
    });
    await h.call('POST', '/v1/orders', limit(9, 'sell', 105, 1), BOB);
    const up = await h.call('PATCH', '/v1/orders/BTC-USD/1', { price: 105 });
    expect(up.body).toMatchObject({ status: 'resting', filled: 1, remaining: 1 });
    expect(up.body.events.map((e: { type: string }) => e.type)).toEqual(['modified', 'trade']);
    expect(up.body.events[0].priorityKept).toBe(false);
  });

  it('submits a batch in one request, with a result per order in order', async () => {
    const r = await postBatch(h, [
      { id: 1, side: 'sell', price: 100, qty: 5 },
      { id: 2, side: 'buy', price: 100, qty: 2 },
      { id: 3, side: 'buy', type: 'market', qty: 1 },
      { id: 4, side: 'buy', price: 99, qty: 1 },
    ]);
    expectBatch(r, 4, 0, [
      { id: 1, status: 'resting', filled: 0, remaining: 5 },
      // id 2 meets id 1, both alice's: self-trade prevention (cancel-newest)
      { id: 2, status: 'cancelled', filled: 0, remaining: 0, reason: 'self-trade' },
      { id: 3, status: 'cancelled', filled: 0, remaining: 0, reason: 'self-trade' },
      { id: 4, status: 'resting', filled: 0, remaining: 1 },
    ]);
  });

  it('serves L2 depth with the L2 sequence number', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 101, 5));
    await h.call('POST', '/v1/orders', limit(2, 'sell', 102, 1));
    await h.call('POST', '/v1/orders', limit(3, 'buy', 99, 2));
    await h.call('POST', '/v1/orders', limit(4, 'buy', 99, 3));
    const r = await h.call('GET', '/v1/depth/BTC-USD');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      symbol: 'BTC-USD',
      seq: 4,
      bids: [{ price: 99, qty: 5, count: 2 }],
      asks: [
        { price: 101, qty: 5, count: 1 },
        { price: 102, qty: 1, count: 1 },
      ],
    });
    const top = await h.call('GET', '/v1/depth/BTC-USD?levels=1');
    expect(top.body.asks).toEqual([{ price: 101, qty: 5, count: 1 }]);
  });
});

describe('health and metrics', () => {
  it('reports health without a key', async () => {
    const r = await h.call('GET', '/health', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', engine: 'wasm', journal: true });
    expect(r.body.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(['BTC-USD', 'TINY']);
  });

  it('exposes Prometheus metrics: orders, trades, rejects, latency histogram', async () => {
    await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5));
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 2), BOB);
    await h.call('POST', '/v1/orders', limit(1, 'buy', 100, 2), BOB); // bob's id 1 is filled: new order
    await h.call('POST', '/v1/orders', limit(2, 'buy', 1_000_000, 2)); // out of band
    const res = await h.gw.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE tickbook_gateway_orders_total counter');
    expect(text).toContain('tickbook_gateway_orders_total{symbol="BTC-USD"} 3');
    expect(text).toContain('tickbook_gateway_trades_total{symbol="BTC-USD"} 2');
    expect(text).toContain(
      'tickbook_gateway_rejects_total{symbol="BTC-USD",code="PRICE_OUT_OF_BAND"} 1',
    );
    expect(text).toContain('# TYPE tickbook_gateway_request_duration_seconds histogram');
    expect(text).toMatch(
      /tickbook_gateway_request_duration_seconds_count\{route="\/v1\/orders"\} 4/,
    );
    expect(text).toMatch(
      /tickbook_gateway_request_duration_seconds_bucket\{le="\+Inf",route="\/v1\/orders"\} 4/,
    );
    expect(text).toContain('tickbook_gateway_resting_orders{symbol="BTC-USD"} 1');
    // children the gateway made show from the start, at 0
    expect(text).toContain('tickbook_gateway_commands_total{symbol="TINY",kind="limit"} 0');
    expect(text).toContain('tickbook_gateway_checkpoint_duration_seconds_count{symbol="TINY"} 0');
    // journal, recovery and failure state
    expect(text).toMatch(/^tickbook_gateway_journal_bytes\{symbol="BTC-USD"\} [1-9]\d*$/m);
    expect(text).toMatch(
      /^tickbook_gateway_recovery_duration_seconds\{symbol="BTC-USD"\} [\d.e-]+$/m,
    );
    expect(text).toContain('tickbook_gateway_recovered_records{symbol="BTC-USD"} 0');
    expect(text).toContain('tickbook_gateway_symbol_failed{symbol="BTC-USD"} 0');
    // prom-client's default process metrics
    for (const name of [
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'process_open_fds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  it('a second gateway in the same process has metrics of its own', async () => {
    const other = await harness();
    try {
      await h.call('POST', '/v1/orders', limit(1, 'sell', 100, 5));
      const text = await metricsOf(other.gw);
      expect(text).toContain('tickbook_gateway_orders_total{symbol="BTC-USD"} 0');
      expect(text).toContain('tickbook_gateway_resting_orders{symbol="BTC-USD"} 0');
    } finally {
      await other.close();
    }
  });
});

describe('readiness and liveness', () => {
  it('/ready is 200 once the app is ready, 503 while starting and from the start of a stop', async () => {
    const dir = tempDir();
    try {
      const gw = await buildGateway(testConfig(dir));
      // journals recovered, app not ready yet
      expect(gw.readiness()).toEqual({ status: 'starting' });
      await gw.app.ready();
      const ready = await gw.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: 'ready' });
      const closing = gw.app.close();
      await new Promise((r) => setImmediate(r));
      expect(gw.readiness()).toEqual({ status: 'stopping' });
      await closing;
      expect(gw.readiness()).toEqual({ status: 'stopping' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('/ready is 503 naming the symbol after an engine or journal failure; /health stays liveness', async () => {
    expect((await h.call('GET', '/ready', undefined, null)).status).toBe(200);
    const health = await h.call('GET', '/health', undefined, null);
    expect(health.status).toBe(200);
    const book = h.gw.markets.get('TINY')!.book as { apply: (...a: unknown[]) => unknown };
    book.apply = () => {
      throw new Error('engine trapped');
    };
    const order = { symbol: 'TINY', id: 1, side: 'buy', price: 10, qty: 1 };
    expect((await h.call('POST', '/v1/orders', order)).status).toBe(503);
    const ready = await h.call('GET', '/ready', undefined, null);
    expect(ready.status).toBe(503);
    const metrics = await metricsOf(h.gw);
    expect(metrics).toContain('tickbook_gateway_symbol_failed{symbol="TINY"} 1');
    expect(metrics).toContain('tickbook_gateway_symbol_failed{symbol="BTC-USD"} 0');
    expect(ready.body).toEqual({
      status: 'failed',
      failed: [{ symbol: 'TINY', error: 'engine trapped' }],
    });
    // the process itself still answers: /health reports the failed symbol
    const after = await h.call('GET', '/health', undefined, null);
    expect(after.body.status).toBe('failed');
    expect(after.body.symbols.find((x: { symbol: string }) => x.symbol === 'TINY').error).toBe(
      'engine trapped',
    );
  });
});
