/**
 * Where journal bytes go. A sink receives whole records (`write`) and is told
 * when a command or batch is complete (`commit`), which is where a file sink
 * applies its fsync policy.
 */
import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { installTemp, syncDirectory, writeAll, writeTemp } from './files';

/**
 * Where a {@link JournaledBook} appends its records: a file ({@link FileSink}),
 * memory ({@link MemorySink}) or your own (a replicated log, say).
 */
export interface JournalSink {
  /** Bytes already in the sink (0 for a new journal, which then gets a header). */
  readonly size: number;
  /** Append bytes. They must survive the process dying once this returns. */
  write(bytes: Uint8Array): void;
  /** A command or batch is complete (and is about to be acknowledged). */
  commit(): void;
  close(): void;
  /**
   * Replace everything written so far with a fresh journal holding only
   * `header`, all or nothing, and keep appending there (a checkpoint, once its
   * snapshot is stored). A sink without it cannot checkpoint.
   */
  rotate?(header: Uint8Array): void;
}

/**
 * When a {@link FileSink} forces data to disk:
 * - `batch`: before every command or batch is acknowledged (survives power loss);
 * - `group`: when its owner calls {@link FileSink.sync} (off the event loop) or
 *   {@link FileSink.syncNow} — group commit: a server answers the requests of
 *   every batch written before a sync once that sync completes;
 * - `interval`: every `intervalMs` (a power loss may lose the last interval);
 * - `never`: left to the OS (survives the process dying, not the machine).
 * Every policy writes before acknowledging, so a crashed *process* loses nothing.
 */
export type FsyncPolicy = 'batch' | 'group' | 'interval' | 'never';

/** Options of {@link FileSink}: when it fsyncs. */
export interface FileSinkOptions {
  /** @defaultValue `'batch'` */
  fsync?: FsyncPolicy;
  /** For `'interval'`. @defaultValue 100 */
  intervalMs?: number;
}

/**
 * An append-only journal file. {@link FileSink.rotate} replaces it atomically
 * (through `<path>.tmp`); the same sink then appends to the new file.
 */
export class FileSink implements JournalSink {
  private fd: number;
  private readonly policy: FsyncPolicy;
  private readonly timer: NodeJS.Timeout | undefined;
  private written: number;
  /** Asynchronous syncs in flight, per file descriptor. */
  private readonly inflight = new Map<number, number>();
  /** Replaced (or closed) descriptors that close once their syncs complete. */
  private readonly retired = new Set<number>();

  private closed = false;

  constructor(
    readonly path: string,
    options: FileSinkOptions = {},
  ) {
    this.policy = options.fsync ?? 'batch';
    this.fd = openSync(path, 'a');
    this.written = fstatSync(this.fd).size;
    // A new file is only durable once its directory entry is: sync the directory too.
    if (this.written === 0) syncDirectory(dirname(path));
    if (this.policy === 'interval') {
      this.timer = setInterval(() => {
        if (!this.closed) this.syncAsync(() => {});
      }, options.intervalMs ?? 100);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.written;
  }

  write(bytes: Uint8Array): void {
    writeAll(this.fd, bytes);
    this.written += bytes.length;
  }

  commit(): void {
    if (this.policy === 'batch') fdatasyncSync(this.fd);
  }

  /** Force everything written so far to disk on libuv's thread pool (policy `group`). */
  sync(done: (error: Error | null) => void): void {
    this.syncAsync(done);
  }

  /** Force everything written so far to disk now, blocking. */
  syncNow(): void {
    fdatasyncSync(this.fd);
  }

  /**
   * Replace the file with a fresh one holding only `header`: written and
   * fsynced as `<path>.tmp`, renamed over `<path>`, directory fsynced. If it
   * throws before the rename, the sink keeps appending to the old file; from
   * the rename on, to the new one. A sync in flight on the old file still
   * completes (its descriptor closes after it).
   */
  rotate(header: Uint8Array): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
    const fd = writeTemp(this.path, header);
    const old = this.fd;
    try {
      installTemp(this.path, () => {
        this.fd = fd;
        this.written = header.length;
      });
    } finally {
      if (this.fd === fd) this.retire(old);
      else closeSync(fd); // the rename failed: the old file stays the journal
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    fdatasyncSync(this.fd);
    this.retire(this.fd);
  }

  private syncAsync(done: (error: Error | null) => void): void {
    const fd = this.fd;
    this.inflight.set(fd, (this.inflight.get(fd) ?? 0) + 1);
    fdatasync(fd, (error) => {
      const left = (this.inflight.get(fd) ?? 1) - 1;
      if (left > 0) this.inflight.set(fd, left);
      else {
        this.inflight.delete(fd);
        if (this.retired.delete(fd)) closeSync(fd);
      }
      done(error);
    });
  }

  /**
   * Close `fd` now, or once the syncs in flight on it complete: closing under
   * them could let them sync whatever file reuses the descriptor number.
   */
  private retire(fd: number): void {
    if (this.inflight.has(fd)) this.retired.add(fd);
    else closeSync(fd);
  }
}

/** A journal kept in memory (tests, or shipping records elsewhere yourself). */
export class MemorySink implements JournalSink {
  private chunks: Uint8Array[] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  write(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
    this.total += bytes.length;
  }

  commit(): void {}

  close(): void {}

  rotate(header: Uint8Array): void {
    this.chunks = [header.slice()];
    this.total = header.length;
  }

  /** Everything written, as one array. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
