/**
 * Opening a gateway's markets: local books (each recovered from its journal
 * when the journal is on) or, in cluster mode, read replicas of a cluster's
 * books.
 */
import { mkdirSync } from 'node:fs';
import { ClusterClient } from '@tickbook/cluster';
import { type Book, type BookConfig, createBook } from 'tickbook';
import { ClusterMarket } from './cluster-market';
import type { GatewayConfig, InstrumentConfig } from './config';
import { journalFiles, openJournal } from './journal';
import { Market, type OrderMarket } from './market';
import type { GatewayMetrics } from './metrics';

/** Where journal problems are logged; the app's logger once it exists. */
export interface JournalLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

function openMarket(
  inst: InstrumentConfig,
  config: GatewayConfig,
  metrics: GatewayMetrics,
  recovered: Map<string, number>,
  clock: () => number,
  log: () => JournalLog,
): Market {
  const bookConfig: BookConfig = {
    minPrice: inst.minPrice,
    maxPrice: inst.maxPrice,
    capacity: inst.capacity,
    engine: config.engine,
  };
  if (inst.stpMode) bookConfig.stpMode = inst.stpMode;
  const options = { batchWindowMs: config.batchWindowMs, batching: config.batching, clock };
  if (!config.journal) return new Market(inst.symbol, createBook(bookConfig), metrics, options);

  mkdirSync(config.dataDir, { recursive: true });
  const files = journalFiles(config.dataDir, inst.symbol);
  const recoveryStart = performance.now();
  const { book, sink, replayed, tornAt } = openJournal(
    files,
    bookConfig,
    config.engine,
    config.fsync,
  );
  if (tornAt !== undefined) {
    // a crash mid-write: the last record was never acknowledged, so nothing is lost
    log().warn(
      { symbol: inst.symbol, file: files.journalPath, offset: tornAt },
      'dropped a torn last journal record (a crash mid-write); the journal is cut there',
    );
  }
  const c = book.config;
  if (
    c.minPrice !== inst.minPrice ||
    c.maxPrice !== inst.maxPrice ||
    c.capacity !== inst.capacity ||
    c.stpMode !== (inst.stpMode ?? 'cancel-newest')
  ) {
    sink.close();
    throw new Error(
      `${files.journalPath} was written for a different ${inst.symbol} book ` +
        `(band ${c.minPrice}..${c.maxPrice}, capacity ${c.capacity}, stp ${c.stpMode}); ` +
        'move it (and its .snapshot) away or restore the old instrument config',
    );
  }
  recovered.set(inst.symbol, replayed);
  const recoverySeconds = (performance.now() - recoveryStart) / 1000;
  const labels = { symbol: inst.symbol };
  metrics.recoveryDuration.labels(labels).read = () => recoverySeconds;
  metrics.recoveredRecords.labels(labels).read = () => replayed;
  return new Market(inst.symbol, book as Book, metrics, {
    ...options,
    close: () => sink.close(),
    onFailure: (error) =>
      log().error(
        { symbol: inst.symbol, file: files.journalPath, offset: sink.size, err: error.message },
        'journal write or checkpoint failed: the symbol takes no more writes',
      ),
    durable: config.fsync === 'batch' ? sink : undefined,
    checkpoint: () => book.checkpoint(),
    checkpointEveryCommands: config.checkpointEveryCommands,
    checkpointEveryBytes: config.checkpointEveryBytes,
    checkpointEveryMs: config.checkpointEveryMs,
    journalBytes: () => sink.size,
    journaledSinceCheckpoint: replayed,
  });
}

/** The markets of a gateway, and what to close with them. */
export interface OpenedMarkets {
  markets: Map<string, OrderMarket>;
  /** Per symbol: journal records replayed at start-up (journal on). */
  recovered: Map<string, number>;
  /** The cluster connection in cluster mode. */
  cluster: ClusterClient | undefined;
}

/** Open every market of `config` (all or none: a failure closes those opened). */
export async function openMarkets(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  clock: () => number,
  log: () => JournalLog,
): Promise<OpenedMarkets> {
  const markets = new Map<string, OrderMarket>();
  const recovered = new Map<string, number>();
  let cluster: ClusterClient | undefined;
  try {
    if (config.cluster) {
      // Cluster mode: the cluster's books are the instruments; no local journal.
      cluster = await ClusterClient.connect(config.cluster, 'tickbook-gateway');
      for (const [symbol, book] of Object.entries(config.cluster.books)) {
        markets.set(symbol, await ClusterMarket.open(symbol, book, cluster, metrics, clock));
      }
    } else {
      for (const inst of config.instruments) {
        markets.set(inst.symbol, openMarket(inst, config, metrics, recovered, clock, log));
      }
    }
  } catch (e) {
    for (const m of markets.values()) m.close();
    await cluster?.close();
    throw e;
  }
  return { markets, recovered, cluster };
}
