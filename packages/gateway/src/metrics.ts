/**
 * The gateway's metrics on prom-client, in a registry of its own (not
 * prom-client's global one: a process may run several gateways, tests do),
 * with prom-client's default process metrics (RSS, CPU, open file
 * descriptors, event-loop lag, GC, heap) beside the gateway's own.
 *
 * Hot paths hold a labelled child (`counter.labels(...)`, made once) and
 * count per engine call rather than per order; values that already live
 * elsewhere (resting orders, journal size, failure state) are gauges read
 * when scraped.
 */
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type LabelValues,
  Registry,
} from 'prom-client';

type Labels = Record<string, string>;

/** A labelled counter child. */
export interface CounterChild {
  inc(by?: number): void;
}

/** A labelled histogram child. */
export interface HistogramChild {
  observe(value: number): void;
}

/** A gauge child read when scraped: `gauge.labels(l).read = () => value`. */
export interface GaugeChild {
  read: () => number;
}

/** A metric family: `labels(l)` gives the child for those labels (keep it on hot paths). */
export interface Family<C> {
  labels(labels?: Labels): C;
}

function counter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[] = [],
): Family<CounterChild> {
  const c = new Counter({ name, help, labelNames, registers: [registry] });
  return {
    labels(labels: Labels = {}) {
      // shown at 0 from the start, like every child the gateway makes
      c.inc(labels as LabelValues<string>, 0);
      return labelNames.length > 0 ? c.labels(labels) : { inc: (by?: number) => c.inc(by) };
    },
  };
}

function histogram(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  buckets: number[],
): Family<HistogramChild> {
  const h = new Histogram({ name, help, labelNames, buckets, registers: [registry] });
  return {
    labels(labels: Labels = {}) {
      h.zero(labels as LabelValues<string>);
      return h.labels(labels);
    },
  };
}

/** A gauge whose children are read when scraped. */
function readGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[] = [],
): Family<GaugeChild> {
  const children = new Map<string, { labels: Labels; child: GaugeChild }>();
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const { labels, child } of children.values()) {
        if (labelNames.length > 0) this.set(labels as LabelValues<string>, child.read());
        else this.set(child.read());
      }
    },
  });
  return {
    labels(labels: Labels = {}) {
      const key = JSON.stringify(labels);
      let entry = children.get(key);
      if (!entry) {
        entry = { labels, child: { read: () => 0 } };
        children.set(key, entry);
      }
      return entry.child;
    },
  };
}

/** Latency buckets in seconds: 50 µs … 2.5 s. */
export const LATENCY_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];
/** Commands per engine call. */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** The gateway's metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const symbol = ['symbol'];
  return {
    registry,
    commands: counter(
      registry,
      'tickbook_gateway_commands_total',
      'Commands applied to a book (limit, market, stop, cancel, modify, reduce, advance-time), refused ones included',
      ['symbol', 'kind'],
    ),
    orders: counter(
      registry,
      'tickbook_gateway_orders_total',
      'New orders (limit, market and stop) accepted by the engine',
      symbol,
    ),
    trades: counter(registry, 'tickbook_gateway_trades_total', 'Trades', symbol),
    tradedQty: counter(registry, 'tickbook_gateway_traded_qty_total', 'Lots traded', symbol),
    rejects: counter(
      registry,
      'tickbook_gateway_rejects_total',
      'Commands refused by the engine, by TickbookError code',
      ['symbol', 'code'],
    ),
    httpErrors: counter(
      registry,
      'tickbook_gateway_http_errors_total',
      'Requests (or batch orders) refused before reaching a book (validation, auth, limits, ...), by code',
      ['code'],
    ),
    requestDuration: histogram(
      registry,
      'tickbook_gateway_request_duration_seconds',
      'HTTP request latency, from the request arriving to the response being sent',
      ['route'],
      LATENCY_BUCKETS,
    ),
    applyDuration: histogram(
      registry,
      'tickbook_gateway_apply_duration_seconds',
      'Time of one engine batch call (matching + journal write)',
      symbol,
      LATENCY_BUCKETS,
    ),
    syncDuration: histogram(
      registry,
      'tickbook_gateway_journal_sync_duration_seconds',
      'Time of one journal fdatasync (group commit, off the event loop)',
      symbol,
      LATENCY_BUCKETS,
    ),
    checkpointDuration: histogram(
      registry,
      'tickbook_gateway_checkpoint_duration_seconds',
      'Time of one journal checkpoint (snapshot written, journal replaced; blocks the event loop)',
      symbol,
      LATENCY_BUCKETS,
    ),
    batchSize: histogram(
      registry,
      'tickbook_gateway_batch_commands',
      'Commands per engine batch call (adaptive batching)',
      symbol,
      BATCH_SIZE_BUCKETS,
    ),
    resting: readGauge(
      registry,
      'tickbook_gateway_resting_orders',
      'Resting orders per book',
      symbol,
    ),
    journalBytes: readGauge(
      registry,
      'tickbook_gateway_journal_bytes',
      'Size of the journal after the last checkpoint, in bytes (what a restart replays)',
      symbol,
    ),
    recoveryDuration: readGauge(
      registry,
      'tickbook_gateway_recovery_duration_seconds',
      'Time the start-up recovery of the book took (snapshot read, journal replayed)',
      symbol,
    ),
    recoveredRecords: readGauge(
      registry,
      'tickbook_gateway_recovered_records',
      'Journal records replayed at start-up',
      symbol,
    ),
    failed: readGauge(
      registry,
      'tickbook_gateway_symbol_failed',
      '1 once the symbol stopped taking writes (failed journal write, sync, checkpoint or engine), else 0',
      symbol,
    ),
    wsClients: readGauge(registry, 'tickbook_gateway_ws_clients', 'Open WebSocket connections'),
    slowClients: counter(
      registry,
      'tickbook_gateway_ws_slow_disconnects_total',
      'WebSocket clients terminated because their unsent data passed wsMaxBufferedBytes',
    ),
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;
