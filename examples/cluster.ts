// The cluster README's example, with a single-node NATS server and one
// matcher started here so it runs on its own (needs nats-server installed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterConfig, MatcherNode, startNatsCluster } from '@tickbook/cluster';

const dir = mkdtempSync(join(tmpdir(), 'tickbook-example-'));
const nats = await startNatsCluster({ dir, size: 1 });
const config: ClusterConfig = {
  servers: nats.servers,
  books: { 'BTC-USD': { minPrice: 1, maxPrice: 1_000, capacity: 1_000 } },
  shards: { a: ['BTC-USD'] },
};
const matcher = await MatcherNode.start({ config, shard: 'a', nodeId: 'a1' });

import { ClusterClient } from '@tickbook/cluster';

const client = await ClusterClient.connect(config); // the cluster.json contents
const answer = await client.submit(
  'BTC-USD',
  [{ kind: 'limit', id: 1, side: 'buy', price: 100, qty: 5, owner: 42 }],
  { dedupeId: 'account42:order1' },
);
console.log(answer.seq, answer.results[0].events);
await client.close();

await matcher.stop();
await nats.stop();
rmSync(dir, { recursive: true, force: true });
