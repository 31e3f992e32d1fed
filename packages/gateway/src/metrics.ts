/**
 * A small Prometheus text-format registry (counters, gauges, histograms). Hot
 * paths hold a reference to a labelled child and bump plain numbers, so
 * counting costs an addition.
 */

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class CounterChild {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class HistogramChild {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: readonly number[]) {
    this.counts = new Array(buckets.length).fill(0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    const b = this.buckets;
    for (let i = 0; i < b.length; i++) {
      if (v <= b[i]) {
        this.counts[i]++;
        return;
      }
    }
  }
}

interface Family<C> {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  children: Map<string, { labels: Labels; child: C }>;
  make: () => C;
}

export class Metric<C> {
  constructor(private readonly family: Family<C>) {}
  /** The child for these labels (create once, keep the reference on hot paths). */
  labels(labels: Labels = {}): C {
    const key = labelText(labels);
    let entry = this.family.children.get(key);
    if (!entry) {
      entry = { labels, child: this.family.make() };
      this.family.children.set(key, entry);
    }
    return entry.child;
  }
}

/** A gauge read when scraped. */
export interface GaugeChild {
  read: () => number;
}

export class Registry {
  private readonly families: Family<unknown>[] = [];

  counter(name: string, help: string): Metric<CounterChild> {
    return this.add({
      name,
      help,
      type: 'counter',
      children: new Map(),
      make: () => new CounterChild(),
    });
  }

  histogram(name: string, help: string, buckets: readonly number[]): Metric<HistogramChild> {
    return this.add({
      name,
      help,
      type: 'histogram',
      children: new Map(),
      make: () => new HistogramChild(buckets),
    });
  }

  /** A gauge whose children are read when scraped: `gauge.labels(l).read = () => value`. */
  gauge(name: string, help: string): Metric<GaugeChild> {
    return this.add({
      name,
      help,
      type: 'gauge',
      children: new Map(),
      make: () => ({ read: () => 0 }),
    });
  }

  private add<C>(family: Family<C>): Metric<C> {
    this.families.push(family as Family<unknown>);
    return new Metric(family);
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const out: string[] = [];
    for (const f of this.families) {
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      for (const { labels, child } of f.children.values()) {
        if (f.type === 'counter') {
          out.push(`${f.name}${labelText(labels)} ${(child as CounterChild).value}`);
        } else if (f.type === 'gauge') {
          out.push(`${f.name}${labelText(labels)} ${(child as GaugeChild).read()}`);
        } else {
          const h = child as HistogramChild;
          let cumulative = 0;
          h.buckets.forEach((le, i) => {
            cumulative += h.counts[i];
            out.push(`${f.name}_bucket${labelText({ ...labels, le: String(le) })} ${cumulative}`);
          });
          out.push(`${f.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${h.count}`);
          out.push(`${f.name}_sum${labelText(labels)} ${h.sum}`);
          out.push(`${f.name}_count${labelText(labels)} ${h.count}`);
        }
      }
    }
    return `${out.join('\n')}\n`;
  }
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
  return {
    registry,
    commands: registry.counter(
      'tickbook_gateway_commands_total',
      'Commands applied to a book (limit, market, stop, cancel, modify, reduce, advance-time), refused ones included',
    ),
    orders: registry.counter(
      'tickbook_gateway_orders_total',
      'New orders (limit, market and stop) accepted by the engine',
    ),
    trades: registry.counter('tickbook_gateway_trades_total', 'Trades'),
    tradedQty: registry.counter('tickbook_gateway_traded_qty_total', 'Lots traded'),
    rejects: registry.counter(
      'tickbook_gateway_rejects_total',
      'Commands refused by the engine, by TickbookError code',
    ),
    httpErrors: registry.counter(
      'tickbook_gateway_http_errors_total',
      'Requests refused before reaching a book (validation, auth, body size, ...), by code',
    ),
    requestDuration: registry.histogram(
      'tickbook_gateway_request_duration_seconds',
      'HTTP request latency, from the request arriving to the response being sent',
      LATENCY_BUCKETS,
    ),
    applyDuration: registry.histogram(
      'tickbook_gateway_apply_duration_seconds',
      'Time of one engine batch call (matching + journal write)',
      LATENCY_BUCKETS,
    ),
    syncDuration: registry.histogram(
      'tickbook_gateway_journal_sync_duration_seconds',
      'Time of one journal fdatasync (group commit, off the event loop)',
      LATENCY_BUCKETS,
    ),
    checkpointDuration: registry.histogram(
      'tickbook_gateway_checkpoint_duration_seconds',
      'Time of one journal checkpoint (snapshot written, journal replaced; blocks the event loop)',
      LATENCY_BUCKETS,
    ),
    batchSize: registry.histogram(
      'tickbook_gateway_batch_commands',
      'Commands per engine batch call (adaptive batching)',
      BATCH_SIZE_BUCKETS,
    ),
    resting: registry.gauge('tickbook_gateway_resting_orders', 'Resting orders per book'),
    wsClients: registry.gauge('tickbook_gateway_ws_clients', 'Open WebSocket connections'),
    slowClients: registry.counter(
      'tickbook_gateway_ws_slow_disconnects_total',
      'WebSocket clients terminated because their unsent data passed wsMaxBufferedBytes',
    ),
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;
