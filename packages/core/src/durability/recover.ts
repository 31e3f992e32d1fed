/**
 * Crash recovery: restore the latest snapshot, then replay every journal
 * record after it. The result is the book exactly as it was after the last
 * acknowledged command; nothing is returned half-restored.
 */
import { existsSync, statSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Book } from '../book';
import { type ResolvedConfig, resolveConfig } from '../config';
import { createBook } from '../create-book';
import { describeValue } from '../describe';
import { TickbookError } from '../errors';
import type { BookConfig, Command, EngineKind } from '../types';
import { ensureDirectory, removeQuietly, tempPathOf } from './files';
import { bytesSource, type JournalRecord, type JournalSource, readJournal } from './journal-codec';
import { fileJournalSource } from './journal-file';
import { type JournalableBook, JournaledBook } from './journaled-book';
import { restoreBook } from './restore';
import { FileSink, type FileSinkOptions } from './sinks';
import { decodeSnapshot, sameConfig } from './snapshot';
import { FileSnapshotStore } from './snapshot-store';

/** What {@link recover} rebuilds a book from. */
export interface RecoverInput {
  /** Latest snapshot, if any; the journal must cover every command after it. */
  snapshot?: Uint8Array;
  /**
   * The journal: its bytes, or a {@link JournalSource} that reads it piece by
   * piece (`openJournaledBook` reads its file that way: memory for one record
   * at a time, whatever the journal's length).
   */
  journal: Uint8Array | JournalSource;
  /** Engine to recover into. */
  engine?: EngineKind;
}

/** What {@link recover} rebuilt, and what it found in the journal. */
export interface Recovered {
  book: JournalableBook;
  /** Records replayed on top of the snapshot. */
  replayed: number;
  /** A torn last record (crash mid-write) was dropped. */
  tornTail: boolean;
  /** Length of the journal's valid prefix: truncate the file here before appending again. */
  validLength: number;
  /** Sequence of the snapshot restored; `undefined` when there was none. */
  snapshotSequence: number | undefined;
}

/**
 * Records at or before the snapshot's sequence are skipped: after a crash
 * between a checkpoint's snapshot and its journal rotation, the old journal
 * still holds them.
 * @throws {@link TickbookError} `CORRUPT_DATA`, `UNSUPPORTED_VERSION`,
 * `CONFIG_MISMATCH` (snapshot and journal of different books), `JOURNAL_GAP`
 * (also: a journal started by a checkpoint, without a snapshot at or after its start).
 */
export function recover(input: RecoverInput): Recovered {
  const source = input.journal instanceof Uint8Array ? bytesSource(input.journal) : input.journal;
  const journal = readJournal(source);
  const { config, baseSequence } = journal.header;
  let book: Book;
  if (input.snapshot) {
    const header = decodeSnapshot(input.snapshot);
    if (!sameConfig(header.config, config)) throw new TickbookError('CONFIG_MISMATCH');
    book = restoreBook(input.snapshot, { engine: input.engine });
  } else {
    book = createBook({ ...config, engine: input.engine });
  }
  const target = book as JournalableBook;
  const snapshotSequence = input.snapshot ? target.sequence : undefined;
  if (baseSequence > target.sequence) {
    throw new TickbookError(
      'JOURNAL_GAP',
      `the journal starts after sequence ${baseSequence}, the ` +
        (input.snapshot ? `snapshot is at ${target.sequence}` : 'snapshot taken there is missing'),
    );
  }
  const replayed = replay(target, journal.records());
  return { book: target, replayed, ...journal.end(), snapshotSequence };
}

/** Commands replayed a batch at a time (a batch call costs less than one per command). */
const REPLAY_BATCH = 4096;

/**
 * Apply the journal's commands after the book's sequence, in order: each must
 * be the next one and must apply (not be refused). Returns how many applied.
 */
function replay(target: JournalableBook, records: Iterable<JournalRecord>): number {
  let replayed = 0;
  let batch: Command[] = [];
  let expected = target.sequence + 1;
  const flush = () => {
    if (batch.length === 0) return;
    const before = target.sequence;
    target.apply(batch);
    if (target.sequence !== before + batch.length) {
      // some command was refused: find which, for the message
      throw new TickbookError(
        'CORRUPT_DATA',
        `journal records ${before + 1}…${before + batch.length} do not replay (book at ${target.sequence})`,
      );
    }
    replayed += batch.length;
    batch = [];
  };
  for (const { sequence, command } of records) {
    if (sequence < expected) continue; // already in the snapshot
    if (sequence !== expected) {
      flush();
      throw new TickbookError('JOURNAL_GAP', `book at ${target.sequence}, next record ${sequence}`);
    }
    batch.push(command);
    expected++;
    if (batch.length === REPLAY_BATCH) flush();
  }
  flush();
  return replayed;
}

/** Options of {@link openJournaledBook}: the files, the config of a new book, and the journal's fsync policy. */
export interface OpenJournalOptions extends FileSinkOptions {
  /** Journal file; created when missing. */
  journalPath: string;
  /**
   * Snapshot file: recovery starts from it when it exists, and
   * {@link JournaledBook.checkpoint} writes it. Without it the book cannot checkpoint.
   */
  snapshotPath?: string;
  /** Config for a brand-new journal (required when the journal file does not exist yet). */
  config?: Parameters<typeof createBook>[0];
  engine?: EngineKind;
}

/**
 * The files decide what the book is; a config that asks for a different one
 * is a mistake (an edited config file, the wrong data folder) to refuse, not
 * to ignore.
 */
function checkRequestedConfig(requested: BookConfig, stored: ResolvedConfig): void {
  const wanted = resolveConfig(requested);
  for (const field of ['minPrice', 'maxPrice', 'capacity', 'stpMode'] as const) {
    if (wanted[field] !== stored[field]) {
      throw new TickbookError(
        'CONFIG_MISMATCH',
        `${field}: the config asks for ${describeValue(wanted[field])}, the book in the files has ${describeValue(stored[field])}`,
      );
    }
  }
}

/**
 * Open a durable book: recover from the files when they exist (dropping a torn
 * tail from the journal file), then keep journalling to the same file. Missing
 * folders of the paths are created.
 *
 * With `snapshotPath`, recovery restores the snapshot and replays the journal
 * records after it; `book.checkpoint()` replaces both files (through
 * `<path>.tmp` files, which a crash may leave behind and this removes: they
 * were never renamed into place, so nothing needs them). A snapshot without a
 * journal (or with an empty one) recovers to the snapshot.
 * @throws {@link TickbookError} as {@link recover} does; `CONFIG_MISMATCH`
 * naming the field when `config` differs from the book in the files (its
 * `engine` may differ); `INVALID_CONFIG` for a bad `config`.
 */
export function openJournaledBook(options: OpenJournalOptions): {
  book: JournaledBook;
  /** The journal file, for `sync`/`syncNow` under the `group` policy, and `close`. */
  sink: FileSink;
  recovered: Recovered | undefined;
} {
  const { journalPath, snapshotPath, engine } = options;
  ensureDirectory(dirname(journalPath));
  if (snapshotPath) ensureDirectory(dirname(snapshotPath));
  const snapshots = snapshotPath ? new FileSnapshotStore(snapshotPath) : undefined;
  if (snapshotPath) {
    removeQuietly(tempPathOf(snapshotPath));
    removeQuietly(tempPathOf(journalPath));
  }
  const snapshot = snapshots?.load();
  let recovered: Recovered | undefined;
  let inner: JournalableBook;
  // An empty file is a journal whose creation never finished: start it afresh.
  const exists = existsSync(journalPath) && statSync(journalPath).size > 0;
  if (exists) {
    const journal = fileJournalSource(journalPath);
    try {
      recovered = recover({ journal, snapshot, engine });
    } finally {
      journal.close();
    }
    if (recovered.tornTail) truncateSync(journalPath, recovered.validLength);
    inner = recovered.book;
  } else if (snapshot) {
    // The new journal gets a header starting after the snapshot's sequence.
    inner = restoreBook(snapshot, { engine: engine ?? options.config?.engine }) as JournalableBook;
    recovered = {
      book: inner,
      replayed: 0,
      tornTail: false,
      validLength: 0,
      snapshotSequence: inner.sequence,
    };
  } else {
    if (!options.config) throw new TickbookError('INVALID_CONFIG', 'a new journal needs a config');
    inner = createBook({
      ...options.config,
      engine: engine ?? options.config.engine,
    }) as JournalableBook;
  }
  if (recovered && options.config) checkRequestedConfig(options.config, inner.config);
  const sink = new FileSink(journalPath, options);
  const book = new JournaledBook(inner, sink, { snapshots }); // writes a new journal's header
  if (!exists) sink.syncNow();
  return { book, sink, recovered };
}
