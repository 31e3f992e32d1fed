import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { type BookEvent, type Command, encodeCommands } from 'tickbook';
import { type ClusterConfig, type ResolvedClusterConfig, resolveClusterConfig } from './config';
import { checkSymbol, commandSubject, PART_HEADER, symbolOf } from './names';
import { type CommandResult, EventMessageAssembler } from './results';
import { retrying } from './retry';
import { openStores } from './setup';

/** The answer to a submitted command message. */
export interface SubmitResult {
  /** The message's sequence in the command stream: its place in the book's order. */
  seq: number;
  /** True when the dedupe id was seen before: `seq` is the first message's. */
  duplicate: boolean;
  /** Each command's events, in order. */
  results: CommandResult[];
}

/** Options of {@link ClusterClient.submit}. */
export interface SubmitOptions {
  /**
   * Publish id for deduplication: a retry with the same id within the
   * stream's dedupe window is applied once (use account + client order id).
   */
  dedupeId?: string;
  /** How long to wait for the matcher's result after the command is acknowledged (ms). Default 10,000. */
  resultTimeoutMs?: number;
}

interface Waiter {
  resolve: (results: CommandResult[]) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** How many recent results a client keeps (those that came before their acknowledgement, and for retries). */
const EARLY_RESULTS = 2_000;

/**
 * A retried publish was a duplicate of command message `seq`, whose result
 * this client no longer holds: the commands were applied once; read their
 * result elsewhere (a read replica, the event stream).
 */
export class DuplicateWithoutResult extends Error {
  constructor(
    readonly symbol: string,
    readonly seq: number,
  ) {
    super(`duplicate of ${symbol}:${seq}, whose result this client no longer holds`);
  }
}

/**
 * Submits commands to a tickbook cluster and waits for their results: what a
 * gateway process does. A command is *acknowledged* once JetStream has stored
 * it (on a majority of replicas); its result follows from the shard leader.
 */
export class ClusterClient {
  private readonly waiters = new Map<string, Waiter>();
  private readonly early = new Map<string, CommandResult[]>();
  private subscription: Subscription | undefined;
  /** False while the connection to NATS is down (it reconnects by itself). */
  connected = true;

  private constructor(
    readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    readonly config: ResolvedClusterConfig,
  ) {}

  static async connect(config: ClusterConfig, name = 'tickbook-client'): Promise<ClusterClient> {
    const resolved = resolveClusterConfig(config);
    const nc = await connect({
      servers: resolved.servers,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    await retrying('open the streams', () => openStores(nc, resolved));
    const client = new ClusterClient(nc, jetstream(nc), resolved);
    // results too large for one NATS message come in parts: joined here
    const parts = new EventMessageAssembler();
    client.subscription = nc.subscribe('tb.evt.*', {
      callback: (_err, msg) => {
        if (msg.data.length === 0) return;
        const message = parts.add(symbolOf(msg.subject), msg.data, msg.headers?.get(PART_HEADER));
        if (!message) return;
        for (const r of message.results) client.deliver(`${message.symbol}:${r.seq}`, r.commands);
      },
    });
    await nc.flush();
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') client.connected = false;
        else if (status.type === 'reconnect') client.connected = true;
        else if (status.type === 'close') client.connected = false;
      }
    })();
    return client;
  }

  private deliver(key: string, results: CommandResult[]): void {
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      clearTimeout(waiter.timer);
      waiter.resolve(results);
    }
    // Kept a while also when delivered: a retried (duplicate) publish answers from it.
    this.early.set(key, results);
    if (this.early.size > EARLY_RESULTS) {
      const oldest = this.early.keys().next().value as string;
      this.early.delete(oldest);
    }
  }

  /**
   * Publish `commands` for `symbol` as one message and wait for their results.
   * Rejects when JetStream does not acknowledge (nothing was applied: retry
   * with the same `dedupeId`) or when the result does not come in time (the
   * commands were acknowledged and will be applied).
   */
  async submit(
    symbol: string,
    commands: readonly Command[],
    options: SubmitOptions = {},
  ): Promise<SubmitResult> {
    if (!this.config.books[checkSymbol(symbol)]) throw new Error(`unknown symbol ${symbol}`);
    const ack = await this.js.publish(commandSubject(symbol), encodeCommands(commands), {
      ...(options.dedupeId ? { msgID: options.dedupeId } : {}),
      timeout: 5000,
    });
    const key = `${symbol}:${ack.seq}`;
    const ready = this.early.get(key);
    if (ready) return { seq: ack.seq, duplicate: ack.duplicate, results: ready };
    if (ack.duplicate) {
      // The first publish's result came before this client listened, or was dropped.
      throw new DuplicateWithoutResult(symbol, ack.seq);
    }
    const results = await new Promise<CommandResult[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(
          new Error(
            `no result for ${key} within ${options.resultTimeoutMs ?? 10_000} ms (it was acknowledged)`,
          ),
        );
      }, options.resultTimeoutMs ?? 10_000);
      this.waiters.set(key, { resolve, reject, timer });
    });
    return { seq: ack.seq, duplicate: ack.duplicate, results };
  }

  /** Publish without waiting for results: resolves with the command sequence once acknowledged. */
  async publish(
    symbol: string,
    commands: readonly Command[],
    dedupeId?: string,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const ack = await this.js.publish(
      commandSubject(checkSymbol(symbol)),
      encodeCommands(commands),
      {
        ...(dedupeId ? { msgID: dedupeId } : {}),
        timeout: 5000,
      },
    );
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  async close(): Promise<void> {
    this.subscription?.unsubscribe();
    for (const w of this.waiters.values()) {
      clearTimeout(w.timer);
      w.reject(new Error('client closed'));
    }
    this.waiters.clear();
    await this.nc.close();
  }
}

export type { BookEvent };
