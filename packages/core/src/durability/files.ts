/**
 * Replacing a file so that a crash at any moment leaves either the old file or
 * the new one, whole: write a temporary file next to it and fsync it, rename it
 * over the old one (atomic on POSIX file systems), then fsync the directory so
 * the rename itself is on disk before anything that relies on it happens.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The temporary file a replacement of `path` goes through. */
export function tempPathOf(path: string): string {
  return `${path}.tmp`;
}

/** A point of a replacement that a crash could stop at. */
export type ReplaceStep = 'temp-written' | 'renamed';

/**
 * Test hook: called after each step of every replacement, so a test can copy
 * the files exactly as a crash at that point would leave them.
 */
export const replaceHooks: { afterStep?: (step: ReplaceStep, path: string) => void } = {};

export function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** fsync a directory: makes the creation, rename or removal of its entries durable. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Create `dir` and any missing parents, each made durable in its own parent
 * (a journal whose folder a power loss could undo would lose acknowledged
 * commands).
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    mkdirSync(d);
    syncDirectory(dirname(d));
  }
}

/**
 * Step 1: write `bytes` to the temporary file of `path` and fsync it. Returns
 * the file, still open (a journal keeps appending to it).
 */
export function writeTemp(path: string, bytes: Uint8Array): number {
  const temp = tempPathOf(path);
  const fd = openSync(temp, 'w');
  try {
    writeAll(fd, bytes);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    removeQuietly(temp);
    throw e;
  }
  replaceHooks.afterStep?.('temp-written', path);
  return fd;
}

/**
 * Step 2: rename the temporary file over `path` and fsync the directory.
 * `afterRename` runs as soon as the new file is in place (even if the
 * directory sync then fails): from then on `path` names the new file.
 */
export function installTemp(path: string, afterRename?: () => void): void {
  const temp = tempPathOf(path);
  try {
    renameSync(temp, path);
  } catch (e) {
    removeQuietly(temp);
    throw e;
  }
  afterRename?.();
  syncDirectory(dirname(path));
  replaceHooks.afterStep?.('renamed', path);
}

/**
 * Remove a temporary file if there is one. Failures are ignored: a leftover
 * only costs disk space (the next replacement truncates it), and cleaning up
 * must not hide the error being reported.
 */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {}
}

/** Replace `path` with `bytes`, all or nothing, durably. */
export function replaceFile(path: string, bytes: Uint8Array): void {
  closeSync(writeTemp(path, bytes));
  installTemp(path);
}
