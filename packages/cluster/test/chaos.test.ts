import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { type BookConfig, createBook } from 'tickbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommandMessage, RecentPlacements } from '../src/apply';
import { ClusterClient } from '../src/client';
import type { ClusterConfig } from '../src/config';
import {
  COMMAND_STREAM,
  commandSubject,
  EVENT_STREAM,
  eventSubject,
  PART_HEADER,
} from '../src/names';
import { EventMessageAssembler } from '../src/results';
import { retrying } from '../src/retry';
import {
  type ClusterProcess,
  matcherStatus,
  startGatewayProcess,
  startMatcherProcess,
  startProcess,
  writeConfig,
} from './support/processes';
import { scratch, sleep, startServices, until } from './support/services';

const BOOK: BookConfig = { minPrice: 1, maxPrice: 200, capacity: 20_000 };
const SHARDS = { a: ['AAA', 'ABC'], b: ['BBB'] };
const SYMBOLS = Object.values(SHARDS).flat();
const LOAD_MS = Number(process.env.TICKBOOK_CHAOS_MS ?? 12_000);

let services: Awaited<ReturnType<typeof startServices>>;
const dir = scratch('chaos');
beforeAll(async () => {
  services = await startServices({ natsNodes: 3, postgres: true });
});
afterAll(async () => {
  await services?.stop();
  dir.remove();
});

const KEYS = [1, 2, 3, 4, 5].map((n) => `chaos-account-key-${n}`);

/**
 * A load generator: mixed placements (batches of limit, IOC and market
 * orders) and cancels over every symbol and five accounts, through the
 * gateways over HTTP. A request that fails (a 5xx or a dropped connection) is
 * retried with the same order ids at the other gateway until it is answered:
 * the matchers refuse a recently placed id, so a retry is applied once.
 */
function loadGenerator(urls: string[], name: string, acked: Acked) {
  let x = name === 'g1' ? 0x9e3779b9 : 0x85ebca6b;
  const rnd = (m: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % m;
  };
  // Each generator owns its own client-id range per account and symbol.
  const nextId = new Map<string, number>();
  let stop = false;
  let requests = 0;
  let retries = 0;
  const send = async (method: string, path: string, body: unknown, key: string, first: number) => {
    for (let attempt = 0; ; attempt++) {
      const url = urls[(first + attempt) % urls.length];
      try {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(20_000),
        });
        const answer = await res.json();
        if (res.status < 500) return { status: res.status, answer, attempt };
      } catch {
        // dropped connection or timeout: retry
      }
      retries++;
      await sleep(50);
    }
  };
  const run = async () => {
    while (!stop) {
      const symbol = SYMBOLS[rnd(SYMBOLS.length)];
      const account = rnd(KEYS.length);
      const key = KEYS[account];
      const k = `${symbol}:${account}`;
      let id = nextId.get(k) ?? (name === 'g1' ? 1 : 1_000_000);
      requests++;
      if (rnd(6) === 0 && id > 3) {
        const target = id - 1 - rnd(3);
        const r = await send('DELETE', `/v1/orders/${symbol}/${target}`, undefined, key, requests);
        // A retry may find the first attempt already cancelled it: both are the one cancel.
        if (r.status === 200 || (r.attempt > 0 && r.status === 404))
          acked.cancels.push({ symbol, account, id: target });
        continue;
      }
      const orders: Record<string, unknown>[] = [];
      for (let n = 1 + rnd(20); n > 0; n--) {
        const side = rnd(2) ? 'buy' : 'sell';
        const r = rnd(12);
        if (r === 1) orders.push({ id: id++, side, type: 'market', qty: 1 + rnd(10) });
        else if (r === 2)
          orders.push({ id: id++, side, price: 90 + rnd(21), qty: 1 + rnd(9), timeInForce: 'IOC' });
        else orders.push({ id: id++, side, price: 90 + rnd(21), qty: 1 + rnd(9) });
      }
      nextId.set(k, id);
      const r = await send('POST', '/v1/orders/batch', { symbol, orders }, key, requests);
      if (r.status === 200) {
        for (const o of orders) acked.orders.push({ symbol, account, id: o.id as number });
      }
    }
  };
  const done = run();
  return {
    stop: async () => {
      stop = true;
      await done;
      return { requests, retries };
    },
  };
}

interface Acked {
  orders: { symbol: string; account: number; id: number }[];
  cancels: { symbol: string; account: number; id: number }[];
}

describe('chaos: 2 shards × 2 matchers, a sink, NATS on 3 nodes, processes killed under load', () => {
  it('applies every acknowledged command once; PostgreSQL trades equal an in-process book per symbol; replicas agree', async () => {
    const config: ClusterConfig = {
      servers: services.nats.servers,
      replicas: 3,
      books: Object.fromEntries(SYMBOLS.map((s) => [s, BOOK])),
      shards: SHARDS,
      leaseMs: 1000,
      snapshotEveryCommands: 2_000,
    };
    const file = writeConfig(dir.dir, config);
    const database = services.db?.connectionString as string;
    const procs: ClusterProcess[] = [];
    const matchers = new Map<string, ClusterProcess>();
    const startMatcher = (shard: string, node: string) => {
      const p = startMatcherProcess(file, shard, node);
      procs.push(p);
      matchers.set(node, p);
      return p;
    };
    const startSink = () => {
      const p = startProcess(['sink', '--config', file, '--database', database]);
      procs.push(p);
      return p;
    };
    for (const shard of Object.keys(SHARDS)) {
      await startMatcher(shard, `${shard}1`).waitFor(
        (l) => l.event === 'leadership' && l.leading === true,
      );
      await startMatcher(shard, `${shard}2`).waitFor((l) => l.event === 'ready');
    }
    let sink = startSink();
    await sink.waitFor((l) => l.event === 'ready');

    // Two gateway processes in cluster mode.
    const gatewayConfig = join(dir.dir, 'gateway.json');
    writeFileSync(
      gatewayConfig,
      JSON.stringify({
        port: 0,
        logLevel: 'silent',
        cluster: file,
        maxRequestsPerSecond: 0,
        maxRestingOrdersPerSymbol: 0,
        accounts: KEYS.map((key, i) => ({ key, owner: i + 1 })),
      }),
    );
    const gateways = [
      await startGatewayProcess(gatewayConfig),
      await startGatewayProcess(gatewayConfig),
    ];
    procs.push(...gateways.map((g) => g.proc));
    const urls = gateways.map((g) => g.url);
    const acked: Acked = { orders: [], cancels: [] };
    const loads = [
      loadGenerator(urls, 'g1', acked),
      loadGenerator([urls[1], urls[0]], 'g2', acked),
    ];
    const observer = await ClusterClient.connect(config, 'observer');
    try {
      await sleep(LOAD_MS / 4);
      // The leading matcher of shard a dies.
      await matchers.get('a1')?.kill('SIGKILL');
      await matchers.get('a2')?.waitFor((l) => l.event === 'leadership' && l.leading === true);
      await sleep(LOAD_MS / 4);
      // A NATS node dies; the sink dies too.
      await services.nats.nodes[1].kill();
      await sink.kill('SIGKILL');
      await sleep(LOAD_MS / 4);
      // Bring them back.
      await services.nats.nodes[1].start();
      startMatcher('a', 'a1');
      sink = startSink();
      await sleep(LOAD_MS / 4);
    } finally {
      const stats = await Promise.all(loads.map((l) => l.stop()));
      console.log(`chaos load: ${JSON.stringify(stats)}`);
    }

    // Replay each symbol's command stream into an in-process book.
    const nc = observer.nc;
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const db = new pg.Client({ connectionString: database });
    await db.connect();
    try {
      const diagnose = async () => {
        for (const node of ['a1', 'a2', 'b1', 'b2']) {
          const st = await matcherStatus(nc, node[0], node).catch((e) => String(e));
          console.log(node, JSON.stringify(st), matchers.get(node)?.describe());
        }
      };
      const waitUntil = (what: string, check: () => Promise<boolean>) =>
        until(what, check).catch(async (e) => {
          await diagnose();
          throw e;
        });
      for (const symbol of SYMBOLS) {
        const lastMessage = await retrying('find the last command', () =>
          jsm.streams.getMessage(COMMAND_STREAM, { last_by_subj: commandSubject(symbol) }),
        );
        const last = lastMessage?.seq ?? 0;
        const accepted = new Map<number, number>();
        const cancelled = new Map<number, number>();
        const consumer = await retrying('read the command stream', () =>
          js.consumers.get(COMMAND_STREAM, {
            filter_subjects: commandSubject(symbol),
            deliver_policy: DeliverPolicy.All,
          }),
        );
        const book = createBook(BOOK);
        const placed = new RecentPlacements();
        const trades: unknown[][] = [];
        const seen = new Set<string>();
        const commandSeqs: number[] = [];
        let count = 0;
        for (
          let m = await consumer.next({ expires: 5000 });
          m;
          m = await consumer.next({ expires: 2000 })
        ) {
          const dedupeId = m.headers?.get('Nats-Msg-Id') ?? '';
          if (dedupeId) {
            expect(seen.has(dedupeId)).toBe(false); // a retried publish was stored once
            seen.add(dedupeId);
          }
          commandSeqs.push(m.seq);
          count++;
          let tradeNo = 0;
          // The replicas' apply step: the book plus the recent-placements check.
          const applied = applyCommandMessage(book, placed, m.data);
          for (let k = 0; k < applied.commands.length; k++) {
            const c = applied.commands[k];
            for (const e of applied.events[k]) {
              if (e.type === 'accepted') accepted.set(e.id, (accepted.get(e.id) ?? 0) + 1);
              if (e.type === 'cancelled' && e.reason === 'user' && c.kind === 'cancel') {
                cancelled.set(e.id, (cancelled.get(e.id) ?? 0) + 1);
              }
              if (e.type === 'trade')
                trades.push([m.seq, tradeNo++, e.makerId, e.takerId, e.price, e.qty]);
            }
          }
          if (m.seq >= last) break;
        }
        // Every acknowledged order and cancel was applied exactly once.
        const engineId = (a: { account: number; id: number }) => (a.account + 1) * 2 ** 32 + a.id;
        const orders = acked.orders.filter((a) => a.symbol === symbol);
        expect(orders.length).toBeGreaterThan(0);
        expect(orders.filter((a) => accepted.get(engineId(a)) !== 1)).toEqual([]);
        expect([...accepted.values()].filter((n) => n !== 1)).toEqual([]);
        const cancels = acked.cancels.filter((a) => a.symbol === symbol);
        expect(cancels.filter((a) => cancelled.get(engineId(a)) !== 1)).toEqual([]);

        // The event stream holds each command message's results once, in order.
        const shard = SHARDS.a.includes(symbol) ? 'a' : 'b';
        await waitUntil(`${symbol}'s results up to ${last} to be published`, async () => {
          const s = await matcherStatus(nc, shard, `${shard}2`).catch(() => undefined);
          return s !== undefined && s.symbols[symbol].lastPublished >= last;
        });
        const events = await retrying('read the event stream', () =>
          js.consumers.get(EVENT_STREAM, {
            filter_subjects: eventSubject(symbol),
            deliver_policy: DeliverPolicy.All,
          }),
        );
        const resultSeqs: number[] = [];
        const lastHeaders: string[] = [];
        const parts = new EventMessageAssembler();
        for (
          let m = await events.next({ expires: 5000 });
          m;
          m = await events.next({ expires: 2000 })
        ) {
          const message = parts.add(symbol, m.data, m.headers?.get(PART_HEADER), m.seq);
          if (!message) continue;
          lastHeaders.push(`${m.seq}:${message.results[0]?.seq}-${message.last}`);
          for (const r of message.results) resultSeqs.push(r.seq);
          if (message.last >= last) break;
        }
        const firstGap = commandSeqs.findIndex((q, i) => resultSeqs[i] !== q);
        if (firstGap >= 0) console.log('event messages:', lastHeaders.join(' '));
        expect(
          firstGap < 0
            ? 'no gap'
            : { at: firstGap, command: commandSeqs[firstGap], result: resultSeqs[firstGap] },
        ).toBe('no gap');
        expect(count).toBeGreaterThan(0);
        await waitUntil(`the sink to reach ${symbol}:${last}`, async () => {
          const r = await db.query('SELECT last_seq FROM tb_sink_progress WHERE symbol = $1', [
            symbol,
          ]);
          return Number(r.rows[0]?.last_seq ?? 0) >= last;
        });
        const rows = await db.query(
          'SELECT cmd_seq, trade_no, maker_id, taker_id, price, qty FROM tb_trades WHERE symbol = $1 AND cmd_seq <= $2 ORDER BY cmd_seq, trade_no',
          [symbol, last],
        );
        const stored = rows.rows.map((r) =>
          [r.cmd_seq, r.trade_no, r.maker_id, r.taker_id, r.price, r.qty].map(Number),
        );
        const firstDiff = trades.findIndex(
          (t, i) => JSON.stringify(t) !== JSON.stringify(stored[i]),
        );
        expect({
          symbol,
          length: stored.length,
          firstDiff:
            firstDiff < 0
              ? undefined
              : { index: firstDiff, stored: stored[firstDiff], replayed: trades[firstDiff] },
        }).toEqual({ symbol, length: trades.length, firstDiff: undefined });
        expect(trades.length).toBeGreaterThan(0);

        // Both replicas of the symbol's shard hold that book.
        const want = book.stateHash();
        for (const node of [`${shard}1`, `${shard}2`]) {
          await waitUntil(`${node} to apply ${symbol} up to ${last}`, async () => {
            const s = await matcherStatus(nc, shard, node).catch(() => undefined);
            return s !== undefined && s.symbols[symbol].lastApplied >= last;
          });
          const s = await matcherStatus(nc, shard, node);
          if (s.symbols[symbol].lastApplied === last)
            expect(s.symbols[symbol].stateHash).toBe(want);
        }
      }
      const dupes = await db.query(
        'SELECT count(*)::int AS n FROM (SELECT 1 FROM tb_trades GROUP BY symbol, maker_id, taker_id, cmd_seq HAVING count(*) > 1) d',
      );
      expect(dupes.rows[0].n).toBe(0);
    } finally {
      await db.end();
      await observer.close();
      for (const p of procs) await p.kill();
    }
  });
});
