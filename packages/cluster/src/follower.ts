import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Book, BookConfig, BookEvent } from 'tickbook';
import { applyCommandMessage, type RecentPlacements } from './apply';
import { ConsumerSet, consumeForever, openCommandConsumer } from './consume';
import { COMMAND_STREAM, commandSubject, SNAPSHOT_BUCKET } from './names';
import { loadBook, published } from './replica';
import { retrying } from './retry';

/** How many command messages' events a replica keeps for answering retries. */
const RECENT_RESULTS = 2_000;

/** Options of {@link BookFollower.start}. */
export interface FollowerOptions {
  /** A connection to the cluster (the streams must exist: a matcher or client created them). */
  nc: NatsConnection;
  symbol: string;
  /** The symbol's book config, as the matchers have it. */
  config: BookConfig;
  /** After each command message: its sequence and the events it produced (in order). */
  onApplied?: (seq: number, events: BookEvent[]) => void;
}

/**
 * A read replica of one symbol's book: starts from the latest snapshot and
 * applies the command stream in order, as a matcher does, but publishes
 * nothing. A gateway answers reads (depth, order lookups, market-data
 * streams) from it.
 */
export class BookFollower {
  lastApplied = 0;
  private readonly consumers = new ConsumerSet();
  /** The events of the last command messages applied, by sequence, per command. */
  private readonly recent = new Map<number, BookEvent[][]>();
  private readonly waiters = new Set<{
    seq: number;
    resolve: (ok: boolean) => void;
    timer: NodeJS.Timeout;
  }>();

  private constructor(
    readonly symbol: string,
    readonly book: Book,
    private readonly placements: RecentPlacements,
    private readonly onApplied: FollowerOptions['onApplied'],
  ) {}

  static async start(options: FollowerOptions): Promise<BookFollower> {
    const { nc, symbol } = options;
    const store = await retrying('open the snapshot store', () =>
      new Objm(nc).open(SNAPSHOT_BUCKET),
    );
    const { book, seq, recent } = await retrying(`load the ${symbol} snapshot`, () =>
      loadBook(store, symbol, options.config),
    );
    const follower = new BookFollower(symbol, book, recent, options.onApplied);
    follower.lastApplied = seq;
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const subject = commandSubject(symbol);
    consumeForever(
      follower.consumers,
      `follow ${symbol}`,
      () => openCommandConsumer(js, symbol, follower.lastApplied + 1),
      (m) => follower.apply(m.seq, m.data),
      async () => {
        const last = await jsm.streams
          .getMessage(COMMAND_STREAM, { last_by_subj: subject })
          .catch(() => null);
        return (last?.seq ?? 0) > follower.lastApplied;
      },
    );
    return follower;
  }

  private apply(seq: number, data: Uint8Array): void {
    if (seq <= this.lastApplied) return;
    this.lastApplied = seq;
    const perCommand = applyCommandMessage(this.book, this.placements, data).events;
    this.recent.set(seq, perCommand);
    if (this.recent.size > RECENT_RESULTS)
      this.recent.delete(this.recent.keys().next().value as number);
    if (this.onApplied) this.onApplied(seq, perCommand.flat());
    if (this.waiters.size > 0) this.wake();
  }

  /**
   * Resolves true once this replica has applied command message `seq` (at
   * once if it has), false after `timeoutMs`: a writer that waits for it
   * reads its own write.
   */
  caughtUp(seq: number, timeoutMs = 10_000): Promise<boolean> {
    if (this.lastApplied >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        seq,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private wake(): void {
    for (const w of this.waiters) {
      if (w.seq <= this.lastApplied) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(true);
      }
    }
  }

  /**
   * The events of recently applied command message `seq`, one array per
   * command, as a matcher publishes them (the same, by determinism), if still
   * held.
   */
  resultOf(seq: number): BookEvent[][] | undefined {
    return this.recent.get(seq)?.map(published);
  }

  stop(): void {
    this.consumers.stop();
  }
}
