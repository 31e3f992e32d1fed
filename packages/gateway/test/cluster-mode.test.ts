/**
 * Cluster mode against a real NATS server and matcher: two gateways serving
 * the same cluster answer a request script exactly as one single-process
 * gateway does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClusterConfig,
  MatcherNode,
  type NatsCluster,
  startNatsCluster,
} from '@tickbook/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type Gateway } from '../src/index';
import { ALICE, BOB, request, testConfig } from './helpers';

let nats: NatsCluster;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tb-gw-cluster-'));
  nats = await startNatsCluster({ dir: join(dir, 'nats'), size: 1 });
});
afterAll(async () => {
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Call = [method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, body: unknown, key: string];

/** Orders from two accounts that rest, cross, get modified, reduced and cancelled; reads between. */
function script(): Call[] {
  const calls: Call[] = [];
  for (let i = 1; i <= 12; i++) {
    calls.push([
      'POST',
      '/v1/orders',
      { symbol: 'BTC-USD', id: i, side: i % 2 ? 'sell' : 'buy', price: 100 + (i % 5) - 2, qty: i },
      i % 3 ? ALICE : BOB,
    ]);
  }
  calls.push(['GET', '/v1/depth/BTC-USD', undefined, ALICE]);
  calls.push([
    'POST',
    '/v1/orders',
    { symbol: 'BTC-USD', id: 50, side: 'buy', type: 'market', qty: 7 },
    BOB,
  ]);
  calls.push([
    'POST',
    '/v1/orders/batch',
    {
      symbol: 'BTC-USD',
      orders: [
        { id: 60, side: 'sell', price: 104, qty: 3 },
        { id: 61, side: 'buy', price: 96, qty: 4 },
        { id: 62, side: 'buy', price: 105, qty: 2 },
      ],
    },
    ALICE,
  ]);
  calls.push(['PATCH', '/v1/orders/BTC-USD/61', { price: 97 }, ALICE]);
  calls.push(['POST', '/v1/orders/BTC-USD/61/reduce', { qty: 1 }, ALICE]);
  calls.push(['GET', '/v1/orders/BTC-USD/61', undefined, ALICE]);
  calls.push(['DELETE', '/v1/orders/BTC-USD/61', undefined, ALICE]);
  calls.push(['DELETE', '/v1/orders/BTC-USD/61', undefined, ALICE]);
  calls.push(['GET', '/v1/orders/BTC-USD/2', undefined, BOB]);
  calls.push([
    'POST',
    '/v1/orders',
    { symbol: 'BTC-USD', id: 70, side: 'buy', price: 0, qty: 1 },
    ALICE,
  ]);
  calls.push([
    'POST',
    '/v1/orders',
    { symbol: 'BTC-USD', id: 71, side: 'sell', price: 99, qty: 2, postOnly: true },
    BOB,
  ]);
  calls.push(['GET', '/v1/depth/BTC-USD', undefined, BOB]);
  return calls;
}

const answer = (gw: Gateway, [method, url, body, key]: Call) => request(gw, method, url, body, key);

/** A cluster of one book, `symbol`, alone in `shard`, with that shard's matcher running (node `<shard>1`). */
async function oneBookCluster(symbol: string, shard: string) {
  const cluster: ClusterConfig = {
    servers: nats.servers,
    books: { [symbol]: { minPrice: 1, maxPrice: 100_000, capacity: 1000 } },
    shards: { [shard]: [symbol] },
  };
  const matcher = await MatcherNode.start({ config: cluster, shard, nodeId: `${shard}1` });
  return { cluster, matcher };
}

describe('gateway cluster mode', () => {
  it('two gateways on one cluster answer like one single-process gateway', async () => {
    const { cluster, matcher } = await oneBookCluster('BTC-USD', 'a');
    const local = await buildGateway(testConfig(join(dir, 'local'), { journal: false }));
    const g1 = await buildGateway(testConfig(join(dir, 'g1'), { cluster }));
    const g2 = await buildGateway(testConfig(join(dir, 'g2'), { cluster }));
    try {
      expect(g1.config.instruments.map((i) => i.symbol)).toEqual(['BTC-USD']);
      const calls = script();
      for (let k = 0; k < calls.length; k++) {
        const gw = k % 2 ? g2 : g1;
        if (calls[k][0] === 'GET') {
          // Reads come from the gateway's replica: let the other gateway's last write reach it.
          const want = matcher.replica('BTC-USD')?.lastApplied ?? 0;
          const m = gw.markets.get('BTC-USD') as unknown as {
            follower: { caughtUp(seq: number): Promise<boolean> };
          };
          expect(await m.follower.caughtUp(want)).toBe(true);
        }
        const expected = await answer(local, calls[k]);
        const got = await answer(gw, calls[k]);
        expect({ call: calls[k].slice(0, 2), ...got }).toEqual({
          call: calls[k].slice(0, 2),
          ...expected,
        });
      }
      expect(matcher.replica('BTC-USD')?.book.stateHash()).toBe(
        local.markets.get('BTC-USD')?.book.stateHash(),
      );
    } finally {
      await g1.app.close();
      await g2.app.close();
      await local.app.close();
      await matcher.stop();
    }
  });

  it('answers requests that arrive together (one command message) each with its own result', async () => {
    const { cluster, matcher } = await oneBookCluster('ETH-USD', 'e');
    const local = await buildGateway(
      testConfig(join(dir, 'local2'), {
        journal: false,
        instruments: [{ symbol: 'ETH-USD', minPrice: 1, maxPrice: 100_000, capacity: 1000 }],
      }),
    );
    const gw = await buildGateway(testConfig(join(dir, 'g3'), { cluster }));
    try {
      // 40 orders sent at once, crossing each other, and a retry of the first.
      const calls: Call[] = [];
      for (let i = 1; i <= 40; i++) {
        const order = {
          symbol: 'ETH-USD',
          id: i,
          side: i % 2 ? 'sell' : 'buy',
          price: 100 + (i % 3),
          qty: 1 + (i % 4),
        };
        calls.push(['POST', '/v1/orders', order, i % 2 ? ALICE : BOB]);
      }
      const together = (gateway: Gateway) => Promise.all(calls.map((c) => answer(gateway, c)));
      const expected = await together(local);
      const got = await together(gw);
      expect(got).toEqual(expected);
      expect(got.filter((r) => r.body.filled > 0).length).toBeGreaterThan(5);
      // They went out as fewer messages than requests.
      expect(matcher.replica('ETH-USD')?.messages).toBeLessThan(calls.length / 2);
      const again = await answer(gw, calls[0]);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('DUPLICATE_ID');
    } finally {
      await gw.app.close();
      await local.app.close();
      await matcher.stop();
    }
  });

  it('is not ready while NATS is out of reach, and ready again once it is back', async () => {
    const { cluster, matcher } = await oneBookCluster('SOL-USD', 's');
    const gw = await buildGateway(testConfig(join(dir, 'g4'), { cluster }));
    await gw.app.ready();
    const ready = async () => (await gw.app.inject({ method: 'GET', url: '/ready' })).statusCode;
    const until = async (want: number) => {
      for (let i = 0; i < 600 && (await ready()) !== want; i++)
        await new Promise((r) => setTimeout(r, 50));
      return ready();
    };
    try {
      expect(await ready()).toBe(200);
      await nats.nodes[0].kill();
      expect(await until(503)).toBe(503);
      const body = (await gw.app.inject({ method: 'GET', url: '/ready' })).json();
      expect(body).toEqual({
        status: 'unavailable',
        unavailable: [{ symbol: 'SOL-USD', reason: 'not connected to NATS' }],
      });
      // liveness is not readiness: the process is fine
      expect((await gw.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      await nats.nodes[0].start();
      expect(await until(200)).toBe(200);
      const placed = await answer(gw, [
        'POST',
        '/v1/orders',
        { symbol: 'SOL-USD', id: 1, side: 'buy', price: 5, qty: 1 },
        ALICE,
      ]);
      expect(placed.status).toBe(200);
    } finally {
      await gw.app.close();
      await matcher.stop();
    }
  });

  it('refuses a cluster config that does not hold together', async () => {
    await expect(
      buildGateway(
        testConfig(join(dir, 'bad'), {
          cluster: {
            servers: nats.servers,
            books: { X: { minPrice: 1, maxPrice: 9, capacity: 1 } },
            shards: {},
          },
        }),
      ),
    ).rejects.toThrow(/book X is in no shard/);
  });
});
