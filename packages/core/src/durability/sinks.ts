/**
 * Where journal bytes go. A sink receives whole records (`write`) and is told
 * when a command or batch is complete (`commit`), which is where a file sink
 * applies its fsync policy.
 */
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  openSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface JournalSink {
  /** Bytes already in the sink (0 for a new journal, which then gets a header). */
  readonly size: number;
  /** Append bytes. They must survive the process dying once this returns. */
  write(bytes: Uint8Array): void;
  /** A command or batch is complete (and is about to be acknowledged). */
  commit(): void;
  close(): void;
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

export interface FileSinkOptions {
  /** @defaultValue `'batch'` */
  fsync?: FsyncPolicy;
  /** For `'interval'`. @defaultValue 100 */
  intervalMs?: number;
}

/** An append-only journal file. */
export class FileSink implements JournalSink {
  private readonly fd: number;
  private readonly policy: FsyncPolicy;
  private readonly timer: NodeJS.Timeout | undefined;
  private written: number;

  private closed = false;

  constructor(path: string, options: FileSinkOptions = {}) {
    this.policy = options.fsync ?? 'batch';
    this.fd = openSync(path, 'a');
    this.written = fstatSync(this.fd).size;
    // A new file is only durable once its directory entry is: sync the directory too.
    if (this.written === 0) syncDirectory(dirname(path));
    if (this.policy === 'interval') {
      this.timer = setInterval(() => {
        if (!this.closed) fdatasync(this.fd, () => {});
      }, options.intervalMs ?? 100);
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

  commit(): void {
    if (this.policy === 'batch') fdatasyncSync(this.fd);
  }

  /** Force everything written so far to disk on libuv's thread pool (policy `group`). */
  sync(done: (error: Error | null) => void): void {
    fdatasync(this.fd, done);
  }

  /** Force everything written so far to disk now, blocking. */
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

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
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
