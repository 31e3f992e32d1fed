import { randomUUID } from 'node:crypto';
import { BookFollower, type ClusterClient, DuplicateWithoutResult } from '@tickbook/cluster';
import type { BookConfig, BookEvent, Command } from 'tickbook';
import { rejectCounter, tallyEvents } from './event-tally';
import { RestingCounts } from './limits';
import { type FlushListener, MarketUnavailableError, type OrderMarket } from './market';
import type { GatewayMetrics } from './metrics';

/** Most commands one command message carries; more queued at once go out in the next. */
const MAX_MESSAGE_COMMANDS = 10_000;
/** Tries for one message before its requests answer 503. */
const SEND_ATTEMPTS = 3;

interface Queued {
  commands: readonly Command[];
  owner: number;
  admitted: number;
  resolve: (events: BookEvent[][]) => void;
  reject: (e: Error) => void;
}

/** Longest delay `setTimeout` takes (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 0x7fff_ffff;

/**
 * A symbol served by a tickbook cluster: writes are published to the
 * command stream and answered with the matcher's published result; reads
 * (depth, orders, market data) come from a local read replica that applies
 * the same stream. Many gateways can serve the same symbols at once.
 */
export class ClusterMarket implements OrderMarket {
  l2Seq = 0;
  tradeSeq = 0;
  failure: Error | undefined;
  readonly resting = new RestingCounts();
  private readonly listeners: FlushListener[] = [];
  private queue: Queued[] = [];
  private queued = 0;
  private scheduled = false;
  /** This gateway process's publish ids: `<instance>:<count>`. */
  private readonly instance = randomUUID();
  private sent = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly onRejected: (code: string) => void;
  private readonly m;

  private constructor(
    readonly symbol: string,
    private readonly follower: BookFollower,
    private readonly client: ClusterClient,
    readonly metrics: GatewayMetrics,
    private readonly clock: () => number,
  ) {
    const labels = { symbol };
    this.onRejected = rejectCounter(metrics, symbol);
    this.m = {
      orders: metrics.orders.labels(labels),
      trades: metrics.trades.labels(labels),
      tradedQty: metrics.tradedQty.labels(labels),
    };
  }

  /** Start the symbol's read replica (from the latest snapshot) and count its orders. */
  static async open(
    symbol: string,
    config: BookConfig,
    client: ClusterClient,
    metrics: GatewayMetrics,
    clock: () => number,
  ): Promise<ClusterMarket> {
    // Set before the replica's first message can arrive (that needs a network round trip).
    let market: ClusterMarket | undefined;
    const follower = await BookFollower.start({
      nc: client.nc,
      symbol,
      config,
      onApplied: (_seq, events) => market?.applied(events),
    });
    market = new ClusterMarket(symbol, follower, client, metrics, clock);
    market.resting.rebuild(follower.book);
    market.armTimer();
    return market;
  }

  get book() {
    return this.follower.book;
  }

  /** While NATS is out of reach, writes would wait and fail: `/ready` says so. */
  get unavailable(): string | undefined {
    return this.client.connected ? undefined : 'not connected to NATS';
  }

  onFlush(listener: FlushListener): void {
    this.listeners.push(listener);
  }

  admit(owner: number, max: number): boolean {
    return this.resting.admit(owner, max);
  }

  /**
   * Queue commands; requests arriving in the same event-loop turn go out
   * together as one command message (one replicated write, one matcher
   * round trip). Each gets its own slice of the matcher's result, once the
   * local replica has applied it too (a read after the answer sees the
   * write). A retried placement is refused `DUPLICATE_ID` by the matchers
   * (they remember the latest placements), whatever message carries it.
   */
  submit(commands: readonly Command[], owner = 0, admitted = 0): Promise<BookEvent[][]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ commands, owner, admitted, resolve, reject });
      this.queued += commands.length;
      if (this.queued >= MAX_MESSAGE_COMMANDS) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    this.queued = 0;
    const all = queue.length === 1 ? queue[0].commands : queue.flatMap((q) => q.commands);
    this.send(all)
      .then(
        (results) => {
          let k = 0;
          for (const q of queue) {
            q.resolve(results.slice(k, k + q.commands.length));
            k += q.commands.length;
          }
        },
        (e: Error) => {
          for (const q of queue) q.reject(e);
        },
      )
      .finally(() => {
        for (const q of queue) if (q.admitted > 0) this.resting.applied(q.owner, q.admitted);
      });
  };

  /**
   * Publish one message and wait for its result. An unacknowledged publish
   * (NATS away for a moment) is sent again under the same publish id, which
   * the stream stores once; a duplicate answers from the read replica, which
   * applied the same message (matchers are deterministic).
   */
  private async send(commands: readonly Command[]): Promise<BookEvent[][]> {
    const dedupeId = `${this.instance}:${++this.sent}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.client.submit(this.symbol, commands, { dedupeId });
        await this.follower.caughtUp(answer.seq);
        return answer.results.map((r) => r.events);
      } catch (e) {
        if (e instanceof DuplicateWithoutResult) {
          const held = (await this.follower.caughtUp(e.seq))
            ? this.follower.resultOf(e.seq)
            : undefined;
          if (held) return held;
        }
        if (attempt >= SEND_ATTEMPTS) {
          throw new MarketUnavailableError(`${this.symbol}: ${(e as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** The replica applied a command message: count, tell the streams, re-arm expiry. */
  private applied(events: BookEvent[]): void {
    const t = tallyEvents(
      events,
      this.resting,
      { l2: 0, orders: 0, trades: 0, qty: 0 },
      this.onRejected,
    );
    this.m.orders.inc(t.orders);
    this.m.trades.inc(t.trades);
    this.m.tradedQty.inc(t.qty);
    const l2Before = this.l2Seq;
    const tradeBefore = this.tradeSeq;
    this.l2Seq += t.l2;
    this.tradeSeq += t.trades;
    for (const l of this.listeners) l(this, events, l2Before, tradeBefore);
    this.armTimer();
  }

  /**
   * The book's time only moves by `advance-time` commands in the stream: when
   * the replica's next expiry is due, publish one. Every gateway may; the
   * dedupe id (the second it names) keeps duplicates out.
   */
  private armTimer(): void {
    const at = this.follower.book.nextExpiry;
    if (at === undefined || (this.timer && this.timerAt <= at)) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const time = Math.max(this.clock(), at);
        if (time < at) return this.armTimer();
        this.client
          .submit(this.symbol, [{ kind: 'advance-time', time }], {
            dedupeId: `${this.symbol}:time:${Math.ceil(time / 1000)}`,
          })
          .catch(() => undefined)
          .finally(() => this.armTimer());
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock())),
    );
  }

  close(): void {
    clearTimeout(this.timer);
    this.follower.stop();
  }
}
