import { type BookConfig, type Command, createBook } from 'tickbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../src/client';
import type { ClusterConfig } from '../src/config';
import { published } from '../src/replica';
import { matcherStatus, startMatcherProcess, writeConfig } from './support/processes';
import { scratch, startServices, until } from './support/services';

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

describe('hot standby on a 3-node JetStream cluster (replicas 3)', () => {
  it('takes over when the leader is SIGKILLed, loses no acknowledged command, and a restarted node rejoins with the same state', async () => {
    const config: ClusterConfig = {
      servers: services.nats.servers,
      replicas: 3,
      books: { X: BOOK },
      shards: { a: ['X'] },
      leaseMs: 1000,
      snapshotEveryCommands: 300,
    };
    const file = writeConfig(dir.dir, config);
    const m1 = startMatcherProcess(file, 'a', 'm1');
    await m1.waitFor((l) => l.event === 'leadership' && l.leading === true);
    const m2 = startMatcherProcess(file, 'a', 'm2');
    await m2.waitFor((l) => l.event === 'ready');
    const client = await ClusterClient.connect(config);
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
});
