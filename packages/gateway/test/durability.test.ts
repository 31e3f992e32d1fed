import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { decodeJournal, restoreBook } from 'tickbook';
import { describe, expect, it } from 'vitest';
import { buildGateway, type Gateway } from '../src/index';
import type { Durable } from '../src/market';
import { limit, metricsOf, request, testConfig, testDir, testHarness } from './helpers';

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
    const h = await testHarness();
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
    const lines: string[] = [];
    const h = await testHarness(
      { logLevel: 'error' },
      { logStream: { write: (line: string) => lines.push(line) } },
    );
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
    // logged once, at error level, with the journal file and its size at the failure
    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.includes('journal write'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 50,
      symbol: 'BTC-USD',
      file: expect.stringMatching(/BTC-USD\.journal$/),
      offset: expect.any(Number),
      err: 'EIO: i/o error, fdatasync',
    });
  });

  it.each([
    ['journal only', 0, 2],
    ['checkpointed on close', 1_000_000, 0],
  ])(
    'restores the books from the journals on start (in process, %s)',
    async (_how, checkpointEveryCommands, replayed) => {
      const dir = testDir();
      const config = testConfig(dir, { checkpointEveryCommands });
      const a = await buildGateway(config);
      await request(a, 'POST', '/v1/orders', limit(1, 'buy', 90, 4));
      await request(a, 'POST', '/v1/orders', limit(2, 'sell', 95, 1));
      await a.app.close();
      expect(existsSync(join(dir, 'data', 'BTC-USD.snapshot'))).toBe(replayed === 0);
      const b = await buildGateway(config);
      expect(b.recovered.get('BTC-USD')).toBe(replayed);
      expect((await request(b, 'GET', '/v1/depth/BTC-USD')).body).toMatchObject({
        bids: [{ price: 90, qty: 4, count: 1 }],
        asks: [{ price: 95, qty: 1, count: 1 }],
      });
      await b.app.close();
    },
  );

  it('drops a torn last record (crash mid-write) and keeps journalling after it', async () => {
    const dir = testDir();
    const config = testConfig(dir, { checkpointEveryCommands: 0 }); // a journal-only restart
    const a = await buildGateway(config);
    await request(a, 'POST', '/v1/orders', limit(1, 'buy', 90, 4));
    await a.app.close();
    const journal = join(dir, 'data', 'BTC-USD.journal');
    const good = statSync(journal).size;
    appendFileSync(journal, Buffer.from([60, 0, 0, 0, 1, 2, 3])); // half a record
    const lines: string[] = [];
    const b = await buildGateway(
      { ...config, logLevel: 'warn' },
      { logStream: { write: (line: string) => lines.push(line) } },
    );
    expect(b.recovered.get('BTC-USD')).toBe(1);
    expect(statSync(journal).size).toBe(good);
    // said at warn level, with the file and the byte offset where it was cut
    const torn = lines.map((l) => JSON.parse(l)).find((l) => l.msg.includes('torn'));
    expect(torn).toMatchObject({ level: 40, symbol: 'BTC-USD', file: journal, offset: good });
    await request(b, 'POST', '/v1/orders', limit(2, 'buy', 91, 1));
    await b.app.close();
    const c = await buildGateway(config);
    expect(c.recovered.get('BTC-USD')).toBe(2);
    await c.app.close();
  });

  it('treats an empty journal file (crash before the header) as a new journal', async () => {
    const dir = testDir();
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
    const dir = testDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'BTC-USD.journal'), 'not a journal at all');
    await expect(buildGateway(testConfig(dir))).rejects.toThrow('CORRUPT_DATA');
  });
});

/** A journal header: magic, version, book config, base sequence. */
const HEADER_BYTES = 8 + 25 + 8;

describe('checkpoints', () => {
  /** What a client can see of BTC-USD: depth (L2 sequence numbers restart with the process) and every order 1 … n. */
  const view = async (gw: Gateway, n: number) => ({
    depth: { ...(await request(gw, 'GET', '/v1/depth/BTC-USD?levels=1000')).body, seq: 0 },
    orders: await Promise.all(
      Array.from({ length: n }, (_, i) => request(gw, 'GET', `/v1/orders/BTC-USD/${i + 1}`)),
    ),
  });
  const order = (i: number) =>
    i % 2
      ? limit(i, 'buy', 90 - (i % 5), 1 + (i % 3))
      : limit(i, 'sell', 88 + (i % 7), 1 + (i % 4));

  it('checkpoints once the journal holds checkpointEveryBytes, and once checkpointEveryMs passed', async () => {
    const dir = testDir();
    const data = join(dir, 'data');
    const journal = join(data, 'BTC-USD.journal');
    const snapshot = join(data, 'BTC-USD.snapshot');
    // by size: a journal past 400 bytes is checkpointed after the engine call that passed it
    const bySize = testConfig(dir, {
      checkpointEveryCommands: 0,
      checkpointEveryBytes: 400,
      checkpointEveryMs: 0,
    });
    const a = await buildGateway(bySize);
    for (let i = 1; i <= 30; i++) {
      expect((await request(a, 'POST', '/v1/orders', order(i))).status).toBe(200);
      expect(statSync(journal).size).toBeLessThan(400);
    }
    const atSnapshot = restoreBook(readFileSync(snapshot)).sequence;
    expect(atSnapshot).toBeGreaterThan(0);
    expect(decodeJournal(readFileSync(journal)).baseSequence).toBe(atSnapshot);
    const before = await view(a, 30);
    await a.app.close();
    // by time: with 1 ms, the next engine call after a pause checkpoints
    const byTime = testConfig(dir, {
      checkpointEveryCommands: 0,
      checkpointEveryBytes: 0,
      checkpointEveryMs: 1,
    });
    const b = await buildGateway(byTime);
    expect(await view(b, 30)).toEqual(before);
    await new Promise((r) => setTimeout(r, 20));
    expect((await request(b, 'POST', '/v1/orders', order(31))).status).toBe(200);
    expect(restoreBook(readFileSync(snapshot)).sequence).toBe(
      b.markets.get('BTC-USD')?.book.sequence,
    );
    expect(statSync(journal).size).toBe(HEADER_BYTES);
    await b.app.close();
  });

  it('checkpoints every N journalled commands; the journal keeps only what came after; restarts recover it all', async () => {
    const dir = testDir();
    const config = testConfig(dir, { checkpointEveryCommands: 10 });
    const data = join(dir, 'data');
    const journal = join(data, 'BTC-USD.journal');
    const snapshot = join(data, 'BTC-USD.snapshot');
    const a = await buildGateway(config);
    for (let i = 1; i <= 25; i++) {
      expect((await request(a, 'POST', '/v1/orders', order(i))).status).toBe(200);
    }
    const before = await view(a, 25);
    expect(before.orders.filter((r) => r.status === 200).length).toBeGreaterThan(5);
    // Checkpoints at 10 and 20: the snapshot holds 20 commands, the journal the 5 after.
    expect(restoreBook(readFileSync(snapshot)).sequence).toBe(20);
    const decoded = decodeJournal(readFileSync(journal));
    expect(decoded.baseSequence).toBe(20);
    expect(decoded.records.map((r) => r.sequence)).toEqual([21, 22, 23, 24, 25]);
    expect(existsSync(join(data, 'TINY.snapshot'))).toBe(false); // nothing journalled there
    const metrics = await metricsOf(a);
    expect(metrics).toContain(
      'tickbook_gateway_checkpoint_duration_seconds_count{symbol="BTC-USD"} 2',
    );

    // The files as they are now (as a crash would leave them): snapshot + short journal.
    const crashed = join(dir, 'crashed');
    cpSync(data, join(crashed, 'data'), { recursive: true });
    const c = await buildGateway(testConfig(crashed, { checkpointEveryCommands: 10 }));
    expect(c.recovered.get('BTC-USD')).toBe(5);
    expect(await view(c, 25)).toEqual(before);
    await c.app.close();

    // A graceful stop checkpoints too: the journal is only its header.
    await a.app.close();
    expect(statSync(journal).size).toBe(HEADER_BYTES);
    expect(decodeJournal(readFileSync(journal)).baseSequence).toBe(25);
    const b = await buildGateway(config);
    expect(b.recovered.get('BTC-USD')).toBe(0);
    expect(await view(b, 25)).toEqual(before);
    // It keeps going from there.
    expect((await request(b, 'POST', '/v1/orders', order(26))).status).toBe(200);
    await b.app.close();
    const d = await buildGateway(config);
    expect(d.recovered.get('BTC-USD')).toBe(0);
    expect((await request(d, 'GET', '/v1/orders/BTC-USD/26')).status).not.toBe(404);
    await d.app.close();
  });

  it('waits for the sync in flight, syncs what was applied meanwhile, then checkpoints', async () => {
    const h = await testHarness({ checkpointEveryCommands: 1 });
    const data = h.gw.config.dataDir;
    const journal = join(data, 'BTC-USD.journal');
    const snapshot = join(data, 'BTC-USD.snapshot');
    const sync = holdSync(h.gw);
    const first = h.call('POST', '/v1/orders', limit(1, 'buy', 90, 1));
    await until(() => sync.held.length === 1);
    const size = statSync(journal).size;
    const more = Promise.all(
      [2, 3].map((id) => h.call('POST', '/v1/orders', limit(id, 'buy', 90, 1))),
    );
    await until(() => statSync(journal).size > size);
    // Due since the first command, but a sync is in flight: not yet.
    expect(existsSync(snapshot)).toBe(false);
    sync.release();
    expect((await first).status).toBe(200);
    expect((await more).map((r) => r.status)).toEqual([200, 200]);
    expect(restoreBook(readFileSync(snapshot)).sequence).toBe(3);
    expect(statSync(journal).size).toBe(HEADER_BYTES);
    expect(sync.held).toHaveLength(0); // the checkpoint's own sync covered 2 and 3
  });

  it('a failed checkpoint stops writes (fail-stop); a restart recovers every acknowledged order', async () => {
    const dir = testDir();
    const config = testConfig(dir, { checkpointEveryCommands: 3 });
    const a = await buildGateway(config);
    const blocker = join(dir, 'data', 'BTC-USD.snapshot.tmp');
    mkdirSync(blocker); // the snapshot's temporary file cannot be written
    for (let i = 1; i <= 3; i++) {
      expect((await request(a, 'POST', '/v1/orders', order(i))).status).toBe(200);
    }
    const before = await view(a, 3);
    const refused = await request(a, 'POST', '/v1/orders', order(4));
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('UNAVAILABLE');
    const health = await a.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().symbols[0].error).toMatch(/EISDIR/);
    await a.app.close();
    rmSync(blocker, { recursive: true });
    const b = await buildGateway(config);
    expect(b.recovered.get('BTC-USD')).toBe(3);
    expect(await view(b, 3)).toEqual(before);
    await b.app.close();
  });

  it('checkpointEveryCommands 0: no snapshot, not even on a graceful stop; turned on, a long journal is checkpointed at start-up', async () => {
    const dir = testDir();
    const config = testConfig(dir, { checkpointEveryCommands: 0 });
    const snapshot = join(dir, 'data', 'BTC-USD.snapshot');
    const journal = join(dir, 'data', 'BTC-USD.journal');
    const a = await buildGateway(config);
    for (let i = 1; i <= 12; i++) await request(a, 'POST', '/v1/orders', order(i));
    const before = await view(a, 12);
    await a.app.close();
    expect(existsSync(snapshot)).toBe(false);
    const b = await buildGateway(config);
    expect(b.recovered.get('BTC-USD')).toBe(12);
    await b.app.close();
    expect(existsSync(snapshot)).toBe(false);
    // Checkpoints on: 12 replayed records are more than 10, so it checkpoints before serving.
    const c = await buildGateway(testConfig(dir, { checkpointEveryCommands: 10 }));
    expect(c.recovered.get('BTC-USD')).toBe(12);
    expect(restoreBook(readFileSync(snapshot)).sequence).toBe(12);
    expect(statSync(journal).size).toBe(HEADER_BYTES);
    expect(await view(c, 12)).toEqual(before);
    await c.app.close();
  });
});
