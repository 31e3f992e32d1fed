/**
 * A book that journals every applied command before acknowledging it: the
 * call returns only after the command's record is written (and, with the
 * `batch` fsync policy, on disk). Refused commands are not journalled.
 *
 * Checkpoints keep the journal short: a snapshot of the book is stored, then
 * the journal is replaced by one that starts after the snapshot's sequence.
 * Why a crash at any point of a checkpoint recovers the acknowledged state:
 * - the snapshot is replaced atomically (temp file, fsync, rename, directory
 *   fsync), so the snapshot file is always a whole snapshot, old or new;
 * - the journal is replaced the same way, and only after the new snapshot's
 *   rename is on disk, so a journal that starts after sequence S is never on
 *   disk without a snapshot at S or later;
 * - until that, the old journal still holds every command after the old
 *   snapshot, and recovery replays only records after the snapshot it restored
 *   (old snapshot + old journal, or new snapshot + old journal: same state);
 * - a checkpoint runs between commands, so the snapshot holds exactly the
 *   commands journaled so far, and nothing is appended during it;
 * - a journal records its base sequence: one without the snapshot it needs
 *   refuses to recover (`JOURNAL_GAP`) rather than silently lose commands.
 */
import type { Book } from '../book';
import { opensCommand } from '../command-start';
import { TickbookError } from '../errors';
import type {
  BookEvent,
  Command,
  Depth,
  Level,
  LimitOrder,
  MarketOrder,
  ModifyRequest,
  OrderInfo,
  ReduceRequest,
  RestingOrder,
  Side,
  StopOrder,
} from '../types';
import { ByteWriter } from './byte-codec';
import {
  beginRecord,
  encodeJournalHeader,
  endRecord,
  writeCommand,
  writeRecord,
} from './journal-codec';
import type { JournalSink } from './sinks';
import type { SnapshotStore } from './snapshot-store';

/** Any book can be journaled (kept as a name for the role). */
export type JournalableBook = Book;

/** Options of {@link JournaledBook}. */
export interface JournaledBookOptions {
  /** Where {@link JournaledBook.checkpoint} stores snapshots; without it the book cannot checkpoint. */
  snapshots?: SnapshotStore;
}

/** What a checkpoint stored. */
export interface CheckpointInfo {
  /** Sequence number the snapshot holds; the new journal starts after it. */
  sequence: number;
  /** Size of the snapshot, bytes. */
  snapshotBytes: number;
}

/**
 * A {@link Book} that journals every applied command to a {@link JournalSink}
 * before returning (refusals are not journalled), so a crash loses no
 * acknowledged command; {@link JournaledBook.checkpoint} keeps the journal
 * short. {@link openJournaledBook} builds one over files, with recovery.
 * After a failed journal write it refuses every command (`JOURNAL_FAILED`).
 */
export class JournaledBook implements Book {
  private readonly records = new ByteWriter();
  private readonly snapshots: SnapshotStore | undefined;
  /** The error of a failed journal write; the book takes no command after it. */
  private failure: unknown = undefined;

  constructor(
    readonly inner: JournalableBook,
    readonly sink: JournalSink,
    options: JournaledBookOptions = {},
  ) {
    this.snapshots = options.snapshots;
    if (sink.size === 0) {
      // A new journal starts after the book's current sequence (0 for a new book).
      sink.write(encodeJournalHeader(inner.config, inner.sequence));
      sink.commit();
    }
  }

  /**
   * Checkpoint: store a snapshot of the book, then replace the journal with one
   * that holds only the commands after it, and keep journalling there. Recovery
   * then restores the snapshot and replays a short journal. Call it between
   * commands; a crash at any point of it recovers the same state (see the
   * module comment).
   *
   * If it throws before the journal is replaced, the book keeps journalling
   * to the old journal and nothing is lost. An I/O error is still best treated
   * like a failed journal write (stop taking commands): after the journal's
   * rename, a failed directory sync leaves the new journal's durability
   * uncertain.
   * @throws {@link TickbookError} `INVALID_CONFIG` when the book has no
   * snapshot store or its sink cannot rotate; the file system's error on an I/O failure.
   */
  checkpoint(): CheckpointInfo {
    if (!this.snapshots || !this.sink.rotate) {
      throw new TickbookError(
        'INVALID_CONFIG',
        'a checkpoint needs a snapshot store (snapshotPath) and a journal sink that can rotate',
      );
    }
    const sequence = this.inner.sequence;
    const snapshot = this.inner.snapshot();
    // Snapshot first: the new journal is only valid with it on disk.
    this.snapshots.save(snapshot);
    this.sink.rotate(encodeJournalHeader(this.inner.config, sequence));
    return { sequence, snapshotBytes: snapshot.length };
  }

  get engine() {
    return this.inner.engine;
  }
  get config() {
    return this.inner.config;
  }
  get size(): number {
    return this.inner.size;
  }
  get sequence(): number {
    return this.inner.sequence;
  }

  limit(order: LimitOrder): BookEvent[] {
    return this.journal({ kind: 'limit', ...order }, () => this.inner.limit(order));
  }
  market(order: MarketOrder): BookEvent[] {
    return this.journal({ kind: 'market', ...order }, () => this.inner.market(order));
  }
  cancel(id: number): BookEvent[] {
    return this.journal({ kind: 'cancel', id }, () => this.inner.cancel(id));
  }
  modify(request: ModifyRequest): BookEvent[] {
    return this.journal({ kind: 'modify', ...request }, () => this.inner.modify(request));
  }
  reduce(request: ReduceRequest): BookEvent[] {
    return this.journal({ kind: 'reduce', ...request }, () => this.inner.reduce(request));
  }
  stop(order: StopOrder): BookEvent[] {
    return this.journal({ kind: 'stop', ...order }, () => this.inner.stop(order));
  }
  get lastPrice(): number | undefined {
    return this.inner.lastPrice;
  }
  stops(): OrderInfo[] {
    return this.inner.stops();
  }
  advanceTime(time: number): BookEvent[] {
    return this.journal({ kind: 'advance-time', time }, () => this.inner.advanceTime(time));
  }
  get nextExpiry(): number | undefined {
    return this.inner.nextExpiry;
  }
  get time(): number {
    return this.inner.time;
  }
  submit(command: Command): BookEvent[] {
    return this.apply([command]);
  }

  apply(commands: readonly Command[]): BookEvent[] {
    this.usable();
    const first = this.inner.sequence + 1;
    const events = this.inner.apply(commands);
    const record = beginRecord(this.records, first);
    // Journal the applied commands, in order: each command's events open with
    // one event `opensCommand` knows (a refused one's `rejected` is not journalled).
    let sequence = first;
    let index = -1;
    for (const e of events) {
      if (!opensCommand(e)) continue;
      index++;
      if (e.type !== 'rejected') {
        writeCommand(this.records, commands[index]);
        sequence++;
      }
    }
    if (index !== commands.length - 1 || sequence !== this.inner.sequence + 1) {
      throw new Error('journal: events do not split into one run per command');
    }
    if (sequence > first) endRecord(this.records, record, sequence - first);
    else this.records.reset(); // nothing applied: no record
    this.flush();
    return events;
  }

  /** Run one per-order call; a throw (refusal) writes nothing. */
  private journal(command: Command, run: () => BookEvent[]): BookEvent[] {
    this.usable();
    const events = run();
    writeRecord(this.records, this.inner.sequence, command);
    this.flush();
    return events;
  }

  /**
   * Write the pending record. If the sink fails, the book has applied a
   * command its journal does not hold: from then on it refuses every command
   * (JOURNAL_FAILED) rather than acknowledge more on a journal that can no
   * longer be trusted; recover from the files to go on.
   */
  private flush(): void {
    try {
      if (this.records.length > 0) this.sink.write(this.records.written());
      this.sink.commit();
    } catch (e) {
      this.failure = e;
      throw e;
    } finally {
      this.records.reset();
    }
  }

  /** Refuse every command once a journal write has failed (see {@link flush}). */
  private usable(): void {
    if (this.failure !== undefined) {
      throw new TickbookError(
        'JOURNAL_FAILED',
        `the journal could not be written (${String(this.failure)}); recover the book from its files`,
      );
    }
  }

  bestBid(): Level | undefined {
    return this.inner.bestBid();
  }
  bestAsk(): Level | undefined {
    return this.inner.bestAsk();
  }
  levels(side: Side, limit?: number): Level[] {
    return this.inner.levels(side, limit);
  }
  depth(limit?: number): Depth {
    return this.inner.depth(limit);
  }
  ordersAt(side: Side, price: number): RestingOrder[] {
    return this.inner.ordersAt(side, price);
  }
  order(id: number): OrderInfo | undefined {
    return this.inner.order(id);
  }
  snapshot(): Uint8Array {
    return this.inner.snapshot();
  }
  stateHash(): string {
    return this.inner.stateHash();
  }
}
