import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { type BookConfig, type Command, createBook } from 'tickbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../src/client';
import type { ClusterConfig } from '../src/config';
import { MatcherNode } from '../src/matcher';
import { eventSubject, LEASE_BUCKET } from '../src/names';
import { eventHeaders, nextEventMessage, published } from '../src/replica';
import type { MessageResults } from '../src/results';
import { storedEvents } from './support/event-stream';
import { startServices, until } from './support/services';
import { sweep, SWEPT_BOOK as WIDE } from './support/sweep';

const BOOK: BookConfig = { minPrice: 1, maxPrice: 1000, capacity: 10_000 };

function config(servers: string[], extra: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    servers,
    replicas: 1,
    books: { BTC: BOOK, ETH: BOOK },
    shards: { a: ['BTC', 'ETH'] },
    leaseMs: 600,
    ...extra,
  };
}

let services: Awaited<ReturnType<typeof startServices>>;
beforeAll(async () => {
  // NATS's default message limit, as most deployments keep it
  services = await startServices({ natsNodes: 1, maxPayload: '1MB' });
});
afterAll(async () => {
  await services?.stop();
});

function orders(n: number, idBase: number): Command[] {
  const out: Command[] = [];
  for (let i = 0; i < n; i++) {
    const id = idBase + i;
    out.push({
      kind: 'limit',
      id,
      side: i % 2 ? 'buy' : 'sell',
      price: 500 + ((i * 7) % 11) - 5,
      qty: 1 + (i % 5),
      owner: 1 + (i % 3),
    });
    if (i % 5 === 4) out.push({ kind: 'cancel', id: id - 2 });
  }
  return out;
}

/**
 * A shard of one symbol whose lease a node that is gone still holds (it
 * expires after `leaseMs`, 1,500 here), and a client: a matcher node started
 * on it applies what is published as a standby first, then takes over.
 */
async function leaseHeldElsewhere(shard: string, symbol: string, book: BookConfig) {
  const cfg = config(services.nats.servers, {
    books: { [symbol]: book },
    shards: { [shard]: [symbol] },
    leaseMs: 1500,
  });
  const client = await ClusterClient.connect(cfg);
  const kv = await new Kvm(client.nc).open(LEASE_BUCKET);
  await kv.create(`shard-${shard}`, 'someone-gone');
  return { cfg, client };
}

/** Runs `body` with a matcher node (m1) of `shard` and a client, then closes both. */
async function withMatcher(
  cfg: ClusterConfig,
  shard: string,
  body: (node: MatcherNode, client: ClusterClient) => Promise<void>,
): Promise<void> {
  const node = await MatcherNode.start({ config: cfg, shard, nodeId: 'm1' });
  const client = await ClusterClient.connect(cfg);
  try {
    await body(node, client);
  } finally {
    await client.close();
    await node.stop();
  }
}

describe('matcher node on a real JetStream', () => {
  it('answers each command message with the events an in-process book gives, per symbol, in stream order', async () => {
    await withMatcher(config(services.nats.servers), 'a', async (node, client) => {
      await until('leadership', () => node.isLeader);
      const local = { BTC: createBook(BOOK), ETH: createBook(BOOK) };
      const commands = orders(300, 1);
      for (let i = 0; i < commands.length; i += 30) {
        for (const symbol of ['BTC', 'ETH'] as const) {
          const batch = commands.slice(i, i + 30);
          const answer = await client.submit(symbol, batch);
          expect(answer.results.map((r) => r.events)).toEqual(
            batch.map((c) => published(local[symbol].submit(c))),
          );
        }
      }
      expect(node.status().symbols.BTC.stateHash).toBe(local.BTC.stateHash());
      expect(node.status().symbols.ETH.stateHash).toBe(local.ETH.stateHash());
    });
  });

  it('applies a retried publish once (same dedupe id)', async () => {
    const cfg = config(services.nats.servers, { books: { DUP: BOOK }, shards: { d: ['DUP'] } });
    await withMatcher(cfg, 'd', async (node, client) => {
      const order: Command = { kind: 'limit', id: 7, side: 'buy', price: 10, qty: 3, owner: 1 };
      const first = await client.submit('DUP', [order], { dedupeId: 'acct1:order7' });
      expect(first.duplicate).toBe(false);
      expect(first.results[0].events[0]).toMatchObject({ type: 'accepted', id: 7 });
      const again = await client.publish('DUP', [order], 'acct1:order7');
      expect(again).toEqual({ seq: first.seq, duplicate: true });
      const next = await client.submit('DUP', [{ kind: 'cancel', id: 7 }]);
      expect(next.results[0].events[0]).toMatchObject({ type: 'cancelled', id: 7, qty: 3 });
      expect(node.replica('DUP')?.book.size).toBe(0);
    });
  });

  it('refuses a placement whose id it placed recently, in any message, also after a restart from a snapshot', async () => {
    const cfg = config(services.nats.servers, { books: { RPT: BOOK }, shards: { r: ['RPT'] } });
    const node = await MatcherNode.start({ config: cfg, shard: 'r', nodeId: 'm1' });
    const client = await ClusterClient.connect(cfg);
    let restarted: MatcherNode | undefined;
    try {
      const buy: Command = { kind: 'limit', id: 1, side: 'buy', price: 10, qty: 2, owner: 1 };
      const sell: Command = { kind: 'market', id: 2, side: 'sell', qty: 2, owner: 2 };
      const first = await client.submit('RPT', [buy, sell]);
      expect(first.results[1].events.map((e) => e.type)).toEqual(['accepted', 'trade']);
      // Order 1 traded away: the book alone would take id 1 again.
      const again = await client.submit('RPT', [
        { kind: 'limit', id: 3, side: 'buy', price: 9, qty: 1, owner: 1 },
        buy,
        sell,
      ]);
      expect(again.results.map((r) => r.events[0])).toEqual([
        expect.objectContaining({ type: 'accepted', id: 3 }),
        { type: 'rejected', id: 1, code: 'DUPLICATE_ID' },
        { type: 'rejected', id: 2, code: 'DUPLICATE_ID' },
      ]);
      // A refused placement may come again (fixed): only accepted ids count.
      const bad = await client.submit('RPT', [
        { kind: 'limit', id: 4, side: 'buy', price: 0, qty: 1, owner: 1 },
      ]);
      expect(bad.results[0].events[0]).toMatchObject({ type: 'rejected', id: 4 });
      const fixed = await client.submit('RPT', [
        { kind: 'limit', id: 4, side: 'buy', price: 8, qty: 1, owner: 1 },
      ]);
      expect(fixed.results[0].events[0]).toMatchObject({ type: 'accepted', id: 4 });
      // The remembered ids travel with the snapshot.
      await node.snapshotAll();
      await node.stop();
      restarted = await MatcherNode.start({ config: cfg, shard: 'r', nodeId: 'm2' });
      await until('the restarted node to lead', () => restarted?.isLeader === true);
      expect(restarted.replica('RPT')?.restoredFrom).toBe(fixed.seq);
      const third = await client.submit('RPT', [buy]);
      expect(third.results[0].events[0]).toEqual({ type: 'rejected', id: 1, code: 'DUPLICATE_ID' });
    } finally {
      await client.close();
      await (restarted ?? node).stop().catch(() => undefined);
    }
  });

  it('a leader taking over a backlog larger than one message allows publishes it in pieces', async () => {
    // Someone else holds the lease, so the node applies everything as a standby first.
    const { cfg, client } = await leaseHeldElsewhere('big', 'BIG', BOOK);
    let published = 0;
    for (let m = 0; m < 40; m++)
      published = (await client.publish('BIG', orders(1500, 1 + m * 1500))).seq;
    const node = await MatcherNode.start({ config: cfg, shard: 'big', nodeId: 'b1' });
    try {
      await until(
        'the backlog to be applied',
        () => node.replica('BIG')?.lastApplied === published,
      );
      expect(node.isLeader).toBe(false);
      // Far more than MAX_EVENT_MESSAGE_BYTES of results wait to be published.
      expect(node.replica('BIG')?.backlog).toBe(40);
      await until(
        'the takeover and every result published',
        () => node.replica('BIG')?.lastPublished === published,
      );
      expect(node.replica('BIG')?.lastError).toBeUndefined();
    } finally {
      await client.close();
      await node.stop();
    }
  });

  it('answers a command message whose results exceed one NATS message: they go out in parts', async () => {
    const cfg = config(services.nats.servers, { books: { WIDE }, shards: { wide: ['WIDE'] } });
    await withMatcher(cfg, 'wide', async (node, client) => {
      await until('leadership', () => node.isLeader);
      const local = createBook(WIDE);
      const { makers, market } = sweep(12_000);
      for (const batch of makers) {
        await client.submit('WIDE', batch);
        for (const c of batch) local.submit(c);
      }
      const answer = await client.submit('WIDE', [market]);
      const expected = published(local.submit(market));
      expect(expected.filter((e) => e.type === 'trade')).toHaveLength(12_000);
      expect(answer.results).toEqual([{ events: expected }]);
      const stored = await storedEvents(client.nc, 'WIDE');
      expect(stored.parts.filter((p) => p !== '')).toEqual([
        `${answer.seq}:1/2`,
        `${answer.seq}:2/2`,
      ]);
      expect(stored.messages.at(-1)?.results).toEqual([
        { seq: answer.seq, commands: answer.results },
      ]);
      expect(node.replica('WIDE')?.lastError).toBeUndefined();
    });
  });

  it('a new leader finishes an event message its predecessor stored only the first part of', async () => {
    const { cfg, client } = await leaseHeldElsewhere('half', 'HALF', WIDE);
    const local = createBook(WIDE);
    const { makers, market } = sweep(12_000);
    const before: MessageResults[] = [];
    for (const batch of makers) {
      const { seq } = await client.publish('HALF', batch);
      const commands = batch.map((c) => ({
        owner: (c as { owner: number }).owner,
        events: published(local.submit(c)),
      }));
      before.push({ seq, commands });
    }
    const { seq } = await client.publish('HALF', [market]);
    const big: MessageResults = { seq, commands: [{ events: published(local.submit(market)) }] };

    // What a leader that died inside the big message left in the event
    // stream: every result before it, then the big message's first part.
    const js = jetstream(client.nc);
    let fence = 0;
    const store = async (payload: Uint8Array, last: number, part: number, parts: number) => {
      const ack = await js.publish(eventSubject('HALF'), payload, {
        msgID: `gone:${last}:${part}`,
        expect: { lastSubjectSequence: fence },
        headers: eventHeaders(last, part, parts),
      });
      fence = ack.seq;
    };
    for (let pending = before; pending.length > 0; ) {
      const { last, parts } = nextEventMessage('HALF', pending);
      expect(parts).toHaveLength(1);
      await store(parts[0], last, 1, 1);
      pending = pending.filter((r) => r.seq > last);
    }
    const split = nextEventMessage('HALF', [big]);
    expect(split.parts).toHaveLength(2);
    await store(split.parts[0], seq, 1, 2);

    const node = await MatcherNode.start({ config: cfg, shard: 'half', nodeId: 'h1' });
    try {
      await until(
        'the takeover and the big message finished',
        () => node.replica('HALF')?.lastPublished === seq,
      );
      expect(node.isLeader).toBe(true);
      const stored = await storedEvents(client.nc, 'HALF');
      // part 1 once (the predecessor's), part 2 once (the new leader's)
      expect(stored.parts.filter((p) => p !== '')).toEqual([`${seq}:1/2`, `${seq}:2/2`]);
      expect(stored.messages.flatMap((m) => m.results)).toEqual([...before, big]);
      expect(node.replica('HALF')?.lastError).toBeUndefined();
    } finally {
      await client.close();
      await node.stop();
    }
  });
});
