/**
 * A journal file as a {@link JournalSource}: read piece by piece at the
 * positions asked for, so recovery never holds the whole file (which may be
 * larger than 2 GiB, the most one Node buffer holds).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { JournalSource } from './journal-codec';

/** Open `path` for reading; `close()` when done. */
export function fileJournalSource(path: string): JournalSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(into, position, length) {
      let got = 0;
      while (got < length) {
        const n = readSync(fd, into, got, length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return got;
    },
    close() {
      closeSync(fd);
    },
  };
}
