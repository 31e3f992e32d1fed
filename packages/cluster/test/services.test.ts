import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { expect, it } from 'vitest';
import { startNatsCluster } from '../src/services/nats-server';
import { startPostgres } from '../src/services/postgres-server';

it('starts a real 3-node JetStream cluster and a real PostgreSQL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-services-'));
  const nats = await startNatsCluster({ dir: join(dir, 'nats'), size: 3 });
  const db = await startPostgres({ dir: join(dir, 'pg') }).catch(async (e) => {
    await nats.stop(); // no server left behind by a failed start
    throw e;
  });
  try {
    const nc = await connect({ servers: nats.servers });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.add({ name: 'PING', subjects: ['ping.>'], num_replicas: 3 });
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas?.length).toBe(2);
    await nc.close();
    const client = new pg.Client({ connectionString: db.connectionString });
    await client.connect();
    const { rows } = await client.query('select 1 + 1 as two');
    expect(rows[0].two).toBe(2);
    await client.end();
  } finally {
    await db.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
