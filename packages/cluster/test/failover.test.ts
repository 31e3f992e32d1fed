import { jetstreamManager } from '@nats-io/jetstream';
import { type BookConfig, type Command, createBook } from 'tickbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../src/client';
import type { ClusterConfig } from '../src/config';
import { EVENT_STREAM, eventSubject, PART_HEADER } from '../src/names';
import { published } from '../src/replica';
import { parsePart } from '../src/results';
import { storedEvents } from './support/event-stream';
import { matcherStatus, startMatcherProcess, writeConfig } from './support/processes';
import { scratch, startServices, until } from './support/services';
import { sweep } from './support/sweep';

const BOOK: BookConfig = { minPrice: 1, maxPrice: 100, capacity: 5_000 };

let services: Awaited<ReturnType<typeof startServices>>;
const dir = scratch('failover');
beforeAll(async () => {
  services = await startServices({ natsNodes: 3 });
});
afterAll(async () => {
  await services?.stop();
  dir.remove();
});

function batch(i: number): Command[] {
  const out: Command[] = [];
  for (let k = 0; k < 20; k++) {
    const id = i * 20 + k + 1;
    out.push({
      kind: 'limit',
      id,
      side: (id * 7) % 3 ? 'buy' : 'sell',
      price: 45 + ((id * 13) % 11),
      qty: 1 + (id % 4),
      owner: 1 + (id % 2),
    });
  }
  out.push({ kind: 'cancel', id: i * 20 + 3 });
  return out;
}

/**
 * A shard of `books` on the 3-node cluster: matcher process m1 leading, m2
 * its hot standby, and a client.
 */
async function leaderAndStandby(
  shard: string,
  books: Record<string, BookConfig>,
  extra: Partial<ClusterConfig> = {},
) {
  const config: ClusterConfig = {
    servers: services.nats.servers,
    replicas: 3,
    books,
    shards: { [shard]: Object.keys(books) },
    leaseMs: 1000,
    ...extra,
  };
  const file = writeConfig(dir.dir, config);
  const m1 = startMatcherProcess(file, shard, 'm1');
  await m1.waitFor((l) => l.event === 'leadership' && l.leading === true);
  const m2 = startMatcherProcess(file, shard, 'm2');
  await m2.waitFor((l) => l.event === 'ready');
  const client = await ClusterClient.connect(config);
  return { file, m1, m2, client };
}

describe('hot standby on a 3-node JetStream cluster (replicas 3)', () => {
  it('takes over when the leader is SIGKILLed, loses no acknowledged command, and a restarted node rejoins with the same state', async () => {
    const { file, m1, m2, client } = await leaderAndStandby(
      'a',
      { X: BOOK },
      { snapshotEveryCommands: 300 },
    );
    const local = createBook(BOOK);
    let m3: ReturnType<typeof startMatcherProcess> | undefined;
    try {
      let i = 0;
      const submitChecked = async () => {
        const commands = batch(i++);
        const answer = await client.submit('X', commands, {
          dedupeId: `batch-${i}`,
          resultTimeoutMs: 30_000,
        });
        expect(answer.results.map((r) => r.events)).toEqual(
          commands.map((c) => published(local.submit(c))),
        );
      };
      for (let k = 0; k < 30; k++) await submitChecked();
      // Kill the leader while a submit is in flight.
      const inFlight = submitChecked();
      const killedAt = Date.now();
      await m1.kill('SIGKILL');
      await inFlight;
      const takeover = await m2.waitFor((l) => l.event === 'leadership' && l.leading === true);
      const failoverMs = (takeover.at as number) - killedAt;
      expect(failoverMs).toBeGreaterThanOrEqual(0);
      console.log(`failover: leader SIGKILLed, standby leading after ${failoverMs} ms`);
      for (let k = 0; k < 30; k++) await submitChecked();

      // A replacement node restores the leader's last snapshot and replays the rest.
      m3 = startMatcherProcess(file, 'a', 'm3');
      await m3.waitFor((l) => l.event === 'ready');
      const want = local.stateHash();
      await until('the new standby to catch up', async () => {
        const s = await matcherStatus(client.nc, 'a', 'm3');
        return s.symbols.X.stateHash === want;
      });
      const s2 = await matcherStatus(client.nc, 'a', 'm2');
      expect(s2.leading).toBe(true);
      expect(s2.symbols.X.stateHash).toBe(want);
      const s3 = await matcherStatus(client.nc, 'a', 'm3');
      expect(s3.leading).toBe(false);
      expect(s3.symbols.X.restoredFrom).toBeGreaterThan(0);
      expect(s3.symbols.X.lastApplied).toBe(s2.symbols.X.lastApplied);
    } finally {
      await client.close();
      await m1.kill();
      await m2.kill();
      await m3?.kill();
    }
  });

  it('a leader SIGKILLed in the middle of a result published in parts: the standby publishes the rest, each part once', async () => {
    const book: BookConfig = { minPrice: 1, maxPrice: 1000, capacity: 40_000 };
    const { m1, m2, client } = await leaderAndStandby('b', { Y: book });
    const local = createBook(book);
    try {
      // 30,000 makers: the sweep's result is about 3.7 MB, five parts
      const { makers, market } = sweep(30_000);
      for (const commands of makers) {
        await client.submit('Y', commands, { resultTimeoutMs: 30_000 });
        for (const c of commands) local.submit(c);
      }
      // Kill the leader as soon as the first part of the sweep's result is out.
      let killed: Promise<void> | undefined;
      const watch = client.nc.subscribe(eventSubject('Y'), {
        callback: (_err, msg) => {
          if (parsePart(msg.headers?.get(PART_HEADER))?.part === 1) killed ??= m1.kill('SIGKILL');
        },
      });
      const answer = client.submit('Y', [market], { dedupeId: 'sweep', resultTimeoutMs: 60_000 });
      await until('the first part', () => killed !== undefined);
      await killed;
      // where the stream stood once the leader was gone
      const jsm = await jetstreamManager(client.nc);
      const atKill = await jsm.streams.getMessage(EVENT_STREAM, {
        last_by_subj: eventSubject('Y'),
      });
      const stoppedAt = parsePart(atKill?.header.get(PART_HEADER));
      watch.unsubscribe();
      await m2.waitFor((l) => l.event === 'leadership' && l.leading === true);
      const result = await answer;
      expect(result.results).toEqual([{ events: published(local.submit(market)) }]);

      const stored = await storedEvents(client.nc, 'Y');
      const parts = stored.parts.filter((p) => p !== '');
      expect(parts.length).toBeGreaterThanOrEqual(4);
      const n = parts.length;
      expect(parts).toEqual(Array.from({ length: n }, (_, i) => `${result.seq}:${i + 1}/${n}`));
      expect(stored.messages.at(-1)?.results).toEqual([
        { seq: result.seq, commands: result.results },
      ]);
      // the kill landed inside the message: the standby published the rest
      console.log(
        `sweep result: ${n} parts; the leader died after part ${stoppedAt?.part} of them`,
      );
      expect(stoppedAt?.part).toBeLessThan(n);
      const s2 = await matcherStatus(client.nc, 'b', 'm2');
      expect(s2.symbols.Y.stateHash).toBe(local.stateHash());
      expect(s2.symbols.Y.lastPublished).toBe(result.seq);
    } finally {
      await client.close();
      await m1.kill();
      await m2.kill();
    }
  });
});
