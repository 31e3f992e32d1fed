/** Where a journaled book's checkpoints keep the latest snapshot. */
import { existsSync, readFileSync } from 'node:fs';
import { replaceFile } from './files';

/** Where checkpoints keep the latest snapshot: {@link FileSnapshotStore}, {@link MemorySnapshotStore} or your own. */
export interface SnapshotStore {
  /** Replace the stored snapshot with `bytes`, all or nothing, durably, before returning. */
  save(bytes: Uint8Array): void;
}

/**
 * A snapshot file, replaced atomically: written and fsynced as `<path>.tmp`,
 * renamed over `<path>`, directory fsynced.
 */
export class FileSnapshotStore implements SnapshotStore {
  constructor(readonly path: string) {}

  save(bytes: Uint8Array): void {
    replaceFile(this.path, bytes);
  }

  /** The stored snapshot, or `undefined` when none was saved yet. */
  load(): Uint8Array | undefined {
    return existsSync(this.path) ? readFileSync(this.path) : undefined;
  }
}

/** A snapshot kept in memory (tests, or shipping snapshots elsewhere yourself). */
export class MemorySnapshotStore implements SnapshotStore {
  /** The last snapshot saved. */
  bytes: Uint8Array | undefined;

  save(bytes: Uint8Array): void {
    this.bytes = bytes.slice();
  }
}
