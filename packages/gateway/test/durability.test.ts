import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, type Gateway } from '../src/index';
import type { Durable } from '../src/market';
import { ALICE, type Harness, harness, limit, tempDir, testConfig } from './helpers';

const open: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Take control of a market's journal sync: callbacks wait until released. */
function holdSync(gw: Gateway, symbol = 'BTC-USD') {
  const durable = (gw.markets.get(symbol) as unknown as { options: { durable: Durable } }).options
    .durable;
  const real = durable.sync.bind(durable);
  const held: ((error: Error | null) => void)[] = [];
  durable.sync = (done) => {
    held.push(done);
  };
  return {
    held,
    release(error: Error | null = null) {
      const all = held.splice(0);
      for (const done of all) error ? done(error) : real(done);
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

/** Turn the event loop until `cond` holds (bounded by turns, not by time). */
async function until(cond: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await tick();
  expect(cond()).toBe(true);
}

describe('journal', () => {
  it('answers only after the records are synced to disk; calls made meanwhile share the next sync', async () => {
    const h = await harness();
    open.push(h);
    const sync = holdSync(h.gw);
    let answered = 0;
    const first = h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1)).then((r) => {
      answered++;
      return r;
    });
    await until(() => sync.held.length === 1);
    for (let i = 0; i < 5; i++) await tick();
    expect(answered).toBe(0);
    // Already in the journal file (a killed process loses nothing), not yet acknowledged.
    const journal = join(h.gw.config.dataDir, 'BTC-USD.journal');
    const size = statSync(journal).size;
    expect(size).toBeGreaterThan(33);
    // Two more requests while the sync is in flight: applied, waiting for the next sync.
    const more = Promise.all(
      [2, 3].map((id) => h.call('POST', '/v1/orders', limit(id, 'buy', 90, 1))),
    );
    await until(() => statSync(journal).size > size);
    expect(sync.held).toHaveLength(1);
    sync.release();
    expect((await first).status).toBe(200);
    // The second sync covers both waiting requests.
    await until(() => sync.held.length === 1);
    sync.release();
    expect((await more).map((r) => r.status)).toEqual([200, 200]);
  });

  it('a failed sync answers 503 to every waiting request and stops writes (fail-stop)', async () => {
    const h = await harness();
    open.push(h);
    const sync = holdSync(h.gw);
    const waiting = h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1));
    await until(() => sync.held.length === 1);
    sync.release(new Error('EIO: i/o error, fdatasync'));
    const r = await waiting;
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'BTC-USD: EIO: i/o error, fdatasync',
    });
    expect((await h.call('POST', '/v1/orders', limit(2, 'buy', 90, 1))).status).toBe(503);
    expect((await h.call('GET', '/health', undefined, null)).status).toBe(503);
  });

  it('restores the books from the journals on start (in process)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = await buildGateway(testConfig(dir));
    const inject = (gw: Gateway, method: 'GET' | 'POST', url: string, payload?: object) =>
      gw.app.inject({ method, url, payload, headers: { 'x-api-key': ALICE } });
    await inject(a, 'POST', '/v1/orders', limit(1, 'buy', 90, 4));
    await inject(a, 'POST', '/v1/orders', limit(2, 'sell', 95, 1));
    await a.app.close();
    const b = await buildGateway(testConfig(dir));
    expect(b.recovered.get('BTC-USD')).toBe(2);
    expect((await inject(b, 'GET', '/v1/depth/BTC-USD')).json()).toMatchObject({
      bids: [{ price: 90, qty: 4, count: 1 }],
      asks: [{ price: 95, qty: 1, count: 1 }],
    });
    await b.app.close();
  });

  it('drops a torn last record (crash mid-write) and keeps journalling after it', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = await buildGateway(testConfig(dir));
    await a.app.inject({
      method: 'POST',
      url: '/v1/orders',
      payload: limit(1, 'buy', 90, 4),
      headers: { 'x-api-key': ALICE },
    });
    await a.app.close();
    const journal = join(dir, 'data', 'BTC-USD.journal');
    const good = statSync(journal).size;
    appendFileSync(journal, Buffer.from([60, 0, 0, 0, 1, 2, 3])); // half a record
    const b = await buildGateway(testConfig(dir));
    expect(b.recovered.get('BTC-USD')).toBe(1);
    expect(statSync(journal).size).toBe(good);
    await b.app.inject({
      method: 'POST',
      url: '/v1/orders',
      payload: limit(2, 'buy', 91, 1),
      headers: { 'x-api-key': ALICE },
    });
    await b.app.close();
    const c = await buildGateway(testConfig(dir));
    expect(c.recovered.get('BTC-USD')).toBe(2);
    await c.app.close();
  });

  it('treats an empty journal file (crash before the header) as a new journal', async () => {
    const dir = tempDir();
    dirs.push(dir);
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'BTC-USD.journal'), '');
    const gw = await buildGateway(testConfig(dir));
    expect(gw.recovered.get('BTC-USD')).toBe(0);
    await gw.app.close();
    expect(
      readFileSync(join(dir, 'data', 'BTC-USD.journal'))
        .subarray(0, 4)
        .toString(),
    ).toBe('TKBJ');
  });

  it('refuses to start on a corrupt journal rather than guess', async () => {
    const dir = tempDir();
    dirs.push(dir);
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'BTC-USD.journal'), 'not a journal at all');
    await expect(buildGateway(testConfig(dir))).rejects.toThrow('CORRUPT_DATA');
  });
});
