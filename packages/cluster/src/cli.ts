#!/usr/bin/env node
/**
 * tickbook-cluster: run a matcher node, the PostgreSQL sink, or a whole local
 * cluster for trying it.
 *
 *   tickbook-cluster matcher --config cluster.json --shard a --node a1
 *   tickbook-cluster sink --config cluster.json --database postgres://...
 *   tickbook-cluster dev [--dir DIR] [--nats-nodes 3]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClusterConfig } from './config';
import { MatcherNode } from './matcher';
import { setRetryListener } from './retry';
import { startNatsCluster } from './services/nats-server';
import { startPostgres } from './services/postgres-server';
import { PgSink } from './sink/pg-sink';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    shard: { type: 'string' },
    node: { type: 'string' },
    database: { type: 'string' },
    dir: { type: 'string' },
    'nats-nodes': { type: 'string' },
  },
});

const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const readConfig = (): ClusterConfig => {
  if (!values.config) throw new Error('--config <file> is required');
  return JSON.parse(readFileSync(values.config, 'utf8')) as ClusterConfig;
};

function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop().then(
        () => process.exit(0),
        (e) => {
          process.stderr.write(`${String(e)}\n`);
          process.exit(1);
        },
      );
    });
  }
}

async function main(): Promise<void> {
  setRetryListener((what, e) => process.stderr.write(`retrying ${what}: ${String(e)}\n`));
  const command = positionals[0];
  if (command === 'matcher') {
    if (!values.shard || !values.node) throw new Error('--shard and --node are required');
    const node = await MatcherNode.start({
      config: readConfig(),
      shard: values.shard,
      nodeId: values.node,
      onLeadership: (leading) => say({ event: 'leadership', leading, at: Date.now() }),
    });
    say({ event: 'ready', role: 'matcher', shard: values.shard, node: values.node });
    onStop(() => node.stop());
  } else if (command === 'sink') {
    if (!values.database) throw new Error('--database <connection string> is required');
    const sink = await PgSink.start({ config: readConfig(), database: values.database });
    say({ event: 'ready', role: 'sink' });
    onStop(() => sink.stop());
  } else if (command === 'dev') {
    const dir = values.dir ?? join(tmpdir(), `tickbook-cluster-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const size = Number(values['nats-nodes'] ?? 3);
    const nats = await startNatsCluster({ dir: join(dir, 'nats'), size });
    const db = await startPostgres({ dir: join(dir, 'pg') });
    const config: ClusterConfig = {
      servers: nats.servers,
      replicas: size >= 3 ? 3 : 1,
      books: {
        'BTC-USD': { minPrice: 1, maxPrice: 1_000_000, capacity: 1_000_000 },
        'ETH-USD': { minPrice: 1, maxPrice: 1_000_000, capacity: 1_000_000 },
      },
      shards: { a: ['BTC-USD'], b: ['ETH-USD'] },
    };
    const configFile = join(dir, 'cluster.json');
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    // A gateway config for this cluster, to serve it over HTTP (dev keys only).
    const gatewayFile = join(dir, 'gateway.json');
    writeFileSync(
      gatewayFile,
      `${JSON.stringify(
        {
          port: 8080,
          cluster: 'cluster.json',
          accounts: [
            { name: 'alice', key: 'dev-key-alice', owner: 1 },
            { name: 'bob', key: 'dev-key-bob', owner: 2 },
          ],
        },
        null,
        2,
      )}\n`,
    );
    const matchers: MatcherNode[] = [];
    for (const shard of Object.keys(config.shards)) {
      for (const n of [1, 2])
        matchers.push(await MatcherNode.start({ config, shard, nodeId: `${shard}${n}` }));
    }
    const sink = await PgSink.start({ config, database: db.connectionString });
    say({
      event: 'ready',
      role: 'dev',
      config: configFile,
      nats: nats.servers,
      database: db.connectionString,
      gateway: `npm run gateway -- --config ${gatewayFile}`,
    });
    onStop(async () => {
      await sink.stop();
      for (const m of matchers) await m.stop();
      await db.stop();
      await nats.stop();
    });
  } else {
    throw new Error('usage: tickbook-cluster matcher|sink|dev [options] (see the package README)');
  }
}

main().catch((e) => {
  process.stderr.write(`tickbook-cluster: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
