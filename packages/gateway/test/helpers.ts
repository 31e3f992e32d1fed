import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, expect, onTestFinished } from 'vitest';
import { buildGateway, type Gateway, type GatewayConfig, type GatewayOptions } from '../src/index';

export const ALICE = 'test-key-alice';
export const BOB = 'test-key-bob';
/** A third account (owner 3), present only where a test adds it (see `withCarol`). */
export const CAROL = 'test-key-carol';

/** Config overrides adding carol (owner 3) to alice and bob. */
export const withCarol: Partial<GatewayConfig> = {
  accounts: [
    { key: ALICE, owner: 1, name: 'alice' },
    { key: BOB, owner: 2, name: 'bob' },
    { key: CAROL, owner: 3, name: 'carol' },
  ],
};

/** A clock the test moves by hand (epoch milliseconds). */
export class TestClock {
  constructor(public now = 1_764_000_000_000) {}
  readonly read = () => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tickbook-gw-test-'));
}

export function testConfig(
  dir: string,
  overrides: Partial<GatewayConfig> = {},
): Partial<GatewayConfig> {
  return {
    port: 0,
    dataDir: join(dir, 'data'),
    logLevel: 'silent',
    // tests checkpoint by command count, and are not rate-limited, unless they say otherwise
    checkpointEveryBytes: 0,
    checkpointEveryMs: 0,
    maxRequestsPerSecond: 0,
    instruments: [
      { symbol: 'BTC-USD', minPrice: 1, maxPrice: 100_000, capacity: 1000 },
      { symbol: 'TINY', minPrice: 1, maxPrice: 100, capacity: 2 },
    ],
    accounts: [
      { key: ALICE, owner: 1, name: 'alice' },
      { key: BOB, owner: 2, name: 'bob' },
    ],
    ...overrides,
  };
}

/** A parsed JSON answer (or the text of one that is not JSON). */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions
export type Answer = { status: number; body: any };

/** Inject a request into `gw` with an API key (default alice; null for none) and parse the JSON answer. */
export async function request(
  gw: Gateway,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  key: string | null = ALICE,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (key !== null) headers['x-api-key'] = key;
  const res = await gw.app.inject({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const text = res.body;
  return { status: res.statusCode, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** The gateway's Prometheus metrics, as text. */
export async function metricsOf(gw: Gateway): Promise<string> {
  return (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
}

/** A temporary directory, removed when the current test finishes. */
export function testDir(): string {
  const dir = tempDir();
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A refusal with this HTTP status and code; given a message, the answer is
 * exactly that error (with the order's `id` when given).
 */
export function expectRefused(
  r: Answer,
  status: number,
  code: string,
  message?: string,
  id?: number,
): void {
  expect(r.status).toBe(status);
  if (message === undefined) expect(r.body.code).toBe(code);
  else
    expect(r.body).toEqual({
      statusCode: status,
      code,
      message,
      ...(id === undefined ? {} : { id }),
    });
}

/** A batch of orders for BTC-USD in one request (key default alice). */
export function postBatch(h: Harness, orders: object[], key?: string): Promise<Answer> {
  return h.call('POST', '/v1/orders/batch', { symbol: 'BTC-USD', orders }, key);
}

/** A batch answered 200 with these counts and these results, in order. */
export function expectBatch(r: Answer, accepted: number, rejected: number, results: object[]) {
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ symbol: 'BTC-USD', accepted, rejected, results });
}

export interface Harness {
  gw: Gateway;
  dir: string;
  /** Inject a request with an API key (default alice; null for none) and parse the JSON answer. */
  call(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    key?: string | null,
  ): Promise<Answer>;
  close(): Promise<void>;
}

export async function harness(
  overrides: Partial<GatewayConfig> = {},
  options: GatewayOptions = {},
): Promise<Harness> {
  const dir = tempDir();
  const gw = await buildGateway(testConfig(dir, overrides), options);
  await gw.app.ready();
  return {
    gw,
    dir,
    call: (method, url, body, key) => request(gw, method, url, body, key),
    async close() {
      await gw.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A harness that is closed when the current test finishes. */
export async function testHarness(
  overrides: Partial<GatewayConfig> = {},
  options: GatewayOptions = {},
): Promise<Harness> {
  const h = await harness(overrides, options);
  onTestFinished(() => h.close());
  return h;
}

/** A harness on a clock the test moves by hand, closed when the test finishes. */
export async function clockedHarness(
  overrides: Partial<GatewayConfig> = {},
): Promise<{ h: Harness; clock: TestClock }> {
  const clock = new TestClock();
  return { h: await testHarness(overrides, { clock: clock.read }), clock };
}

/** A fresh harness for every test of the file (made before each, closed after). */
export function harnessPerTest(
  overrides: Partial<GatewayConfig> = {},
  options: GatewayOptions = {},
): Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await harness(overrides, options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = (): Harness => {
    if (!current) throw new Error('the harness exists only while a test runs');
    return current;
  };
  return {
    get gw() {
      return now().gw;
    },
    get dir() {
      return now().dir;
    },
    call: (method, url, body, key) => now().call(method, url, body, key),
    close: () => now().close(),
  };
}

/** An order body for BTC-USD. */
const btcOrder = (id: number, side: 'buy' | 'sell', fields: object) => ({
  symbol: 'BTC-USD',
  id,
  side,
  ...fields,
});

/** A limit order for BTC-USD (GTC unless `extra` says otherwise). */
export const limit = (id: number, side: 'buy' | 'sell', price: number, qty: number, extra = {}) =>
  btcOrder(id, side, { price, qty, ...extra });

/** A market order for BTC-USD: `extra` gives its size (`qty` or `notional`) and options. */
export const market = (id: number, side: 'buy' | 'sell', extra: object) =>
  btcOrder(id, side, { type: 'market', ...extra });

/** A stop order for BTC-USD (stop market; a `price` in `extra` makes it a stop limit). */
export const stop = (id: number, side: 'buy' | 'sell', trigger: number, qty: number, extra = {}) =>
  btcOrder(id, side, { type: 'stop', trigger, qty, ...extra });
