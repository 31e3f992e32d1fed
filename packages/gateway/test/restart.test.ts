/**
 * Durability with a real child process: acknowledged orders survive SIGKILL.
 * Runs the built server (dist/cli.js): `npm run build` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeJournal, restoreBook } from 'tickbook';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../src/index';
import { ALICE, BOB, tempDir, testConfig } from './helpers';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** A gateway config file in a fresh temp dir (journals under it), for the CLI's --config. */
function configFile(overrides: Partial<GatewayConfig> = {}): { dir: string; path: string } {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir, 'gateway.json');
  writeFileSync(path, JSON.stringify(testConfig(dir, { logLevel: 'error', ...overrides })));
  return { dir, path };
}
const configPath = configFile().path;

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(config = configPath): Promise<{
  child: ChildProcess;
  url: string;
  recovered: Record<string, number>;
}> {
  const child = spawn(process.execPath, [cli, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`gateway exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line);
      if (msg.msg === 'listening') ok({ child, url: msg.url, recovered: msg.recovered });
    });
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGKILL');
  });
}

async function call(url: string, method: string, path: string, body?: unknown, key = ALICE) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * `count` concurrent single orders from alice and bob in turn (they trade with
 * each other), then a batch of 100 resting bids (ids 1000 …); all acknowledged.
 */
async function placeFlow(url: string, count: number, idOf: (i: number) => number) {
  const singles = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const key = i % 2 ? BOB : ALICE;
      const side = i % 4 < 2 ? 'buy' : 'sell';
      const price = side === 'buy' ? 1000 - (i % 7) : 997 + (i % 9);
      const order = { symbol: 'BTC-USD', id: idOf(i), side, price, qty: 1 + (i % 5) };
      return call(url, 'POST', '/v1/orders', order, key);
    }),
  );
  expect(singles.every((r) => r.status === 200)).toBe(true);
  const batch = await call(url, 'POST', '/v1/orders/batch', {
    symbol: 'BTC-USD',
    orders: Array.from({ length: 100 }, (_, i) => ({
      id: 1000 + i,
      side: 'buy',
      price: 900 + i,
      qty: 3,
    })),
  });
  expect(batch.body.accepted).toBe(100);
  return { singles, batch };
}

/** Everything a client can see of BTC-USD (L2 sequence numbers restart with the process). */
const view = async (url: string) => ({
  depth: { ...(await call(url, 'GET', '/v1/depth/BTC-USD?levels=100000')).body, seq: 0 },
  alice: await Promise.all(
    Array.from({ length: 1100 }, (_, i) => call(url, 'GET', `/v1/orders/BTC-USD/${i + 1}`)),
  ),
  bob: await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      call(url, 'GET', `/v1/orders/BTC-USD/${i + 1}`, undefined, BOB),
    ),
  ),
});

/** Order 5000 (alice's sell of 1 at 5000), placed after a restart to see that journalling goes on. */
const ORDER_5000 = { symbol: 'BTC-USD', id: 5000, side: 'sell', price: 5000, qty: 1 };

async function expectOrder5000(url: string) {
  expect((await call(url, 'GET', '/v1/orders/BTC-USD/5000')).body).toMatchObject({
    price: 5000,
    remaining: 1,
  });
}

/** SIGTERM, a graceful stop: the exit code. */
function stopGracefully(child: ChildProcess): Promise<unknown> {
  return new Promise((ok) => {
    child.once('exit', ok);
    child.kill('SIGTERM');
  });
}

describe('restart after SIGKILL', () => {
  it('restores every acknowledged order', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const first = await start();
    expect(first.recovered).toEqual({ 'BTC-USD': 0, TINY: 0 });
    const url = first.url;

    // 200 concurrent single orders from two accounts (they trade with each other),
    // a batch, a modify and a cancel; all acknowledged before the kill.
    const { singles, batch } = await placeFlow(url, 200, (i) => 1 + i);
    expect((await call(url, 'PATCH', '/v1/orders/BTC-USD/1099', { qty: 1 })).status).toBe(200);
    expect((await call(url, 'DELETE', '/v1/orders/BTC-USD/1098')).status).toBe(200);
    expect(
      (
        await call(url, 'POST', '/v1/orders', {
          symbol: 'TINY',
          id: 1,
          side: 'sell',
          price: 50,
          qty: 7,
        })
      ).status,
    ).toBe(200);

    const resting = [...singles.map((r) => r.body), ...batch.body.results].filter(
      (r: { status: string }) => r.status === 'resting',
    );
    expect(resting.length).toBeGreaterThan(50);
    const before = { ...(await view(url)), tiny: (await call(url, 'GET', '/v1/depth/TINY')).body };

    await kill9(first.child);

    const second = await start();
    expect(second.recovered['BTC-USD']).toBe(200 + 100 + 2);
    expect(second.recovered.TINY).toBe(1);
    const after = {
      ...(await view(second.url)),
      tiny: (await call(second.url, 'GET', '/v1/depth/TINY')).body,
    };
    // Same levels and same orders (L2 sequence numbers restart with the process).
    expect(after.depth).toEqual(before.depth);
    expect({ ...after.tiny, seq: 0 }).toEqual({ ...before.tiny, seq: 0 });
    expect(after.alice).toEqual(before.alice);
    expect(after.alice.find((r) => r.body.id === 1099)?.body.remaining).toBe(1);
    expect(after.alice[1097].status).toBe(404);
    // bob's orders came back under his own client ids too.
    expect(after.bob).toEqual(before.bob);
    expect(after.bob.filter((r) => r.status === 200).length).toBeGreaterThan(10);

    // The recovered gateway keeps journalling: a new order survives a second kill.
    expect((await call(second.url, 'POST', '/v1/orders', ORDER_5000)).status).toBe(200);
    await kill9(second.child);
    const third = await start();
    expect(third.recovered['BTC-USD']).toBe(303);
    await expectOrder5000(third.url);

    // SIGTERM is a graceful stop: exit code 0, journals checkpointed and
    // closed, nothing lost, nothing left to replay.
    const depth = (await call(third.url, 'GET', '/v1/depth/BTC-USD?levels=100000')).body;
    expect(await stopGracefully(third.child)).toBe(0);
    const fourth = await start();
    expect(fourth.recovered).toEqual({ 'BTC-USD': 0, TINY: 0 });
    await expectOrder5000(fourth.url);
    const depthAfter = (await call(fourth.url, 'GET', '/v1/depth/BTC-USD?levels=100000')).body;
    expect({ ...depthAfter, seq: 0 }).toEqual({ ...depth, seq: 0 });
    await kill9(fourth.child);
  });
});

describe('restart after SIGKILL: good-till-date', () => {
  it('an order recovered from the journal expires on the clock, and its expiry is replayed', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    // Its own journals: the real clock decides when the book's time moves.
    const gconfig = configFile().path;
    const order = (id: number, price: number, expiresAt: number) => ({
      symbol: 'BTC-USD',
      id,
      side: 'buy',
      price,
      qty: 1,
      expiresAt,
    });

    const first = await start(gconfig);
    const soon = Date.now() + 1000;
    const later = Date.now() + 3_600_000;
    expect((await call(first.url, 'POST', '/v1/orders', order(1, 90, soon))).status).toBe(200);
    expect((await call(first.url, 'POST', '/v1/orders', order(2, 91, later))).status).toBe(200);
    await kill9(first.child);

    // Restart once the real clock has passed order 1's expiry (the gateway was
    // down when it came): the recovered gateway expires it.
    while (Date.now() <= soon) await new Promise((r) => setTimeout(r, soon + 1 - Date.now()));
    const second = await start(gconfig);
    let gone = await call(second.url, 'GET', '/v1/orders/BTC-USD/1');
    // The start-up timer runs right after listening; a read can come first.
    for (let i = 0; i < 100 && gone.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 10));
      gone = await call(second.url, 'GET', '/v1/orders/BTC-USD/1');
    }
    expect(gone.status).toBe(404);
    expect((await call(second.url, 'GET', '/v1/orders/BTC-USD/2')).body).toMatchObject({
      price: 91,
      expiresAt: later,
    });
    const health = await call(second.url, 'GET', '/health');
    expect(health.body.symbols[0].time).toBeGreaterThanOrEqual(soon);
    await kill9(second.child);

    // The expiry is a journalled advance-time command: replayed, not re-decided.
    const third = await start(gconfig);
    expect(third.recovered['BTC-USD']).toBe(second.recovered['BTC-USD'] + 1);
    expect((await call(third.url, 'GET', '/v1/orders/BTC-USD/1')).status).toBe(404);
    expect((await call(third.url, 'GET', '/v1/orders/BTC-USD/2')).status).toBe(200);
    await kill9(third.child);
  });
});

describe('restart after SIGKILL: checkpoints', () => {
  it('recovers every acknowledged order from snapshot + short journal, and a graceful stop leaves nothing to replay', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const every = 50;
    const { dir: cdir, path: cconfig } = configFile({ checkpointEveryCommands: every });
    const data = join(cdir, 'data');
    const journal = join(data, 'BTC-USD.journal');
    const snapshot = join(data, 'BTC-USD.snapshot');
    const first = await start(cconfig);
    // Concurrent single orders (group commit: checkpoints at sync completions), then a batch.
    await placeFlow(first.url, 300, (i) => 1 + (i >> 1));
    for (let i = 0; i < 20; i++) {
      const r = await call(first.url, 'DELETE', `/v1/orders/BTC-USD/${1000 + i}`);
      expect(r.status).toBe(200);
    }
    const before = await view(first.url);
    await kill9(first.child);

    // Checkpointed along the way: the snapshot holds most, the journal fewer than `every`.
    const base = restoreBook(readFileSync(snapshot)).sequence;
    expect(base).toBeGreaterThanOrEqual(300 + 100 + 20 - every);
    const records = decodeJournal(readFileSync(journal)).records;
    expect(records.length).toBeLessThan(every);
    expect(records.every((r) => r.sequence > base)).toBe(true);
    expect(statSync(journal).size).toBeLessThan(every * 100);

    const second = await start(cconfig);
    expect(second.recovered['BTC-USD']).toBe(records.length);
    expect(await view(second.url)).toEqual(before);

    // SIGTERM: a last checkpoint, the journal is only its header, nothing to replay.
    expect((await call(second.url, 'POST', '/v1/orders', ORDER_5000)).status).toBe(200);
    const after = await view(second.url);
    expect(await stopGracefully(second.child)).toBe(0);
    expect(statSync(journal).size).toBe(8 + 25 + 8);
    expect(readdirSync(data).sort()).toEqual([
      'BTC-USD.journal',
      'BTC-USD.snapshot',
      'TINY.journal',
    ]);
    const third = await start(cconfig);
    expect(third.recovered).toEqual({ 'BTC-USD': 0, TINY: 0 });
    expect(await view(third.url)).toEqual(after);
    await expectOrder5000(third.url);
    await kill9(third.child);
  });
});
