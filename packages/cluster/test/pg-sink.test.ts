import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { type BookConfig, type Command, createBook, type TradeEvent } from 'tickbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../src/client';
import type { ClusterConfig } from '../src/config';
import { MatcherNode } from '../src/matcher';
import { EVENT_STREAM } from '../src/names';
import { PgSink } from '../src/sink/pg-sink';
import { startServices, until } from './support/services';
import { SWEPT_BOOK, sweep } from './support/sweep';

const BOOK: BookConfig = { minPrice: 1, maxPrice: 200, capacity: 10_000 };

let services: Awaited<ReturnType<typeof startServices>>;
beforeAll(async () => {
  services = await startServices({ natsNodes: 1, postgres: true });
});
afterAll(async () => {
  await services?.stop();
});

/** Crossing orders from three accounts, with cancels, an IOC and a market order now and then. */
function commands(n: number): Command[] {
  const out: Command[] = [];
  let x = 12345;
  const rnd = (m: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % m;
  };
  for (let id = 1; id <= n; id++) {
    const owner = 1 + rnd(3);
    const side = rnd(2) ? 'buy' : 'sell';
    const r = rnd(20);
    if (r === 0 && id > 5) out.push({ kind: 'cancel', id: id - 1 - rnd(5) });
    else if (r === 1) out.push({ kind: 'market', id, side, qty: 1 + rnd(8), owner });
    else
      out.push({
        kind: 'limit',
        id,
        side,
        price: 95 + rnd(11),
        qty: 1 + rnd(9),
        owner,
        ...(r === 2 ? { timeInForce: 'IOC' as const } : {}),
      });
  }
  return out;
}

async function tradesIn(db: pg.Client, symbol: string) {
  const { rows } = await db.query(
    'SELECT maker_id, taker_id, taker_side, price, qty FROM tb_trades WHERE symbol = $1 ORDER BY cmd_seq, trade_no',
    [symbol],
  );
  return rows.map((r) => ({
    makerId: Number(r.maker_id),
    takerId: Number(r.taker_id),
    takerSide: r.taker_side,
    price: Number(r.price),
    qty: Number(r.qty),
  }));
}

describe('PostgreSQL sink', () => {
  it('writes every trade and order state once, also when the whole stream is delivered again', async () => {
    const config: ClusterConfig = {
      servers: services.nats.servers,
      books: { SOL: BOOK },
      shards: { s: ['SOL'] },
    };
    const node = await MatcherNode.start({ config, shard: 's', nodeId: 'm1' });
    const client = await ClusterClient.connect(config);
    const database = services.db?.connectionString as string;
    let sink = await PgSink.start({ config, database, batchMessages: 7 });
    const db = new pg.Client({ connectionString: database });
    await db.connect();
    const local = createBook(BOOK);
    const expected: Omit<TradeEvent, 'type' | 'makerRemaining' | 'takerRemaining'>[] = [];
    try {
      const all = commands(2000);
      let last = 0;
      for (let i = 0; i < all.length; i += 40) {
        const batch = all.slice(i, i + 40);
        last = (await client.submit('SOL', batch)).seq;
        for (const c of batch) {
          for (const e of local.submit(c)) {
            if (e.type === 'trade') {
              expected.push({
                makerId: e.makerId,
                takerId: e.takerId,
                takerSide: e.takerSide,
                price: e.price,
                qty: e.qty,
              });
            }
          }
        }
      }
      expect(expected.length).toBeGreaterThan(100);
      const progress = async () =>
        Number(
          (await db.query("SELECT last_seq FROM tb_sink_progress WHERE symbol = 'SOL'")).rows[0]
            ?.last_seq ?? 0,
        );
      await until('the sink to reach the last command', async () => (await progress()) === last);
      expect(await tradesIn(db, 'SOL')).toEqual(expected);

      // Order states equal the book's resting orders.
      const open = await db.query(
        "SELECT order_id, remaining, owner FROM tb_orders WHERE symbol = 'SOL' AND status = 'open' ORDER BY order_id",
      );
      const resting = all
        .filter((c) => c.kind === 'limit')
        .map((c) => local.order((c as { id: number }).id))
        .filter((o) => o !== undefined)
        .sort((a, b) => a.id - b.id);
      expect(open.rows.map((r) => [Number(r.order_id), Number(r.remaining)])).toEqual(
        resting.map((o) => [o.id, o.remaining]),
      );

      // Deliver everything again: move the stored position back to the start.
      await sink.stop();
      const jsm = await jetstreamManager(node.nc);
      await db.query('UPDATE tb_sink_position SET stream_seq = 0');
      let redelivered = 0;
      sink = await PgSink.start({
        config,
        database,
        batchMessages: 5,
        onCommit: (info) => {
          redelivered += info.messages;
        },
      });
      const stored = (await jsm.streams.info(EVENT_STREAM)).state.messages;
      await until('the redelivery to finish', () => redelivered >= stored);
      expect(await tradesIn(db, 'SOL')).toEqual(expected);
      const count = await db.query("SELECT count(*)::int AS n FROM tb_trades WHERE symbol = 'SOL'");
      expect(count.rows[0].n).toBe(expected.length);
    } finally {
      await db.end();
      await sink.stop();
      await client.close();
      await node.stop();
    }
  });

  it('writes a command message whose results came in parts, one stream message per batch, other symbols between', async () => {
    const config: ClusterConfig = {
      servers: services.nats.servers,
      books: { SWEPT: SWEPT_BOOK, SIDE: BOOK },
      shards: { p: ['SWEPT', 'SIDE'] },
    };
    const node = await MatcherNode.start({ config, shard: 'p', nodeId: 'm1' });
    const client = await ClusterClient.connect(config);
    const database = services.db?.connectionString as string;
    // one stream message per transaction: the first part of the big message
    // alone ends a batch, and cannot be written yet
    const sink = await PgSink.start({ config, database, batchMessages: 1, minCommitIntervalMs: 0 });
    const db = new pg.Client({ connectionString: database });
    await db.connect();
    try {
      const { makers, market } = sweep(12_000);
      for (const batch of makers) await client.submit('SWEPT', batch);
      // the sweep and a flow of small messages on another symbol of the shard, at once
      const side = commands(400);
      const localSide = createBook(BOOK);
      const sideTrades: Omit<TradeEvent, 'type' | 'makerRemaining' | 'takerRemaining'>[] = [];
      for (const c of side) {
        for (const e of localSide.submit(c)) {
          if (e.type === 'trade') {
            const { makerId, takerId, takerSide, price, qty } = e;
            sideTrades.push({ makerId, takerId, takerSide, price, qty });
          }
        }
      }
      const sideSent = (async () => {
        let last = 0;
        for (let i = 0; i < side.length; i += 10) {
          last = (await client.submit('SIDE', side.slice(i, i + 10))).seq;
        }
        return last;
      })();
      const swept = await client.submit('SWEPT', [market]);
      const sideLast = await sideSent;
      const progress = async (symbol: string) =>
        Number(
          (await db.query('SELECT last_seq FROM tb_sink_progress WHERE symbol = $1', [symbol]))
            .rows[0]?.last_seq ?? 0,
        );
      await until(
        'the sink to write both symbols',
        async () =>
          (await progress('SWEPT')) === swept.seq && (await progress('SIDE')) === sideLast,
      );
      const trades = await tradesIn(db, 'SWEPT');
      expect(trades).toHaveLength(12_000);
      expect(trades).toEqual(
        Array.from({ length: 12_000 }, (_, i) => ({
          makerId: 1 + i,
          takerId: 12_001,
          takerSide: 'buy',
          price: 500 + (i % 50),
          qty: 1,
        })).sort((a, b) => a.price - b.price || a.makerId - b.makerId),
      );
      const filled = await db.query(
        "SELECT count(*)::int AS n FROM tb_orders WHERE symbol = 'SWEPT' AND status = 'filled'",
      );
      expect(filled.rows[0].n).toBe(12_001);
      expect(await tradesIn(db, 'SIDE')).toEqual(sideTrades);
      expect(sink.lastError).toBeUndefined();
    } finally {
      await db.end();
      await sink.stop();
      await client.close();
      await node.stop();
    }
  });
});
