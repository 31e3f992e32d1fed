import type { BookConfig } from 'tickbook';
import { checkSymbol } from './names';

/** How a cluster is laid out: its NATS servers, its books and which shard owns each. */
export interface ClusterConfig {
  /** NATS server URLs (any subset of the cluster; the client finds the rest). */
  servers: string[];
  /** JetStream replicas of every stream and bucket: 3 in a cluster, 1 for a single dev server. */
  replicas?: 1 | 3 | 5;
  /** Each symbol's book. */
  books: Record<string, BookConfig>;
  /** Shard name → the symbols it owns. Every symbol of `books` belongs to exactly one shard. */
  shards: Record<string, string[]>;
  /** How long a shard leader's lease lasts without renewal (ms). Default 1,000. */
  leaseMs?: number;
  /** A leader snapshots a book after this many commands since the last snapshot. Default 200,000. */
  snapshotEveryCommands?: number;
  /** ... or after this long with at least one new command (ms). Default 60,000. */
  snapshotEveryMs?: number;
  /** How long the streams' dedupe window keeps publish ids (ms). Default 120,000. */
  duplicateWindowMs?: number;
}

export type ResolvedClusterConfig = Required<ClusterConfig>;

/** Fill defaults and check the shard map covers every book once. */
export function resolveClusterConfig(config: ClusterConfig): ResolvedClusterConfig {
  const owner = new Map<string, string>();
  for (const [shard, symbols] of Object.entries(config.shards)) {
    for (const symbol of symbols) {
      checkSymbol(symbol);
      if (owner.has(symbol)) {
        throw new Error(`symbol ${symbol} is in shards ${owner.get(symbol)} and ${shard}`);
      }
      if (!config.books[symbol])
        throw new Error(`shard ${shard} names ${symbol}, which has no book`);
      owner.set(symbol, shard);
    }
  }
  for (const symbol of Object.keys(config.books)) {
    if (!owner.has(symbol)) throw new Error(`book ${symbol} is in no shard`);
  }
  return {
    replicas: 1,
    leaseMs: 1000,
    snapshotEveryCommands: 200_000,
    snapshotEveryMs: 60_000,
    duplicateWindowMs: 120_000,
    ...config,
  };
}
