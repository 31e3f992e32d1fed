export { decodeCommands, encodeCommands } from './command-batch';
export {
  bytesSource,
  type DecodedJournal,
  decodeJournal,
  JOURNAL_VERSION,
  type JournalEnd,
  type JournalHeader,
  type JournalRecord,
  type JournalSource,
  readJournal,
} from './journal-codec';
export { fileJournalSource } from './journal-file';
export type { CheckpointInfo, JournalableBook, JournaledBookOptions } from './journaled-book';
export { JournaledBook } from './journaled-book';
export {
  type OpenJournalOptions,
  openJournaledBook,
  type Recovered,
  type RecoverInput,
  recover,
} from './recover';
export { restoreBook } from './restore';
export {
  FileSink,
  type FileSinkOptions,
  type FsyncPolicy,
  type JournalSink,
  MemorySink,
} from './sinks';
export { SNAPSHOT_VERSION, snapshotBook } from './snapshot';
export { FileSnapshotStore, MemorySnapshotStore, type SnapshotStore } from './snapshot-store';
export { stateHash } from './state-hash';
