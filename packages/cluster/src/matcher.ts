import {
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { type ClusterConfig, type ResolvedClusterConfig, resolveClusterConfig } from './config';
import { ConsumerSet, consumeForever, openCommandConsumer } from './consume';
import { Lease } from './lease';
import {
  COMMAND_STREAM,
  commandSubject,
  EVENT_STREAM,
  eventSubject,
  LAST_SEQUENCE_HEADER,
  statusSubject,
} from './names';
import { SymbolReplica } from './replica';
import { retrying } from './retry';
import { openStores } from './setup';

/** Options of one matcher process. */
export interface MatcherOptions {
  config: ClusterConfig;
  /** The shard this node serves (leader or hot standby). */
  shard: string;
  /** This node's name, unique in the shard (written into the lease). */
  nodeId: string;
  /** Called when this node becomes the shard's leader or stops being it. */
  onLeadership?: (leading: boolean) => void;
}

/** What a matcher node reports about itself. */
export interface MatcherStatus {
  nodeId: string;
  shard: string;
  leading: boolean;
  symbols: Record<
    string,
    {
      lastApplied: number;
      lastPublished: number;
      restoredFrom: number;
      backlog: number;
      stateHash: string;
      lastError?: string;
    }
  >;
}

/**
 * A matcher node: owns the books of one shard. Every node of the shard
 * consumes the shard's command subjects in order and applies them (so a hot
 * standby holds the same state); the node holding the shard's lease publishes
 * the results, and snapshots the books.
 */
export class MatcherNode {
  private readonly replicas = new Map<string, SymbolReplica>();
  private readonly subscriptions: Subscription[] = [];
  private readonly consumers = new ConsumerSet();
  private jsm: JetStreamManager | undefined;
  private lease: Lease | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private leading = false;

  private constructor(
    readonly nc: NatsConnection,
    readonly config: ResolvedClusterConfig,
    readonly options: MatcherOptions,
  ) {}

  /** Connect, load each book's snapshot, follow the command stream and compete for the lease. */
  static async start(options: MatcherOptions): Promise<MatcherNode> {
    const config = resolveClusterConfig(options.config);
    const symbols = config.shards[options.shard];
    if (!symbols) throw new Error(`no shard ${options.shard} in the shard map`);
    const nc = await connect({
      servers: config.servers,
      name: `matcher-${options.shard}-${options.nodeId}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    const node = new MatcherNode(nc, config, options);
    const stores = await retrying('open the streams', () => openStores(nc, config));
    const js = jetstream(nc);
    node.jsm = stores.jsm;
    for (const symbol of symbols) {
      const replica = await retrying(`load the ${symbol} snapshot`, () =>
        SymbolReplica.open({
          symbol,
          config: config.books[symbol],
          js,
          jsm: stores.jsm,
          snapshots: stores.snapshots,
          snapshotEveryCommands: config.snapshotEveryCommands,
          snapshotEveryMs: config.snapshotEveryMs,
        }),
      );
      node.replicas.set(symbol, replica);
      node.watchPublished(js, replica);
      node.follow(js, replica);
    }
    node.lease = new Lease(
      stores.leases,
      `shard-${options.shard}`,
      options.nodeId,
      config.leaseMs,
      (held) => node.setLeading(held),
    );
    node.lease.start();
    // Operators and tests ask a node how it is: `nats req tb.status.<shard>.<node> ''`.
    node.subscriptions.push(
      nc.subscribe(statusSubject(options.shard, options.nodeId), {
        callback: (_err, msg) => {
          msg.respond(JSON.stringify(node.status()));
        },
      }),
    );
    node.snapshotTimer = setInterval(() => node.snapshotDue(), 1000);
    return node;
  }

  /** The sequence of the last message stored on `subject`, or 0. */
  private async lastStored(
    stream: string,
    subject: string,
  ): Promise<{ seq: number; header?: string }> {
    const m = await this.jsm?.streams
      .getMessage(stream, { last_by_subj: subject })
      .catch(() => null);
    return m ? { seq: m.seq, header: m.header.get(LAST_SEQUENCE_HEADER) } : { seq: 0 };
  }

  /** Consume one symbol's command subject in order, from the command after the replica's state. */
  private follow(js: JetStreamClient, replica: SymbolReplica): void {
    const subject = commandSubject(replica.symbol);
    consumeForever(
      this.consumers,
      `follow ${replica.symbol}`,
      () => openCommandConsumer(js, replica.symbol, replica.lastApplied + 1),
      (m) => {
        replica.apply(m.seq, m.data);
        if (this.leading && replica.snapshotDue()) void replica.snapshot().catch(() => undefined);
      },
      async () => (await this.lastStored(COMMAND_STREAM, subject)).seq > replica.lastApplied,
    );
  }

  /**
   * What is stored in the event stream, this node need not keep. Read from
   * the stream (headers only), not the subject: a core subscriber also sees a
   * publish that JetStream then failed to store.
   */
  private watchPublished(js: JetStreamClient, replica: SymbolReplica): void {
    const subject = eventSubject(replica.symbol);
    consumeForever(
      this.consumers,
      `watch ${replica.symbol} events`,
      async () => {
        const consumer = await js.consumers.get(EVENT_STREAM, {
          filter_subjects: subject,
          deliver_policy: DeliverPolicy.LastPerSubject,
          headers_only: true,
        });
        return consumer.consume({ max_messages: 256 });
      },
      (m) => {
        const last = Number(m.headers?.get(LAST_SEQUENCE_HEADER));
        if (last > 0) replica.published(last);
      },
      async () =>
        Number((await this.lastStored(EVENT_STREAM, subject)).header ?? 0) > replica.lastPublished,
    );
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    for (const replica of this.replicas.values()) replica.lead(leading);
    this.options.onLeadership?.(leading);
  }

  private snapshotDue(): void {
    if (!this.leading) return;
    for (const replica of this.replicas.values()) {
      if (replica.snapshotDue()) void replica.snapshot().catch(() => undefined);
    }
  }

  /** Whether this node leads its shard now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** The replica of `symbol` (tests, tools). */
  replica(symbol: string): SymbolReplica | undefined {
    return this.replicas.get(symbol);
  }

  status(): MatcherStatus {
    const symbols: MatcherStatus['symbols'] = {};
    for (const [symbol, r] of this.replicas) {
      symbols[symbol] = {
        lastApplied: r.lastApplied,
        lastPublished: r.lastPublished,
        restoredFrom: r.restoredFrom,
        backlog: r.backlog,
        stateHash: r.book.stateHash(),
        ...(r.lastError ? { lastError: r.lastError } : {}),
      };
    }
    return {
      nodeId: this.options.nodeId,
      shard: this.options.shard,
      leading: this.leading,
      symbols,
    };
  }

  /** Snapshot every book now (leader or not), waiting for the uploads. */
  async snapshotAll(): Promise<void> {
    await Promise.all([...this.replicas.values()].map((r) => r.snapshot()));
  }

  /** Stop consuming and release the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    clearInterval(this.snapshotTimer);
    await this.lease?.stop(true);
    this.consumers.stop();
    for (const sub of this.subscriptions) sub.unsubscribe();
    await this.nc.close();
  }
}
