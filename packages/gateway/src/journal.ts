/**
 * The gateway's journal files: tickbook's journal format, recovery, file sink
 * and checkpoints, in group-commit mode.
 *
 * tickbook's `fsync: 'batch'` calls `fdatasync` synchronously on every commit,
 * which stops the event loop for the length of a disk flush. The gateway
 * instead writes each engine call's records at once (so a killed process loses
 * nothing), then syncs on libuv's thread pool (`FileSink.sync`) and answers the
 * requests of that call when it completes. Engine calls made while a sync is in
 * flight share the next one, so the matcher keeps working while the disk flushes.
 *
 * Files per symbol: `<symbol>.journal` and, once the market has checkpointed,
 * `<symbol>.snapshot` (the journal then holds only the commands after it).
 * A checkpoint replaces each through a `.tmp` file (see tickbook's
 * `JournaledBook.checkpoint`); opening removes a `.tmp` a crash left behind.
 */
import { join } from 'node:path';
import {
  type BookConfig,
  type EngineKind,
  type FileSink,
  type FsyncPolicy,
  type JournaledBook,
  openJournaledBook,
} from 'tickbook';

export interface OpenedJournal {
  book: JournaledBook;
  sink: FileSink;
  /** Records replayed from an existing journal (on top of the snapshot, if any). */
  replayed: number;
  /** Byte offset where a torn last record (a crash mid-write) was cut off, when there was one. */
  tornAt: number | undefined;
}

/** The files of one symbol's book in `dataDir`. */
export function journalFiles(
  dataDir: string,
  symbol: string,
): { journalPath: string; snapshotPath: string } {
  return {
    journalPath: join(dataDir, `${symbol}.journal`),
    snapshotPath: join(dataDir, `${symbol}.snapshot`),
  };
}

/**
 * Open (recover, or create) the journal of one book: from its snapshot plus
 * the journal after it when a checkpoint wrote one. With the `batch` policy
 * the gateway drives durability itself: the file sink runs in `group` mode and
 * the market syncs it off the event loop (see market.ts).
 */
export function openJournal(
  files: { journalPath: string; snapshotPath: string },
  config: BookConfig,
  engine: EngineKind,
  policy: FsyncPolicy,
): OpenedJournal {
  const { book, sink, recovered } = openJournaledBook({
    ...files,
    config,
    engine,
    fsync: policy === 'batch' ? 'group' : policy,
  });
  return {
    book,
    sink,
    replayed: recovered?.replayed ?? 0,
    tornAt: recovered?.tornTail ? recovered.validLength : undefined,
  };
}
