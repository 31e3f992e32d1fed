/**
 * The gateway's journal files: tickbook's journal format, recovery and file
 * sink, in group-commit mode.
 *
 * tickbook's `fsync: 'batch'` calls `fdatasync` synchronously on every commit,
 * which stops the event loop for the length of a disk flush. The gateway
 * instead writes each engine call's records at once (so a killed process loses
 * nothing), then syncs on libuv's thread pool (`FileSink.sync`) and answers the
 * requests of that call when it completes. Engine calls made while a sync is in
 * flight share the next one, so the matcher keeps working while the disk flushes.
 */
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
  /** Records replayed from an existing journal. */
  replayed: number;
}

/**
 * Open (recover, or create) the journal of one book. With the `batch` policy
 * the gateway drives durability itself: the file sink runs in `group` mode and
 * the market syncs it off the event loop (see market.ts).
 */
export function openJournal(
  path: string,
  config: BookConfig,
  engine: EngineKind,
  policy: FsyncPolicy,
): OpenedJournal {
  const { book, sink, recovered } = openJournaledBook({
    journalPath: path,
    config,
    engine,
    fsync: policy === 'batch' ? 'group' : policy,
  });
  return { book, sink, replayed: recovered?.replayed ?? 0 };
}
