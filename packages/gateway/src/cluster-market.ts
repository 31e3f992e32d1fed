import { BookFollower, type ClusterClient, DuplicateWithoutResult } from '@tickbook/cluster';
import type { BookConfig, BookEvent, Command } from 'tickbook';
import { tallyEvents } from './event-tally';
import { RestingCounts } from './limits';
import { type FlushListener, MarketUnavailableError, type OrderMarket } from './market';
import type { CounterChild, GatewayMetrics } from './metrics';

/** Longest delay `setTimeout` takes (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 0x7fff_ffff;

/** Commands that place an order: their engine id (account + client id) is their dedupe id. */
const PLACES = new Set<Command['kind']>(['limit', 'market', 'stop']);

/**
 * The dedupe id of a message that only places orders: its engine ids
 * (account + client id, unique per account), so a retried request is stored
 * once. Other commands (cancel, modify, ...) may repeat legitimately: none.
 */
function placementsId(symbol: string, commands: readonly Command[]): string | undefined {
  if (commands.length === 0) return undefined;
  for (const c of commands) if (!PLACES.has(c.kind)) return undefined;
  const first = (commands[0] as { id: number }).id;
  if (commands.length === 1) return `${symbol}:${first}`;
  const last = (commands[commands.length - 1] as { id: number }).id;
  return `${symbol}:${first}-${last}:${commands.length}`;
}

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
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly rejects = new Map<string, CounterChild>();
  private readonly m;

  private constructor(
    readonly symbol: string,
    private readonly follower: BookFollower,
    private readonly client: ClusterClient,
    private readonly metrics: GatewayMetrics,
    private readonly clock: () => number,
  ) {
    const labels = { symbol };
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

  onFlush(listener: FlushListener): void {
    this.listeners.push(listener);
  }

  admit(owner: number, max: number): boolean {
    return this.resting.admit(owner, max);
  }

  /**
   * Publish the commands as one message and answer with the matcher's result,
   * once the local replica has applied it too (a read after the answer sees
   * the write). A placement's dedupe id is its engine id, so a retried request
   * is applied once.
   */
  async submit(commands: readonly Command[], owner = 0, admitted = 0): Promise<BookEvent[][]> {
    const dedupeId = placementsId(this.symbol, commands);
    try {
      const answer = await this.client.submit(this.symbol, commands, { dedupeId });
      await this.follower.caughtUp(answer.seq);
      return answer.results.map((r) => r.events);
    } catch (e) {
      if (e instanceof DuplicateWithoutResult) {
        // A retry of a request applied before: the replica applied the same
        // message and holds the same events (matchers are deterministic).
        const held = (await this.follower.caughtUp(e.seq))
          ? this.follower.resultOf(e.seq)
          : undefined;
        if (held) return held;
      }
      throw new MarketUnavailableError(`${this.symbol}: ${(e as Error).message}`);
    } finally {
      if (admitted > 0) this.resting.applied(owner, admitted);
    }
  }

  /** The replica applied a command message: count, tell the streams, re-arm expiry. */
  private applied(events: BookEvent[]): void {
    const t = tallyEvents(events, this.resting, { l2: 0, orders: 0, trades: 0, qty: 0 }, (code) =>
      this.rejectsOf(code).inc(),
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

  private rejectsOf(code: string): CounterChild {
    let c = this.rejects.get(code);
    if (!c) {
      c = this.metrics.rejects.labels({ symbol: this.symbol, code });
      this.rejects.set(code, c);
    }
    return c;
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
