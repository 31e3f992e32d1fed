/**
 * One instrument: its book, the adaptive batcher in front of it, and the
 * sequence numbers of its public streams.
 *
 * Adaptive batching: every write (single order, cancel, modify, batch) is
 * queued; the queue is applied with ONE `book.apply` call (one journal write
 * and fsync) at the end of the current event-loop turn (`setImmediate`), so
 * requests that arrive together share the call while a lone request waits for
 * nothing. With `batchWindowMs > 0`, a busy gateway (previous flush held more
 * than one request) waits up to that window to gather more. Each request gets
 * its own slice of the events back.
 *
 * Durability: with a `durable` journal, answers (and stream messages) go out
 * only once the call's records are on disk. The sync runs off the event loop;
 * calls made meanwhile share the next sync (group commit).
 *
 * Checkpoints: after `checkpointEveryCommands` journalled commands, once the
 * journal holds `checkpointEveryBytes` bytes, or `checkpointEveryMs` after the
 * last checkpoint (whichever comes first), the market
 * checkpoints its journal (snapshot, then a fresh journal after it) at a safe
 * point: between engine calls, with no sync in flight and every applied call
 * synced and answered, so the snapshot holds exactly the acknowledged book.
 * Under group commit that point is a sync's completion (calls applied during
 * that sync are synced at once first); without it, right after an engine call;
 * and at start-up when recovery replayed that many.
 * It blocks the event loop for the snapshot and a few fsyncs. A failed
 * checkpoint stops the market like a failed journal write.
 *
 * Time: the book's time is the gateway's clock in epoch milliseconds, but the
 * book only ever learns it from `advance-time` commands, which go through the
 * same engine call and journal as everything else (so a replay rebuilds the
 * same book). An engine call starts with `advance-time(now)` when the clock
 * is ahead of the book and something may be due: a known expiry `≤ now`, or
 * a command in the call that carries `expiresAt` (so `ALREADY_EXPIRED` is
 * judged against the clock). A timer at the next known expiry makes such a
 * call on its own when no request comes. Books without good-till-date orders
 * never see an `advance-time`.
 */
import { type Book, type BookEvent, type Command, opensCommand } from 'tickbook';
import { rejectCounter, tallyEvents } from './event-tally';
import { RestingCounts } from './limits';
import type { GatewayMetrics } from './metrics';

interface Pending {
  commands: readonly Command[];
  /** The account whose orders {@link Market.admit} admitted for this request, and how many. */
  owner: number;
  admitted: number;
  resolve: (events: BookEvent[][]) => void;
  reject: (error: Error) => void;
}

/** One engine call waiting to be acknowledged. */
interface Applied {
  queue: Pending[];
  /** Leading slices that answer no request (the gateway's own `advance-time`). */
  skip: number;
  slices: BookEvent[][];
  events: BookEvent[];
  l2Before: number;
  tradeBefore: number;
}

/** A journal whose records must reach the disk before answers go out. */
export interface Durable {
  /** Sync everything written so far, off the event loop. */
  sync(done: (error: Error | null) => void): void;
  /** Sync everything written so far, now. */
  syncNow(): void;
}

/** A flush failed (e.g. the journal could not be written): the market stops taking writes. */
export class MarketUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
}

/**
 * What the HTTP and WebSocket layers use of a symbol's market: a local book
 * ({@link Market}) or a cluster's ({@link ClusterMarket}).
 */
export interface OrderMarket {
  readonly symbol: string;
  /** The book reads are answered from (in cluster mode, a read replica). */
  readonly book: Book;
  /** Sequence number of the last L2 level change. */
  readonly l2Seq: number;
  /** Sequence number of the last trade. */
  readonly tradeSeq: number;
  /** Set when writes are refused (503) until a restart. */
  readonly failure: Error | undefined;
  /** Set while writes cannot go through for now (a cluster out of reach); clears by itself. */
  readonly unavailable?: string;
  /** Per account: the orders the book holds. */
  readonly resting: RestingCounts;
  onFlush(listener: FlushListener): void;
  admit(owner: number, max: number): boolean;
  submit(commands: readonly Command[], owner?: number, admitted?: number): Promise<BookEvent[][]>;
  close(): void;
}

/** Called after every flush with all its events (streams, metrics). */
export type FlushListener = (
  market: OrderMarket,
  events: readonly BookEvent[],
  l2SeqBefore: number,
  tradeSeqBefore: number,
) => void;

export interface MarketOptions {
  batchWindowMs: number;
  /** false: apply every submit at once, alone (no adaptive batching). @defaultValue true */
  batching?: boolean;
  /** Flush at once when this many commands are queued. @defaultValue 10,000 */
  maxQueuedCommands?: number;
  /** Release resources (journal file). */
  close?: () => void;
  /** Wait for this journal's sync before answering (fsync policy `batch`). */
  durable?: Durable;
  /**
   * The gateway's clock, epoch milliseconds: the book's time for
   * good-till-date orders. @defaultValue `Date.now`
   */
  clock?: () => number;
  /** Checkpoint the journal (see tickbook's `JournaledBook.checkpoint`). */
  checkpoint?: () => void;
  /** Told once when the market stops taking writes (a failed journal write or checkpoint). */
  onFailure?: (error: Error) => void;
  /** Checkpoint after this many journalled commands, and on close; 0: never. @defaultValue 0 */
  checkpointEveryCommands?: number;
  /** Checkpoint once the journal holds this many bytes; 0: never. @defaultValue 0 */
  checkpointEveryBytes?: number;
  /** Checkpoint this many ms after the last one, when anything was journalled since; 0: never. @defaultValue 0 */
  checkpointEveryMs?: number;
  /** The journal's size in bytes (for `checkpointEveryBytes`). */
  journalBytes?: () => number;
  /** Commands already in the journal after its snapshot (replayed at start-up). @defaultValue 0 */
  journaledSinceCheckpoint?: number;
}

const COMMAND_KINDS: readonly Command['kind'][] = [
  'limit',
  'market',
  'stop',
  'cancel',
  'modify',
  'reduce',
  'advance-time',
];

/** Longest delay `setTimeout` takes (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 0x7fff_ffff;

export class Market implements OrderMarket {
  /** Sequence number of the last L2 level change (counts every `level-changed` event). */
  l2Seq = 0;
  /** Sequence number of the last trade. */
  tradeSeq = 0;
  /** Set when a flush failed; further writes are refused. */
  failure: Error | undefined;
  /** Per account: the orders this book holds (resting and waiting stops), from its events. */
  readonly resting = new RestingCounts();
  private queue: Pending[] = [];
  private queuedCommands = 0;
  private scheduled = false;
  private lastFlushRequests = 0;
  private readonly listeners: FlushListener[] = [];
  private readonly maxQueued: number;
  private readonly runFlush = () => this.flush();
  private readonly onRejected: (code: string) => void;
  /** Applied engine calls whose records are not yet synced. */
  private unsynced: Applied[] = [];
  private syncing = false;
  private readonly m;
  /** Per flush: commands by kind (see {@link flush}). */
  private readonly kinds: Record<Command['kind'], number> = {
    limit: 0,
    market: 0,
    stop: 0,
    cancel: 0,
    modify: 0,
    reduce: 0,
    'advance-time': 0,
  };
  private readonly clock: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Clock time the timer is set for. */
  private timerAt = 0;
  private closed = false;
  /** Book sequence the last checkpoint (or the recovered snapshot) holds. */
  private checkpointedAt: number;
  /** When the last checkpoint (or the start) was, `performance.now()` ms. */
  private checkpointedTime = performance.now();
  private readonly onTimer = () => {
    this.timer = undefined;
    if (this.failure || this.closed) return;
    // Applies whatever is queued too, with the time moved first; a request
    // that arrives later is not delayed.
    this.flush();
    this.armTimer();
  };

  constructor(
    readonly symbol: string,
    readonly book: Book,
    readonly metrics: GatewayMetrics,
    private readonly options: MarketOptions,
  ) {
    this.maxQueued = options.maxQueuedCommands ?? 10_000;
    const labels = { symbol };
    this.onRejected = rejectCounter(metrics, symbol);
    this.m = {
      limit: metrics.commands.labels({ symbol, kind: 'limit' }),
      market: metrics.commands.labels({ symbol, kind: 'market' }),
      cancel: metrics.commands.labels({ symbol, kind: 'cancel' }),
      modify: metrics.commands.labels({ symbol, kind: 'modify' }),
      reduce: metrics.commands.labels({ symbol, kind: 'reduce' }),
      'advance-time': metrics.commands.labels({ symbol, kind: 'advance-time' }),
      stop: metrics.commands.labels({ symbol, kind: 'stop' }),
      orders: metrics.orders.labels(labels),
      trades: metrics.trades.labels(labels),
      tradedQty: metrics.tradedQty.labels(labels),
      apply: metrics.applyDuration.labels(labels),
      sync: metrics.syncDuration.labels(labels),
      batch: metrics.batchSize.labels(labels),
      checkpoint: metrics.checkpointDuration.labels(labels),
    };
    metrics.resting.labels(labels).read = () => this.book.size;
    metrics.failed.labels(labels).read = () => (this.failure ? 1 : 0);
    const journalBytes = options.journalBytes;
    if (journalBytes) metrics.journalBytes.labels(labels).read = journalBytes;
    this.clock = options.clock ?? Date.now;
    this.checkpointedAt = book.sequence - (options.journaledSinceCheckpoint ?? 0);
    // A recovered book: count what it holds per account once; events keep the counts from here.
    if (book.size > 0) this.resting.rebuild(book);
    // A long journal replayed at start-up (e.g. written with checkpoints off): compact it now.
    if (this.checkpointDue()) this.checkpoint();
    // A recovered book may hold good-till-date orders (some already due).
    this.armTimer();
  }

  /**
   * The time to move the book to before applying `queue`, or `undefined`:
   * only when the clock is ahead of the book and something may be due, or a
   * queued order carries an expiry that must be judged against the clock.
   */
  private timeFor(queue: readonly Pending[]): number | undefined {
    const now = Math.floor(this.clock());
    if (!(now > this.book.time)) return undefined;
    const next = this.book.nextExpiry;
    if (next !== undefined && next <= now) return now;
    for (const p of queue) {
      for (const c of p.commands) {
        if ((c.kind === 'limit' || c.kind === 'stop') && c.expiresAt !== undefined) return now;
      }
    }
    return undefined;
  }

  /** Set the timer for the next known expiry (or clear it when there is none). */
  private armTimer(): void {
    const next = this.book.nextExpiry;
    if (next === undefined || this.failure || this.closed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.timer) {
      if (this.timerAt <= next) return; // fires first anyway, and re-arms
      clearTimeout(this.timer);
    }
    const delay = Math.min(Math.max(next - this.clock(), 0), MAX_TIMER_MS);
    this.timerAt = next;
    this.timer = setTimeout(this.onTimer, delay);
    this.timer.unref?.();
  }

  /** Run `listener` after every flush. */
  onFlush(listener: FlushListener): void {
    this.listeners.push(listener);
  }

  /**
   * Admit one order of `owner` that may rest, if the account holds (and has
   * queued) fewer than `max` orders in this book; then submit it with
   * `admitted` counting it.
   */
  admit(owner: number, max: number): boolean {
    return this.resting.admit(owner, max);
  }

  /**
   * Queue commands; resolves with each command's events once they are applied
   * (and journalled). Refusals come back as a `rejected` event, never a throw.
   * `admitted`: how many of them {@link admit} admitted for `owner`.
   */
  submit(commands: readonly Command[], owner = 0, admitted = 0): Promise<BookEvent[][]> {
    if (this.failure) {
      if (admitted > 0) this.resting.applied(owner, admitted);
      return Promise.reject(new MarketUnavailableError(`${this.symbol}: ${this.failure.message}`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ commands, owner, admitted, resolve, reject });
      this.queuedCommands += commands.length;
      if (this.queuedCommands >= this.maxQueued || this.options.batching === false) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        const window = this.options.batchWindowMs;
        if (window > 0 && this.lastFlushRequests > 1) setTimeout(this.runFlush, window);
        else setImmediate(this.runFlush);
      }
    });
  }

  /** Apply everything queued in one engine call. */
  flush(): void {
    const queue = this.queue;
    const time = this.timeFor(queue);
    if (queue.length === 0 && time === undefined) {
      this.scheduled = false;
      return;
    }
    this.queue = [];
    const skip = time === undefined ? 0 : 1;
    const total = this.queuedCommands + skip;
    this.queuedCommands = 0;
    this.lastFlushRequests = queue.length;
    // A timer may still be pending after a size-triggered flush; it finds an
    // empty queue (or new work) and is harmless. Re-arm for work queued later.
    this.scheduled = false;

    let all: readonly Command[];
    if (queue.length === 1 && skip === 0) all = queue[0].commands;
    else {
      const merged: Command[] = new Array(total);
      let k = 0;
      if (time !== undefined) merged[k++] = { kind: 'advance-time', time };
      for (const p of queue) for (const c of p.commands) merged[k++] = c;
      all = merged;
    }

    let events: BookEvent[];
    const t0 = performance.now();
    // The admitted orders are in the book's hands now: its events count them.
    for (const p of queue) if (p.admitted > 0) this.resting.applied(p.owner, p.admitted);
    try {
      events = this.book.apply(all);
    } catch (error) {
      // The journal could not be written (or an engine bug): the in-memory book
      // may be ahead of the journal, so stop taking writes (fail-stop).
      this.fail(error as Error, [queue]);
      return;
    }
    this.m.apply.observe((performance.now() - t0) / 1000);
    this.m.batch.observe(total);

    // Split the flat event list back into per-command slices, and count.
    const slices: BookEvent[][] = new Array(total);
    let cmd = -1;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (opensCommand(e)) slices[++cmd] = [e];
      else slices[cmd].push(e);
    }
    const { l2, orders, trades, qty } = tallyEvents(
      events,
      this.resting,
      { l2: 0, orders: 0, trades: 0, qty: 0 },
      this.onRejected,
    );
    if (cmd !== total - 1) {
      const e = new Error(`engine returned events for ${cmd + 1} of ${total} commands`);
      this.fail(e, [queue]);
      return;
    }
    this.armTimer();
    // Commands by kind: counted here, added to the metric once per kind and call.
    const kinds = this.kinds;
    for (let i = 0; i < all.length; i++) kinds[all[i].kind]++;
    for (const kind of COMMAND_KINDS) {
      if (kinds[kind] > 0) {
        this.m[kind].inc(kinds[kind]);
        kinds[kind] = 0;
      }
    }
    this.m.orders.inc(orders);
    this.m.trades.inc(trades);
    this.m.tradedQty.inc(qty);
    const l2Before = this.l2Seq;
    const tradeBefore = this.tradeSeq;
    this.l2Seq += l2;
    this.tradeSeq += trades;

    const applied: Applied = { queue, skip, slices, events, l2Before, tradeBefore };
    const durable = this.options.durable;
    if (!durable) {
      this.acknowledge(applied);
      if (this.checkpointDue()) this.checkpoint();
    } else if (this.options.batching === false) {
      // No batching: one synchronous sync per request (the comparison case).
      try {
        durable.syncNow();
      } catch (error) {
        this.fail(error as Error, [queue]);
        return;
      }
      this.acknowledge(applied);
      if (this.checkpointDue()) this.checkpoint();
    } else {
      this.unsynced.push(applied);
      if (!this.syncing) this.startSync(durable);
    }
  }

  /** Sync every engine call applied so far; answer them when it completes. */
  private startSync(durable: Durable): void {
    const group = this.unsynced;
    this.unsynced = [];
    this.syncing = true;
    const t0 = performance.now();
    durable.sync((error) => {
      this.syncing = false;
      if (error) {
        const waiting = [...group, ...this.unsynced].map((a) => a.queue);
        this.unsynced = [];
        this.fail(error, waiting);
        return;
      }
      this.m.sync.observe((performance.now() - t0) / 1000);
      for (const applied of group) this.acknowledge(applied);
      if (this.failure) return;
      if (this.checkpointDue()) {
        // A safe point: no sync in flight. Sync what was applied meanwhile too.
        if (!this.syncAndAnswer(durable)) return;
        this.checkpoint();
      }
      if (this.unsynced.length > 0 && !this.failure) this.startSync(durable);
    });
  }

  /** Sync and answer every applied call now; false (market failed) if the sync failed. */
  private syncAndAnswer(durable: Durable): boolean {
    if (this.unsynced.length === 0) return true;
    const group = this.unsynced;
    this.unsynced = [];
    try {
      durable.syncNow();
    } catch (error) {
      this.fail(
        error as Error,
        group.map((a) => a.queue),
      );
      return false;
    }
    for (const applied of group) this.acknowledge(applied);
    return true;
  }

  /** After enough commands, journal bytes or time since the last checkpoint, whichever first. */
  private checkpointDue(): boolean {
    const o = this.options;
    if (o.checkpoint === undefined || this.failure || this.closed) return false;
    const since = this.book.sequence - this.checkpointedAt;
    if (since <= 0) return false;
    const every = o.checkpointEveryCommands ?? 0;
    const bytes = o.checkpointEveryBytes ?? 0;
    const ms = o.checkpointEveryMs ?? 0;
    return (
      (every > 0 && since >= every) ||
      (bytes > 0 && o.journalBytes !== undefined && o.journalBytes() >= bytes) ||
      (ms > 0 && performance.now() - this.checkpointedTime >= ms)
    );
  }

  /**
   * Checkpoint the journal. Call only between engine calls with nothing
   * unsynced. A failure stops the market (nothing is waiting for an answer).
   */
  private checkpoint(): void {
    const t0 = performance.now();
    try {
      this.options.checkpoint?.();
    } catch (error) {
      this.fail(error as Error, []);
      return;
    }
    this.checkpointedAt = this.book.sequence;
    this.checkpointedTime = performance.now();
    this.m.checkpoint.observe((performance.now() - t0) / 1000);
  }

  private acknowledge(a: Applied): void {
    let at = a.skip;
    for (const p of a.queue) {
      const n = p.commands.length;
      p.resolve(n === 1 ? [a.slices[at]] : a.slices.slice(at, at + n));
      at += n;
    }
    for (const listener of this.listeners) listener(this, a.events, a.l2Before, a.tradeBefore);
  }

  /** Stop taking writes and answer every waiting request with the error. */
  private fail(error: Error, waiting: Pending[][]): void {
    if (this.failure === undefined) this.options.onFailure?.(error);
    this.failure ??= error;
    const e = new MarketUnavailableError(`${this.symbol}: ${error.message}`);
    for (const queue of waiting) for (const p of queue) p.reject(e);
  }

  /**
   * Apply what is queued, sync, checkpoint (when checkpoints are on and
   * anything was journalled since the last), close the journal. Call once no
   * request is in flight.
   */
  close(): void {
    this.flush();
    this.closed = true;
    this.armTimer(); // clears it
    if (this.unsynced.length > 0 && this.options.durable && !this.failure) {
      this.options.durable.syncNow();
      const group = this.unsynced;
      this.unsynced = [];
      for (const applied of group) this.acknowledge(applied);
    }
    // A sync may still be in flight: its records are in the snapshot too, and
    // tickbook's file sink closes the old journal only once that sync is done.
    const o = this.options;
    const checkpoints =
      (o.checkpointEveryCommands ?? 0) > 0 ||
      (o.checkpointEveryBytes ?? 0) > 0 ||
      (o.checkpointEveryMs ?? 0) > 0;
    if (checkpoints && this.book.sequence > this.checkpointedAt && !this.failure) {
      this.checkpoint();
    }
    this.options.close?.();
  }
}
