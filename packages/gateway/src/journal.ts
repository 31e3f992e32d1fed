/**
 * The gateway's journal files: tickbook's journal format and recovery, with a
 * sink that lets the gateway sync off the event loop.
 *
 * tickbook's `FileSink` (`fsync: 'batch'`) calls `fdatasync` synchronously on
 * every commit, which stops the event loop for the length of a disk flush. The
 * gateway instead writes each engine call's records at once (so a killed
 * process loses nothing), then runs `fdatasync` on libuv's thread pool and
 * answers the requests of that call when it completes. Engine calls made while
 * a sync is in flight share the next one (group commit), so the matcher keeps
 * working while the disk flushes.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import {
  type BookConfig,
  createBook,
  type EngineKind,
  type FsyncPolicy,
  type JournalableBook,
  JournaledBook,
  type JournalSink,
  recover,
} from 'tickbook';

/** An append-only journal file whose durability the gateway drives. */
export class GatewaySink implements JournalSink {
  private readonly fd: number;
  private written: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    path: string,
    readonly policy: FsyncPolicy,
    intervalMs = 100,
  ) {
    this.fd = openSync(path, 'a');
    this.written = fstatSync(this.fd).size;
    if (policy === 'interval') {
      this.timer = setInterval(() => {
        if (!this.closed) fdatasync(this.fd, () => {});
      }, intervalMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.written;
  }

  write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.written += bytes.length;
  }

  /** Durability is the gateway's job (see {@link sync}); nothing to do per command. */
  commit(): void {}

  /** Force everything written so far to disk, on the thread pool. */
  sync(done: (error: Error | null) => void): void {
    fdatasync(this.fd, done);
  }

  /** Force everything written so far to disk, now. */
  syncNow(): void {
    fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    fdatasyncSync(this.fd);
    closeSync(this.fd);
  }
}

export interface OpenedJournal {
  book: JournaledBook;
  sink: GatewaySink;
  /** Records replayed from an existing journal. */
  replayed: number;
}

/**
 * Open (recover, or create) the journal of one book. A torn last record (a
 * crash mid-write) is cut off; a new file's directory entry is synced too.
 */
export function openJournal(
  path: string,
  config: BookConfig,
  engine: EngineKind,
  policy: FsyncPolicy,
): OpenedJournal {
  let inner: JournalableBook;
  let replayed = 0;
  const isNew = !existsSync(path) || statSync(path).size === 0;
  if (!isNew) {
    const recovered = recover({ journal: readFileSync(path), engine });
    if (recovered.tornTail) truncateSync(path, recovered.validLength);
    inner = recovered.book;
    replayed = recovered.replayed;
  } else {
    inner = createBook({ ...config, engine }) as JournalableBook;
  }
  const sink = new GatewaySink(path, policy);
  const book = new JournaledBook(inner, sink); // writes the header of a new journal
  if (isNew) {
    sink.syncNow();
    syncDirectory(dirname(path));
  }
  return { book, sink, replayed };
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
