import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty directory under the system's temp dir, named `tickbook-<name>-…`. */
export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `tickbook-${name}-`));
}
