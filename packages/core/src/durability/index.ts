export { decodeJournal, JOURNAL_VERSION } from './journal-codec';
export type { JournalableBook } from './journaled-book';
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
export { stateHash } from './state-hash';
